"""The Spark/Glue side of both jobs: everything that needs a SparkSession.

Spark, Glue and boto3 are imported inside functions only. The decisions live in the pure modules;
this file wires them to DataFrames in the processing order of docs/contract.md:

raw (`raw_input.RAW_SCHEMA`) -> `validate_batch` -> (clean, quarantine) -> de-duplicate -> join
references -> transform -> detect sensitive content -> drop replayed events -> stage lake and
quarantine (less the bad records it already holds) -> journal -> publish -> pending warehouse rows.
The warehouse load runs on its own cadence (`warehouse_load`), with the view refresh after it. A
batch starts no Spark job beyond its writes (the quarantine and lake writes and, when the batch has
warehouse rows, the pending write) and the lake's replay check's one small action, which lists the
partitions the batch writes to (the quarantine's replay check needs none: its partitions are the
batch's received date and the day before).
"""
from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Optional, Sequence

from .aws import put_metrics, read_pepper, read_s3_text
from .contract import Contract, load_contract
from .dedup import ARRIVAL_ORDER_COLUMN
from .ingest import validate_raw_rows
from .job_args import JobArgs, check_against_contract
from .jvm_validation import accept_in_jvm
from .masking import sql_identifier
from .outputs import check_output_columns, derive_sink_columns, events_columns, spark_ddl_schema, spark_type
from .partitions import partition_expressions, partition_path
from .pending import LoadClock, LoadReport
from .publish import (
    JOURNAL_NAME, LAKE_EXTENSION, QUARANTINE_EXTENSION, STAGING_DIRECTORY, Journal, iso_utc, received_time, staged_targets,
    to_rollback,
)
from .quarantine import (
    IDENTITY_SCHEMA, PAYLOAD_HASH, PAYLOADS_ZONE, REPLAY_IDENTITY, ZONE_COLUMN, parsed_line_sql, payload_hash_sql, replay_check_dates,
    zone_lines_sql, zone_of,
)
from .raw_input import ARRIVAL_TIME_PATTERN, RAW_COLUMNS
from .reference import RefreshPolicy, ReferenceDataError, reference_uri
from .sensitive_content import (
    METRIC_NAMESPACE, DetectionReport, counts_expressions, detection_report, findings_expressions, observed_counts,
    sink_expressions,
)
from .sql import EVENTS_VIEW, check_result_columns, check_transform_sql
from .warehouse_load import PendingLoads

LOG = logging.getLogger("platform_etl")
QUARANTINE_PARTITION = "received_date"


@dataclass
class Runtime:
    """What a job knows after start-up; references are refreshed in place."""

    args: JobArgs
    contract: Contract
    pepper: str
    refresh: RefreshPolicy
    references: dict[str, Any] = field(default_factory=dict)  # name -> cached DataFrame
    warehouse: Optional[PendingLoads] = None  # with --warehouse_enabled true, once `open_warehouse` ran


@dataclass(frozen=True)
class Batch:
    """One unit of exactly-once work: a streaming micro-batch or a batch-job run."""

    key: str
    inputs: tuple[str, ...]  # the batch job's files (`publish.file_input`); none for a stream
    now: datetime


@dataclass(frozen=True)
class BatchResult:
    """What a batch did, counted by the job (the job's log carries it: `report`)."""

    journal: Journal
    lake_rows: int  # rows published to the lake (= rows loaded into the warehouse)
    quarantined: int  # bad records published to the quarantine
    valid: int = 0  # records that passed validation
    events: int = 0  # valid records left after the in-batch de-duplication
    rejected: int = 0  # records that failed validation (quarantined, or already in the quarantine)
    # Sensitive values found in the content of the lake's rows, per entity type (`report_detections`).
    detected: Mapping[str, int] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return self.valid + self.rejected

    @property
    def duplicates_in_batch(self) -> int:
        """Older or repeated versions of an event in the same batch (only the newest is kept)."""
        return self.valid - self.events

    @property
    def replayed(self) -> int:
        """Events already in the lake, with the same id and event time (a replay or a re-send)."""
        return self.events - self.lake_rows

    @property
    def quarantine_replayed(self) -> int:
        """Bad records the quarantine already held, or held earlier in the batch: the same payload
        bytes rejected for the same reason (`drop_replayed_bad_records`)."""
        return self.rejected - self.quarantined

    def report(self) -> dict[str, Any]:
        return {"batch": self.journal.key, "kind": self.journal.kind, "received": self.received, "valid": self.valid,
                "rejected": self.rejected, "quarantined": self.quarantined, "quarantine_replayed": self.quarantine_replayed,
                "duplicates_in_batch": self.duplicates_in_batch, "replayed": self.replayed, "lake_rows": self.lake_rows,
                "detected": dict(self.detected), "published": list(self.journal.published)}


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


