"""Pure per-partition ingestion used inside Spark's mapPartitions (steps 1-2).

The job hands raw payloads with their positions to `validate_partition`, which
yields, per record, either a clean row (a tuple in contract field order plus
its arrival order) or a quarantine JSON line. Keeping this pure is what lets
the tests cover exactly the code that runs on the executors.
"""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable, Iterator, Optional, Union

from .contract import Contract
from .records import FilePosition, Position, Rejection, quarantine_record, validate_record

Payload = Union[bytes, str]
# (clean row, quarantine JSON line): exactly one of the two is set.
Outcome = tuple[Optional[tuple[Any, ...]], Optional[str]]

# Arrival order = partition index in the high bits, position within the partition below.
_PARTITION_SHIFT = 40


def split_file_lines(path: str, data: bytes) -> Iterator[tuple[bytes, FilePosition]]:
    """JSON-lines file -> (line bytes, position); blank lines are not records. Lines end in \\n or \\r\\n."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line[:-1] if line.endswith(b"\r") else line
        if line.strip():
            yield line, FilePosition(path, number)


def arrival_order(partition_index: int, position: int) -> int:
    return (partition_index << _PARTITION_SHIFT) + position


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def validate_partition(partition_index: int, records: Iterable[tuple[Payload, Optional[Position]]],
                       contract: Contract, received_at: datetime) -> Iterator[Outcome]:
    field_names = contract.field_names
    for index, (raw, position) in enumerate(records):
        result = validate_record(raw, contract, position)
        if isinstance(result, Rejection):
            row = quarantine_record(result, contract.pipeline, received_at)
            yield None, json.dumps(row, ensure_ascii=False, default=_json_default)
        else:
            yield tuple(result[name] for name in field_names) + (arrival_order(partition_index, index),), None
