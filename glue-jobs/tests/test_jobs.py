"""Warehouse SQL, job arguments, ingestion, AWS helpers, and import hygiene."""
from __future__ import annotations

import ast
import importlib
import json
import sys
import unittest
from datetime import datetime, timezone

from platform_etl.aws import pepper_from_secret_string, split_s3_uri
from platform_etl.ingest import arrival_order, split_file_lines, validate_partition
from platform_etl.job_args import (
    BATCH, STREAMING, JobArgumentError, check_against_contract, parse_argv, required_names,
)
from platform_etl.records import FilePosition
from platform_etl.warehouse import merge_statement, postactions, preactions, quote_identifier
from platform_etl.contract import load_contract
from tests.helpers import GLUE_JOBS, contract_document, fixture_contract

FORBIDDEN_TOP_LEVEL = ("pyspark", "awsglue", "boto3", "botocore")


class WarehouseSqlTest(unittest.TestCase):
    def test_identifiers_are_always_quoted(self) -> None:
        self.assertEqual(quote_identifier("attendees"), '"attendees"')
        self.assertEqual(quote_identifier('we"ird'), '"we""ird"')
        for bad in ("a;b", "a\nb", ""):
            with self.subTest(bad), self.assertRaises(ValueError):
                quote_identifier(bad)

    def test_attendees_actions(self) -> None:
        warehouse = fixture_contract("attendees").warehouse
        assert warehouse is not None
        self.assertEqual(preactions(warehouse),
                         'CREATE TABLE IF NOT EXISTS "attendees"."attendees_staging" (LIKE "attendees"."attendees"); '
                         'DELETE FROM "attendees"."attendees_staging";')
        post = postactions(warehouse, "attendee_id")
        self.assertNotIn("\n", post)
        statements = [s.strip() for s in post.split(";") if s.strip()]
        self.assertEqual(len(statements), 3)
        self.assertTrue(statements[0].startswith(
            'MERGE INTO "attendees"."attendees" USING "attendees"."attendees_staging" AS "source" '
            'ON "attendees"."attendees"."attendee_id" = "source"."attendee_id" WHEN MATCHED THEN UPDATE SET "email" = "source"."email"'))
        self.assertIn('WHEN NOT MATCHED THEN INSERT ("attendee_id", "email", ', statements[0])
        self.assertNotIn('SET "attendee_id"', statements[0])
        self.assertEqual(statements[1], 'DELETE FROM "attendees"."attendees_staging"')
        self.assertEqual(statements[2], 'REFRESH MATERIALIZED VIEW "attendees"."attendees_by_country"')

    def test_session_checkins_actions(self) -> None:
        warehouse = fixture_contract("session_checkins").warehouse
        assert warehouse is not None
        post = postactions(warehouse, "checkin_id")
        self.assertTrue(post.startswith('MERGE INTO "events"."session_checkins" USING "events"."session_checkins_staging"'))
        self.assertNotIn("scanner_ip", post)
        self.assertNotIn("MATERIALIZED", post)
        self.assertTrue(post.endswith('DELETE FROM "events"."session_checkins_staging";'))

    def test_quoted_names_with_quotes(self) -> None:
        document = contract_document("session_checkins")
        document["warehouse"]["table"] = 'check"ins'
        warehouse = load_contract(document).warehouse
        assert warehouse is not None
        self.assertIn('MERGE INTO "events"."check""ins"', merge_statement(warehouse, "checkin_id"))
        with self.assertRaises(ValueError):
            merge_statement(warehouse, "not_a_column")


BASE_ARGS = ["script.py", "--JOB_NAME", "attendees-batch", "--pipeline", "attendees",
             "--contract_uri", "s3://artifacts/contracts/attendees/abc.json", "--curated_path", "s3://lake/curated/attendees/",
             "--quarantine_path", "s3://lake/quarantine/attendees/", "--reference_bucket", "reference-data",
             "--pepper_secret_id", "platform/pepper", "--warehouse_enabled", "false", "--window_seconds", "60",
             "--reference_refresh_minutes", "15"]
STREAM_ARGS = ["--stream_arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/attendees",
               "--checkpoint_location", "s3://lake/checkpoints/attendees/", "--starting_position", "TRIM_HORIZON"]
WAREHOUSE_ARGS = ["--redshift_connection", "redshift", "--redshift_database", "dev", "--redshift_tmp_dir", "s3://tmp/redshift/"]


