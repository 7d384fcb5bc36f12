"""Redshift SQL for the staging pattern (step 8).

Glue's Redshift connector (spark-redshift `RedshiftWriter`) runs, in one transaction: its own
`CREATE TABLE IF NOT EXISTS <dbtable>` from the DataFrame's types (strings become VARCHAR(256)),
then `preactions`, the COPY, then `postactions`. Each action string is split on `;` and an action
containing `%s` is formatted with the table name, so the text has no newline and no identifier may
contain `;` or `%`.

* Staging: one table per job (`<staging_table>_<kind>`): the streaming and the batch job of a
  pipeline never load into each other's staging table. The preactions drop it and create it
  `LIKE` the target, so the COPY always loads into the target's column types, whatever the
  connector created.
* The MERGE keeps the newest event. Redshift's MERGE has no `WHEN MATCHED AND <condition>`, so the
  guard is a statement of its own before it: staged rows older than the row already in the table
  are deleted from staging, then the MERGE updates and inserts unconditionally.
* The staging table keeps what the guard left until the next load re-creates it: exactly the rows
  the MERGE inserted or updated, which the job counts once the load committed
  (`changed_rows_statement`).
* Materialized views are not refreshed in the postactions: a refresh in the load's transaction
  cannot see that load's MERGE (REFRESH runs as a transaction of its own). The job refreshes them
  after the load committed, and only after a load that changed rows (`refresh_statements`).
"""
from __future__ import annotations

from typing import Sequence
from urllib.parse import urlsplit

from .contract import Warehouse


def quote_identifier(name: str) -> str:
    """Always double-quoted, embedded quotes doubled (Redshift/PostgreSQL rules)."""
    if not name or any(char in name for char in ";%\r\n\x00"):
        # The connector splits actions on ';' and formats '%s'; a newline would break the one-line text.
        raise ValueError(f"identifier {name!r} cannot be used in Glue pre/postactions (no ';', '%', line break or NUL)")
    return '"' + name.replace('"', '""') + '"'


def qualified_name(schema: str, table: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"


def staging_table(warehouse: Warehouse, kind: str) -> str:
    """The staging table of one job of the pipeline."""
    return f"{warehouse.staging_table}_{kind}"


def connector_table(warehouse: Warehouse, kind: str) -> str:
    """The connector's `dbtable` option (`schema.table`; the connector quotes each part)."""
    return f"{warehouse.schema}.{staging_table(warehouse, kind)}"


def _one_line(statements: Sequence[str]) -> str:
    text = "; ".join(statements) + ";"
    assert "\n" not in text and "\r" not in text
    return text


def preactions(warehouse: Warehouse, kind: str) -> str:
    """Re-create the job's staging table like the target, after the connector's own CREATE TABLE.

    Dropping it (rather than emptying it) is what gives it the target's column types even when the
    connector created it from the DataFrame (strings as VARCHAR(256)) or the target changed."""
    staging = qualified_name(warehouse.schema, staging_table(warehouse, kind))
    target = qualified_name(warehouse.schema, warehouse.table)
    return _one_line([f"DROP TABLE IF EXISTS {staging}", f"CREATE TABLE {staging} (LIKE {target})"])


def newest_wins_guard(warehouse: Warehouse, kind: str, event_id_field: str, event_time_field: str) -> str:
    """Delete staged rows older than the table's row for the same event: a late older version never
    overwrites a newer one. An equal time updates (a replay of the same event is harmless)."""
    columns = [column.name for column in warehouse.columns]
    if event_time_field not in columns:
        raise ValueError(f"warehouse.columns must contain the event time {event_time_field!r} (the MERGE guard)")
    staging = qualified_name(warehouse.schema, staging_table(warehouse, kind))
    target = qualified_name(warehouse.schema, warehouse.table)
    key, time = quote_identifier(event_id_field), quote_identifier(event_time_field)
    return (f"DELETE FROM {staging} USING {target} WHERE {staging}.{key} = {target}.{key} "
            f"AND {staging}.{time} < {target}.{time}")


def merge_statement(warehouse: Warehouse, event_id_field: str, kind: str) -> str:
    """MERGE staging into target on the event id: update matches, insert the rest."""
    columns = [column.name for column in warehouse.columns]
    if event_id_field not in columns:
        raise ValueError(f"warehouse.columns must contain the event id {event_id_field!r} (the MERGE key)")
    target = qualified_name(warehouse.schema, warehouse.table)
    staging = qualified_name(warehouse.schema, staging_table(warehouse, kind))
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


def postactions(warehouse: Warehouse, event_id_field: str, event_time_field: str, kind: str) -> str:
    """The guard, then the MERGE (in the load's transaction). Staging keeps the merged rows."""
    return _one_line([
        newest_wins_guard(warehouse, kind, event_id_field, event_time_field),
        merge_statement(warehouse, event_id_field, kind),
    ])


def changed_rows_statement(warehouse: Warehouse, kind: str) -> str:
    """After the load committed: the rows its MERGE inserted or updated (staging after the guard)."""
    return f"SELECT COUNT(*) FROM {qualified_name(warehouse.schema, staging_table(warehouse, kind))}"


def refresh_statements(warehouse: Warehouse) -> list[str]:
    """One REFRESH per materialized view, run after a load that changed rows committed (each its own transaction)."""
    return [f"REFRESH MATERIALIZED VIEW {qualified_name(warehouse.schema, view.name)}" for view in warehouse.materialized_views]


def jdbc_url(connection_url: str, database: str) -> str:
    """The JDBC URL of `database` from a catalog connection's URL (`extract_jdbc_conf()["url"]`),
    which may or may not end in a database: the job's `--redshift_database` decides."""
    scheme, separator, rest = connection_url.partition("://")
    if not separator or not rest:
        raise ValueError(f"not a JDBC URL with a host: {connection_url!r}")
    authority = urlsplit("//" + rest).netloc
    parameters = rest[len(authority):].partition("?")[2]
    return f"{scheme}://{authority}/{database}" + (f"?{parameters}" if parameters else "")
