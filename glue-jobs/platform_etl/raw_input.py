"""The shape every job hands to validation: one row per received record, whatever its source.

Both entry scripts build a DataFrame of exactly `RAW_SCHEMA` (the streaming job from the Kinesis
source's columns, the batch job from the lines of the new raw files) and pass it to
`spark_job.validate_batch`. Stream rows have `file`/`line` null; file rows have the stream columns
null. `arrival_order` orders the records of one batch as they arrived (the de-duplication
tie-breaker: on equal event times the first seen wins).
"""
from __future__ import annotations

from typing import Optional

from .records import FilePosition, Position, StreamPosition

RAW_COLUMNS = ("payload", "shard_id", "sequence_number", "arrival_time", "file", "line", "arrival_order")
RAW_SCHEMA = (
    "payload BINARY, shard_id STRING, sequence_number STRING, arrival_time STRING, "
    "file STRING, line BIGINT, arrival_order BIGINT"
)
# arrival_time's rendering: ISO-8601 in UTC with milliseconds (Kinesis's precision), as a Spark pattern.
ARRIVAL_TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"


def position_of(shard_id: Optional[str], sequence_number: Optional[str], arrival_time: Optional[str],
                file: Optional[str], line: Optional[int]) -> Optional[Position]:
    """The record's position from the raw columns; None when the source gave none."""
    if file is not None:
        return FilePosition(file, int(line) if line is not None else 0)
    if shard_id is None and sequence_number is None and arrival_time is None:
        return None
    return StreamPosition(shard_id, sequence_number, arrival_time)