def configure_logging() -> None:
    """The job's own messages, each warehouse load's report among them, at INFO on the driver's
    stderr (Glue keeps it in the job's `<prefix>/output` log group)."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.propagate = False
    LOG.setLevel(logging.INFO)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def streaming_query_id(spark: Any) -> str:
    """Inside a `forEachBatch` function: the id of the streaming query running it, which Spark
    keeps in the query's checkpoint (`metadata`) and sets on the thread that runs its batches."""
    query_id = spark.sparkContext.getLocalProperty("sql.streaming.queryId")
    if not query_id:
        raise RuntimeError("no streaming query id: streaming_query_id() is called outside a forEachBatch function")
    return str(query_id)


def optional_column(frame: Any, *candidates: str) -> Optional[str]:
    """The first of `candidates` the source frame has (connector versions name them differently)."""
    return next((name for name in candidates if name in frame.columns), None)


# --- raw input ----------------------------------------------------------------------------------


def stream_raw(frame: Any, data: str, shard: Optional[str], sequence: Optional[str], arrival: Optional[str]) -> Any:
    """A micro-batch of the Kinesis source -> the raw shape. Positions the source lacks stay null."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import NumericType

    def text(name: Optional[str]) -> Any:
        return F.col(sql_identifier(name)).cast("string") if name else F.lit(None).cast("string")

    if arrival is None:
        arrival_time = F.lit(None).cast("string")
    else:
        moment = F.col(sql_identifier(arrival))
        if isinstance(frame.schema[arrival].dataType, NumericType):  # epoch milliseconds
            moment = F.timestamp_millis(moment)
        arrival_time = F.date_format(moment, ARRIVAL_TIME_PATTERN)
    return frame.select(
        F.col(sql_identifier(data)).cast("binary").alias("payload"),
        text(shard).alias("shard_id"),
        text(sequence).alias("sequence_number"),
        arrival_time.alias("arrival_time"),
        F.lit(None).cast("string").alias("file"),
        F.lit(None).cast("bigint").alias("line"),
        F.monotonically_increasing_id().alias("arrival_order"),
    )


# Each raw file is read by one task, whole and in order: no file is split, none shares a task.
_ONE_FILE_PER_TASK = 1 << 50
_ROW_IN_PARTITION = (1 << 33) - 1  # monotonically_increasing_id: partition index << 33 | row number


def configure_file_reads(spark: Any) -> None:
    """Let each raw file be one partition (so its lines keep their numbers) however large it is.

    Spark's file sources split a file above `maxPartitionBytes` and pack small files together up
    to it, counting `openCostInBytes` per file; both this large give every file its own task. A
    task streams its file line by line: a file is never one in-memory record."""
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(_ONE_FILE_PER_TASK))
    spark.conf.set("spark.sql.files.openCostInBytes", str(_ONE_FILE_PER_TASK))


def literal_path(path: str) -> str:
    """A path that Hadoop's glob expansion reads as itself (keys may hold `[`, `*`, `{`, `?`)."""
    return "".join("\\" + char if char in "\\[]{}*?" else char for char in path)