class JobArgsTest(unittest.TestCase):
    def test_batch(self) -> None:
        args = parse_argv(BASE_ARGS + ["--raw_path=s3://raw/attendees/", "--job-bookmark-option", "job-bookmark-enable"], BATCH)
        self.assertEqual((args.raw_path, args.window_seconds, args.warehouse_enabled), ("s3://raw/attendees/", 60, False))
        self.assertIsNone(args.stream_arn)

    def test_streaming_with_warehouse(self) -> None:
        argv = [a if a != "false" else "TRUE" for a in BASE_ARGS] + STREAM_ARGS + WAREHOUSE_ARGS
        args = parse_argv(argv, STREAMING)
        self.assertEqual(args.starting_position, "trim_horizon")
        self.assertEqual(args.redshift_database, "dev")
        self.assertIn("redshift_tmp_dir", required_names(STREAMING, True))
        self.assertNotIn("raw_path", required_names(STREAMING, True))

    def test_refusals_name_the_argument(self) -> None:
        cases = [
            (BASE_ARGS, BATCH, "--raw_path"),
            (BASE_ARGS + STREAM_ARGS[:4], STREAMING, "--starting_position"),
            ([a if a != "60" else "0" for a in BASE_ARGS] + ["--raw_path", "s3://r/"], BATCH, "--window_seconds"),
            ([a if a != "false" else "yes" for a in BASE_ARGS] + ["--raw_path", "s3://r/"], BATCH, "--warehouse_enabled"),
            ([a if a != "false" else "true" for a in BASE_ARGS] + ["--raw_path", "s3://r/"], BATCH, "--redshift_connection"),
            (BASE_ARGS + ["--raw_path", "/local/path"], BATCH, "--raw_path"),
            (BASE_ARGS + STREAM_ARGS[:4] + ["--starting_position", "yesterday"], STREAMING, "--starting_position"),
            (BASE_ARGS + ["--stream_arn", "attendees"] + STREAM_ARGS[2:], STREAMING, "--stream_arn"),
            ([a if a != "reference-data" else "s3://reference-data" for a in BASE_ARGS] + ["--raw_path", "s3://r/"],
             BATCH, "--reference_bucket"),
        ]
        for argv, kind, name in cases:
            with self.subTest(name), self.assertRaisesRegex(JobArgumentError, name):
                parse_argv(argv, kind)

    def test_timestamp_starting_position(self) -> None:
        argv = BASE_ARGS + STREAM_ARGS[:4] + ["--starting_position", "2026-03-07T00:00:00Z"]
        self.assertEqual(parse_argv(argv, STREAMING).starting_position, "2026-03-07T00:00:00Z")

    def test_contract_cross_check(self) -> None:
        args = parse_argv(BASE_ARGS + ["--raw_path", "s3://r/"], BATCH)
        check_against_contract(args, "attendees", False)
        with self.assertRaisesRegex(JobArgumentError, "--pipeline"):
            check_against_contract(args, "session_checkins", True)


class IngestTest(unittest.TestCase):
    def test_split_file_lines(self) -> None:
        lines = list(split_file_lines("s3://raw/f.jsonl", b'{"a":1}\r\n\n  \n{"b":\xff}\n'))
        self.assertEqual(lines, [(b'{"a":1}', FilePosition("s3://raw/f.jsonl", 1)),
                                 (b'{"b":\xff}', FilePosition("s3://raw/f.jsonl", 4))])

    def test_validate_partition(self) -> None:
        contract = fixture_contract("session_checkins")
        received = datetime(2026, 3, 7, tzinfo=timezone.utc)
        good = b'{"checkin_id": "c1", "attendee_id": "a1", "session_id": "s1", "scanned_at": "2026-03-07T10:00:00Z"}'
        outcomes = list(validate_partition(2, [(good, None), (b"oops", FilePosition("f", 2))], contract, received))
        row, quarantined = outcomes[0]
        self.assertIsNone(quarantined)
        assert row is not None
        self.assertEqual(row[:3], ("c1", "a1", "s1"))
        self.assertEqual(row[-1], arrival_order(2, 0))
        self.assertIsNone(outcomes[1][0])
        line = json.loads(outcomes[1][1] or "")
        self.assertEqual((line["reason"], line["raw_payload"], line["position"]["line"]), ("invalid_json", "oops", 2))

    def test_arrival_order_is_monotonic_across_partitions(self) -> None:
        self.assertLess(arrival_order(0, 10**9), arrival_order(1, 0))


