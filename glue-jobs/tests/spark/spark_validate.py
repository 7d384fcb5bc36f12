"""The raw shape both jobs build, and `validate_batch`'s contract over it (the interface another
validation path must keep: same inputs, same output columns and types)."""
from __future__ import annotations

import gzip
import json
import tempfile
import unittest
from datetime import datetime, timezone
from pathlib import Path

from platform_etl import spark_job
from platform_etl.contract import load_contract
from platform_etl.dedup import ARRIVAL_ORDER_COLUMN
from platform_etl.job_args import BATCH, STREAMING, parse_argv
from platform_etl.outputs import spark_type
from platform_etl.raw_input import RAW_SCHEMA

from glue_local import spark as session
from .world import golden_contract, record

RECEIVED = datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc)


def schema_ddl(frame: object) -> str:
    return ", ".join(f"{f.name} {f.dataType.simpleString().upper()}" for f in frame.schema.fields)  # type: ignore[attr-defined]


def raw_ddl() -> str:
    return ", ".join(f"{name} {kind.upper()}" for name, kind in (column.split() for column in RAW_SCHEMA.split(", ")))


class ValidateBatchTest(unittest.TestCase):
    def setUp(self) -> None:
        self.spark = session.spark()
        self.contract = load_contract(golden_contract("attendees"))

    def raw(self, rows: list[tuple]) -> object:
        return self.spark.createDataFrame(rows, RAW_SCHEMA)

    def test_clean_has_the_contract_fields_and_the_arrival_order_quarantine_one_json_line(self) -> None:
        good = json.dumps(record("a1", "2026-03-07T10:00:00+01:00")).encode()
        raw = self.raw([(bytearray(good), None, "7", "2026-03-07T09:00:00.000Z", None, None, 5),
                        (bytearray(b"\xff"), None, None, None, "s3://raw/p/f.jsonl", 3, 6)])
        clean, quarantine = spark_job.validate_batch(self.spark, raw, self.contract, RECEIVED)
        expected = [(f.name, spark_type(f.type)) for f in self.contract.fields] + [(ARRIVAL_ORDER_COLUMN, "BIGINT")]
        self.assertEqual([(f.name, f.dataType.simpleString().upper()) for f in clean.schema.fields], expected)
        self.assertEqual(schema_ddl(quarantine), "value STRING")
        (row,) = clean.collect()
        self.assertEqual((row.attendee_id, row[ARRIVAL_ORDER_COLUMN], str(row.registered_at)), ("a1", 5, "2026-03-07 09:00:00"))
        (line,) = [json.loads(r.value) for r in quarantine.collect()]
        self.assertEqual((line["reason"], line["raw_payload"], line["raw_payload_encoding"]), ("not_utf8", "/w==", "base64"))
        self.assertEqual(line["position"], {"kind": "file", "file": "s3://raw/p/f.jsonl", "line": 3})
        self.assertEqual(line["received_at"], "2026-03-07T12:00:00Z")


class RawShapeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.spark = session.spark()

    def test_a_stream_batch_becomes_the_raw_shape_with_its_own_positions(self) -> None:
        source = self.spark.createDataFrame(
            [(bytearray(b'{"a": 1}'), "s", "pk", "4965", datetime(2026, 3, 7, 9, 0, 30, 1000, tzinfo=timezone.utc))],
            "data BINARY, streamName STRING, partitionKey STRING, sequenceNumber STRING, approximateArrivalTimestamp TIMESTAMP")
        raw = spark_job.stream_raw(source, "data", None, "sequenceNumber", "approximateArrivalTimestamp")
        self.assertEqual(schema_ddl(raw), raw_ddl())
        (row,) = raw.collect()
        self.assertEqual((bytes(row.payload), row.shard_id, row.sequence_number, row.arrival_time, row.file, row.line),
                         (b'{"a": 1}', None, "4965", "2026-03-07T09:00:30.001Z", None, None))

    def test_files_become_numbered_lines_as_bytes(self) -> None:
        root = Path(tempfile.mkdtemp(prefix="dp-raw-"))
        plain = root / "odd [key], {x}.jsonl"
        plain.write_bytes(b'{"a": 1}\r\n\n   \n\xff\xfe\n{"b": 2}')
        packed = root / "packed.jsonl.gz"
        packed.write_bytes(gzip.compress(b"first\nsecond\n"))
        # Paths as the bookmarked listing gives them: the object's own name, not URL-encoded.
        plain_uri, packed_uri = f"file://{plain}", f"file://{packed}"
        raw = spark_job.file_raw(self.spark, [plain_uri, packed_uri])
        rows = sorted((r.file, r.line, bytes(r.payload)) for r in raw.collect())
        self.assertEqual(rows, sorted([
            (plain_uri, 1, b'{"a": 1}'), (plain_uri, 4, b"\xff\xfe"), (plain_uri, 5, b'{"b": 2}'),
            (packed_uri, 1, b"first"), (packed_uri, 2, b"second"),
        ]))
        self.assertEqual(schema_ddl(raw), raw_ddl())


class OutputsTest(unittest.TestCase):
    def test_the_two_jobs_never_share_a_staging_directory_or_a_journal(self) -> None:
        common = ["x.py", "--JOB_NAME", "j", "--pipeline", "attendees", "--contract_uri", "s3://a/c.json", "--curated_path", "s3://c/attendees/",
                  "--quarantine_path", "s3://q/attendees/", "--quarantine_payload_path", "s3://q/raw-payloads/attendees/", "--reference_bucket", "r", "--pepper_secret_id", "p", "--warehouse_enabled", "false",
                  "--window_seconds", "10", "--reference_refresh_minutes", "0"]
        streaming = spark_job.Outputs(session.spark(), parse_argv(common + ["--stream_arn", "arn:aws:kinesis:x", "--checkpoint_location", "s3://a/ck/",
                                                                            "--starting_position", "latest"], STREAMING))
        batch = spark_job.Outputs(session.spark(), parse_argv(common + ["--raw_path", "s3://raw/attendees/"], BATCH))
        for attribute in ("lake_staging", "quarantine_staging", "journal"):
            self.assertNotEqual(getattr(streaming, attribute), getattr(batch, attribute))
        self.assertEqual(streaming.lake_staging, "s3://c/attendees/_staging/streaming/lake/")
        self.assertFalse(batch.lake_staging.startswith(streaming.lake_staging) or streaming.lake_staging.startswith(batch.lake_staging))


if __name__ == "__main__":
    unittest.main()
