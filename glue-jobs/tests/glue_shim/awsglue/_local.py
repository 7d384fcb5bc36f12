"""What Glue keeps outside the job, held locally for the Spark suite, and its fault injection.

* `Connection`: a Data Catalog JDBC connection (`glue:GetConnection` resolves the secret); here a
  loopback PostgreSQL URL and user, returned by `GlueContext.extract_jdbc_conf`.
* `BookmarkStore`: job bookmark state per job name and `transformation_ctx`, written only by
  `Job.commit` (the Glue service keeps it; here a JSON file per job).
* `LocalKinesis`: the streams the jobs read, one directory per stream, one file per `PutRecords`
  call, so each call is one micro-batch (see `dataframereader`).
* `Faults`: failures the tests inject into Glue's own code paths (a Redshift load that fails after
  the lake was written; a connection look-up that fails after a load committed), to exercise the
  retry behaviour of `forEachBatch` and the recovery of the jobs.
"""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional, Sequence


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
class KinesisRecord:
    data: bytes
    partition_key: str = "pk"


class LocalKinesis:
    """Streams by ARN. Sequence numbers grow like Kinesis's (decimal strings); arrival times are
    set per call and strictly increasing, and each file's mtime follows them so the file source
    reads the calls in order."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sequence = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000
        self._clock = datetime(2026, 3, 7, 9, 0, tzinfo=timezone.utc)
        self._calls = 0

    def stream_directory(self, stream_arn: str) -> Path:
        name = stream_arn.rsplit("/", 1)[-1]
        path = self.directory / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def put_records(self, stream_arn: str, records: Sequence[bytes | KinesisRecord]) -> list[str]:
        """One call = one file = one micro-batch. Returns the sequence numbers given."""
        self._calls += 1
        self._clock += timedelta(seconds=30)
        directory = self.stream_directory(stream_arn)
        lines, sequences = [], []
        for index, record in enumerate(records):
            item = record if isinstance(record, KinesisRecord) else KinesisRecord(record)
            self._sequence += 1_000
            sequences.append(str(self._sequence))
            lines.append(json.dumps({
                "data": base64.b64encode(item.data).decode("ascii"),
                "streamName": stream_arn.rsplit("/", 1)[-1],
                "partitionKey": item.partition_key,
                "sequenceNumber": sequences[-1],
                "approximateArrivalTimestamp": (self._clock + timedelta(milliseconds=index)).isoformat(),
            }))
        final = directory / f"records-{self._calls:06d}.json"
        hidden = directory / f".{final.name}.tmp"  # the file source skips hidden files
        hidden.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stamp = self._clock.timestamp()
        os.utime(hidden, (stamp, stamp))
        os.replace(hidden, final)
        return sequences


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
    kinesis: Optional[LocalKinesis] = None
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


STATE = LocalGlue()


def reset(root: Path, connections: Optional[dict[str, Connection]] = None) -> LocalGlue:
    """Fresh service-side state under `root` for one test."""
    global STATE
    STATE = LocalGlue(connections=dict(connections or {}), bookmarks=BookmarkStore(root / "bookmarks"),
                      kinesis=LocalKinesis(root / "kinesis"))
    return STATE


def state() -> LocalGlue:
    return STATE


def require(value: Any, what: str) -> Any:
    if value is None:
        raise RuntimeError(f"the Glue shim has no {what}: call awsglue._local.reset(root) first")
    return value
