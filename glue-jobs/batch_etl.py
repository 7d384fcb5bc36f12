"""Glue batch job: JSON-lines files under --raw_path -> same steps as streaming.

Job bookmarks (transformation_ctx + job.init/job.commit) decide which files are new. The
bookmarked source is only used to list them: each new file is then read line by line as bytes, so
every line keeps its number and non-UTF-8 lines reach the quarantine intact.
"""
from __future__ import annotations

import sys
from typing import Any

from platform_etl.job_args import BATCH, JobArgs, from_resolved, required_names
from platform_etl.publish import file_batch_key, file_input

# A separator that never appears in JSON text and no quoting: one column per
# physical line, so malformed records cannot merge lines while listing.
SOURCE_FILE_COLUMN = "source_file"
LISTING_FORMAT_OPTIONS = {"separator": "\u0001", "quoteChar": -1, "withHeader": False, "attachFilename": SOURCE_FILE_COLUMN}


def resolve_args(argv: list[str]) -> tuple[JobArgs, dict[str, Any]]:
    """The validated arguments, and every resolved option (Job.init reads the bookmark option there)."""
    from awsglue.utils import getResolvedOptions

    enabled = getResolvedOptions(argv, ["warehouse_enabled"])["warehouse_enabled"].lower() == "true"
    resolved = getResolvedOptions(argv, required_names(BATCH, enabled))
    return from_resolved(resolved, BATCH), resolved


def new_files(listing: Any) -> list[str]:
    """The files of the bookmarked listing. With nothing new Glue's frame is empty and has no columns."""
    if SOURCE_FILE_COLUMN not in listing.columns:
        return []
    return sorted(row[SOURCE_FILE_COLUMN] for row in listing.select(SOURCE_FILE_COLUMN).distinct().collect())


def file_versions(spark: Any, files: list[str]) -> tuple[str, ...]:
    """Each file with its modification time: a rewritten file is another input."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    versions = []
    for uri in files:
        path = jvm.org.apache.hadoop.fs.Path(uri)
        versions.append(file_input(uri, int(path.getFileSystem(conf).getFileStatus(path).getModificationTime())))
    return tuple(versions)


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
    spark_job.configure_file_reads(spark)
    job = Job(glue_context)
    job.init(args.job_name, resolved)
    runtime = spark_job.start(args)
    spark_job.open_warehouse(spark, glue_context, runtime)

    listing = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options={"paths": [args.raw_path], "recurse": True},
        format="csv",
        format_options=LISTING_FORMAT_OPTIONS,
        transformation_ctx="raw_files",
    ).toDF()
    files = new_files(listing)
    inputs = file_versions(spark, files)
    if not files:
        spark_job.settle_previous(spark, args, inputs)
        spark_job.load_warehouse(runtime)  # rows a run that failed after writing them left pending
        job.commit()
        return
    batch = spark_job.Batch(file_batch_key(inputs), inputs, spark_job.utc_now())
    result = spark_job.process_batch(spark, glue_context, runtime, spark_job.file_raw(spark, files), batch)
    # The batch job runs rarely: it loads what it wrote at once, before its bookmark moves on.
    spark_job.load_warehouse(runtime)
    job.commit()
    spark_job.mark_committed(spark, args, result.journal)


if __name__ == "__main__":
    main(sys.argv)
