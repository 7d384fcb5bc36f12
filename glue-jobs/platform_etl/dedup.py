"""De-duplication by event id within a batch (step 3).

Keep, per event id, the record with the latest event time; on a tie the one
seen first. The job does the same with a window: row_number() over
(PARTITION BY id ORDER BY event_time DESC, arrival order ASC) = 1.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

# Column the job adds to remember arrival order within a batch.
ARRIVAL_ORDER_COLUMN = "__arrival_order"


def deduplicate(records: Iterable[Mapping[str, Any]], id_field: str, time_field: str) -> list[Mapping[str, Any]]:
    """Winners in the order their id was first seen."""
    winners: dict[Any, Mapping[str, Any]] = {}
    for record in records:
        key = record[id_field]
        current = winners.get(key)
        # Strictly later only: an equal time keeps the earlier record.
        if current is None or record[time_field] > current[time_field]:
            winners[key] = record
    return list(winners.values())
