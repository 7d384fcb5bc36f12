"""Glue streaming job: Kinesis -> validate/quarantine -> ... -> Parquet lake (+ Redshift on its own cadence).

Thin wiring only: Spark and Glue are imported inside `main`, the logic lives in
platform_etl (shipped with --extra-py-files).
"""
from __future__ import annotations

import sys
from typing import Any

from platform_etl.job_args import STREAMING, JobArgs, from_resolved, required_names
from platform_etl.publish import streaming_batch_key

# Column names differ between Glue connector versions; the first one present wins.
DATA_COLUMNS = ("data", "$json$data_infer_schema$_temporary$")
SHARD_COLUMNS = ("shardId", "shard_id")
SEQUENCE_COLUMNS = ("sequenceNumber", "sequence_number")
ARRIVAL_COLUMNS = ("approximateArrivalTimestamp", "__src_timestamp")


def resolve_args(argv: list[str]) -> tuple[JobArgs, dict[str, Any]]:
    """The validated arguments, and every resolved option (Job.init reads the bookmark option there)."""
    from awsglue.utils import getResolvedOptions

    enabled = getResolvedOptions(argv, ["warehouse_enabled"])["warehouse_enabled"].lower() == "true"
    resolved = getResolvedOptions(argv, required_names(STREAMING, enabled))
    return from_resolved(resolved, STREAMING), resolved


def kinesis_options(args: JobArgs) -> dict[str, str]:
    return {
        "streamARN": str(args.stream_arn),
        "startingPosition": str(args.starting_position),
        # The library validates every record itself; Glue must not guess a schema.
        "inferSchema": "false",
        "classification": "json",
        "addRecordTimestamp": "true",
    }


def main(argv: list[str]) -> None:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    from platform_etl import spark_job

    args, resolved = resolve_args(argv)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    spark_job.configure_session(spark)
    spark_job.configure_logging()
    job = Job(glue_context)
    job.init(args.job_name, resolved)
    runtime = spark_job.start(args)
    spark_job.refresh_references(spark, runtime, spark_job.utc_now())
    spark_job.open_warehouse(spark, glue_context, runtime)
    # What an earlier run left pending is loaded first if it waited long enough (a restart keeps the cadence).
    spark_job.load_warehouse_if_due(runtime, spark_job.utc_now())

    source = glue_context.create_data_frame.from_options(
        connection_type="kinesis", connection_options=kinesis_options(args), transformation_ctx="kinesis_source"
    )
    data = spark_job.optional_column(source, *DATA_COLUMNS)
    if data is None:
        raise RuntimeError(f"the Kinesis source has none of {DATA_COLUMNS}: {source.columns}")
    columns = (spark_job.optional_column(source, *SHARD_COLUMNS), spark_job.optional_column(source, *SEQUENCE_COLUMNS),
               spark_job.optional_column(source, *ARRIVAL_COLUMNS))

    def batch_function(data_frame: Any, batch_id: int) -> None:
        # Glue's wrapper has persisted and counted the batch, and never calls with an empty one.
        raw = spark_job.stream_raw(data_frame, data, *columns)
        batch = spark_job.Batch(streaming_batch_key(spark_job.streaming_query_id(spark), batch_id), (), spark_job.utc_now())
        result = spark_job.process_batch(spark, glue_context, runtime, raw, batch)
        spark_job.mark_committed(spark, args, result.journal)
        spark_job.load_warehouse_if_due(runtime, spark_job.utc_now())

    clock = spark_job.start_load_clock(runtime)
    try:
        glue_context.forEachBatch(
            frame=source,
            batch_function=batch_function,
            options={"windowSize": f"{args.window_seconds} seconds", "checkpointLocation": args.checkpoint_location},
        )
    finally:
        if clock is not None:
            clock.stop()
    job.commit()


if __name__ == "__main__":
    main(sys.argv)
