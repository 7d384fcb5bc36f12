"""Exactly-once lake and quarantine writes under at-least-once delivery: stage, journal, publish.

A batch never writes into the lake's or the quarantine's partition directories with Spark. Each
job (streaming, batch) writes its batch into its own staging directory (`_staging/<kind>/`,
overwritten per batch), then publishes each staged file into its partition directory under a name
made of the job kind, the batch key and an index (`streaming-<query id>-000000000042-00000.parquet`). Before
publishing it writes a journal (`_staging/<kind>/journal.json`): the batch key, its received time,
its inputs and every file it is about to publish. So:

* a batch that runs again under the same key (Glue's wrapper retrying a failed batch, or a restarted
  streaming job re-running the uncommitted batch from its checkpoint) first deletes what the earlier
  attempt published, keeps the earlier received time, and lands in the same partitions;
* a batch-job run that failed before `job.commit()` left its bookmark unadvanced: the next run lists
  the same files again (plus newer ones); seeing all of the journal's inputs listed again, it deletes
  what the failed run published before it processes them;
* the streaming and batch jobs never share a Spark output directory (their commits do not collide)
  nor a file name.

This module is the pure part (names, the journal, the decisions); `spark_job` does the file work.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Iterable, Optional, Sequence

STAGING_DIRECTORY = "_staging"
JOURNAL_NAME = "journal.json"
LAKE_EXTENSION = ".parquet"
QUARANTINE_EXTENSION = ".json"


@dataclass(frozen=True)
class Journal:
    kind: str
    key: str
    received_at: str  # ISO-8601 UTC: what a re-run of this key must use again
    inputs: tuple[str, ...]  # batch job: "<file URI>@<modification ms>"; streaming: none
    published: tuple[str, ...]  # every target URI the batch publishes
    committed: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Journal":
        document = json.loads(text)
        return cls(document["kind"], document["key"], document["received_at"], tuple(document["inputs"]),
                   tuple(document["published"]), bool(document["committed"]))

    def marked_committed(self) -> "Journal":
        return replace(self, committed=True)


def streaming_batch_key(query_id: str, batch_id: int) -> str:
    """The streaming query's id (kept in its checkpoint) and Structured Streaming's batch id: a
    re-run of the same batch has the same key. Batch ids start at 0 again in a new checkpoint (a
    stream read again from the start): the query id keeps those batches' files apart from the
    earlier ones instead of replacing them."""
    if batch_id < 0:
        raise ValueError(f"batch id {batch_id} is negative")
    query = query_id.replace("-", "").lower()
    if len(query) != 32 or any(c not in "0123456789abcdef" for c in query):
        raise ValueError(f"query id {query_id!r} is not a UUID")
    return f"{query}-{batch_id:012d}"


def file_batch_key(inputs: Iterable[str]) -> str:
    """A batch-job run's key: the files it read, with their versions."""
    digest = hashlib.sha256("\n".join(sorted(inputs)).encode("utf-8")).hexdigest()
    return digest[:16]


def file_input(uri: str, modified_ms: int) -> str:
    return f"{uri}@{modified_ms}"


def published_name(kind: str, key: str, index: int, extension: str) -> str:
    return f"{kind}-{key}-{index:05d}{extension}"


def staged_targets(staged: Sequence[str], kind: str, key: str, extension: str) -> list[tuple[str, str]]:
    """(staged relative path, published relative path) for Spark's data files under a staging dir.

    The partition directories are kept; files get deterministic names, numbered per directory in
    the order of their staged names, so a re-run under the same key produces the same names."""
    by_directory: dict[str, list[str]] = {}
    for relative in sorted(staged):
        directory, _, name = relative.rpartition("/")
        if name.startswith("part-"):
            by_directory.setdefault(directory, []).append(relative)
    moves: list[tuple[str, str]] = []
    for directory, files in sorted(by_directory.items()):
        for index, relative in enumerate(files):
            name = published_name(kind, key, index, extension)
            moves.append((relative, f"{directory}/{name}" if directory else name))
    return moves


def to_rollback(previous: Optional[Journal], key: str, listed_inputs: Iterable[str]) -> tuple[str, ...]:
    """The files an earlier attempt published that this batch must delete before it publishes.

    * The same key again: everything it published (it is about to be published again).
    * Another key, previous run not committed, and all its inputs listed again: that run's
      bookmark never advanced, its files are being processed again: everything it published.
    * Otherwise nothing: the earlier batch is done (committed, or committed but not yet marked)."""
    if previous is None:
        return ()
    if previous.key == key:
        return previous.published
    if not previous.committed and previous.inputs and set(previous.inputs) <= set(listed_inputs):
        return previous.published
    return ()


def received_time(previous: Optional[Journal], key: str, now: datetime) -> datetime:
    """A batch keeps the received time of its first attempt: its quarantine rows land in the same partition."""
    if previous is not None and previous.key == key:
        return datetime.fromisoformat(previous.received_at.replace("Z", "+00:00"))
    return now.astimezone(timezone.utc)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
