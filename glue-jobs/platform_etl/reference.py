"""Reference data (step 4): reading, the left join, and the refresh policy."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Optional, Sequence

from .contract import Field, Reference
from .records import try_coerce


class ReferenceDataError(ValueError):
    """Reference data that cannot be joined safely."""


def reference_uri(reference: Reference, reference_bucket: str) -> str:
    """Where the reference lives: bundled keys are relative to --reference_bucket."""
    if reference.location.kind == "bundled":
        return f"s3://{reference_bucket}/{reference.location.key}"
    return reference.location.uri or ""


def read_csv_rows(text: str) -> list[dict[str, Optional[str]]]:
    """CSV with a header row; empty cells read as null (as Spark's CSV reader does)."""
    reader = csv.DictReader(io.StringIO(text))
    return [{key: (value if value != "" else None) for key, value in row.items()} for row in reader]


def read_json_lines(text: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row, dict):
            raise ReferenceDataError(f"line {number}: expected a JSON object")
        rows.append(row)
    return rows


def read_reference_rows(text: str, reference: Reference) -> list[dict[str, Any]]:
    return read_csv_rows(text) if reference.format == "csv" else read_json_lines(text)


def join_key(value: Any) -> Optional[str]:
    """Keys compare as strings on both sides (CSV keys are text; event keys are string/int/long)."""
    return None if value is None else str(value)


def index_reference(rows: Iterable[Mapping[str, Any]], reference: Reference) -> dict[str, dict[str, Any]]:
    """key -> added columns (under their `as` names, cast to their type).

    A duplicate key is an error: a left join on it would duplicate events.
    """
    index: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = join_key(row.get(reference.reference_key))
        if key is None:
            continue  # a null key never matches
        if key in index:
            raise ReferenceDataError(f"reference {reference.name!r}: key {key!r} appears more than once")
        index[key] = {
            column.as_name: try_coerce(row.get(column.name), Field(column.as_name, column.type, False, None, None))
            for column in reference.columns
        }
    return index


def left_join(events: Sequence[Mapping[str, Any]], reference: Reference,
              index: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every event, plus the reference columns (null when there is no match).

    A null event key matches nothing, not even a reference row whose key is the empty string (as
    in Spark, where `NULL = ''` is not true)."""
    missing = {column.as_name: None for column in reference.columns}
    joined: list[dict[str, Any]] = []
    for event in events:
        key = join_key(event.get(reference.event_key))
        match = missing if key is None else index.get(key, missing)
        joined.append({**event, **missing, **match})
    return joined


@dataclass
class RefreshPolicy:
    """Reload reference data when the loaded copy is older than `max_age_minutes`.

    0 reloads on every batch. A failed reload keeps the last good copy
    (`record_failure` does not reset the age), so the stream keeps flowing and
    retries next batch.
    """

    max_age_minutes: int
    loaded_at: Optional[datetime] = field(default=None)

    def __post_init__(self) -> None:
        if self.max_age_minutes < 0:
            raise ValueError("max_age_minutes must be >= 0")

    def is_due(self, now: datetime) -> bool:
        if self.loaded_at is None:
            return True
        return now - self.loaded_at >= timedelta(minutes=self.max_age_minutes)

    def record_load(self, now: datetime) -> None:
        self.loaded_at = now

    def record_failure(self, now: datetime) -> bool:
        """True when a previous copy exists and can keep serving."""
        return self.loaded_at is not None
