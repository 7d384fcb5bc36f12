"""What detection costs on Spark: `python -m tests.spark.measure_detection [records]` from glue-jobs/
(a measurement, not a test: the Spark suite does not run it).

Generated attendees records (a third with personal data in `notes` and `company`) go through the
job's own steps: validation (`validate_batch`), the reference join, detection, the sinks' masking and
a Parquet write, side by side in one run, three ways: without detection (declared fields masked only,
as before), with detection behind its gate, and with detection and no gate (every value through every
pattern). Each way runs twice; the second run is reported (the first warms the JVM).
"""
from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from typing import Any, Callable

from platform_etl import detection, sensitive_content, spark_job
from platform_etl.contract import load_contract
from platform_etl.masking import sink_select_expressions
from platform_etl.outputs import derive_sink_columns
from platform_etl.partitions import partition_expressions

from glue_local import spark as session
from glue_local.aws import REFERENCE_DATA

from .world import golden_contract

NOTES = ["Great talk, see you next year", "Mail jane.doe@example.com or call +44 20 7946 0958",
         "card 4111 1111 1111 1111 from 203.0.113.7", "dietary: vegetarian", "room 12, floor 3"]


def records(count: int) -> list[bytes]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        out.append(json.dumps({
            "attendee_id": f"a{i}", "email": f"user{i}@example.com", "full_name": "Jane Doe", "phone": "+1 (555) 123-4567",
            "company": rng.choice(["Example Corp", "ACME", "contact sales@example.org"]), "job_title": "Engineer",
            "country_code": rng.choice(["FR", "DE", "GB"]), "registered_at": "2026-03-07T10:00:00Z", "ticket_type": "standard",
            "notes": rng.choice(NOTES),
        }).encode())
    return out


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 300_000
    spark = session.spark()
    spark_job.configure_session(spark)
    contract = load_contract(golden_contract("attendees"))
    raw = spark.createDataFrame([(p, None, None, None, "bench", i + 1, i) for i, p in enumerate(records(count))],
                                "payload BINARY, shard_id STRING, sequence_number STRING, arrival_time STRING, file STRING, line BIGINT, arrival_order BIGINT").persist()
    raw.count()
    countries = spark.read.option("header", "true").csv(str(REFERENCE_DATA / "countries.csv")).selectExpr(
        "code AS __key", "name AS country_name", "region AS country_region").cache()
    countries.count()
    lake_columns = [name for name, _ in derive_sink_columns(contract, "lake")]
    partitions = partition_expressions(contract.event_time_field, contract.lake.partition_keys)
    out = tempfile.mkdtemp(prefix="dp-measure-")

    def run(detect: bool) -> Callable[[], None]:
        def once() -> None:
            clean, _ = spark_job.validate_batch(spark, raw, contract, datetime.now(timezone.utc))
            joined = clean.join(countries.hint("broadcast"), clean["country_code"] == countries["__key"], "left").drop("__key", "__arrival_order")
            if detect:
                frame = spark_job.detect_sensitive_content(joined, contract)
                select = sensitive_content.sink_expressions(lake_columns, contract, "lake", "pepper")
            else:
                frame, select = joined, sink_select_expressions(lake_columns, contract, "lake", "pepper")
            frame.selectExpr(*select, *partitions).write.mode("overwrite").partitionBy(*contract.lake.partition_keys).parquet(out)
        return once

    def timed(label: str, action: Callable[[], None]) -> float:
        action()
        started = time.monotonic()
        action()
        seconds = time.monotonic() - started
        sys.stdout.write(f"{label:<40} {seconds:7.1f} s  {count / seconds:10,.0f} records/s\n")
        return seconds

    sys.stdout.write(f"{count:,} records, validate -> join -> [detect] -> mask -> Parquet, Spark {spark.version}, local[2]\n")
    base = timed("without detection (declared fields only)", run(False))
    gated = timed("with detection, gated", run(True))
    gate = detection.DETECTION_GATE
    detection.DETECTION_GATE = "[^\\u0000]|^"  # every value passes: the patterns' own cost
    try:
        ungated = timed("with detection, no gate", run(True))
    finally:
        detection.DETECTION_GATE = gate
    sys.stdout.write(f"detection costs {100 * (gated - base) / base:+.0f}% gated, {100 * (ungated - base) / base:+.0f}% ungated\n")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
