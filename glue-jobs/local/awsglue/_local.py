"""What Glue keeps outside the job, held locally for the Spark suite and local runs, the way
streaming queries end, and the suite's fault injection.

* `Connection`: a Data Catalog JDBC connection (`glue:GetConnection` resolves the secret); here a
  loopback PostgreSQL URL and user, returned by `GlueContext.extract_jdbc_conf`.
* `BookmarkStore`: job bookmark state per job name and `transformation_ctx`, written only by
  `Job.commit` (the Glue service keeps it; here a JSON file per job).
* `root`: where the Kinesis sources keep their spools (`_kinesis`), per job and stream.
* `until_drained`: how `forEachBatch` runs a query. True (the suite): read what the stream holds,
  run it as micro-batches (one per `record_put` group, as a stream read while it is written
  delivers them), return. False (a local run): run with Glue's trigger until `request_stop`.
* `Faults`: failures the tests inject into Glue's own code paths (a Redshift load that fails after
  the lake was written; a connection look-up that fails after a load committed), to exercise the
  retry behaviour of `forEachBatch` and the recovery of the jobs.
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional


@dataclass(frozen=True)
class Connection:
    jdbc_url: str  # without the database, as extract_jdbc_conf's "url"
    database: str
    user: str
    password: str
    vendor: str = "postgresql"


class BookmarkStore:
    """`{transformation_ctx: {file path: modification time in ms}}` per job name."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, job_name: str) -> Path:
        return self.directory / f"{job_name}.json"

    def load(self, job_name: str) -> dict[str, dict[str, int]]:
        path = self._path(job_name)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def save(self, job_name: str, state: dict[str, dict[str, int]]) -> None:
        temporary = self._path(job_name).with_suffix(".tmp")
        temporary.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self._path(job_name))


@dataclass
class Faults:
    """Counts of failures to inject; each injected failure decrements its count."""

    redshift_load_before_commit: int = 0
    # `extract_jdbc_conf` fails (as a `glue:GetConnection` call can): the job cannot reach the
    # warehouse after its load committed, before it counted and refreshed.
    extract_jdbc_conf: int = 0

    def take(self, name: str) -> bool:
        remaining = getattr(self, name)
        if remaining > 0:
            setattr(self, name, remaining - 1)
            return True
        return False


class InjectedFailure(RuntimeError):
    """A failure the suite injected into Glue's code path."""


@dataclass
class LocalGlue:
    connections: dict[str, Connection] = field(default_factory=dict)
    bookmarks: Optional[BookmarkStore] = None
    root: Optional[Path] = None
    until_drained: bool = True
    faults: Faults = field(default_factory=Faults)
    # forEachBatch waits 1, 2, then 5 s before restarting a failed query, as Glue does; a test that
    # exhausts the retries on purpose may skip the waiting (it changes no outcome).
    retry_backoff: bool = True
    # Every SQL statement the Redshift connector sent, in order (what the tests assert on).
    redshift_statements: list[str] = field(default_factory=list)
    # Connection names the job asked `extract_jdbc_conf` for (to run SQL outside the connector).
    jdbc_conf_requests: list[str] = field(default_factory=list)
    # Per call of a batch function by forEachBatch: (batch id, DataFrame actions it ran (SQL
    # executions that ran jobs), Spark jobs it ran outside any DataFrame action, i.e. RDD actions). Adaptive execution runs one action as
    # several jobs; counting actions keeps the measure independent of it.
    batch_spark_work: list[tuple[int, int, int]] = field(default_factory=list)
    # (batch id, records) of every non-empty micro-batch, as Glue's wrapper counted it.
    batch_records: list[tuple[int, int]] = field(default_factory=list)
    # Per stream, the sequence numbers of each put, in order (`record_put`): a drained read
    # delivers each put as its own micro-batch.
    puts: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    stop_requested: threading.Event = field(default_factory=threading.Event)
    queries: list[Any] = field(default_factory=list)  # running streaming queries

    def record_put(self, stream: str, sequence_numbers: list[str]) -> None:
        """The suite put these records together: a drained read makes them one micro-batch."""
        self.puts.setdefault(stream, []).append(frozenset(sequence_numbers))

    def request_stop(self, grace_seconds: float = 0.0) -> None:
        """Ends the streaming queries `forEachBatch` runs, as stopping a Glue streaming job does:
        no new batch starts; a batch in progress is given `grace_seconds` to finish, then
        interrupted (its key runs again, exactly once, if the checkpoint is used again)."""
        self.stop_requested.set()
        deadline = time.monotonic() + grace_seconds
        for query in list(self.queries):
            while time.monotonic() < deadline and query.isActive and query.status["isTriggerActive"]:
                time.sleep(0.05)
            query.stop()


STATE = LocalGlue()


def reset(root: Path, connections: Optional[dict[str, Connection]] = None, until_drained: bool = True) -> LocalGlue:
    """Fresh service-side state under `root` (one test, one local run)."""
    global STATE
    STATE = LocalGlue(connections=dict(connections or {}), bookmarks=BookmarkStore(root / "bookmarks"), root=root,
                      until_drained=until_drained)
    return STATE


def state() -> LocalGlue:
    return STATE


def require(value: Any, what: str) -> Any:
    if value is None:
        raise RuntimeError(f"the Glue shim has no {what}: call awsglue._local.reset(root) first")
    return value
