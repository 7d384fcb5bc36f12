"""Glue streaming job: Kinesis -> validate/quarantine -> ... -> Parquet lake (+ Redshift).

Thin wiring only: Spark and Glue are imported inside `main`, the logic lives in
platform_etl (shipped with --extra-py-files).
"""
from __future__ import annotations

import sys
from typing import Any, Iterator, Optional

from platform_etl.job_args import STREAMING, from_resolved, required_names
from platform_etl.records import StreamPosition

# Column names differ between Glue connector versions; the first one present wins.
DATA_COLUMNS = ("data", "$json$data_infer_schema$_temporary$")
SHARD_COLUMNS = ("shardId", "shard_id")
SEQUENCE_COLUMNS = ("sequenceNumber", "sequence_number")
ARRIVAL_COLUMNS = ("approximateArrivalTimestamp", "__src_timestamp")


def resolve_args(argv: list[str]) -> Any:
    from awsglue.utils import getResolvedOptions

    enabled = getResolvedOptions(argv, ["warehouse_enabled"])["warehouse_enabled"].lower() == "true"
    return from_resolved(getResolvedOptions(argv, required_names(STREAMING, enabled)), STREAMING)


def kinesis_options(args: Any) -> dict[str, str]:
    return {
        "streamARN": args.stream_arn,
        "startingPosition": args.starting_position,
        # The library validates every record itself; Glue must not guess a schema.
        "inferSchema": "false",
        "classification": "json",
        "addRecordTimestamp": "true",
    }


def payloads_with_positions(rows: Iterator[Any], columns: dict[str, Optional[str]]) -> Iterator[tuple[Any, StreamPosition]]:
    """Source rows -> (payload, position). Positions missing from the connector stay null."""
    def text(row: Any, name: Optional[str]) -> Optional[str]:
        return None if name is None or row[name] is None else str(row[name])

    for row in rows:
        payload = row[columns["data"]]
        raw = bytes(payload) if isinstance(payload, (bytearray, memoryview)) else payload
        yield raw, StreamPosition(text(row, columns["shard"]), text(row, columns["sequence"]), text(row, columns["arrival"]))


def main(argv: list[str]) -> None:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    from platform_etl import spark_job

    args = resolve_args(argv)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    spark_job.configure_session(spark)
    job = Job(glue_context)
    job.init(args.job_name, {"JOB_NAME": args.job_name})
    runtime = spark_job.start(args)
    spark_job.refresh_references(spark, runtime, spark_job.utc_now())

    source = glue_context.create_data_frame.from_options(
        connection_type="kinesis", connection_options=kinesis_options(args), transformation_ctx="kinesis_source"
    )
    columns = {
        "data": spark_job.optional_column(source, *DATA_COLUMNS),
        "shard": spark_job.optional_column(source, *SHARD_COLUMNS),
        "sequence": spark_job.optional_column(source, *SEQUENCE_COLUMNS),
        "arrival": spark_job.optional_column(source, *ARRIVAL_COLUMNS),
    }
    if columns["data"] is None:
        raise RuntimeError(f"the Kinesis source has none of {DATA_COLUMNS}: {source.columns}")

    def batch_function(data_frame: Any, batch_id: int) -> None:
        if data_frame.rdd.isEmpty():
            return
        received_at = spark_job.utc_now()
        raw = data_frame.rdd.mapPartitions(lambda rows: payloads_with_positions(rows, columns))
        outcomes = spark_job.validate_rdd(raw, runtime.contract, received_at)
        spark_job.process_batch(spark, glue_context, runtime, outcomes, received_at)

    glue_context.forEachBatch(
        frame=source,
        batch_function=batch_function,
        options={"windowSize": f"{args.window_seconds} seconds", "checkpointLocation": args.checkpoint_location},
    )
    job.commit()


if __name__ == "__main__":
    main(sys.argv)
