"""Pure per-partition validation run inside Spark's mapPartitions (steps 1-2).

`validate_raw_rows` takes rows of the raw shape (`raw_input.RAW_COLUMNS`) and yields, per record,
either a clean row (a tuple in contract field order plus its arrival order) or a quarantine JSON
line. Keeping this pure is what lets the standard-library tests cover exactly the code that runs on
the executors.
"""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable, Iterator, Optional, Sequence

from .contract import Contract
from .raw_input import position_of
from .records import Rejection, quarantine_record, validate_record

# (clean row, quarantine JSON line): exactly one of the two is set.
Outcome = tuple[Optional[tuple[Any, ...]], Optional[str]]


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def validate_raw_rows(rows: Iterable[Sequence[Any]], contract: Contract, received_at: datetime) -> Iterator[Outcome]:
    """Rows in `RAW_COLUMNS` order -> outcomes. The payload is validated as the bytes received."""
    field_names = contract.field_names
    for payload, shard_id, sequence_number, arrival_time, file, line, arrival_order in rows:
        raw = bytes(payload) if payload is not None else b""
        result = validate_record(raw, contract, position_of(shard_id, sequence_number, arrival_time, file, line))
        if isinstance(result, Rejection):
            row = quarantine_record(result, contract.pipeline, received_at)
            yield None, json.dumps(row, ensure_ascii=False, default=_json_default)
        else:
            yield tuple(result[name] for name in field_names) + (int(arrival_order),), None
