"""Throughput of one batch through validate -> join -> mask -> Parquet, Python validation vs JVM.

    .venv/bin/python glue-jobs/bench/throughput.py [--records N] [--seed S]

(`npm run bench` runs it.)
Generates N realistic `attendees` records once (seeded; about 300 bytes; a few percent bad, as
the producer's `--bad-ratio` makes them), stores them as the raw rows of one batch, then runs the
same batch through two validation paths and the same downstream steps:

* python: `spark_job.validate_in_python`, every record through `validate_record` in a Python
  worker (`ingest.validate_raw_rows`);
* jvm: `spark_job.validate_batch`, what the jobs run: native Spark SQL accepts what it proves
  valid (`jvm_validation`), `validate_in_python` decides the rest.

Each path then writes the quarantine lines and joins the countries reference, masks for the lake
and writes partitioned Parquet with the job's own functions (`spark_job._join_references`,
`spark_job.detect_sensitive_content`, `sensitive_content.sink_expressions`, `partitions.partition_expressions`). Each path runs once to warm up,
then once timed (generation excluded; the Parquet writes included). Not shipped: the Glue job
library is `platform_etl/` alone.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

GLUE_JOBS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(GLUE_JOBS))

from platform_etl import spark_job  # noqa: E402  (the path above makes the library importable)
from platform_etl.contract import Contract, ReferenceLocation, load_contract  # noqa: E402
from platform_etl.dedup import ARRIVAL_ORDER_COLUMN  # noqa: E402
from platform_etl.job_args import BATCH, JobArgs  # noqa: E402
from platform_etl.outputs import derive_sink_columns  # noqa: E402
from platform_etl.partitions import partition_expressions  # noqa: E402
from platform_etl.raw_input import RAW_SCHEMA  # noqa: E402
from platform_etl.sensitive_content import sink_expressions  # noqa: E402
from platform_etl.reference import RefreshPolicy  # noqa: E402

ROOT = GLUE_JOBS.parent
CONTRACT = GLUE_JOBS / "tests" / "golden" / "attendees.contract.json"
COUNTRIES = ROOT / "pipelines" / "reference-data" / "countries.csv"
CORES = 2
RECEIVED_AT = datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc)

# --- realistic records (the vocabulary of tools/producer/vocabulary.ts) ------------------------

FIRST_NAMES = ("Maria", "José", "Aisha", "Wei", "Olivia", "Liam", "Noah", "Emma", "Sofía", "Mateo", "Chloé",
               "Lukas", "Zoë", "Łukasz", "Priya", "Arjun", "Yuki", "Hiroshi", "Fatima", "Omar", "Ingrid", "Sven",
               "João", "Kwame", "Siobhán", "Thandiwe", "Giulia", "Tomás", "Björn", "Ethan")
LAST_NAMES = ("García", "Smith", "Okafor", "Zhang", "Müller", "Rossi", "Dubois", "Kowalski", "Nakamura", "Patel",
              "Hernández", "Johansson", "Silva", "Ibrahim", "O'Brien", "Nguyen", "Kim", "Mensah", "Ivanova",
              "van der Berg", "Wójcik", "Sato", "Lindqvist", "Yilmaz")
COMPANIES = ("Northwind Traders", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella Analytics", "Acme Cloud",
             "Woodgrove Bank", "Adventure Works", "Margie's Travel", "Relecloud", "Fourth Coffee")
JOB_TITLES = ("Data Engineer", "Senior Data Engineer", "Analytics Engineer", "Data Scientist", "Platform Engineer",
              "Solutions Architect", "Engineering Manager", "Head of Data", "Software Engineer", "Student")
TICKET_TYPES = (("standard", 70), ("student", 15), ("speaker", 8), ("sponsor", 7))
PHONE_FORMATS = ("+1 415-555-01##", "+1 (212) 555-01##", "+44 20 7946 0###", "+49 30 123456##",
                 "+33 1 99 00 ## ##", "+81 3-5555-####", "+34 91 555 ## ##")
NOTE_TEMPLATES = ("Vegetarian meal, please.", "Needs step-free access to all rooms.",
                  "Arriving late on day one because of a flight delay.", "Please send the invoice to {email}.",
                  "Best reached on {phone} during the conference.", "Colleague {email} will collect my badge.",
                  "Card on file 4111 1111 1111 1111, invoice to {email}.", "Allergic to peanuts.")
OFFSETS = ("Z", "Z", "Z", "+01:00", "+02:00", "-05:00", "+05:30", "+09:00")
OPTIONAL_NULL_CHANCE = 0.1
EVENT_WINDOW_HOURS = 3
BAD_RATIO = 0.03


def _slug(text: str) -> str:
    return "".join(char for char in text.lower().replace("ł", "l") if char.isascii() and char.isalnum())


def _email(rng: random.Random, first: str, last: str, company: str) -> str:
    return f"{_slug(first)}.{_slug(last)}{rng.randint(1, 99)}@{_slug(company)}.example.com"


def _phone(rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) if char == "#" else char for char in rng.choice(PHONE_FORMATS))


def _timestamp(rng: random.Random, anchor: datetime) -> str:
    # A stream batch holds what was registered shortly before it arrived: a few hour partitions.
    moment = anchor - timedelta(milliseconds=rng.randrange(EVENT_WINDOW_HOURS * 3_600_000))
    offset = rng.choice(OFFSETS)
    if offset == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"  # JS toISOString()
    sign = 1 if offset[0] == "+" else -1
    local = moment + sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return local.strftime("%Y-%m-%dT%H:%M:%S") + offset


def attendee(rng: random.Random, index: int, country_codes: list[str], anchor: datetime) -> dict[str, Any]:
    first, last, company = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(COMPANIES)
    email = _email(rng, first, last, company)
    record: dict[str, Any] = {
        "attendee_id": f"att-{index:08d}",
        "email": email,
        "full_name": f"{first} {last}",
        "phone": _phone(rng),
        "company": company,
        "job_title": rng.choice(JOB_TITLES),
        "country_code": rng.choice(country_codes),
        "registered_at": _timestamp(rng, anchor),
        "ticket_type": rng.choices([name for name, _ in TICKET_TYPES], [weight for _, weight in TICKET_TYPES])[0],
        "notes": rng.choice(NOTE_TEMPLATES).replace("{email}", email).replace("{phone}", _phone(rng)),
    }
    for name in ("phone", "company", "job_title", "notes"):
        if rng.random() < OPTIONAL_NULL_CHANCE:
            record[name] = None
    return record


def _corrupt(rng: random.Random, record: dict[str, Any]) -> bytes:
    """One of the defects the producer's --bad-ratio makes, plus bytes that are not UTF-8."""
    defect = rng.randrange(8)
    record = dict(record)
    if defect == 0:
        return json.dumps(record, ensure_ascii=False)[:-12].encode()  # invalid_json
    if defect == 1:
        record["registered_at"] = record["registered_at"][:19]  # timestamp_without_offset
    elif defect == 2:
        del record["email"]  # missing_required_field
    elif defect == 3:
        record["full_name"] = None  # null_required_field
    elif defect == 4:
        record["ticket_type"] = 3  # wrong_type
    elif defect == 5:
        record["country_code"] = "FRA"  # string_too_long
    elif defect == 6:
        record["referrer"] = "newsletter"  # unknown_field
    else:
        return json.dumps(record, ensure_ascii=False).encode().replace(b"\xc3\xa9", b"\xe9")  # latin-1 bytes
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def generate_records(count: int, seed: int, country_codes: list[str]) -> list[bytes]:
    """`count` payloads as a producer sends them: compact JSON in UTF-8 (JSON.stringify)."""
    rng = random.Random(seed)
    anchor = RECEIVED_AT - timedelta(minutes=1)
    payloads = []
    for index in range(count):
        record = attendee(rng, index, country_codes, anchor)
        if rng.random() < BAD_RATIO:
            payloads.append(_corrupt(rng, record))
        else:
            payloads.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
    return payloads


