"""The streaming DataFrame `create_data_frame.from_options(connection_type="kinesis", ...)` returns.

Columns: Glue's Kinesis source is built on the open-source Kinesis source for Spark Structured
Streaming, whose rows are `data` BINARY (the record bytes as put), `streamName`, `partitionKey`,
`sequenceNumber` STRING and `approximateArrivalTimestamp` TIMESTAMP (qubole/kinesis-sql
`KinesisReader.kinesisSchema`, kept by awslabs/spark-sql-kinesis-connector); with
`addRecordTimestamp: "true"` Glue adds `__src_timestamp`, "the time when the corresponding record
received by the stream" (AWS Glue API, `KinesisStreamingSourceOptions.AddRecordTimestamp`). With
`inferSchema: "false"` Glue infers nothing, so the record bytes stay in `data`. No shard id is
exposed by that schema. The rest of the connection options the platform does not use are refused
here, so a job cannot silently depend on behaviour this stand-in does not have.

Delivery: each `LocalKinesis.put_records` call is one file and one micro-batch
(`maxFilesPerTrigger=1`); progress is Spark's own checkpoint (offsets, commits) at the job's
`checkpointLocation`, so a restarted query re-reads exactly the uncommitted batch, as Glue does.
`startingPosition` TRIM_HORIZON/EARLIEST read the stream from its first record.
"""
from __future__ import annotations

from typing import Any, Mapping

from . import _local

RECORD_FILE_SCHEMA = ("data STRING, streamName STRING, partitionKey STRING, sequenceNumber STRING, "
                      "approximateArrivalTimestamp STRING")
MODELLED_OPTIONS = {"streamARN", "startingPosition", "inferSchema", "classification", "addRecordTimestamp"}
STARTING_POSITIONS = {"trim_horizon", "earliest"}


def stream_frame(spark: Any, options: Mapping[str, Any]) -> Any:
    from pyspark.sql import functions as F

    unknown = sorted(set(options) - MODELLED_OPTIONS)
    if unknown:
        raise ValueError(f"Kinesis options {unknown} are not modelled by the Glue shim; modelled: {sorted(MODELLED_OPTIONS)}")
    if str(options.get("inferSchema", "false")).lower() != "false":
        raise ValueError("inferSchema=true is not modelled: the platform validates every record itself")
    position = str(options.get("startingPosition", "")).lower()
    if position not in STARTING_POSITIONS:
        raise ValueError(f"startingPosition {options.get('startingPosition')!r} is not modelled; modelled: {sorted(STARTING_POSITIONS)}")
    kinesis = _local.require(_local.state().kinesis, "Kinesis streams")
    directory = kinesis.stream_directory(str(options["streamARN"]))
    records = spark.readStream.schema(RECORD_FILE_SCHEMA).option("maxFilesPerTrigger", 1).json(directory.as_uri())
    frame = records.select(
        F.unbase64("data").alias("data"),
        "streamName",
        "partitionKey",
        "sequenceNumber",
        F.to_timestamp("approximateArrivalTimestamp").alias("approximateArrivalTimestamp"),
    )
    if str(options.get("addRecordTimestamp", "false")).lower() == "true":
        frame = frame.withColumn("__src_timestamp", F.col("approximateArrivalTimestamp"))
    return frame
