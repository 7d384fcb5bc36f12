"""`write_dynamic_frame.from_jdbc_conf` to Redshift, as the Redshift connector behind it does it,
against a real PostgreSQL on loopback.

Read from spark-redshift-community/spark-redshift `RedshiftWriter.saveToRedshift` /
`doRedshiftLoad`, `Parameters` and `RedshiftJDBCWrapper.schemaString`:
1. unload the DataFrame to the temp dir (here CSV, as with `tempformat CSV`; null as `@NULL@`);
2. one JDBC connection, auto-commit off;
3. `CREATE TABLE IF NOT EXISTS <dbtable> (...)` from the DataFrame's types: strings without a
   `maxlength`/`redshift_type` metadata become VARCHAR(256) (what the connector's `TEXT` is in
   Redshift; newer connector versions write VARCHAR(MAX)), non-nullable fields NOT NULL;
4. `preactions`: the option split on `;`, each statement with `%s` formatted to the table name;
5. COPY of the unloaded files (skipped when no row was unloaded);
6. `postactions`, split and formatted the same way;
7. commit; any failure rolls the whole transaction back and is raised.
Every statement goes through `redshift_to_postgres`, the one adapter for Redshift-only syntax, in a
session set up as Redshift behaves (`SESSION_SETTINGS`).
A `REFRESH MATERIALIZED VIEW` in the actions runs in a transaction of its own, as Redshift runs it
("The REFRESH MATERIALIZED VIEW command runs as a transaction of its own", Amazon Redshift
Database Developer Guide, REFRESH MATERIALIZED VIEW): it cannot see the uncommitted load.
"""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any, Mapping

from . import _local

NULL_STRING = "@NULL@"
DEFAULT_STRING_TYPE = "VARCHAR(256)"