def file_raw(spark: Any, files: Sequence[str]) -> Any:
    """The raw shape of the lines of `files` (gzip read by extension). Lines end in `\\n`; a `\\r`
    before it is not part of the record; whitespace-only lines are not records. Each line keeps its
    number (1-based) and its exact bytes."""
    from pyspark.sql import functions as F

    lines = spark.read.option("lineSep", "\n").text([literal_path(f) for f in files])
    numbered = lines.select(
        F.col("value").cast("binary").alias("bytes"),
        F.input_file_name().alias("uri"),
        F.monotonically_increasing_id().alias("arrival_order"),
    )
    # Spark reports file paths URL-encoded; positions name the object as listed.
    jvm = spark.sparkContext._jvm
    names = {jvm.org.apache.hadoop.fs.Path(path).toUri().toString(): path for path in files}
    file_of = F.create_map(*[F.lit(x) for pair in names.items() for x in pair])
    payload = F.expr("CASE WHEN length(bytes) > 0 AND substring(bytes, -1, 1) = X'0D' "
                     "THEN substring(bytes, 1, length(bytes) - 1) ELSE bytes END")
    return numbered.select(
        payload.alias("payload"),
        F.lit(None).cast("string").alias("shard_id"),
        F.lit(None).cast("string").alias("sequence_number"),
        F.lit(None).cast("string").alias("arrival_time"),
        F.coalesce(F.element_at(file_of, F.col("uri")), F.col("uri")).alias("file"),
        ((F.col("arrival_order").bitwiseAND(F.lit(_ROW_IN_PARTITION))) + 1).alias("line"),
        F.col("arrival_order"),
    ).where(F.length(F.regexp_replace(F.col("payload").cast("string"), "[ \\t\\n\\r\\u000B\\f]", "")) > 0)


# --- validation ---------------------------------------------------------------------------------


def validate_batch(spark: Any, raw: Any, contract: Contract, received_at: datetime) -> tuple[Any, Any]:
    """Raw rows (`raw_input.RAW_SCHEMA`) -> (clean, quarantine).

    `clean` has the contract fields (their Spark types, `outputs.spark_type`) and
    `__arrival_order` BIGINT; `quarantine` has one STRING column `value`, the quarantine JSON line
    (`records.quarantine_record`). Native Spark SQL accepts the records it proves valid
    (`jvm_validation`); only the rest cross into Python workers, where `validate_record` decides
    them and names the reason of each reject. Both frames come from one pass of each kind (lazy
    local checkpoints), so writing both validates each record once."""
    accepted, undecided = accept_in_jvm(raw, contract)
    decided, quarantine = validate_in_python(spark, undecided, contract, received_at)
    # A union belongs to its first frame's session: `spark`'s, where the job registers the views
    # its transform reads (a streaming batch's own frames live in a session of their own).
    return decided.unionByName(accepted), quarantine


def validate_in_python(spark: Any, raw: Any, contract: Contract, received_at: datetime) -> tuple[Any, Any]:
    """`validate_batch` with every record through the pure-Python validator on the executors: the
    definition the JVM path is held to, and what it hands its undecided records to."""
    columns = [(f.name, f.type) for f in contract.fields] + [(ARRIVAL_ORDER_COLUMN, "long")]
    schema = f"clean STRUCT<{spark_ddl_schema(columns).replace('` ', '`: ')}>, value STRING"

    def run(rows: Iterable[Any]) -> Iterable[Any]:
        for clean_row, line in validate_raw_rows(rows, contract, received_at):
            yield clean_row, line

    outcomes = spark.createDataFrame(raw.select(*RAW_COLUMNS).rdd.mapPartitions(run), schema).localCheckpoint(eager=False)
    clean = outcomes.where("clean IS NOT NULL").select("clean.*")
    quarantine = outcomes.where("value IS NOT NULL").select("value")
    return clean, quarantine


# --- references ---------------------------------------------------------------------------------


def _load_reference(spark: Any, contract: Contract, name: str, bucket: str) -> Any:
    from pyspark.sql import functions as F

    reference = next(r for r in contract.references if r.name == name)
    uri = reference_uri(reference, bucket)
    reader = spark.read.option("header", "true").csv(uri) if reference.format == "csv" else spark.read.json(uri)
    key = F.col(sql_identifier(reference.reference_key)).cast("string")
    # A row without a key never matches an event (null = anything is not true): it is left out,
    # and rows without a key are not duplicates of each other (as in `reference.index_reference`).
    frame = reader.where(key.isNotNull()).select(
        key.alias(reference.reference_key),
        *[F.col(sql_identifier(c.name)).cast(spark_type(c.type)).alias(c.name) for c in reference.columns],
    ).cache()
    counts = frame.agg(F.count(F.lit(1)).alias("rows"), F.countDistinct(reference.reference_key).alias("keys")).first()
    if counts["rows"] != counts["keys"]:
        raise ReferenceDataError(f"reference {name!r} at {uri}: {counts['rows'] - counts['keys']} duplicate key(s)")
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


