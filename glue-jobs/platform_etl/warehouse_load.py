"""The warehouse load on its own cadence: the Spark and Glue side of `pending`.

`PendingLoads` is opened once per job run, after start-up (`spark_job.open_warehouse`):
* `recover` lists the job's pending prefix: each marker is a pending batch; a batch directory
  without one is an attempt that stopped half-way, deleted (its re-run writes it again);
* `write` (from `spark_job.process_batch`) replaces one batch's pending rows, then marks them ready;
* `load_if_due` (streaming job: at start, after each batch, and from the `LoadClock` while the stream
  is quiet) and `load_all` (batch job, at the end of its run) load every pending batch at once:
  one read of their rows, the newest per event, one connector write (COPY, newest-wins guard,
  MERGE, one transaction); then, over the connection's JDBC driver, the count of rows the MERGE
  inserted or updated and, only when it is not 0, one REFRESH per view; then the loaded batches'
  markers and rows are deleted. Nothing pending: no statement at all.
A lock serialises writes and loads: the clock's thread and the batch function share them.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any, Optional

from .contract import Contract
from .job_args import JobArgs
from .masking import sql_identifier
from .outputs import derive_sink_columns, spark_ddl_schema
from .pending import (
    BATCH_KEY_COLUMN, ORDER_COLUMNS, RECEIVED_AT_COLUMN, LoadReport, PendingBatch, key_of_marker, load_due, marker_name, orphans,
)
from .warehouse import changed_rows_statement, connector_table, jdbc_url, postactions, preactions, refresh_statements

LOG = logging.getLogger("platform_etl")


class PendingLoads:
    """One job's pending warehouse rows and their loads (see the module docstring)."""

    def __init__(self, spark: Any, glue_context: Any, args: JobArgs, contract: Contract) -> None:
        if contract.warehouse is None or not args.warehouse_pending_path:
            raise ValueError("a warehouse load needs the contract's warehouse section and --warehouse_pending_path")
        self.spark = spark
        self.glue_context = glue_context
        self.args = args
        self.contract = contract
        self.root = args.warehouse_pending_path.rstrip("/") + "/"
        self.interval = timedelta(minutes=args.warehouse_load_interval_minutes or 0)
        self._lock = threading.Lock()
        self._pending: dict[str, PendingBatch] = {}

    # --- pending batches -----------------------------------------------------------------------

    def recover(self) -> "PendingLoads":
        """What earlier runs left: marked batches are pending; unmarked directories are deleted."""
        with self._lock:
            directories, files = self._list()
            for name in files:
                key = key_of_marker(name)
                if key is not None:
                    self._pending[key] = PendingBatch.from_json(self._read_text(self.root + name))
            for name in orphans(directories, self._pending):
                LOG.warning("deleting pending warehouse rows of %s: the attempt that wrote them stopped before it finished", name)
                self._delete(self.root + name, recursive=True)
        return self

    def write(self, rows: Any, key: str, received_at: datetime) -> None:
        """The batch's masked warehouse rows wait for the next load; a re-run of the key replaces them."""
        from pyspark.sql import functions as F

        with self._lock:
            earlier = self._pending.get(key)
            if earlier is not None and earlier.received_at != received_at:
                # A re-run keeps its received time: these are other rows under a used key (a new
                # checkpoint numbers batches from 0 again). What waits under it is loaded first.
                LOG.warning("batch key %s names new rows while rows received %s wait under it: loading them first",
                            key, earlier.received_at.isoformat())
                self._load()
            self._pending.pop(key, None)
            self._delete(self.root + marker_name(key))
            (rows.withColumn(RECEIVED_AT_COLUMN, F.lit(received_at).cast("timestamp")).withColumn(BATCH_KEY_COLUMN, F.lit(key))
             .write.mode("overwrite").parquet(self.root + key))
            batch = PendingBatch(received_at, key)
            self._write_text(self.root + marker_name(key), batch.to_json())
            self._pending[key] = batch

    # --- loads ---------------------------------------------------------------------------------

    def load_if_due(self, now: datetime) -> Optional[LoadReport]:
        """Load everything pending once its oldest batch has waited the job's interval."""
        with self._lock:
            if not load_due(self._pending.values(), self.interval, now):
                return None
            return self._load()

    def load_all(self) -> Optional[LoadReport]:
        """Load everything pending now (the batch job, at the end of its run)."""
        with self._lock:
            if not self._pending:
                return None
            return self._load()

    def _load(self) -> LoadReport:
        batches = sorted(self._pending.values())
        self._merge(self._newest_rows(batches))
        changed, refreshed = self._count_and_refresh()
        # Only now: a stop before this point loads the same batches again, harmlessly (`pending`).
        for batch in batches:
            self._forget(batch)
        report = LoadReport(tuple(batch.key for batch in batches), changed, refreshed)
        LOG.info(report.summary())
        return report

    def _newest_rows(self, batches: list[PendingBatch]) -> Any:
        """The pending rows, one per event: the newest event time, on a tie the later batch."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        columns = derive_sink_columns(self.contract, "warehouse")
        schema = spark_ddl_schema(columns + [(RECEIVED_AT_COLUMN, "timestamp"), (BATCH_KEY_COLUMN, "string")])
        rows = self.spark.read.schema(schema).parquet(*[self.root + batch.key for batch in batches])
        window = Window.partitionBy(sql_identifier(self.contract.event_id_field)).orderBy(
            F.col(sql_identifier(self.contract.event_time_field)).desc(), *[F.col(name).desc() for name in ORDER_COLUMNS]
        )
        return (rows.withColumn("__rank", F.row_number().over(window)).where("__rank = 1")
                .select(*[sql_identifier(name) for name, _ in columns]))

    def _merge(self, rows: Any) -> None:
        """COPY into the job's staging table, the newest-wins guard and the MERGE: one transaction."""
        from awsglue.dynamicframe import DynamicFrame

        contract, args, warehouse = self.contract, self.args, self.contract.warehouse
        assert warehouse is not None  # checked in __init__
        self.glue_context.write_dynamic_frame.from_jdbc_conf(
            frame=DynamicFrame.fromDF(rows, self.glue_context, "warehouse_rows"),
            catalog_connection=args.redshift_connection,
            connection_options={
                "database": args.redshift_database,
                "dbtable": connector_table(warehouse, args.kind),
                "preactions": preactions(warehouse, args.kind),
                "postactions": postactions(warehouse, contract.event_id_field, contract.event_time_field, args.kind),
            },
            redshift_tmp_dir=args.redshift_tmp_dir,
        )

    def _count_and_refresh(self) -> tuple[int, tuple[str, ...]]:
        """After the load committed: the rows its MERGE changed and, when there are any, a REFRESH
        per view, each its own transaction, so that the views see the MERGE."""
        warehouse = self.contract.warehouse
        assert warehouse is not None
        conf = self.glue_context.extract_jdbc_conf(self.args.redshift_connection)
        url = jdbc_url(str(conf["url"]), str(self.args.redshift_database))
        connection = self.spark.sparkContext._jvm.java.sql.DriverManager.getConnection(url, conf["user"], conf["password"])
        try:
            statement = connection.createStatement()
            try:
                result = statement.executeQuery(changed_rows_statement(warehouse, self.args.kind))
                result.next()
                changed = int(result.getLong(1))
            finally:
                statement.close()
            if changed == 0:
                return 0, ()
            for sql in refresh_statements(warehouse):
                statement = connection.createStatement()
                try:
                    statement.execute(sql)
                finally:
                    statement.close()
        finally:
            connection.close()
        return changed, tuple(view.name for view in warehouse.materialized_views)

    def _forget(self, batch: PendingBatch) -> None:
        # The marker first: a stop in between leaves a directory without one, which `recover` deletes.
        self._delete(self.root + marker_name(batch.key))
        self._delete(self.root + batch.key, recursive=True)
        self._pending.pop(batch.key, None)

    # --- files ---------------------------------------------------------------------------------

    def _fs(self, uri: str) -> tuple[Any, Any]:
        path = self.spark.sparkContext._jvm.org.apache.hadoop.fs.Path(uri)
        return path, path.getFileSystem(self.spark.sparkContext._jsc.hadoopConfiguration())

    def _list(self) -> tuple[list[str], list[str]]:
        """(directory names, file names) directly under the pending prefix."""
        path, fs = self._fs(self.root)
        if not fs.exists(path):
            return [], []
        directories, files = [], []
        for status in fs.listStatus(path):
            (directories if status.isDirectory() else files).append(status.getPath().getName())
        return directories, files

    def _read_text(self, uri: str) -> str:
        path, fs = self._fs(uri)
        stream = fs.open(path)
        try:
            return bytes(self.spark.sparkContext._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)).decode("utf-8")
        finally:
            stream.close()

    def _write_text(self, uri: str, text: str) -> None:
        path, fs = self._fs(uri)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def _delete(self, uri: str, recursive: bool = False) -> None:
        path, fs = self._fs(uri)
        fs.delete(path, recursive)
