"""`npm run local`: one pipeline's whole flow on this machine, with the code that runs in Glue.

    python -m glue_local.run --spec <run.json>     (tools/local/cli.ts writes the spec and runs this)

In order, each thing it starts registered to be stopped, whatever happens:
1. kinesalite on loopback, with the pipeline's stream (`kinesalite`);
2. the warehouse: PostgreSQL on loopback over `<out>/warehouse` (kept between runs), built by the
   statements a first deploy runs; without the server binaries the run goes on without it and says so;
3. Spark (`spark`), moto for the contract and the pepper (`aws`), the Glue shim's service side;
4. the pipeline's streaming entry script, `streaming_etl.main`, unchanged, in a thread: its Kinesis
   source reads the stream through the Kinesis API from `trim_horizon`, with a new checkpoint per run
   (each run's stream is new);
5. the producer (`tools/producer`, its own generator and bad-record mix) sending the records;
6. it waits until every record sent is accounted for in the job's batch reports, stops the job
   after its last batch, reads the outputs back and writes `<out>/summary.json` (`summary`).
Progress goes to stderr, the summary to stdout. SIGINT or SIGTERM stops everything it started and
exits 130. Exit codes: 0 done and every record accounted for; 1 a failure (named); 130 interrupted.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

from . import GLUE_JOBS, QUARANTINE_PAYLOAD_PREFIX, REPOSITORY, kinesalite
from .prerequisites import PrerequisiteError, check_prerequisites, postgres_bindir, postgres_version

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
BUCKETS = {"curated": "dp-local-curated", "quarantine": "dp-local-quarantine", "artifacts": "dp-local-artifacts",
           "reference": "dp-local-reference"}
CONNECTION = "dp-local-warehouse"
DATABASE = "analytics"
PRODUCER_SUMMARY = re.compile(r"^sent (\d+), retried (\d+), failed (\d+)")
PROGRESS_SECONDS = 5.0
# After the producer finished, how long the job may take to account for every record.
SETTLE_SECONDS_MIN = 120.0


class RunFailed(Exception):
    """A failure the run names and ends with (exit 1)."""


class Interrupted(Exception):
    """SIGINT or SIGTERM (exit 130)."""


@dataclass(frozen=True)
class RunSpec:
    """What tools/local/cli.ts decided (see there for each value's origin)."""

    pipeline: str
    environment: str
    contract: dict[str, Any]
    warehouse: Optional[dict[str, Any]]  # {"users": {...}, "statements": [...]}, or None without a warehouse
    stream_name: str
    stream_arn: str
    shards: int
    window_seconds: int
    records: int
    rate: float
    bad_ratio: float
    seed: int
    anchor: str
    out: Path
    producer: list[str]  # the producer's command line, without --endpoint

    @classmethod
    def load(cls, path: Path) -> "RunSpec":
        document = json.loads(path.read_text(encoding="utf-8"))
        document["out"] = Path(document["out"])
        return cls(**document)


_STARTED = time.monotonic()


def progress(text: str) -> None:
    sys.stderr.write(f"[{time.monotonic() - _STARTED:6.1f} s] {text}\n")
    sys.stderr.flush()


def _without_py4j_records(record: logging.LogRecord) -> bool:
    """A logging filter: drops what py4j itself logs (its broken-connection tracebacks)."""
    return "py4j" not in record.pathname


class BatchLog(logging.Handler):
    """The job's batch reports (`spark_job.BatchResult.report`), from its log; a retried batch's last report counts."""

    def __init__(self, on_report: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(logging.INFO)
        self.on_report = on_report
        self._reports: dict[str, dict[str, Any]] = {}
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        report = getattr(record, "batch_report", None)
        if report is not None:
            with self._guard:
                self._reports[report["batch"]] = report
            self.on_report(report)

    def received(self) -> int:
        with self._guard:
            return sum(int(r["received"]) for r in self._reports.values())

    def all(self) -> list[dict[str, Any]]:
        with self._guard:
            return list(self._reports.values())


class LocalRun:
    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.out = spec.out
        self.local = spec.out / "_local"
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
        self.interrupted = threading.Event()
        self.started = time.monotonic()
        self.notes: list[str] = []

    def interrupt(self, signum: int, _frame: Any) -> None:
        if not self.interrupted.is_set():
            progress(f"{signal.Signals(signum).name}: stopping everything this run started")
            # While the run stops, a call still on its way to the JVM (the job's threads) can find
            # the gateway closed; py4j logs that through the root logger with a traceback that says
            # nothing about the data. The run reports its own stop.
            logging.getLogger().addFilter(_without_py4j_records)
        self.interrupted.set()

    def handle_signals(self) -> None:
        """SIGINT and SIGTERM (a Ctrl-C reaches this process twice: from the terminal, and passed on
        by the npm command) set `interrupted`; the run then stops what it started, in order."""
        signal.signal(signal.SIGINT, self.interrupt)
        signal.signal(signal.SIGTERM, self.interrupt)

    def _quiet_interrupted_tasks(self, spark: Any) -> None:
        """Tasks cut short by an interrupt log Spark errors (a broadcast block gone, no SparkEnv) that
        say nothing about the data: the interrupted batch is rolled back and runs again, whole."""
        if self.interrupted.is_set():
            spark.sparkContext.setLogLevel("OFF")

    def check_interrupted(self) -> None:
        if self.interrupted.is_set():
            raise Interrupted()

    def wait(self, seconds: float) -> None:
        if self.interrupted.wait(seconds):
            raise Interrupted()

    # --- the run ----------------------------------------------------------------------------------

    def execute(self) -> int:
        spec = self.spec
        progress(f"local run {self.run_id}: pipeline {spec.pipeline} (as in {spec.environment}), {spec.records} records at "
                 f"{spec.rate:g}/s, bad ratio {spec.bad_ratio:g}, --seed {spec.seed} --anchor {spec.anchor}, into {self.out}")
        with contextlib.ExitStack() as stack:
            try:
                return self._run(stack)
            except Interrupted:
                progress("interrupted: stopping what this run started")
                return EXIT_INTERRUPTED
            except (RunFailed, PrerequisiteError) as error:
                progress(f"local run failed: {error}")
                return EXIT_FAILED

    def _run(self, stack: contextlib.ExitStack) -> int:
        spec = self.spec
        versions = check_prerequisites(with_postgres=False)
        self._reset_run_state()

        server = kinesalite.Kinesalite()
        stack.callback(server.stop)
        server.start()
        os.environ[kinesalite.ENDPOINT_VARIABLE] = server.endpoint
        server.create_stream(spec.stream_name, spec.shards)
        progress(f"kinesalite at {server.endpoint}: stream {spec.stream_name} ({spec.shards} shard{'s' * (spec.shards != 1)})")
        self.check_interrupted()

        cluster, postgres = self._start_warehouse(stack)
        self.check_interrupted()

        from awsglue import _local

        from . import spark as local_spark
        from .aws import copy_bundled_references, mock_aws_services, put_job_inputs

        progress(f"starting Spark ({versions.runtime()})")
        spark = local_spark.spark("npm-run-local")
        stack.callback(local_spark.stop)
        self.handle_signals()  # the SparkContext replaced the SIGINT handler with its own (cancel, KeyboardInterrupt)
        self.check_interrupted()
        for zone, bucket in BUCKETS.items():
            local_spark.mount_bucket(bucket, self._zone_dir(zone))
        aws = mock_aws_services()
        aws.start()
        stack.callback(aws.stop)
        put_job_inputs(BUCKETS["artifacts"], self._contract_key, spec.contract, self._pepper_secret, self._pepper())
        try:
            copy_bundled_references(spec.contract, self._zone_dir("reference"))
        except ValueError as error:
            raise RunFailed(str(error)) from None
        connections = {}
        if cluster is not None:
            writer = str((spec.warehouse or {})["users"]["writer"])
            connections[CONNECTION] = _local.Connection(cluster.jdbc_url, DATABASE, writer, "unused-with-trust-auth")
        glue = _local.reset(self.local / "glue", connections, until_drained=False)

        batches = BatchLog(self._print_batch)
        logger = logging.getLogger("platform_etl")
        logger.addHandler(batches)
        logger.setLevel(logging.INFO)
        stack.callback(logger.removeHandler, batches)

        job = JobThread(self._job_argv(cluster is not None))
        stack.callback(job.stop, glue, 5)  # interrupted: the batch in progress gets 5 s, then the query stops
        stack.callback(self._quiet_interrupted_tasks, spark)
        job.start()
        progress(f"streaming job started: streaming_etl.main on local Spark, window {spec.window_seconds} s, reading "
                 f"{spec.stream_name} from trim_horizon")
        while not glue.queries:
            job.raise_if_failed()
            self.wait(0.2)

        producer = Producer(spec.producer + ["--endpoint", server.endpoint])
        stack.callback(producer.stop)
        producer.start()
        sent = self._await_accounted(producer, job, batches)

        job.stop(glue, grace_seconds=60)
        job.raise_if_failed()
        from .summary import build_summary, render_summary, write_summary

        summary = build_summary(spark=spark, spec=spec, run_id=self.run_id, zones={z: self._zone_dir(z) for z in BUCKETS},
                                buckets=BUCKETS, reports=batches.all(), glue_batches=dict(glue.batch_records),
                                sent=sent, producer=producer.counts, cluster=cluster, database=DATABASE, postgres=postgres,
                                versions=versions.runtime(), notes=self.notes, seconds=time.monotonic() - self.started)
        path = write_summary(self.out, summary)
        sys.stdout.write(render_summary(summary, path))
        sys.stdout.flush()
        if not summary["accounted"]:
            raise RunFailed(f"records are not accounted for: {summary['accounting']}")
        return EXIT_OK

    def _await_accounted(self, producer: "Producer", job: "JobThread", batches: BatchLog) -> int:
        """Waits until the producer is done and the job reported every record it sent; the number sent."""
        last_line = 0.0
        settle_deadline: Optional[float] = None
        settle_seconds = max(SETTLE_SECONDS_MIN, 20 * self.spec.window_seconds)
        sent: Optional[int] = None
        while True:
            self.wait(0.25)
            job.raise_if_failed()
            if sent is None and producer.finished():
                if producer.returncode != 0:
                    raise RunFailed(f"the producer failed (exit code {producer.returncode}): {producer.last_error or 'see its output above'}")
                sent = producer.counts.get("sent", self.spec.records)
                settle_deadline = time.monotonic() + settle_seconds
            received = batches.received()
            if sent is not None and received >= sent:
                progress(f"all {sent} records sent are accounted for ({received} read by the job)")
                return sent
            if settle_deadline is not None and time.monotonic() > settle_deadline:
                raise RunFailed(f"{sent - received} of {sent} records sent were not read by the job within {settle_seconds:.0f} s "
                                "after the producer finished")
            if time.monotonic() - last_line >= PROGRESS_SECONDS:
                last_line = time.monotonic()
                progress(f"progress: {received} records read by the job in {len(batches.all())} batches"
                         + ("" if sent is None else f", of {sent} sent"))

    def _print_batch(self, report: dict[str, Any]) -> None:
        detected = sum(report.get("detected", {}).values())
        progress(f"batch {report['batch'][-12:].lstrip('0') or '0'}: {report['received']} records -> {report['lake_rows']} to the lake, "
                 f"{report['quarantined']} quarantined, {report['duplicates_in_batch'] + report['replayed'] + report['quarantine_replayed']} duplicates"
                 + (f", {detected} sensitive values detected" if detected else ""))

    # --- state, zones, inputs -------------------------------------------------------------------------

    def _reset_run_state(self) -> None:
        """Each run reads a new stream: earlier runs' checkpoints, spools and temporary files go.
        The outputs (lake, quarantine, warehouse, the journal) stay: a run adds to them."""
        for stale in (self.local / "glue", self._zone_dir("artifacts") / "checkpoints", self._zone_dir("artifacts") / "temp"):
            shutil.rmtree(stale, ignore_errors=True)
        self.local.mkdir(parents=True, exist_ok=True)

    def _zone_dir(self, zone: str) -> Path:
        return self.out / zone if zone in ("curated", "quarantine") else self.local / zone

    @property
    def _contract_key(self) -> str:
        return f"contracts/{self.spec.pipeline}/contract.json"

    @property
    def _pepper_secret(self) -> str:
        return f"dp-local-{self.spec.pipeline}-pepper"

    def _pepper(self) -> str:
        """The masking pepper of this output directory: made once, so hashes stay the same across runs."""
        path = self.local / "pepper"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(32), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def _start_warehouse(self, stack: contextlib.ExitStack) -> tuple[Any, Optional[str]]:
        """PostgreSQL over `<out>/warehouse`, built (or found built) by the pipeline's statements; or
        None, with the reason noted, when the pipeline has no warehouse or the machine no server."""
        if self.spec.warehouse is None:
            self.notes.append("the pipeline has no warehouse table")
            return None, None
        try:
            version = postgres_version(postgres_bindir())
        except PrerequisiteError as error:
            self.notes.append(f"warehouse skipped: {error}")
            progress(f"warehouse skipped, the rest runs: {error}")
            return None, None
        from .warehouse import PostgresCluster, build_warehouse

        cluster = PostgresCluster(root=self.out / "warehouse", keep=True)
        stack.callback(cluster.stop)
        try:
            cluster.start()
        except PrerequisiteError as error:
            self.notes.append(f"warehouse skipped: {error}")
            progress(f"warehouse skipped, the rest runs: {error}")
            return None, None
        build_warehouse(cluster, DATABASE, self.spec.warehouse["statements"])
        progress(f"PostgreSQL {version} at 127.0.0.1:{cluster.port} standing in for Redshift (data in {cluster.root})")
        return cluster, version

    def _job_argv(self, warehouse: bool) -> list[str]:
        spec = self.spec
        artifacts = f"s3://{BUCKETS['artifacts']}/"
        values = {
            "JOB_NAME": f"dp-local-{spec.pipeline}-streaming",
            "pipeline": spec.pipeline,
            "contract_uri": artifacts + self._contract_key,
            "curated_path": f"s3://{BUCKETS['curated']}/{spec.pipeline}/",
            "quarantine_path": f"s3://{BUCKETS['quarantine']}/{spec.pipeline}/",
            "quarantine_payload_path": f"s3://{BUCKETS['quarantine']}/{QUARANTINE_PAYLOAD_PREFIX}{spec.pipeline}/",
            "reference_bucket": BUCKETS["reference"],
            "pepper_secret_id": self._pepper_secret,
            "warehouse_enabled": "true" if warehouse else "false",
            "window_seconds": str(spec.window_seconds),
            "reference_refresh_minutes": "60",
            "stream_arn": spec.stream_arn,
            "checkpoint_location": f"{artifacts}checkpoints/{spec.pipeline}/streaming/{self.run_id}/",
            "starting_position": "trim_horizon",
        }
        if warehouse:
            # Every batch loads (interval 0): the summary reads the warehouse as soon as the stream is drained.
            values.update(redshift_connection=CONNECTION, redshift_database=DATABASE,
                          redshift_tmp_dir=f"{artifacts}temp/{spec.pipeline}/streaming/redshift/",
                          warehouse_pending_path=f"{artifacts}checkpoints/{spec.pipeline}/warehouse-pending/streaming/",
                          warehouse_load_interval_minutes="0")
        argv = ["streaming_etl.py"]
        for name, value in values.items():
            argv += [f"--{name}", value]
        return argv + ["--job-bookmark-option", "job-bookmark-disable", "--TempDir", f"{artifacts}temp/{spec.pipeline}/streaming/"]


class JobThread:
    """`streaming_etl.main(argv)` in a thread of its own, as Glue runs the script: until stopped."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.error: Optional[BaseException] = None
        self._stopping = False
        self._thread = threading.Thread(target=self._main, name="streaming-job", daemon=True)

    def _main(self) -> None:
        try:
            import streaming_etl

            streaming_etl.main(self.argv)
        except BaseException as error:  # reported by raise_if_failed on the main thread
            self.error = error

    def start(self) -> None:
        self._thread.start()

    def raise_if_failed(self) -> None:
        if self.error is not None:
            raise RunFailed(f"the streaming job failed: {type(self.error).__name__}: {self.error}") from self.error
        if not self._stopping and not self._thread.is_alive():
            raise RunFailed("the streaming job ended before it was stopped")

    def stop(self, glue: Any, grace_seconds: float) -> None:
        """Stops the job's query (after its batch in progress, given `grace_seconds`) and waits for the script to end."""
        self._stopping = True
        if self._thread.is_alive():
            glue.request_stop(grace_seconds=grace_seconds)
            self._thread.join(120)


class Producer:
    """The producer CLI sending the records; its progress lines are passed on, its summary parsed."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.counts: dict[str, int] = {}
        self.last_error = ""
        self.returncode: Optional[int] = None
        self._process: Optional[subprocess.Popen[str]] = None
        self._reader: Optional[threading.Thread] = None

    def start(self) -> None:
        environment = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true"}
        environment.pop("AWS_SESSION_TOKEN", None)
        self._process = subprocess.Popen(self.command, cwd=REPOSITORY, env=environment, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, name="producer-output", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            line = line.rstrip("\n")
            match = PRODUCER_SUMMARY.match(line)
            if match:
                self.counts = {"sent": int(match.group(1)), "retried": int(match.group(2)), "failed": int(match.group(3))}
            elif line.startswith("produce:"):
                self.last_error = line
            progress(f"producer: {line}")

    def finished(self) -> bool:
        if self._process is None or self._process.poll() is None:
            return False
        if self._reader is not None:
            self._reader.join(5)
        self.returncode = self._process.returncode
        return True

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m glue_local.run", description="Runs one pipeline locally (npm run local).")
    parser.add_argument("--spec", required=True, type=Path, help="the run's JSON spec, written by tools/local/cli.ts")
    spec = RunSpec.load(parser.parse_args(argv).spec)
    run = LocalRun(spec)
    run.handle_signals()
    for path in (str(GLUE_JOBS), str(GLUE_JOBS / "local")):
        if path not in sys.path:
            sys.path.insert(0, path)
    return run.execute()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