# --- per batch ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class FreshEvents:
    """The batch's events that are not in the lake yet (`frame`, persisted: unpersist it), and how
    many events the batch had before that check."""

    frame: Any
    events: int


def drop_replayed_events(spark: Any, events: Any, contract: Contract, outputs: "Outputs") -> FreshEvents:
    """Drops the events the lake already holds: same event id and same event time.

    An event sent again in a later batch, a stream read again from an earlier position, a file
    given to the batch job again under another name: each would otherwise be a second lake row.
    A newer version (same id, later time) is a new row: the lake keeps every version, the
    warehouse the newest. Cheap because the lake is partitioned by event time: one small action
    lists the partitions the batch writes to (and counts its events), then only the id and time
    columns of the files published there are read. The files are listed once, so the result is
    the same however often Spark evaluates it (this batch's own files are published later).
    Files that disappear meanwhile (another job rolling back a failed batch) are skipped."""
    keys = list(contract.lake.partition_keys)
    per_partition = events.selectExpr(*partition_expressions(contract.event_time_field, keys)).groupBy(*keys).count().collect()
    total = sum(int(row["count"]) for row in per_partition)
    files = outputs.published_lake_files(partition_path(row.asDict(), keys) for row in per_partition)
    if not files:
        return FreshEvents(events.persist(), total)
    identity = [contract.event_id_field, contract.event_time_field]
    schema = spark_ddl_schema([(f.name, f.type) for f in contract.fields if f.name in identity])
    existing = spark.read.schema(schema).option("ignoreMissingFiles", "true").parquet(*[literal_path(f) for f in files])
    return FreshEvents(events.join(existing, identity, "left_anti").persist(), total)


# --- sensitive data in content -------------------------------------------------------------------


def detect_sensitive_content(frame: Any, contract: Contract) -> Any:
    """Adds, for every scanned column, its findings and their counts per entity (hidden `__pii_*`
    columns the sinks' expressions and the batch's report read; no sink writes them). Two
    projections, so each column's patterns run once per row."""
    return frame.selectExpr("*", *findings_expressions(contract)).selectExpr("*", *counts_expressions(contract))


def _report_log() -> logging.Logger:
    """The detection report's logger: one JSON line per batch on stdout (the job's output log group)."""
    log = logging.getLogger("platform_etl.detection")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def report_detections(runtime: Runtime, batch: Batch, rows: int, observed: Any) -> DetectionReport:
    """What the batch found, without what it was: the job's log and CloudWatch. A metric that cannot
    be sent is logged, never fails the batch (the log line has the same counts)."""
    report = detection_report(runtime.contract, runtime.args.kind, batch.key, rows, observed)
    _report_log().log(logging.WARNING if report.unexpected_total else logging.INFO, json.dumps(report.log_record(), sort_keys=True))
    try:
        put_metrics(METRIC_NAMESPACE, report.metric_data())
    except Exception:  # noqa: BLE001 (any failure of the metrics call)
        LOG.exception("could not publish the detection metrics of batch %s", batch.key)
    return report


