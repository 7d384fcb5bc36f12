"""The warehouse load on its own cadence: what is pending, when a load is due, which row wins.

Redshift Serverless bills per second with a 60-second minimum each time it works, so a load per
streaming window keeps it busy for as long as data flows. Instead each batch appends its masked
warehouse rows to the job's pending prefix (`--warehouse_pending_path`), and a load takes
everything pending in one COPY, newest-wins guard and MERGE:

    <pending>/<batch key>/part-*.parquet   the batch's warehouse rows (+ `ORDER_COLUMNS`)
    <pending>/<batch key>.ready            its marker (`PendingBatch` as JSON), written last

* A batch is pending once its marker exists; a directory without a marker is an attempt that
  stopped half-way (its re-run overwrites it, or the next start deletes it). A re-run of a key
  replaces its rows, as the lake's publish does: pending is idempotent per batch key.
* A load is due when the oldest pending batch has waited `--warehouse_load_interval_minutes`
  (`load_due`). The markers carry their batch's received time, so a restarted job keeps the
  cadence: nothing else needs to survive a restart. A key whose marker holds another received time
  names other rows (a new checkpoint numbers batches from 0 again): what waits under it is loaded
  before it is replaced.
* Rows of several batches may hold the same event: the newest event time wins, and on a tie the
  later batch (`newest_rows`), exactly what a MERGE per batch in batch order did.
* A load deletes the markers and rows it loaded only after its MERGE committed and the views were
  refreshed. A job that stops in between loads them again: harmless, because the MERGE updates an
  equal-time row with the same values, and the re-load counts those rows as changed, so the views
  are refreshed then if they were not before (`glue-jobs/README.md`, "Exactly once").

This module is the pure part; `warehouse_load` does the file and warehouse work.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Mapping, Optional

LOG = logging.getLogger("platform_etl")

MARKER_SUFFIX = ".ready"
# Written with each pending row and dropped before the load: which batch it came from, in order.
RECEIVED_AT_COLUMN = "__received_at"
BATCH_KEY_COLUMN = "__batch_key"
ORDER_COLUMNS = (RECEIVED_AT_COLUMN, BATCH_KEY_COLUMN)
# How often a streaming job looks for a due load while no batch arrives (a quiet stream).
LOAD_CHECK_SECONDS = 60.0


@dataclass(frozen=True, order=True)
class PendingBatch:
    """One batch's rows waiting for a load; ordered as batches arrived (received time, then key)."""

    received_at: datetime
    key: str

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "received_at": _iso(self.received_at)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "PendingBatch":
        document = json.loads(text)
        return cls(datetime.fromisoformat(document["received_at"].replace("Z", "+00:00")), str(document["key"]))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def marker_name(key: str) -> str:
    return f"{key}{MARKER_SUFFIX}"


def key_of_marker(name: str) -> Optional[str]:
    """The batch key of a marker's file name; None for anything else."""
    return name[: -len(MARKER_SUFFIX)] if name.endswith(MARKER_SUFFIX) and len(name) > len(MARKER_SUFFIX) else None


def orphans(directories: Iterable[str], markers: Iterable[str]) -> list[str]:
    """Batch directories without a marker: attempts that stopped before they finished."""
    ready = set(markers)
    return sorted(name for name in directories if name not in ready)


def load_due(pending: Iterable[PendingBatch], interval: timedelta, now: datetime) -> bool:
    """True when something is pending and its oldest batch has waited `interval` (0: at once)."""
    oldest = min((batch.received_at for batch in pending), default=None)
    return oldest is not None and now - oldest >= interval


def newest_rows(rows: Iterable[Mapping[str, Any]], id_field: str, time_field: str) -> list[Mapping[str, Any]]:
    """The reference of the load's de-duplication (the job does it with a window): per event id,
    the latest event time; on a tie the row of the later batch (`ORDER_COLUMNS`)."""
    winners: dict[Any, Mapping[str, Any]] = {}

    def rank(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return (row[time_field], row[RECEIVED_AT_COLUMN], row[BATCH_KEY_COLUMN])

    for row in rows:
        current = winners.get(row[id_field])
        if current is None or rank(row) > rank(current):
            winners[row[id_field]] = row
    return list(winners.values())


@dataclass(frozen=True)
class LoadReport:
    """What one load did: the batches it took, the rows its MERGE inserted or updated, the views it refreshed."""

    batches: tuple[str, ...]
    changed_rows: int
    refreshed_views: tuple[str, ...]

    def summary(self) -> str:
        return (f"warehouse load: {len(self.batches)} batch(es) {', '.join(self.batches)}; {self.changed_rows} row(s) "
                f"inserted or updated; views refreshed: {', '.join(self.refreshed_views) or 'none'}")


class LoadClock:
    """Calls `check` every `period_seconds` on a daemon thread until `stop`: a streaming job gets no
    batch while its stream is quiet, and what is pending must still be loaded when it is due. A
    failing check is logged and tried again at the next tick (a batch's own load raises instead)."""

    def __init__(self, check: Callable[[], Any], period_seconds: float = LOAD_CHECK_SECONDS) -> None:
        self._check = check
        self._period = period_seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="warehouse-load-clock", daemon=True)

    def start(self) -> "LoadClock":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self._period):
            try:
                self._check()
            except Exception:  # noqa: BLE001 (logged; the next tick tries again)
                LOG.exception("warehouse load check failed; trying again in %s s", self._period)

    def stop(self, timeout: Optional[float] = None) -> None:
        """Stop ticking; waits for a check in progress (a load is never abandoned half-way)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