# The one adapter from Redshift's SQL to PostgreSQL's, as data (`redshift_on_postgres.json`) so
# that jest's migration tests apply the very same rules:
# - `remove`: Redshift clauses PostgreSQL does not have; they only steer physical layout, refresh
#   policy and compression (DISTSTYLE, DISTKEY, [COMPOUND|INTERLEAVED] SORTKEY, BACKUP, AUTO
#   REFRESH, ENCODE);
# - `replace`: `PASSWORD DISABLE` (a user without a password, Redshift) is PostgreSQL's
#   `PASSWORD NULL`;
# - `session`: a backslash in a string literal is an escape in Redshift, as in PostgreSQL with
#   `standard_conforming_strings` off (which is why the warehouse generator doubles backslashes);
# - `functions`: Redshift built-ins the platform's SQL calls that PostgreSQL lacks (GETDATE()),
#   created in each database.
# Everything else the platform sends (CREATE TABLE ... (LIKE ...), DELETE ... USING, MERGE, COMMENT
# ON, REFRESH MATERIALIZED VIEW, COUNT(DISTINCT ...), stored procedures in PL/pgSQL, CALL, GRANT)
# is the same text in both.
_DIALECT = json.loads((Path(__file__).with_name("redshift_on_postgres.json")).read_text(encoding="utf-8"))
_REDSHIFT_ONLY = [re.compile(pattern, re.IGNORECASE) for pattern in _DIALECT["remove"]]
_RENAMED = [(re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in _DIALECT["replace"]]
SESSION_SETTINGS: tuple[str, ...] = tuple(_DIALECT["session"])
REDSHIFT_FUNCTIONS: tuple[str, ...] = tuple(_DIALECT["functions"])
_REFRESH = re.compile(r"^\s*REFRESH\s+MATERIALIZED\s+VIEW\b", re.IGNORECASE)


def redshift_to_postgres(sql: str) -> str:
    """The statement PostgreSQL runs for a Redshift statement."""
    for clause in _REDSHIFT_ONLY:
        sql = clause.sub("", sql)
    for pattern, replacement in _RENAMED:
        sql = pattern.sub(replacement, sql)
    return sql


def is_refresh(sql: str) -> bool:
    return bool(_REFRESH.match(sql))


def split_actions(text: str) -> list[str]:
    """`Parameters.preActions`: `parameters("preactions").trim.split(";")`; blank pieces skipped."""
    return [piece.strip() for piece in text.strip().split(";") if piece.strip()]


def quoted_table(dbtable: str) -> str:
    """`TableName.parseFromEscaped`: `schema.table` -> `"schema"."table"`."""
    return ".".join('"' + part.strip('"').replace('"', '""') + '"' for part in dbtable.split("."))


def _column_type(field: Any) -> str:
    from pyspark.sql import types as T

    if "redshift_type" in field.metadata:
        return str(field.metadata["redshift_type"])
    data_type = field.dataType
    if isinstance(data_type, T.StringType):
        return f"VARCHAR({field.metadata['maxlength']})" if "maxlength" in field.metadata else DEFAULT_STRING_TYPE
    if isinstance(data_type, T.DecimalType):
        return f"DECIMAL({data_type.precision},{data_type.scale})"
    simple = {T.IntegerType: "INTEGER", T.LongType: "BIGINT", T.DoubleType: "DOUBLE PRECISION", T.FloatType: "REAL",
              T.ShortType: "INTEGER", T.ByteType: "SMALLINT", T.BooleanType: "BOOLEAN", T.TimestampType: "TIMESTAMP",
              T.DateType: "DATE"}
    for spark_type, sql_type in simple.items():
        if isinstance(data_type, spark_type):
            return sql_type
    raise ValueError(f"Don't know how to save {field} to JDBC")


def create_table_sql(table: str, schema: Any) -> str:
    """`RedshiftWriter.createTableSql` with `RedshiftJDBCWrapper.schemaString`."""
    columns = ", ".join(
        f'"{field.name}" {_column_type(field)}{"" if field.nullable else " NOT NULL"}' for field in schema.fields
    )
    return f"CREATE TABLE IF NOT EXISTS {table} ({columns})"


def _unload(spark: Any, frame: Any, temp_dir: str) -> list[Any]:
    """Write the rows under a per-query directory; the Hadoop paths of the files holding rows."""
    directory = temp_dir.rstrip("/") + "/" + str(uuid.uuid4())
    (frame.write.option("escape", '"').option("nullValue", NULL_STRING).option("emptyValue", '""')
     .option("timestampFormat", "yyyy-MM-dd HH:mm:ss.SSSSSS").option("header", "false").csv(directory))
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(directory)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return [status.getPath() for status in fs.listStatus(path)
            if status.getPath().getName().startswith("part-") and status.getLen() > 0]


def write(glue_context: Any, frame: Any, catalog_connection: str, options: Mapping[str, Any], redshift_tmp_dir: str) -> None:
    local = _local.state()
    if catalog_connection not in local.connections:
        raise RuntimeError(f"no Glue connection {catalog_connection!r}; known: {sorted(local.connections)}")
    if not redshift_tmp_dir:
        raise ValueError("redshift_tmp_dir is required for a Redshift write (the connector unloads there first)")
    connection = local.connections[catalog_connection]
    spark = glue_context.spark_session
    dataframe = frame.toDF()
    table = quoted_table(str(options["dbtable"]))
    files = _unload(spark, dataframe, redshift_tmp_dir)
    jvm = spark.sparkContext._jvm
    url = f"{connection.jdbc_url}/{options.get('database', connection.database)}"

    def execute(jdbc: Any, sql: str) -> None:
        local.redshift_statements.append(sql)
        if is_refresh(sql):
            _autocommit(jvm, url, connection, redshift_to_postgres(sql))
            return
        statement = jdbc.createStatement()
        try:
            statement.execute(redshift_to_postgres(sql))
        finally:
            statement.close()

    def actions(text: str) -> list[str]:
        return [action % (table,) if "%s" in action else action for action in split_actions(text)]

    jdbc = _connect(jvm, url, connection)
    try:
        jdbc.setAutoCommit(False)
        execute(jdbc, create_table_sql(table, dataframe.schema))
        for action in actions(str(options.get("preactions", ""))):
            execute(jdbc, action)
        if files:
            copy_manager = jvm.org.postgresql.copy.CopyManager(jdbc)
            fs = files[0].getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
            copy = f"COPY {table} FROM STDIN WITH (FORMAT csv, NULL '{NULL_STRING}')"
            local.redshift_statements.append(f"COPY {table} FROM <{len(files)} unloaded file(s)>")
            for path in files:
                stream = fs.open(path)
                try:
                    copy_manager.copyIn(copy, stream)
                finally:
                    stream.close()
        for action in actions(str(options.get("postactions", ""))):
            execute(jdbc, action)
        if local.faults.take("redshift_load_before_commit"):
            raise _local.InjectedFailure("injected: the Redshift load failed before its commit")
        jdbc.commit()
    except BaseException:
        jdbc.rollback()
        raise
    finally:
        jdbc.close()


def _connect(jvm: Any, url: str, connection: _local.Connection) -> Any:
    """A JDBC connection whose session behaves as Redshift's does (`SESSION_SETTINGS`)."""
    jdbc = jvm.java.sql.DriverManager.getConnection(url, connection.user, connection.password)
    statement = jdbc.createStatement()
    try:
        for setting in SESSION_SETTINGS:
            statement.execute(setting)
    finally:
        statement.close()
    return jdbc


def _autocommit(jvm: Any, url: str, connection: _local.Connection, sql: str) -> None:
    jdbc = _connect(jvm, url, connection)
    try:
        statement = jdbc.createStatement()
        statement.execute(sql)
        statement.close()
    finally:
        jdbc.close()
