"""The Spark/Glue side of both jobs: everything that needs a SparkSession.

Spark, Glue and boto3 are imported inside functions only. The decisions live
in the pure modules; this file wires them to DataFrames in the processing
order of docs/contract.md.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from .aws import read_pepper, read_s3_text
from .contract import Contract, load_contract
from .dedup import ARRIVAL_ORDER_COLUMN
from .ingest import Outcome, validate_partition
from .job_args import JobArgs, check_against_contract
from .masking import sink_select_expressions, sql_identifier
from .outputs import check_output_columns, derive_sink_columns, events_columns, spark_ddl_schema, spark_type
from .partitions import partition_expressions
from .reference import RefreshPolicy, ReferenceDataError, reference_uri
from .sql import EVENTS_VIEW, check_result_columns, check_transform_sql
from .warehouse import postactions, preactions

LOG = logging.getLogger("platform_etl")


@dataclass
class Runtime:
    """What a job knows after start-up; references are refreshed in place."""

    args: JobArgs
    contract: Contract
    pepper: str
    refresh: RefreshPolicy
    references: dict[str, Any] = field(default_factory=dict)  # name -> cached DataFrame


def start(args: JobArgs) -> Runtime:
    """Load and cross-check everything before reading a single record: fail fast."""
    contract = load_contract(read_s3_text(args.contract_uri))
    check_against_contract(args, contract.pipeline, contract.warehouse is not None)
    check_output_columns(contract)
    if contract.transform is not None:
        check_transform_sql(contract.transform.sql, [r.name for r in contract.references])
    return Runtime(args, contract, read_pepper(args.pepper_secret_id), RefreshPolicy(args.reference_refresh_minutes))


def configure_session(spark: Any) -> None:
    # Partition values and timestamp rendering are defined in UTC.
    spark.conf.set("spark.sql.session.timeZone", "UTC")


# --- references ---------------------------------------------------------------------------


def _load_reference(spark: Any, contract: Contract, name: str, bucket: str) -> Any:
    from pyspark.sql import functions as F

    reference = next(r for r in contract.references if r.name == name)
    uri = reference_uri(reference, bucket)
    reader = spark.read.option("header", "true").csv(uri) if reference.format == "csv" else spark.read.json(uri)
    frame = reader.select(
        F.col(sql_identifier(reference.reference_key)).cast("string").alias(reference.reference_key),
        *[F.col(sql_identifier(c.name)).cast(spark_type(c.type)).alias(c.name) for c in reference.columns],
    ).cache()
    total = frame.count()
    distinct = frame.select(reference.reference_key).distinct().count()
    if total != distinct:
        raise ReferenceDataError(f"reference {name!r} at {uri}: {total - distinct} duplicate key(s)")
    return frame


def refresh_references(spark: Any, runtime: Runtime, now: datetime) -> None:
    """(Re)load every reference when due; a failed reload keeps the last good copy."""
    if not runtime.contract.references or not runtime.refresh.is_due(now):
        return
    try:
        fresh = {r.name: _load_reference(spark, runtime.contract, r.name, runtime.args.reference_bucket)
                 for r in runtime.contract.references}
    except Exception:
        if not runtime.refresh.record_failure(now):
            raise
        LOG.exception("reference reload failed; keeping the copy loaded at %s", runtime.refresh.loaded_at)
        return
    for old in runtime.references.values():
        old.unpersist()
    runtime.references = fresh
    runtime.refresh.record_load(now)


def _join_references(events: Any, runtime: Runtime) -> Any:
    from pyspark.sql import functions as F

    for reference in runtime.contract.references:
        key_alias = f"__ref_key_{reference.name}"
        added = runtime.references[reference.name].select(
            F.col(sql_identifier(reference.reference_key)).alias(key_alias),
            *[F.col(sql_identifier(c.name)).alias(c.as_name) for c in reference.columns],
        )
        condition = F.col(sql_identifier(reference.event_key)).cast("string") == F.col(key_alias)
        events = events.join(F.broadcast(added), condition, "left").drop(key_alias)
    return events


# --- per batch ----------------------------------------------------------------------------


def _split_outcomes(spark: Any, outcomes: Any, contract: Contract) -> tuple[Any, Any]:
    """RDD of outcomes -> (clean DataFrame with arrival order, quarantine DataFrame of JSON lines)."""
    columns = [(f.name, f.type) for f in contract.fields] + [(ARRIVAL_ORDER_COLUMN, "long")]
    clean = spark.createDataFrame(outcomes.filter(lambda o: o[0] is not None).map(lambda o: o[0]),
                                  spark_ddl_schema(columns))
    rejected = spark.createDataFrame(outcomes.filter(lambda o: o[1] is not None).map(lambda o: (o[1],)),
                                     "value STRING")
    return clean, rejected


def _write_quarantine(rejected: Any, runtime: Runtime, received_at: datetime) -> None:
    from pyspark.sql import functions as F

    (rejected.withColumn("received_date", F.lit(received_at.strftime("%Y-%m-%d")))
     .write.mode("append").partitionBy("received_date").text(runtime.args.quarantine_path))


def _deduplicate(clean: Any, contract: Contract) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    window = Window.partitionBy(sql_identifier(contract.event_id_field)).orderBy(
        F.col(sql_identifier(contract.event_time_field)).desc(), F.col(ARRIVAL_ORDER_COLUMN).asc()
    )
    return clean.withColumn("__rank", F.row_number().over(window)).where("__rank = 1").drop("__rank", ARRIVAL_ORDER_COLUMN)


def _apply_transform(spark: Any, events: Any, runtime: Runtime) -> Any:
    from pyspark.sql import functions as F

    contract = runtime.contract
    events.createOrReplaceTempView(EVENTS_VIEW)
    for name, frame in runtime.references.items():
        frame.createOrReplaceTempView(name)
    if contract.transform is None:
        return events
    result = spark.sql(contract.transform.sql)
    check_result_columns(result.columns, [c.name for c in events_columns(contract)],
                         [c.name for c in contract.transform.columns])
    for column in contract.transform.columns:  # pin the declared types
        result = result.withColumn(column.name, F.col(sql_identifier(column.name)).cast(spark_type(column.type)))
    return result


def process_batch(spark: Any, glue_context: Any, runtime: Runtime, outcomes: Any, received_at: datetime) -> None:
    """Steps 1-8 for one batch of validated outcomes (an RDD of `Outcome`)."""
    contract = runtime.contract
    outcomes = outcomes.cache()
    try:
        clean, rejected = _split_outcomes(spark, outcomes, contract)
        _write_quarantine(rejected, runtime, received_at)
        refresh_references(spark, runtime, received_at)
        events = _join_references(_deduplicate(clean, contract), runtime)
        result = _apply_transform(spark, events, runtime).cache()
        _write_lake(result, runtime)
        if runtime.args.warehouse_enabled:
            _write_warehouse(glue_context, result, runtime)
        result.unpersist()
    finally:
        outcomes.unpersist()


def _write_lake(result: Any, runtime: Runtime) -> None:
    contract = runtime.contract
    columns = [name for name, _ in derive_sink_columns(contract, "lake")]
    lake = result.selectExpr(
        *sink_select_expressions(columns, contract, "lake", runtime.pepper),
        *partition_expressions(contract.event_time_field, contract.lake.partition_keys),
    )
    lake.write.mode("append").partitionBy(*contract.lake.partition_keys).parquet(runtime.args.curated_path)


def _write_warehouse(glue_context: Any, result: Any, runtime: Runtime) -> None:
    from awsglue.dynamicframe import DynamicFrame

    contract, args = runtime.contract, runtime.args
    warehouse = contract.warehouse
    assert warehouse is not None  # checked at start
    columns = [name for name, _ in derive_sink_columns(contract, "warehouse")]
    rows = result.selectExpr(*sink_select_expressions(columns, contract, "warehouse", runtime.pepper))
    glue_context.write_dynamic_frame.from_jdbc_conf(
        frame=DynamicFrame.fromDF(rows, glue_context, "warehouse_rows"),
        catalog_connection=args.redshift_connection,
        connection_options={
            "database": args.redshift_database,
            "dbtable": f"{warehouse.schema}.{warehouse.staging_table}",
            "preactions": preactions(warehouse),
            "postactions": postactions(warehouse, contract.event_id_field),
        },
        redshift_tmp_dir=args.redshift_tmp_dir,
    )


def validate_rdd(raw: Any, contract: Contract, received_at: datetime) -> Any:
    """RDD of (payload, position) -> RDD of outcomes, validated by the pure library."""
    def run(index: int, records: Iterable[Any]) -> Iterable[Outcome]:
        return validate_partition(index, records, contract, received_at)

    return raw.mapPartitionsWithIndex(run)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def optional_column(frame: Any, *candidates: str) -> Optional[str]:
    """The first of `candidates` the source frame has (connector versions name them differently)."""
    return next((name for name in candidates if name in frame.columns), None)
