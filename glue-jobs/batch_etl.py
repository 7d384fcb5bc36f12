"""Glue batch job: JSON-lines files under --raw_path -> same steps as streaming.

Job bookmarks (transformation_ctx + job.init/job.commit) decide which files are
new. The bookmarked source is only used to list them: each new file is then
read as bytes so every line keeps its number and non-UTF-8 lines reach the
quarantine intact.
"""
from __future__ import annotations

import sys
from typing import Any, Iterator

from platform_etl.ingest import split_file_lines
from platform_etl.job_args import BATCH, from_resolved, required_names
from platform_etl.records import FilePosition

# A separator that never appears in JSON text and no quoting: one column per
# physical line, so malformed records cannot merge lines while listing.
LISTING_FORMAT_OPTIONS = {"separator": "\u0001", "quoteChar": -1, "withHeader": False, "attachFilename": "source_file"}


def resolve_args(argv: list[str]) -> Any:
    from awsglue.utils import getResolvedOptions

    enabled = getResolvedOptions(argv, ["warehouse_enabled"])["warehouse_enabled"].lower() == "true"
    return from_resolved(getResolvedOptions(argv, required_names(BATCH, enabled)), BATCH)


def file_lines(files: Iterator[tuple[str, bytes]]) -> Iterator[tuple[bytes, FilePosition]]:
    for path, data in files:
        yield from split_file_lines(path, data)


def main(argv: list[str]) -> None:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    from platform_etl import spark_job

    args = resolve_args(argv)
    spark_context = SparkContext.getOrCreate()
    glue_context = GlueContext(spark_context)
    spark = glue_context.spark_session
    spark_job.configure_session(spark)
    job = Job(glue_context)
    job.init(args.job_name, {"JOB_NAME": args.job_name})
    runtime = spark_job.start(args)

    listing = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options={"paths": [args.raw_path], "recurse": True},
        format="csv",
        format_options=LISTING_FORMAT_OPTIONS,
        transformation_ctx="raw_files",
    ).toDF()
    files = sorted(row["source_file"] for row in listing.select("source_file").distinct().collect())
    if files:
        received_at = spark_job.utc_now()
        spark_job.refresh_references(spark, runtime, received_at)
        raw = spark_context.binaryFiles(",".join(files)).mapPartitions(file_lines)
        outcomes = spark_job.validate_rdd(raw, runtime.contract, received_at)
        spark_job.process_batch(spark, glue_context, runtime, outcomes, received_at)
    job.commit()


if __name__ == "__main__":
    main(sys.argv)