class Outputs:
    """The job's lake and quarantine locations, its staging directories and its journal."""

    def __init__(self, spark: Any, args: JobArgs) -> None:
        self.spark = spark
        self.kind = args.kind
        staging = f"{STAGING_DIRECTORY}/{args.kind}/"
        self.lake = args.curated_path.rstrip("/") + "/"
        self.quarantine = args.quarantine_path.rstrip("/") + "/"
        self.payloads = args.quarantine_payload_path.rstrip("/") + "/"
        self.lake_staging = self.lake + staging + "lake/"
        # Both quarantine zones are staged under the restricted prefix: raw payloads never sit where analysts read.
        self.quarantine_staging = self.payloads + staging + "quarantine/"
        self.journal = self.lake + staging + JOURNAL_NAME

    def _fs(self, uri: str) -> tuple[Any, Any]:
        path = self.spark.sparkContext._jvm.org.apache.hadoop.fs.Path(uri)
        return path, path.getFileSystem(self.spark.sparkContext._jsc.hadoopConfiguration())

    def read_journal(self) -> Optional[Journal]:
        path, fs = self._fs(self.journal)
        if not fs.exists(path):
            return None
        stream = fs.open(path)
        try:
            data = self.spark.sparkContext._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)
        finally:
            stream.close()
        return Journal.from_json(bytes(data).decode("utf-8"))

    def write_journal(self, journal: Journal) -> None:
        path, fs = self._fs(self.journal)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(journal.to_json().encode("utf-8")))
        finally:
            stream.close()

    def delete(self, uris: Iterable[str]) -> None:
        for uri in uris:
            path, fs = self._fs(uri)
            fs.delete(path, False)

    def staged_files(self, root: str) -> list[str]:
        """Paths relative to `root` of every file under it."""
        path, fs = self._fs(root)
        if not fs.exists(path):
            return []
        base = fs.makeQualified(path).toUri().getPath().rstrip("/") + "/"
        files, iterator = [], fs.listFiles(path, True)
        while iterator.hasNext():
            files.append(iterator.next().getPath().toUri().getPath()[len(base):])
        return files

    def published_lake_files(self, partitions: Iterable[str]) -> list[str]:
        """The lake files published in these partition directories (relative paths; "" is the lake itself)."""
        files = []
        for partition in partitions:
            path, fs = self._fs(self.lake + partition)
            if fs.exists(path):
                files += [status.getPath().toString() for status in fs.listStatus(path)
                          if status.isFile() and status.getPath().getName().endswith(LAKE_EXTENSION)
                          and not status.getPath().getName().startswith(("_", "."))]
        return files

    def published_quarantine_days(self, days: Iterable[str]) -> list[str]:
        """The analyst-facing quarantine's partition directories of these received dates that exist."""
        directories = []
        for day in days:
            path, fs = self._fs(f"{self.quarantine}received_date={day}")
            if fs.exists(path):
                directories.append(path.toString())
        return directories

    def plan(self, key: str) -> list[tuple[str, str]]:
        """(staged URI, published URI) of the batch's lake and quarantine files."""
        moves = [(self.lake_staging + staged, self.lake + published)
                 for staged, published in staged_targets(self.staged_files(self.lake_staging), self.kind, key, LAKE_EXTENSION)]
        for staged, published in staged_targets(self.staged_files(self.quarantine_staging), self.kind, key, QUARANTINE_EXTENSION):
            zone, within = zone_of(published)
            moves.append((self.quarantine_staging + staged, (self.payloads if zone == PAYLOADS_ZONE else self.quarantine) + within))
        return moves

    def publish(self, moves: Sequence[tuple[str, str]]) -> None:
        for staged, published in moves:
            source, fs = self._fs(staged)
            target, _ = self._fs(published)
            fs.mkdirs(target.getParent())
            fs.delete(target, False)
            if not fs.rename(source, target):
                raise IOError(f"could not publish {staged} as {published}")


# Of two arrivals of a bad record in one batch, the first is kept: by arrival time, then stream
# position (sequence numbers are decimal strings: shorter is smaller), then file and line.
_FIRST_ARRIVAL = ("named_struct('arrival', __line.position.arrival_time, 'shard', __line.position.shard_id, "
                  "'digits', length(__line.position.sequence_number), 'sequence', __line.position.sequence_number, "
                  "'file', __line.position.file, 'line', __line.position.line)")