def country_codes() -> list[str]:
    with COUNTRIES.open(encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)] + ["ZZ"]  # ZZ: joins to nothing


def raw_rows(payloads: list[bytes]) -> Iterator[tuple[Any, ...]]:
    """One Kinesis batch: shard, sequence number and arrival time per record."""
    start = RECEIVED_AT - timedelta(seconds=60)
    for index, payload in enumerate(payloads):
        arrival = (start + timedelta(microseconds=index * 250)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        yield payload, f"shardId-00000000000{index % 4}", f"{49_590_338_271_490_256_608_559_692_538 + index}", arrival, None, None, index


# --- the steps, composed from the job's own functions ----------------------------------------

Validate = Callable[[Any, Any, Contract, datetime], tuple[Any, Any]]


def bench_runtime(spark: Any, contract: Contract) -> spark_job.Runtime:
    """The job's Runtime, with the countries reference read from the repository instead of S3."""
    reference = replace(contract.references[0], location=ReferenceLocation("s3", None, COUNTRIES.as_uri()))
    contract = replace(contract, references=(reference,))
    args = JobArgs(kind=BATCH, job_name="bench", pipeline=contract.pipeline, contract_uri="s3://bench/contract.json",
                   curated_path="", quarantine_path="", quarantine_payload_path="", reference_bucket="bench", pepper_secret_id="bench",
                   warehouse_enabled=False, window_seconds=60, reference_refresh_minutes=60)
    runtime = spark_job.Runtime(args, contract, "bench-pepper", RefreshPolicy(60))
    spark_job.refresh_references(spark, runtime, RECEIVED_AT)
    return runtime


def writing_to(runtime: spark_job.Runtime, out: Path) -> spark_job.Runtime:
    args = replace(runtime.args, curated_path=str(out / "lake"), quarantine_path=str(out / "quarantine"))
    return replace(runtime, args=args)


def release_cached_rdds(spark: Any) -> None:
    """Drop the batch's local checkpoints before the next run (the jobs drop them with the batch)."""
    for rdd in spark.sparkContext._jsc.getPersistentRDDs().values():
        rdd.unpersist()


def write_quarantine(spark: Any, quarantine: Any, runtime: spark_job.Runtime) -> None:
    quarantine.write.mode("append").text(runtime.args.quarantine_path)


def write_lake(spark: Any, clean: Any, runtime: spark_job.Runtime) -> None:
    """join -> detect and mask -> Parquet partitioned by event hour, as the job writes the lake."""
    contract = runtime.contract
    joined = spark_job._join_references(clean.drop(ARRIVAL_ORDER_COLUMN), runtime)
    lake = spark_job.detect_sensitive_content(joined, contract).selectExpr(
        *sink_expressions([name for name, _ in derive_sink_columns(contract, "lake")], contract, "lake", runtime.pepper),
        *partition_expressions(contract.event_time_field, contract.lake.partition_keys),
    )
    lake.write.mode("append").partitionBy(*contract.lake.partition_keys).parquet(runtime.args.curated_path)


def discard(spark: Any, frame: Any, runtime: spark_job.Runtime) -> None:
    """Compute every row and write nothing."""
    frame.write.format("noop").mode("overwrite").save()


Sink = Callable[[Any, Any, spark_job.Runtime], None]


def run_batch(spark: Any, raw: Any, runtime: spark_job.Runtime, validate: Validate,
              quarantine_sink: Sink = write_quarantine, clean_sink: Sink = write_lake) -> None:
    """validate -> quarantine lines; clean rows -> (by default) join -> mask -> partitioned Parquet."""
    clean, quarantine = validate(spark, raw, runtime.contract, RECEIVED_AT)
    quarantine_sink(spark, quarantine, runtime)
    clean_sink(spark, clean, runtime)
    release_cached_rdds(spark)


# --- measuring ---------------------------------------------------------------------------------


def process_tree_cpu_seconds(pid: int) -> Optional[float]:
    """CPU time of a process and its descendants (the JVM and its Python workers), from /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry.name)], ticks[int(entry.name)] = int(fields[1]), int(fields[11]) + int(fields[12])
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += ticks.get(current, 0)
        pending += [child for child, parent in parents.items() if parent == current]
    return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Measurement:
    seconds: float
    cpu_seconds: Optional[float]
    records: int

    @property
    def per_core(self) -> float:
        return self.records / self.seconds / CORES

    @property
    def cpu_micros_per_record(self) -> Optional[float]:
        return None if self.cpu_seconds is None else self.cpu_seconds / self.records * 1e6

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 2), "records_per_second_per_core": round(self.per_core),
                "cpu_us_per_record": None if self.cpu_micros_per_record is None else round(self.cpu_micros_per_record, 1)}


def timed(spark: Any, records: int, work: Path, run: Callable[[Path], None], warm_up: bool = True) -> Measurement:
    """`run` into a fresh output directory (once untimed first, to warm up), wall and CPU time."""
    jvm = spark.sparkContext._gateway.proc.pid
    for attempt in (["warm-up"] if warm_up else []) + ["timed"]:
        out = Path(tempfile.mkdtemp(prefix=f"{attempt}-", dir=work))
        cpu_before, started = process_tree_cpu_seconds(jvm), time.perf_counter()
        run(out)
        seconds, cpu_after = time.perf_counter() - started, process_tree_cpu_seconds(jvm)
        shutil.rmtree(out, ignore_errors=True)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Measurement(seconds, cpu, records)


PATHS: dict[str, Validate] = {"python": spark_job.validate_in_python, "jvm": spark_job.validate_batch}


def measure_all(spark: Any, raw_path: Path, runtime: spark_job.Runtime, records: int, work: Path) -> dict[str, Any]:
    def raw() -> Any:
        return spark.read.parquet(str(raw_path))

    chain = {name: timed(spark, records, work, lambda out, v=validate: run_batch(spark, raw(), writing_to(runtime, out), v))
             for name, validate in PATHS.items()}
    validation = {name: timed(spark, records, work, lambda out, v=validate: run_batch(spark, raw(), runtime, v, discard, discard),
                              warm_up=False)
                  for name, validate in PATHS.items()}
    clean, _ = spark_job.validate_batch(spark, raw(), runtime.contract, RECEIVED_AT)
    clean = clean.cache()
    clean.count()
    downstream = timed(spark, records, work, lambda out: write_lake(spark, clean, writing_to(runtime, out)), warm_up=False)
    clean.unpersist()
    return {"chain": chain, "validation": validation, "downstream": downstream}


def report(results: dict[str, Any], payloads: list[bytes], spark_version: str) -> dict[str, Any]:
    chain, validation, downstream = results["chain"], results["validation"], results["downstream"]
    return {
        "records": len(payloads), "bytes_per_record": round(sum(map(len, payloads)) / len(payloads)), "cores": CORES,
        "spark": spark_version,
        "chain": {name: m.as_dict() for name, m in chain.items()},
        "chain_ratio": round(chain["jvm"].per_core / chain["python"].per_core, 1),
        "validation": {name: m.as_dict() for name, m in validation.items()},
        "validation_ratio": round(validation["jvm"].per_core / validation["python"].per_core, 1),
        "downstream": downstream.as_dict(),
        # However fast validation gets, the chain cannot beat the steps after it.
        "chain_ratio_bound": round(chain["python"].seconds / downstream.seconds, 1),
    }


def print_report(r: dict[str, Any]) -> None:
    def line(label: str, m: dict[str, Any]) -> str:
        cpu = "" if m["cpu_us_per_record"] is None else f", {m['cpu_us_per_record']} µs CPU per record"
        return f"  {label}: {m['seconds']:.2f} s, {m['records_per_second_per_core']:,} records/s/core{cpu}"

    print(f"{r['records']:,} attendees records of {r['bytes_per_record']} bytes on average, {r['cores']} cores, Spark {r['spark']}")
    print("validate -> join -> mask -> Parquet:")
    for name, m in r["chain"].items():
        print(line(f"{name} validation", m))
    print(f"  jvm / python: {r['chain_ratio']}x")
    print("validation alone (both results computed, nothing written):")
    for name, m in r["validation"].items():
        print(line(name, m))
    print(f"  jvm / python: {r['validation_ratio']}x")
    print(line("join -> mask -> Parquet alone, from validated rows", r["downstream"]))
    print(f"  so no validation path can make the chain more than {r['chain_ratio_bound']}x faster than the python path")


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(f"local[{CORES}]").appName("throughput-bench")
            .config("spark.sql.shuffle.partitions", str(CORES * 2))
            .config("spark.sql.files.maxPartitionBytes", str(8 * 1024 * 1024))
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.executorEnv.PYTHONPATH", str(GLUE_JOBS))  # the Python workers import platform_etl
            .getOrCreate())


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20260307)
    options = parser.parse_args(argv)

    contract = load_contract(CONTRACT.read_text(encoding="utf-8"))
    payloads = generate_records(options.records, options.seed, country_codes())
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory(prefix="dp-throughput-") as directory:
        work = Path(directory)
        raw_path = work / "raw"
        spark.createDataFrame(raw_rows(payloads), RAW_SCHEMA).write.parquet(str(raw_path))
        runtime = bench_runtime(spark, contract)
        result = report(measure_all(spark, raw_path, runtime, len(payloads), work), payloads, spark.version)
    spark.stop()
    print_report(result)

if __name__ == "__main__":
    main()
