"""`getResolvedOptions`, as awslabs/aws-glue-libs `awsglue/utils.py` implements it.

Reproduced: an argparse parser that raises instead of exiting; the reserved names
(`job-bookmark-option`, `continuation-option`, `job-bookmark-from/to`, `JOB_ID`, `JOB_RUN_ID`,
`SECURITY_CONFIGURATION`, `encryption-type`) refused as requested options; every requested
option required; unknown arguments ignored (`parse_known_args`); `TempDir`/`RedshiftTempDir`
mirrored; `job_bookmark_option` always present in the result (default `job-bookmark-disable`,
translated from an old-style `--continuation-option`), which is what `Job.init` reads.
"""
from __future__ import annotations

import argparse
from typing import Any, Sequence

_BOOKMARK = ["--job-bookmark-option", "job-bookmark-enable", "job-bookmark-pause", "job-bookmark-disable"]
_CONTINUATION = ["--continuation-option", "continuation-enabled", "continuation-readonly", "continuation-ignore"]
_BOOKMARK_RANGE = ["--job-bookmark-from", "--job-bookmark-to"]
_ID_PARAMS = ["--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID", "--SECURITY_CONFIGURATION"]
_ENCRYPTION = ["--encryption-type", "sse-s3"]


class GlueArgumentError(Exception):
    pass


class GlueArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise GlueArgumentError(message)


def getResolvedOptions(args: Sequence[str], options: Sequence[str]) -> dict[str, Any]:  # noqa: N802 (Glue's name)
    parser = GlueArgumentParser()
    for reserved in (_CONTINUATION[0], _BOOKMARK[0], _ENCRYPTION[0], *_BOOKMARK_RANGE, *_ID_PARAMS[1:]):
        if reserved[2:] in options:
            raise RuntimeError("Using reserved arguments " + reserved)
    parser.add_argument(_BOOKMARK[0], choices=_BOOKMARK[1:], required=False)
    parser.add_argument(_CONTINUATION[0], choices=_CONTINUATION[1:], required=False)
    for option in _BOOKMARK_RANGE + _ID_PARAMS[1:]:
        parser.add_argument(option, required=False)
    parser.add_argument(_ENCRYPTION[0], choices=_ENCRYPTION[1:])
    wanted = [option for option in options if option not in {"RedshiftTempDir", "TempDir"}]
    parser.add_argument("--RedshiftTempDir", required=False)
    parser.add_argument("--TempDir", required=False)
    for option in wanted:
        parser.add_argument("--" + option, required=True)

    parsed, _unknown = parser.parse_known_args(list(args[1:]))
    resolved = vars(parsed)
    if resolved.get("TempDir") is not None:
        resolved["RedshiftTempDir"] = resolved["TempDir"]
    elif resolved.get("RedshiftTempDir") is not None:
        resolved["TempDir"] = resolved["RedshiftTempDir"]

    continuation = resolved.pop("continuation_option", None)
    if resolved.get("job_bookmark_option") is None:
        resolved["job_bookmark_option"] = (
            _BOOKMARK[3] if continuation is None else _BOOKMARK[_CONTINUATION.index(continuation)]
        )
    absent = [option for option in _BOOKMARK_RANGE if resolved.get(option[2:].replace("-", "_")) is None]
    if resolved["job_bookmark_option"] == "job-bookmark-pause":
        if len(absent) == 1:
            raise RuntimeError("Missing option or value for " + absent[0])
    elif not absent:
        raise RuntimeError("Invalid option(s)" + " ".join(_BOOKMARK_RANGE))
    return resolved