def drop_replayed_bad_records(spark: Any, quarantine: Any, pepper: str, outputs: Outputs, received_at: datetime) -> Any:
    """Validator lines (`value`) -> those whose bad record the quarantine does not hold yet, with
    their `payload_hash` (`quarantine.py`).

    A bad record is its payload's exact bytes and its reason (`REPLAY_IDENTITY`): sent again, in
    this batch or a later one, read again from the stream with a new checkpoint, or given to the
    batch job again in a copied file, it is the same record and is quarantined once, at its first
    arrival (the lake drops replayed events the same way, `drop_replayed_events`). Two different
    payloads never share a hash; the same payload rejected for another reason (the contract
    changed) is quarantined again. The check reads the `payload_hash` and `reason` of the
    analyst-facing lines published on the batch's received date and the day before
    (`replay_check_dates`): no Spark action of its own, the directories are listed on the driver
    and read in the quarantine's write. A replay received later than that is quarantined again,
    with its own received time and position. This batch's own lines are published later; a retried
    batch deleted what its earlier attempt published before it got here (`publish.to_rollback`)."""
    from pyspark.sql import functions as F

    identified = (quarantine.selectExpr("value", f"{parsed_line_sql('value')} AS __line")
                  .selectExpr("value", "__line.reason AS reason", f"{payload_hash_sql('__line', pepper)} AS {PAYLOAD_HASH}",
                              f"{_FIRST_ARRIVAL} AS __arrival"))
    first = identified.groupBy(*REPLAY_IDENTITY).agg(F.min_by("value", "__arrival").alias("value"))
    days = [day.isoformat() for day in replay_check_dates(received_at.astimezone(timezone.utc).date())]
    directories = outputs.published_quarantine_days(days)
    if not directories:
        return first
    held = (spark.read.schema(IDENTITY_SCHEMA).option("pathGlobFilter", f"*{QUARANTINE_EXTENSION}")
            .option("ignoreMissingFiles", "true").json([literal_path(d) for d in directories]))
    return first.join(held, list(REPLAY_IDENTITY), "left_anti")


def stage_quarantine(quarantine: Any, runtime: Runtime, outputs: Outputs, received_at: datetime, published: Any) -> None:
    """Each validator line of a bad record the quarantine does not hold yet becomes its
    analyst-facing row and its restricted row (`quarantine.py`), staged together by zone and
    received date in one write; `published` observes how many bad records that is."""
    from pyspark.sql import functions as F

    fresh = drop_replayed_bad_records(outputs.spark, quarantine, runtime.pepper, outputs, received_at)
    (fresh.observe(published, F.count(F.lit(1)).alias("rows"))
     .selectExpr(zone_lines_sql(runtime.contract, runtime.pepper))
     .withColumn(QUARANTINE_PARTITION, F.lit(received_at.strftime("%Y-%m-%d")))
     .write.mode("overwrite").partitionBy(ZONE_COLUMN, QUARANTINE_PARTITION).text(outputs.quarantine_staging))


