"""One pipeline's little AWS, rebuilt for each test: buckets, the pepper, the contract, reference
data, its Kinesis stream, the warehouse database, the Glue service side; and readers for
everything the jobs write.

Buckets get names unique to the test (Hadoop caches file systems per bucket name) and live under a
temporary directory; the stream is a new one in the suite's kinesalite (`glue_local.kinesalite`),
read by the shim through the Kinesis API; the two other boto3 calls of the jobs (contract, pepper)
are answered by moto; the warehouse is a fresh PostgreSQL database built by the very statements
the warehouse module runs through the Data API (`tests/golden/<pipeline>.warehouse.json`,
generated from `modules/warehouse/migrations.ts` by `npm run golden`), and the jobs load it as the
ETL writer.
"""
from __future__ import annotations

import copy
import itertools
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Optional, Sequence

from awsglue import _local

from glue_local import QUARANTINE_PAYLOAD_PREFIX, kinesalite
from glue_local import spark as session
from glue_local.aws import copy_bundled_references, mock_aws_services, put_job_inputs
from glue_local.warehouse import build_warehouse

from tests.helpers import GOLDEN

from . import postgres

PEPPER = "golden-pepper"
CONNECTION = "dp-test-warehouse"
ZONES = ("raw", "curated", "quarantine", "reference", "artifacts")
PAYLOAD_PREFIX = QUARANTINE_PAYLOAD_PREFIX
_COUNTER = itertools.count(1)
# The suite's own record of every REFRESH MATERIALIZED VIEW the database ran, whoever sent it (an
# event trigger, outside the platform's schema): how the tests count refreshes.
REFRESH_AUDIT = (
    "CREATE SCHEMA test_audit",
    "CREATE TABLE test_audit.refreshes (n SERIAL PRIMARY KEY, relation TEXT NOT NULL)",
    "CREATE FUNCTION test_audit.record_refresh() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
    "INSERT INTO test_audit.refreshes (relation) SELECT object_identity FROM pg_event_trigger_ddl_commands(); END $$",
    "CREATE EVENT TRIGGER record_refresh ON ddl_command_end WHEN TAG IN ('REFRESH MATERIALIZED VIEW') "
    "EXECUTE FUNCTION test_audit.record_refresh()",
)


