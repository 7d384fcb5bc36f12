"""`GlueContext`, for what the platform's jobs call on it.

Read from awslabs/aws-glue-libs `awsglue/context.py` (the glue-4.0/5.0 line, which has
`create_data_frame` and `forEachBatch`):

* `forEachBatch(frame, batch_function, options)`: the wrapper is reproduced line by line:
  `windowSize` and `checkpointLocation` required; each micro-batch is persisted
  (`storageLevel`, default MEMORY_AND_DISK), counted, handed to `batch_function` only when the
  count is > 0, then unpersisted (or, with `persistDataFrame: "false"`, skipped by `take(1)`);
  `batchMaxRetries` (default 3, 0-100) bounds how often the query is started again after it
  failed: each restart resumes from the checkpoint, so the failed batch runs again with the same
  batch id; the retry counter resets once a later batch succeeds; back-off 1 s, 2 s, then 5 s.
  One difference: the query is triggered with `availableNow` instead of `processingTime=windowSize`
  so that it stops once the local stream is drained (a Glue streaming job runs until stopped).
* `create_data_frame.from_options(connection_type="kinesis")`: see `_kinesis`.
* `create_dynamic_frame.from_options(connection_type="s3", format="csv")` with job bookmarks:
  Glue lists the objects under `paths` (`recurse`), and with bookmarks enabled and a
  `transformation_ctx` returns only objects that are new or whose last-modified time changed since
  the last committed run ("For Amazon S3 input sources, AWS Glue job bookmarks check the last
  modified time of the objects", AWS Glue docs); `Job.commit` records them. The CSV format options
  used by the platform are honoured: `separator`, `quoteChar` (-1: no quoting), `withHeader`,
  `attachFilename` (a column with each record's source object). When no object is new the
  DynamicFrame is empty and has no columns, as Glue's is.
* `write_dynamic_frame.from_jdbc_conf`: see `_redshift`.
* `extract_jdbc_conf(name)`: "user", "password", "vendor", "url" (without the database) of the
  catalog connection, plus "fullUrl" with it.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any, Callable, Mapping

from . import _kinesis, _local, _redshift
from .dataframereader import DataFrameReader
from .dynamicframe import DynamicFrame, DynamicFrameReader, DynamicFrameWriter

LOG = logging.getLogger("awsglue")
_GLOB = re.compile(r"([\\\[\]{}*?])")


def _spark_work(spark: Any) -> tuple[dict[int, int], int]:
    """({SQL execution id: its job count}, jobs started) so far: what the suite counts per batch.

    Jobs started is the next job id (ids are given in order): the status store keeps only the last
    `spark.ui.retainedJobs` jobs and drops the oldest in chunks, so its size is no counter."""
    sc = spark.sparkContext
    sc._jsc.sc().listenerBus().waitUntilEmpty()
    jvm = sc._jvm
    executions = jvm.scala.collection.JavaConverters.seqAsJavaList(spark._jsparkSession.sharedState().statusStore().executionsList())
    jobs = sc._jsc.sc().statusStore().jobsList(None)  # newest (highest job id) first
    started = int(jobs.apply(0).jobId()) + 1 if jobs.size() else 0
    return {int(e.executionId()): int(e.jobs().size()) for e in executions}, started


def _literal_path(path: str) -> str:
    """A path Hadoop's glob expansion reads as itself."""
    return _GLOB.sub(r"\\\1", path)