class AwsHelpersTest(unittest.TestCase):
    def test_split_s3_uri(self) -> None:
        self.assertEqual(split_s3_uri("s3://bucket/a/b.json"), ("bucket", "a/b.json"))
        for bad in ("https://x/y", "s3://bucket", "s3:///key"):
            with self.subTest(bad), self.assertRaises(ValueError):
                split_s3_uri(bad)

    def test_pepper(self) -> None:
        self.assertEqual(pepper_from_secret_string("s3cr3t"), "s3cr3t")
        self.assertEqual(pepper_from_secret_string('{"pepper": "abc"}'), "abc")
        for bad in ("", '{"other": "x"}'):
            with self.subTest(bad), self.assertRaises(ValueError):
                pepper_from_secret_string(bad)


def top_level_imports(tree: ast.Module) -> list[str]:
    """Modules imported by statements that run at import time (not inside a def)."""
    found: list[str] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                found.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.append(node.module or "")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            else:  # if/try/with/class bodies run at import time
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit([n for n in getattr(node, field, []) if isinstance(n, ast.stmt)]
                          + [s for h in getattr(node, field, []) if isinstance(h, ast.ExceptHandler) for s in h.body])

    visit(tree.body)
    return found


class ImportHygieneTest(unittest.TestCase):
    def test_no_heavy_imports_at_module_top_level(self) -> None:
        files = [p for p in GLUE_JOBS.rglob("*.py") if "__pycache__" not in p.parts]
        self.assertGreater(len(files), 10)
        for path in files:
            with self.subTest(str(path.relative_to(GLUE_JOBS))):
                modules = top_level_imports(ast.parse(path.read_text(encoding="utf-8")))
                heavy = [m for m in modules if m.split(".")[0] in FORBIDDEN_TOP_LEVEL]
                self.assertEqual(heavy, [])

    def test_the_checker_sees_guarded_imports(self) -> None:
        tree = ast.parse("try:\n    import pyspark\nexcept ImportError:\n    from boto3 import x\n"
                         "def f():\n    import awsglue\n")
        self.assertEqual(top_level_imports(tree), ["pyspark", "boto3"])

    def test_entry_scripts_import_without_spark(self) -> None:
        for module in ("pyspark", "awsglue", "boto3"):
            self.assertNotIn(module, sys.modules)
        for name in ("streaming_etl", "batch_etl", "platform_etl.spark_job", "platform_etl.aws"):
            with self.subTest(name):
                importlib.import_module(name)
        for module in ("pyspark", "awsglue", "boto3"):
            self.assertNotIn(module, sys.modules, f"importing the jobs pulled in {module}")

    def test_kinesis_options(self) -> None:
        import streaming_etl

        args = parse_argv(BASE_ARGS + STREAM_ARGS, STREAMING)
        options = streaming_etl.kinesis_options(args)
        self.assertEqual(options["inferSchema"], "false")
        self.assertEqual(options["streamARN"], args.stream_arn)


class EntryScriptRowsTest(unittest.TestCase):
    def test_stream_rows_to_payloads(self) -> None:
        import streaming_etl

        rows = [{"data": bytearray(b"{}"), "shardId": "shard-1", "sequenceNumber": 7, "ts": None}]
        columns = {"data": "data", "shard": "shardId", "sequence": "sequenceNumber", "arrival": None}
        (raw, position), = list(streaming_etl.payloads_with_positions(iter(rows), columns))
        self.assertEqual(raw, b"{}")
        self.assertEqual(position.as_dict(), {"kind": "stream", "shard_id": "shard-1", "sequence_number": "7",
                                              "arrival_time": None})

    def test_batch_files_to_lines(self) -> None:
        import batch_etl

        lines = list(batch_etl.file_lines(iter([("s3://raw/a.jsonl", b"{}\n{}\n"), ("s3://raw/b.jsonl", b"[]")])))
        self.assertEqual([(p.file, p.line) for _, p in lines], [("s3://raw/a.jsonl", 1), ("s3://raw/a.jsonl", 2),
                                                                 ("s3://raw/b.jsonl", 1)])


if __name__ == "__main__":
    unittest.main()