def golden_contract(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.contract.json").read_text(encoding="utf-8"))


def golden_warehouse(name: str) -> dict[str, Any]:
    """`users` (`writer`, `reader`) and `statements`: Redshift SQL, one Data API request each, in order."""
    return dict(json.loads((GOLDEN / f"{name}.warehouse.json").read_text(encoding="utf-8")))


class World:
    """`with World("attendees") as world:` ... everything is torn down on exit. Tests that share one
    world across a class enter it with `World.for_class(cls, ...)`, which registers the exit as a
    class cleanup (run even when setUpClass fails)."""

    def __init__(self, pipeline: str = "attendees", contract: Optional[dict[str, Any]] = None, warehouse: bool = True) -> None:
        self.pipeline = pipeline
        self.contract = contract if contract is not None else golden_contract(pipeline)
        self.warehouse = warehouse and self.contract.get("warehouse") is not None
        self.number = next(_COUNTER)
        self.root = Path(tempfile.mkdtemp(prefix=f"dp-world-{self.number}-"))
        self.buckets = {zone: f"t{self.number}-{zone}" for zone in ZONES}
        self.stream = f"dp-test-{self.number}-{pipeline}"
        self.stream_arn = f"arn:aws:kinesis:eu-west-1:111122223333:stream/{self.stream}"
        self.database = f"warehouse_{self.number}"
        # The database user the jobs load with (the golden warehouse's writer), once it exists.
        self.writer = ""
        self._aws: Any = None

    # --- setup ---------------------------------------------------------------------------------

    @classmethod
    def for_class(cls, test_class: Any, *args: Any, **kwargs: Any) -> "World":
        world = cls(*args, **kwargs)
        test_class.addClassCleanup(world.__exit__, None, None, None)
        return world.__enter__()

    @classmethod
    def for_test(cls, test: Any, *args: Any, **kwargs: Any) -> "World":
        world = cls(*args, **kwargs)
        test.addCleanup(world.__exit__, None, None, None)
        return world.__enter__()

    def __enter__(self) -> "World":
        for zone, bucket in self.buckets.items():
            session.mount_bucket(bucket, self.root / "s3" / zone)
        cluster = postgres.shared_cluster()
        connections = {}
        if self.warehouse:
            self.writer = self._create_warehouse(cluster)
            connections[CONNECTION] = _local.Connection(cluster.jdbc_url, self.database, self.writer, "unused-with-trust-auth")
        self.glue = _local.reset(self.root / "glue", connections)
        kinesalite.shared().create_stream(self.stream)
        self._aws = mock_aws_services()
        self._aws.start()
        put_job_inputs(self.buckets["artifacts"], self.contract_key, self.contract, self.pepper_secret, PEPPER)
        copy_bundled_references(self.contract, self.local_path("reference"))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._aws is not None:
            self._aws.stop()
        # A job may tune the shared session (the batch job's file reads); the next test starts clean.
        for name in ("spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes"):
            session.spark().conf.unset(name)
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def pepper_secret(self) -> str:
        return f"dp-test-{self.number}-pepper"

    @property
    def contract_key(self) -> str:
        return f"contracts/{self.pipeline}/contract.json"

    def write_reference(self, name: str, text: str) -> None:
        reference = next(r for r in self.contract["references"] if r["name"] == name)
        self.local_path("reference", reference["location"]["key"]).write_text(text, encoding="utf-8")

    def _create_warehouse(self, cluster: Any) -> str:
        """The warehouse as a first deploy leaves it (`glue_local.warehouse.build_warehouse`); the writer."""
        warehouse = golden_warehouse(self.pipeline)
        build_warehouse(cluster, self.database, warehouse["statements"])
        with cluster.connect(self.database) as connection:
            for statement in REFRESH_AUDIT:
                connection.execute(statement)
        return str(warehouse["users"]["writer"])

    # --- arguments and runs --------------------------------------------------------------------

    def s3(self, zone: str, key: str = "") -> str:
        return f"s3://{self.buckets[zone]}/{key}"

    def local_path(self, zone: str, key: str = "") -> Path:
        return self.root / "s3" / zone / key

    def pending_uri(self, kind: str) -> str:
        """Where a job's warehouse rows wait for their load (the streaming module's prefix)."""
        return self.s3("artifacts", f"checkpoints/{self.pipeline}/warehouse-pending/{kind}/")

    def argv(self, kind: str, **overrides: str) -> list[str]:
        values = {
            "JOB_NAME": f"dp-test-{self.pipeline}-{kind}",
            "pipeline": self.pipeline,
            "contract_uri": self.s3("artifacts", self.contract_key),
            "curated_path": self.s3("curated", f"{self.pipeline}/"),
            "quarantine_path": self.s3("quarantine", f"{self.pipeline}/"),
            "quarantine_payload_path": self.s3("quarantine", f"{PAYLOAD_PREFIX}{self.pipeline}/"),
            "reference_bucket": self.buckets["reference"],
            "pepper_secret_id": self.pepper_secret,
            "warehouse_enabled": "true" if self.warehouse else "false",
            "window_seconds": "10",
            "reference_refresh_minutes": "0",
        }
        if kind == "streaming":
            values.update(stream_arn=self.stream_arn, checkpoint_location=self.s3("artifacts", f"checkpoints/{self.pipeline}/streaming/"),
                          starting_position="trim_horizon")
        else:
            values["raw_path"] = self.s3("raw", f"{self.pipeline}/")
        if self.warehouse:
            values.update(redshift_connection=CONNECTION, redshift_database=self.database,
                          redshift_tmp_dir=self.s3("artifacts", f"temp/{self.pipeline}/{kind}/redshift/"),
                          warehouse_pending_path=self.pending_uri(kind))
            if kind == "streaming":
                # Every batch loads (the cadence's own tests set an interval): what the scenarios
                # read back is in the warehouse when the job returns.
                values["warehouse_load_interval_minutes"] = "0"
        values.update(overrides)
        argv = ["script.py"]
        for name, value in values.items():
            argv += [f"--{name}", value]
        argv += ["--job-bookmark-option", "job-bookmark-enable" if kind == "batch" else "job-bookmark-disable",
                 "--TempDir", self.s3("artifacts", f"temp/{self.pipeline}/{kind}/")]
        return argv

    def put(self, records: Sequence[bytes | str | dict[str, Any]]) -> list[str]:
        """Puts records on the stream (the next job run reads each put as one micro-batch); dicts are
        sent as JSON, str as UTF-8. Returns the sequence numbers Kinesis gave, in order."""
        payloads = [r if isinstance(r, bytes) else (r if isinstance(r, str) else json.dumps(r)).encode("utf-8") for r in records]
        sequence_numbers = kinesalite.shared().put_records(self.stream, payloads)
        self.glue.record_put(self.stream, sequence_numbers)
        return sequence_numbers

    def drop_file(self, key: str, data: bytes) -> str:
        """A producer drops a raw file under the pipeline's raw prefix; returns its s3:// URI."""
        path = self.local_path("raw", f"{self.pipeline}/{key}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return self.s3("raw", f"{self.pipeline}/{key}")

    def run_streaming(self, **overrides: str) -> None:
        import streaming_etl

        streaming_etl.main(self.argv("streaming", **overrides))

    def run_batch(self, **overrides: str) -> None:
        import batch_etl

        batch_etl.main(self.argv("batch", **overrides))

    # --- reading back ----------------------------------------------------------------------------

    def lake_files(self) -> list[Path]:
        root = self.local_path("curated", f"{self.pipeline}/")
        return sorted(p for p in root.rglob("*.parquet") if "_staging" not in p.parts and not p.name.startswith((".", "_")))

    def lake_schema(self) -> Any:
        """The schema of the Parquet files themselves (partition columns are directories)."""
        return session.spark().read.parquet(str(self.lake_files()[0])).schema

    def lake_rows(self) -> list[dict[str, Any]]:
        """Every lake row with its partition values as written in the directory names (strings)."""
        from pyspark.sql.types import StringType, StructField, StructType

        files = self.lake_files()
        if not files:
            return []
        keys = self.contract["lake"]["partition_keys"]
        schema = StructType(list(self.lake_schema().fields) + [StructField(key, StringType()) for key in keys])
        root = self.local_path("curated", f"{self.pipeline}/")
        frame = session.spark().read.schema(schema).option("basePath", str(root)).parquet(*[str(f) for f in files])
        return [row.asDict() for row in frame.collect()]

    def quarantine_files(self, prefix: str = "") -> list[Path]:
        root = self.local_path("quarantine", f"{prefix}{self.pipeline}/")
        return sorted(p for p in root.rglob("*") if p.is_file() and "_staging" not in p.parts
                      and not p.name.startswith((".", "_")) and p.stat().st_size > 0)

    def quarantine_rows(self, prefix: str = "") -> list[dict[str, Any]]:
        """The analyst-facing quarantine rows (with `prefix`, another zone's)."""
        rows = []
        for path in self.quarantine_files(prefix):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    row["_partition"] = path.parent.name
                    rows.append(row)
        return rows

    def payload_rows(self) -> list[dict[str, Any]]:
        """The restricted quarantine rows: raw payloads, for replay."""
        return self.quarantine_rows(PAYLOAD_PREFIX)

    def warehouse_rows(self, relation: Optional[str] = None, order_by: str = "1") -> list[dict[str, Any]]:
        warehouse = self.contract["warehouse"]
        name = relation or warehouse["table"]
        with postgres.shared_cluster().connect(self.database) as connection:
            cursor = connection.execute(f'SELECT * FROM "{warehouse["schema"]}"."{name}" ORDER BY {order_by}')
            columns = [c.name for c in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def refreshes(self) -> list[str]:
        """Every view refresh the warehouse ran so far, in order (`schema.view`)."""
        rows = postgres.shared_cluster().query("SELECT relation FROM test_audit.refreshes ORDER BY n", database=self.database)
        return [relation for relation, in rows]

    def pending(self, kind: str = "streaming") -> list[str]:
        """The names under a job's pending prefix (batch directories and their `.ready` markers)."""
        root = self.local_path("artifacts", self.pending_uri(kind).split("/", 3)[3])
        return sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []

    def warehouse_column_types(self, table: str) -> dict[str, str]:
        schema = self.contract["warehouse"]["schema"]
        rows = postgres.shared_cluster().query(
            "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", (schema, table), database=self.database)
        return {name: f"{kind}({length})" if length else kind for name, kind, length in rows}


def record(attendee_id: str, registered_at: str, **fields: Any) -> dict[str, Any]:
    """A valid attendees event, overridable field by field (None removes a field)."""
    base = {"attendee_id": attendee_id, "email": f"{attendee_id}@example.com", "full_name": "Jane Doe",
            "phone": "+1 (555) 123-4567", "company": "Example Corp", "job_title": "Engineer", "country_code": "FR",
            "registered_at": registered_at, "ticket_type": "standard", "notes": "Write to jane.doe@example.com today"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def variant(contract: dict[str, Any], change: Any) -> dict[str, Any]:
    """A deep copy of a contract document with `change(document)` applied."""
    document = copy.deepcopy(contract)
    change(document)
    return document


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