def process_batch(spark: Any, glue_context: Any, runtime: Runtime, raw: Any, batch: Batch) -> BatchResult:
    """Steps 1-8 for one batch of raw rows, exactly once per batch key (see `publish`)."""
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    contract, args = runtime.contract, runtime.args
    outputs = Outputs(spark, args)
    previous = outputs.read_journal()
    outputs.delete(to_rollback(previous, batch.key, batch.inputs))
    received_at = received_time(previous, batch.key, batch.now)
    refresh_references(spark, runtime, batch.now)

    clean, quarantine = validate_batch(spark, raw, contract, received_at)
    rejected, quarantined = Observation(f"rejected_{args.kind}_{batch.key}"), Observation(f"quarantined_{args.kind}_{batch.key}")
    stage_quarantine(quarantine.observe(rejected, F.count(F.lit(1)).alias("rows")), runtime, outputs, received_at, quarantined)

    valid = Observation(f"valid_{args.kind}_{batch.key}")
    transformed = _apply_transform(spark, _join_references(_deduplicate(clean.observe(valid, F.count(F.lit(1)).alias("rows")), contract),
                                                           runtime), runtime)
    result = detect_sensitive_content(transformed, contract).persist()
    fresh = FreshEvents(result, 0)
    try:
        fresh = drop_replayed_events(spark, result, contract, outputs)
        lake_columns = [name for name, _ in derive_sink_columns(contract, "lake")]
        written = Observation(f"lake_{args.kind}_{batch.key}")
        (fresh.frame.observe(written, F.count(F.lit(1)).alias("rows"), *[F.expr(e) for e in observed_counts(contract)])
         .selectExpr(*sink_expressions(lake_columns, contract, "lake", runtime.pepper),
                     *partition_expressions(contract.event_time_field, contract.lake.partition_keys))
         .write.mode("overwrite").partitionBy(*contract.lake.partition_keys).parquet(outputs.lake_staging))
        lake_rows = int(written.get["rows"])
        detected = report_detections(runtime, batch, lake_rows, written.get).per_entity if lake_rows > 0 else {}

        moves = outputs.plan(batch.key)
        journal = Journal(args.kind, batch.key, iso_utc(received_at), batch.inputs, tuple(target for _, target in moves))
        outputs.write_journal(journal)
        outputs.publish(moves)
        # Nothing pending, so nothing to load, for a batch without warehouse rows (the lake and
        # the warehouse hold the same events).
        if args.warehouse_enabled and lake_rows > 0:
            _write_warehouse_pending(fresh.frame, runtime, batch.key, received_at)
    finally:
        fresh.frame.unpersist()
        result.unpersist()
    # A batch without events: Spark may prune the empty plan with its observation, which then never
    # reports (Observation.get would wait forever); no event after de-duplication means no valid record.
    valid_records = int(valid.get["rows"]) if fresh.events > 0 else 0
    outcome = BatchResult(journal, lake_rows, int(quarantined.get["rows"]), valid_records, fresh.events, int(rejected.get["rows"]),
                          {entity: count for entity, count in detected.items() if count})
    LOG.info("batch %s: %s", batch.key, json.dumps(outcome.report()), extra={"batch_report": outcome.report()})
    return outcome


def mark_committed(spark: Any, args: JobArgs, journal: Journal) -> None:
    """The batch is done for good (its checkpoint or bookmark moved past it)."""
    Outputs(spark, args).write_journal(journal.marked_committed())


def settle_previous(spark: Any, args: JobArgs, listed_inputs: Sequence[str]) -> None:
    """A run with nothing to process still settles an earlier run that committed its bookmark
    but stopped before it marked its journal (its inputs are not listed any more)."""
    outputs = Outputs(spark, args)
    previous = outputs.read_journal()
    if previous is not None and not previous.committed and not to_rollback(previous, "", listed_inputs):
        outputs.write_journal(previous.marked_committed())


def _write_warehouse_pending(result: Any, runtime: Runtime, key: str, received_at: datetime) -> None:
    """The batch's masked warehouse rows wait for the next load (`warehouse_load`)."""
    contract = runtime.contract
    if runtime.warehouse is None:
        raise RuntimeError("--warehouse_enabled is true but the warehouse was not opened (spark_job.open_warehouse)")
    columns = [name for name, _ in derive_sink_columns(contract, "warehouse")]
    rows = result.selectExpr(*sink_expressions(columns, contract, "warehouse", runtime.pepper))
    runtime.warehouse.write(rows, key, received_at)


# --- the warehouse load's cadence ----------------------------------------------------------------


def open_warehouse(spark: Any, glue_context: Any, runtime: Runtime) -> None:
    """With `--warehouse_enabled true`: take over what earlier runs left pending (see `pending`)."""
    if runtime.args.warehouse_enabled:
        runtime.warehouse = PendingLoads(spark, glue_context, runtime.args, runtime.contract).recover()


def load_warehouse_if_due(runtime: Runtime, now: datetime) -> Optional[LoadReport]:
    """The streaming job's load: everything pending, once the oldest batch waited the interval."""
    return runtime.warehouse.load_if_due(now) if runtime.warehouse is not None else None


def load_warehouse(runtime: Runtime) -> Optional[LoadReport]:
    """The batch job's load, at the end of its run: everything pending."""
    return runtime.warehouse.load_all() if runtime.warehouse is not None else None


def start_load_clock(runtime: Runtime) -> Optional[LoadClock]:
    """A quiet stream runs no batch: the clock loads what is pending once it is due."""
    if runtime.warehouse is None:
        return None
    return LoadClock(lambda: load_warehouse_if_due(runtime, utc_now())).start()