class GlueContext:
    def __init__(self, sparkContext: Any, **options: Any) -> None:  # noqa: N803 (Glue's name)
        from pyspark.sql import SparkSession

        self._sc = sparkContext
        self.spark_session = SparkSession.builder.getOrCreate()
        self.create_dynamic_frame = DynamicFrameReader(self)
        self.create_data_frame = DataFrameReader(self)
        self.write_dynamic_frame = DynamicFrameWriter(self)
        self._job: Any = None
        self._uri_of: dict[str, str] = {}  # listed object path -> the URI string Spark reports for it
        self._kinesis_sources: dict[int, _kinesis.KinesisSource] = {}  # by id() of the frame the job got

    def get_logger(self) -> logging.Logger:
        return LOG

    # --- sources -------------------------------------------------------------------------------

    def create_data_frame_from_options(self, connection_type: str, connection_options: Mapping[str, Any] = {},  # noqa: B006
                                       format: Any = None, format_options: Mapping[str, Any] = {},  # noqa: A002,B006
                                       transformation_ctx: str = "", push_down_predicate: str = "", **kwargs: Any) -> Any:
        if connection_type != "kinesis":
            raise NotImplementedError(f"create_data_frame_from_options({connection_type!r}): the shim models kinesis only")
        root = _local.require(_local.state().root, "state root")
        job = self._job._name if self._job is not None and self._job._name else "job"
        stream = _kinesis.stream_name(str(connection_options.get("streamARN", "")))
        source = _kinesis.KinesisSource(self.spark_session, connection_options,
                                        root / "kinesis" / job / (transformation_ctx or "source") / stream)
        self._kinesis_sources[id(source.frame)] = source
        return source.frame

    def create_dynamic_frame_from_options(self, connection_type: str, connection_options: Mapping[str, Any] = {},  # noqa: B006
                                          format: Any = None, format_options: Mapping[str, Any] = {},  # noqa: A002,B006
                                          transformation_ctx: str = "", push_down_predicate: str = "", **kwargs: Any) -> DynamicFrame:
        if connection_type != "s3" or format != "csv":
            raise NotImplementedError(f"create_dynamic_frame_from_options({connection_type!r}, format={format!r}): the shim models s3 + csv")
        files = self._list(connection_options["paths"], bool(connection_options.get("recurse", False)))
        job = self._job
        seen = job.seen(transformation_ctx) if job is not None and transformation_ctx else {}
        new = {path: mtime for path, mtime in files.items() if seen.get(path) != mtime}
        if job is not None and transformation_ctx:
            job.record(transformation_ctx, new)
        spark = self.spark_session
        if not new:
            return DynamicFrame(spark.createDataFrame([], "struct<>"), self, transformation_ctx)
        return DynamicFrame(self._read_csv(sorted(new), format_options), self, transformation_ctx)

    def _list(self, paths: Any, recurse: bool) -> dict[str, int]:
        """Object path -> last-modified ms, hidden objects (`_`, `.`) skipped as Hadoop input formats do."""
        jvm = self._sc._jvm
        conf = self._sc._jsc.hadoopConfiguration()
        listed: dict[str, int] = {}
        for root in [paths] if isinstance(paths, str) else paths:
            path = jvm.org.apache.hadoop.fs.Path(root)
            fs = path.getFileSystem(conf)
            if not fs.exists(path):
                continue
            iterator = fs.listFiles(path, recurse)
            while iterator.hasNext():
                status = iterator.next()
                name = status.getPath().getName()
                if not name.startswith(("_", ".")):
                    listed[status.getPath().toString()] = int(status.getModificationTime())
                    self._uri_of[status.getPath().toString()] = status.getPath().toUri().toString()
        return listed

    def _read_csv(self, files: list[str], options: Mapping[str, Any]) -> Any:
        from pyspark.sql import functions as F

        spark = self.spark_session
        quote = options.get("quoteChar", '"')
        reader = (spark.read.option("sep", options.get("separator", ","))
                  .option("quote", "\u0000" if quote == -1 else quote)
                  .option("header", "true" if options.get("withHeader", False) else "false"))
        frame = reader.csv([_literal_path(path) for path in files])
        frame = frame.toDF(*[f"col{index}" for index in range(len(frame.columns))])
        column = options.get("attachFilename")
        if column:
            # Spark reports file paths URL-encoded; the attached name is the object's own path.
            encoded = {self._uri_of[path]: path for path in files}
            mapping = F.create_map(*[F.lit(x) for pair in encoded.items() for x in pair])
            frame = frame.withColumn(column, F.element_at(mapping, F.input_file_name()))
        return frame

    # --- sinks ---------------------------------------------------------------------------------

    def write_dynamic_frame_from_jdbc_conf(self, frame: DynamicFrame, catalog_connection: str,
                                           connection_options: Mapping[str, Any] = {}, redshift_tmp_dir: str = "",  # noqa: B006
                                           transformation_ctx: str = "", catalog_id: Any = None) -> None:
        _redshift.write(self, frame, catalog_connection, connection_options, redshift_tmp_dir)

    def extract_jdbc_conf(self, connection_name: str, catalog_id: Any = None) -> dict[str, str]:
        connections = _local.state().connections
        if connection_name not in connections:
            raise RuntimeError(f"no Glue connection {connection_name!r}; known: {sorted(connections)}")
        connection = connections[connection_name]
        _local.state().jdbc_conf_requests.append(connection_name)
        if _local.state().faults.take("extract_jdbc_conf"):
            raise _local.InjectedFailure(f"injected: glue:GetConnection {connection_name} failed")
        return {"url": connection.jdbc_url, "fullUrl": f"{connection.jdbc_url}/{connection.database}",
                "user": connection.user, "password": connection.password, "vendor": connection.vendor}

    # --- streaming -----------------------------------------------------------------------------

    def forEachBatch(self, frame: Any, batch_function: Callable[[Any, int], None], options: Mapping[str, Any] = {}) -> None:  # noqa: N802,B006
        import pyspark

        if "windowSize" not in options:
            raise Exception("Missing windowSize argument")
        if "checkpointLocation" not in options:
            raise Exception("Missing checkpointLocation argument")
        checkpoint = options["checkpointLocation"]
        run = {"value": 0}
        retry_attempt = {"value": 0}

        def batch_function_with_persist(data_frame: Any, batch_id: int) -> None:
            if run["value"] > retry_attempt["value"]:  # the previous batch succeeded
                run["value"] = 0
                if retry_attempt["value"] > 0:
                    retry_attempt["value"] = 0
                    LOG.warning("The batch is now succeeded. Resetting retry attempt counter to zero.")
            run["value"] += 1
            if str(options.get("persistDataFrame", "true")).lower() == "false":
                if len(data_frame.take(1)):
                    batch_function(data_frame, batch_id)
            else:
                storage_level = str(options.get("storageLevel", "MEMORY_AND_DISK")).upper()
                data_frame.persist(getattr(pyspark.StorageLevel, storage_level))
                num_records = data_frame.count()
                if num_records > 0:
                    _local.state().batch_records.append((batch_id, num_records))
                    before = _spark_work(self.spark_session)
                    try:
                        batch_function(data_frame, batch_id)
                    finally:
                        after = _spark_work(self.spark_session)
                        started = {execution: jobs for execution, jobs in after[0].items() if execution not in before[0]}
                        # Commands such as CREATE VIEW are executions without jobs: not actions.
                        actions = sum(1 for jobs in started.values() if jobs > 0)
                        new_jobs = after[1] - before[1]
                        jobs_in_actions = sum(started.values())
                        _local.state().batch_spark_work.append((batch_id, actions, new_jobs - jobs_in_actions))
                data_frame.unpersist()

        local = _local.state()
        source = self._kinesis_sources.get(id(frame))
        if source is not None:
            source.bind(checkpoint)
            if local.until_drained:
                source.fetch()
        writer = frame.writeStream.foreachBatch(batch_function_with_persist).option("checkpointLocation", checkpoint)
        writer = writer.trigger(availableNow=True) if local.until_drained else writer.trigger(processingTime=options["windowSize"])
        batch_max_retries = int(options.get("batchMaxRetries", 3))
        if batch_max_retries < 0 or batch_max_retries > 100:
            raise ValueError("Please specify the number of retries as an integer in the range of [0, 100].")
        polling = threading.Event()
        if source is not None and not local.until_drained:
            source.poll(polling)
        try:
            while not local.stop_requested.is_set():
                query = writer.start()
                local.queries.append(query)
                if local.stop_requested.is_set():  # asked to stop while it started
                    query.stop()
                try:
                    query.awaitTermination()
                    return
                except Exception as error:
                    if local.stop_requested.is_set():
                        return  # stopped while a batch ran: the job ends, the batch is not committed
                    retry_attempt["value"] += 1
                    LOG.warning("StreamingQueryException caught. Retry number %s", retry_attempt["value"])
                    if retry_attempt["value"] > batch_max_retries:
                        LOG.error("Exceeded maximuim number of retries in streaming interval, exception thrown")
                        raise error
                    if local.retry_backoff:
                        time.sleep(retry_attempt["value"] if retry_attempt["value"] < 3 else 5)
                finally:
                    local.queries.remove(query)
        finally:
            polling.set()
