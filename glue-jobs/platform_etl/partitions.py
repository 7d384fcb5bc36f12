"""Partition values from the event time (step 7): UTC, zero-padded."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping, Sequence

from .masking import sql_identifier

# Spark datetime patterns for each key. The job pins spark.sql.session.timeZone
# to UTC, so date_format() renders the UTC wall clock like `partition_values`.
_SPARK_PATTERNS = {"year": "yyyy", "month": "MM", "day": "dd", "hour": "HH"}


def partition_values(event_time: datetime) -> dict[str, str]:
    """year/month/day/hour of an aware datetime, in UTC, zero-padded."""
    if event_time.tzinfo is None:
        raise ValueError("event time must be timezone-aware; validated records always are")
    utc = event_time.astimezone(timezone.utc)
    return {"year": f"{utc.year:04d}", "month": f"{utc.month:02d}", "day": f"{utc.day:02d}", "hour": f"{utc.hour:02d}"}


def partition_path(values: Mapping[str, str], keys: Sequence[str]) -> str:
    """Hive-style relative path, e.g. `year=2026/month=03/day=07/hour=05`."""
    return "/".join(f"{key}={values[key]}" for key in keys)


def partition_expressions(event_time_column: str, keys: Sequence[str]) -> list[str]:
    """`selectExpr` arguments adding the partition columns (strings) in Spark."""
    column = sql_identifier(event_time_column)
    return [f"date_format({column}, '{_SPARK_PATTERNS[key]}') AS {sql_identifier(key)}" for key in keys]
