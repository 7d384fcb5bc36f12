"""`Job`, as awslabs/aws-glue-libs `awsglue/job.py` exposes it (`init`, `isInitialized`, `commit`).

The Python class only forwards `job.init(job_name, args)` to the JVM `Job`, which takes the job
bookmark option from those args (`job_bookmark_option`, the key `getResolvedOptions` always fills):
a job that passes a hand-made dict without it runs with bookmarks disabled and reprocesses every
file. Reproduced here: bookmarks are on exactly when `args["job_bookmark_option"]` is
`job-bookmark-enable`; the state is loaded at `init` and persisted only by `commit` ("Glue job
bookmarks: the state is saved when job.commit() runs", AWS Glue docs, "Tracking processed data
using job bookmarks"); `commit` without `init` fails as Glue's does.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _local

BOOKMARK_ENABLED = "job-bookmark-enable"


class Job:
    def __init__(self, glue_context: Any) -> None:
        self._glue_context = glue_context
        self._name: Optional[str] = None
        self.args: dict[str, Any] = {}
        self.bookmarks_enabled = False
        self._state: dict[str, dict[str, int]] = {}
        self._pending: dict[str, dict[str, int]] = {}

    def init(self, job_name: str, args: Mapping[str, Any] = {}) -> None:  # noqa: B006 (Glue's signature)
        self._name = job_name
        self.args = dict(args)
        self.bookmarks_enabled = self.args.get("job_bookmark_option") == BOOKMARK_ENABLED
        store = _local.require(_local.state().bookmarks, "bookmark store")
        self._state = store.load(job_name) if self.bookmarks_enabled else {}
        self._pending = {}
        self._glue_context._job = self

    def isInitialized(self) -> bool:  # noqa: N802 (Glue's name)
        return self._name is not None

    def commit(self) -> None:
        if self._name is None:
            raise RuntimeError("Job.commit() before Job.init(): the job has no bookmark context")
        if self.bookmarks_enabled and self._pending:
            merged = {ctx: dict(files) for ctx, files in self._state.items()}
            for ctx, files in self._pending.items():
                merged.setdefault(ctx, {}).update(files)
            _local.require(_local.state().bookmarks, "bookmark store").save(self._name, merged)
            self._state, self._pending = merged, {}

    # --- used by GlueContext's bookmarked sources ------------------------------------------

    def seen(self, transformation_ctx: str) -> dict[str, int]:
        return self._state.get(transformation_ctx, {}) if self.bookmarks_enabled else {}

    def record(self, transformation_ctx: str, files: Mapping[str, int]) -> None:
        if self.bookmarks_enabled and transformation_ctx:
            self._pending.setdefault(transformation_ctx, {}).update(files)
