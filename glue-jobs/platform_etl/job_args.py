"""Job arguments: names, parsing from argv-style lists, validation.

The entry scripts resolve the names with awsglue's getResolvedOptions and hand
the resulting dict to `from_resolved`; tests and local runs use `parse_argv`.
Both end in the same validation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping, Optional, Sequence

STREAMING = "streaming"
BATCH = "batch"

COMMON_ARGS = (
    "JOB_NAME", "pipeline", "contract_uri", "curated_path", "quarantine_path", "quarantine_payload_path", "reference_bucket",
    "pepper_secret_id", "warehouse_enabled", "window_seconds", "reference_refresh_minutes",
)
STREAMING_ARGS = ("stream_arn", "checkpoint_location", "starting_position")
BATCH_ARGS = ("raw_path",)
WAREHOUSE_ARGS = ("redshift_connection", "redshift_database", "redshift_tmp_dir", "warehouse_pending_path")
# The batch job loads what it wrote at the end of its run; the streaming job on this cadence.
STREAMING_WAREHOUSE_ARGS = ("warehouse_load_interval_minutes",)

_STARTING_POSITIONS = ("latest", "trim_horizon", "earliest")
_TIMESTAMP_POSITION = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
_PIPELINE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class JobArgumentError(ValueError):
    """A job argument is missing or malformed; the message names it."""


@dataclass(frozen=True)
class JobArgs:
    kind: str
    job_name: str
    pipeline: str
    contract_uri: str
    curated_path: str
    quarantine_path: str
    quarantine_payload_path: str  # the restricted prefix of raw quarantined payloads
    reference_bucket: str
    pepper_secret_id: str
    warehouse_enabled: bool
    window_seconds: int
    reference_refresh_minutes: int
    stream_arn: Optional[str] = None
    checkpoint_location: Optional[str] = None
    starting_position: Optional[str] = None
    raw_path: Optional[str] = None
    redshift_connection: Optional[str] = None
    redshift_database: Optional[str] = None
    redshift_tmp_dir: Optional[str] = None
    warehouse_pending_path: Optional[str] = None
    warehouse_load_interval_minutes: Optional[int] = None  # streaming only; 0 = every batch


def required_names(kind: str, warehouse_enabled: bool) -> list[str]:
    """Argument names (without `--`) a job of this kind needs."""
    if kind not in (STREAMING, BATCH):
        raise JobArgumentError(f"unknown job kind {kind!r}")
    names = list(COMMON_ARGS) + list(STREAMING_ARGS if kind == STREAMING else BATCH_ARGS)
    if warehouse_enabled:
        names += list(WAREHOUSE_ARGS) + list(STREAMING_WAREHOUSE_ARGS if kind == STREAMING else ())
    return names


def parse_argv(argv: Sequence[str], kind: str) -> JobArgs:
    """Parse `--name value` / `--name=value` pairs; unknown Glue arguments are ignored."""
    values: dict[str, str] = {}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token.startswith("--"):
            name, sep, inline = token[2:].partition("=")
            if sep:
                values[name] = inline
            elif index + 1 < len(argv) and not argv[index + 1].startswith("--"):
                values[name] = argv[index + 1]
                index += 1
            else:
                values[name] = ""
        index += 1
    return from_resolved(values, kind)


def _require(values: Mapping[str, str], name: str) -> str:
    value = values.get(name)
    if value is None or value == "":
        raise JobArgumentError(f"--{name}: missing")
    return value


def _boolean(values: Mapping[str, str], name: str) -> bool:
    value = _require(values, name).lower()
    if value not in ("true", "false"):
        raise JobArgumentError(f"--{name}: expected true or false, got {value!r}")
    return value == "true"


def _integer(values: Mapping[str, str], name: str, minimum: int) -> int:
    value = _require(values, name)
    if not re.match(r"^[0-9]+$", value) or int(value) < minimum:
        raise JobArgumentError(f"--{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


def _s3_uri(values: Mapping[str, str], name: str) -> str:
    value = _require(values, name)
    if not value.startswith("s3://") or len(value) <= len("s3://"):
        raise JobArgumentError(f"--{name}: expected an s3:// URI, got {value!r}")
    return value


def _starting_position(values: Mapping[str, str]) -> str:
    value = _require(values, "starting_position")
    if value.lower() in _STARTING_POSITIONS:
        return value.lower()
    if _TIMESTAMP_POSITION.match(value):
        return value
    raise JobArgumentError(
        f"--starting_position: expected latest, trim_horizon, earliest or YYYY-MM-DDTHH:MM:SSZ, got {value!r}"
    )


def from_resolved(values: Mapping[str, str], kind: str) -> JobArgs:
    """Validate a name -> value mapping (as getResolvedOptions returns it)."""
    if kind not in (STREAMING, BATCH):
        raise JobArgumentError(f"unknown job kind {kind!r}")
    pipeline = _require(values, "pipeline")
    if not _PIPELINE.match(pipeline):
        raise JobArgumentError(f"--pipeline: expected lowercase snake_case, got {pipeline!r}")
    reference_bucket = _require(values, "reference_bucket")
    if reference_bucket.startswith("s3://") or "/" in reference_bucket:
        raise JobArgumentError(f"--reference_bucket: expected a bucket name, got {reference_bucket!r}")
    warehouse_enabled = _boolean(values, "warehouse_enabled")
    args = JobArgs(
        kind=kind,
        job_name=_require(values, "JOB_NAME"),
        pipeline=pipeline,
        contract_uri=_s3_uri(values, "contract_uri"),
        curated_path=_s3_uri(values, "curated_path"),
        quarantine_path=_s3_uri(values, "quarantine_path"),
        quarantine_payload_path=_s3_uri(values, "quarantine_payload_path"),
        reference_bucket=reference_bucket,
        pepper_secret_id=_require(values, "pepper_secret_id"),
        warehouse_enabled=warehouse_enabled,
        window_seconds=_integer(values, "window_seconds", 1),
        reference_refresh_minutes=_integer(values, "reference_refresh_minutes", 0),
    )
    if args.quarantine_payload_path.rstrip("/") == args.quarantine_path.rstrip("/"):
        raise JobArgumentError("--quarantine_payload_path: must differ from --quarantine_path (raw payloads are kept apart)")
    if kind == STREAMING:
        args = replace(args, stream_arn=_require(values, "stream_arn"),
                        checkpoint_location=_s3_uri(values, "checkpoint_location"),
                        starting_position=_starting_position(values))
        if not args.stream_arn.startswith("arn:"):  # type: ignore[union-attr]
            raise JobArgumentError(f"--stream_arn: expected a Kinesis stream ARN, got {args.stream_arn!r}")
    else:
        args = replace(args, raw_path=_s3_uri(values, "raw_path"))
    if warehouse_enabled:
        args = replace(args, redshift_connection=_require(values, "redshift_connection"),
                        redshift_database=_require(values, "redshift_database"),
                        redshift_tmp_dir=_s3_uri(values, "redshift_tmp_dir"),
                        warehouse_pending_path=_s3_uri(values, "warehouse_pending_path"))
        if kind == STREAMING:
            args = replace(args, warehouse_load_interval_minutes=_integer(values, "warehouse_load_interval_minutes", 0))
    return args


def check_against_contract(args: JobArgs, contract_pipeline: str, contract_has_warehouse: bool) -> None:
    """Refuse a job wired to the wrong contract, or a warehouse load without a warehouse section."""
    if args.pipeline != contract_pipeline:
        raise JobArgumentError(
            f"--pipeline: {args.pipeline!r} but the contract at {args.contract_uri} is for {contract_pipeline!r}"
        )
    if args.warehouse_enabled and not contract_has_warehouse:
        raise JobArgumentError("--warehouse_enabled: true but the contract has no warehouse section")
