"""Redshift SQL for the staging pattern (step 8).

Glue's Redshift writer runs `preactions` before loading the staging table and
`postactions` after; each is ONE string of statements separated by `;` (Glue
splits on `;`), so the text has no newline and no identifier may contain `;`.
"""
from __future__ import annotations

from typing import Sequence

from .contract import Warehouse


def quote_identifier(name: str) -> str:
    """Always double-quoted, embedded quotes doubled (Redshift/PostgreSQL rules)."""
    if not name or any(char in name for char in ";\r\n\x00"):
        # Glue splits actions on ';'; a newline would break the one-line contract.
        raise ValueError(f"identifier {name!r} cannot be used in Glue pre/postactions")
    return '"' + name.replace('"', '""') + '"'


def qualified_name(schema: str, table: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"


def _one_line(statements: Sequence[str]) -> str:
    text = "; ".join(statements) + ";"
    assert "\n" not in text and "\r" not in text
    return text


def preactions(warehouse: Warehouse) -> str:
    """Create the staging table like the target if absent, and empty it.

    Emptying first makes a batch whose previous run died between load and
    MERGE safe to re-run. DELETE (not TRUNCATE) keeps it transactional.
    """
    staging = qualified_name(warehouse.schema, warehouse.staging_table)
    target = qualified_name(warehouse.schema, warehouse.table)
    return _one_line([
        f"CREATE TABLE IF NOT EXISTS {staging} (LIKE {target})",
        f"DELETE FROM {staging}",
    ])


def merge_statement(warehouse: Warehouse, event_id_field: str) -> str:
    """MERGE staging into target on the event id: update matches, insert the rest."""
    columns = [column.name for column in warehouse.columns]
    if event_id_field not in columns:
        raise ValueError(f"warehouse.columns must contain the event id {event_id_field!r} (the MERGE key)")
    target = qualified_name(warehouse.schema, warehouse.table)
    staging = qualified_name(warehouse.schema, warehouse.staging_table)
    key = quote_identifier(event_id_field)
    # Redshift forbids qualifying SET targets; a key-only table still needs a SET.
    updated = [name for name in columns if name != event_id_field] or [event_id_field]
    assignments = ", ".join(f"{quote_identifier(name)} = \"source\".{quote_identifier(name)}" for name in updated)
    column_list = ", ".join(quote_identifier(name) for name in columns)
    values = ", ".join(f"\"source\".{quote_identifier(name)}" for name in columns)
    return (
        f"MERGE INTO {target} USING {staging} AS \"source\" ON {target}.{key} = \"source\".{key} "
        f"WHEN MATCHED THEN UPDATE SET {assignments} "
        f"WHEN NOT MATCHED THEN INSERT ({column_list}) VALUES ({values})"
    )


def postactions(warehouse: Warehouse, event_id_field: str) -> str:
    """MERGE, empty the staging table, refresh the materialized views built on the table."""
    statements = [
        merge_statement(warehouse, event_id_field),
        f"DELETE FROM {qualified_name(warehouse.schema, warehouse.staging_table)}",
    ]
    statements += [
        f"REFRESH MATERIALIZED VIEW {qualified_name(warehouse.schema, view.name)}"
        for view in warehouse.materialized_views
    ]
    return _one_line(statements)
