"""Warehouse SQL, job arguments, ingestion, AWS helpers, and import hygiene."""
from __future__ import annotations

import ast
import importlib
import json
import sys
import unittest
from datetime import datetime, timezone

from platform_etl.aws import pepper_from_secret_string, split_s3_uri
from platform_etl.ingest import validate_raw_rows
from platform_etl.job_args import (
    BATCH, STREAMING, JobArgumentError, check_against_contract, parse_argv, required_names,
)
from platform_etl.raw_input import RAW_COLUMNS, RAW_SCHEMA, position_of
from platform_etl.records import FilePosition, StreamPosition
from platform_etl.warehouse import (
    changed_rows_statement, connector_table, jdbc_url, merge_statement, newest_wins_guard, postactions, preactions, quote_identifier,
    refresh_statements,
)
from platform_etl.contract import load_contract
from tests.helpers import GLUE_JOBS, contract_document, fixture_contract

FORBIDDEN_TOP_LEVEL = ("pyspark", "awsglue", "boto3", "botocore")


class WarehouseSqlTest(unittest.TestCase):
    def test_identifiers_are_always_quoted(self) -> None:
        self.assertEqual(quote_identifier("attendees"), '"attendees"')
        self.assertEqual(quote_identifier('we"ird'), '"we""ird"')
        for bad in ("a;b", "a\nb", "", "a%sb"):
            with self.subTest(bad), self.assertRaises(ValueError):
                quote_identifier(bad)

    def test_each_job_loads_its_own_staging_table_recreated_like_the_target(self) -> None:
        warehouse = fixture_contract("attendees").warehouse
        assert warehouse is not None
        self.assertEqual(connector_table(warehouse, "streaming"), "attendees.attendees_staging_streaming")
        self.assertEqual(preactions(warehouse, "batch"),
                         'DROP TABLE IF EXISTS "attendees"."attendees_staging_batch"; '
                         'CREATE TABLE "attendees"."attendees_staging_batch" (LIKE "attendees"."attendees");')

    def test_attendees_postactions_guard_then_merge_and_staging_keeps_what_was_merged(self) -> None:
        warehouse = fixture_contract("attendees").warehouse
        assert warehouse is not None
        post = postactions(warehouse, "attendee_id", "registered_at", "streaming")
        self.assertNotIn("\n", post)
        statements = [s.strip() for s in post.split(";") if s.strip()]
        self.assertEqual(len(statements), 2)
        staging = '"attendees"."attendees_staging_streaming"'
        self.assertEqual(statements[0], f'DELETE FROM {staging} USING "attendees"."attendees" WHERE {staging}."attendee_id" = '
                                        f'"attendees"."attendees"."attendee_id" AND {staging}."registered_at" < "attendees"."attendees"."registered_at"')
        self.assertTrue(statements[1].startswith(
            f'MERGE INTO "attendees"."attendees" USING {staging} AS "source" '
            'ON "attendees"."attendees"."attendee_id" = "source"."attendee_id" WHEN MATCHED THEN UPDATE SET "email" = "source"."email"'))
        self.assertIn('WHEN NOT MATCHED THEN INSERT ("attendee_id", "email", ', statements[1])
        self.assertNotIn('SET "attendee_id"', statements[1])
        self.assertNotIn("WHEN MATCHED AND", post)
        self.assertNotIn(f"DELETE FROM {staging};", post + ";", "staging keeps the merged rows: the job counts them after the commit")
        self.assertEqual(changed_rows_statement(warehouse, "streaming"), f"SELECT COUNT(*) FROM {staging}")
        self.assertNotIn("REFRESH", post, "a refresh in the load's transaction would not see the MERGE")
        self.assertEqual(refresh_statements(warehouse), ['REFRESH MATERIALIZED VIEW "attendees"."attendees_by_country"'])

    def test_session_checkins_actions(self) -> None:
        warehouse = fixture_contract("session_checkins").warehouse
        assert warehouse is not None
        post = postactions(warehouse, "checkin_id", "scanned_at", "batch")
        self.assertIn('MERGE INTO "events"."session_checkins" USING "events"."session_checkins_staging_batch"', post)
        self.assertNotIn("scanner_ip", post)
        self.assertEqual(refresh_statements(warehouse), [])

    def test_quoted_names_with_quotes_and_missing_key_columns(self) -> None:
        document = contract_document("session_checkins")
        document["warehouse"]["table"] = 'check"ins'
        warehouse = load_contract(document).warehouse
        assert warehouse is not None
        self.assertIn('MERGE INTO "events"."check""ins"', merge_statement(warehouse, "checkin_id", "streaming"))
        with self.assertRaises(ValueError):
            merge_statement(warehouse, "not_a_column", "streaming")
        with self.assertRaisesRegex(ValueError, "event time"):
            newest_wins_guard(warehouse, "streaming", "checkin_id", "not_a_column")

    def test_jdbc_url_of_the_jobs_database(self) -> None:
        self.assertEqual(jdbc_url("jdbc:redshift://wg.123.eu-west-1.redshift-serverless.amazonaws.com:5439/analytics", "platform"),
                         "jdbc:redshift://wg.123.eu-west-1.redshift-serverless.amazonaws.com:5439/platform")
        self.assertEqual(jdbc_url("jdbc:postgresql://127.0.0.1:5432", "analytics"), "jdbc:postgresql://127.0.0.1:5432/analytics")
        self.assertEqual(jdbc_url("jdbc:redshift://h:5439/x?ssl=true", "y"), "jdbc:redshift://h:5439/y?ssl=true")
        with self.assertRaises(ValueError):
            jdbc_url("not a url", "x")


BASE_ARGS = ["script.py", "--JOB_NAME", "attendees-batch", "--pipeline", "attendees",
             "--contract_uri", "s3://artifacts/contracts/attendees/abc.json", "--curated_path", "s3://lake/curated/attendees/",
             "--quarantine_path", "s3://lake/quarantine/attendees/", "--quarantine_payload_path", "s3://lake/quarantine/raw-payloads/attendees/", "--reference_bucket", "reference-data",
             "--pepper_secret_id", "platform/pepper", "--warehouse_enabled", "false", "--window_seconds", "60",
             "--reference_refresh_minutes", "15"]
STREAM_ARGS = ["--stream_arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/attendees",
               "--checkpoint_location", "s3://lake/checkpoints/attendees/", "--starting_position", "TRIM_HORIZON"]
WAREHOUSE_ARGS = ["--redshift_connection", "redshift", "--redshift_database", "dev", "--redshift_tmp_dir", "s3://tmp/redshift/",
                  "--warehouse_pending_path", "s3://artifacts/checkpoints/attendees/warehouse-pending/streaming/"]
INTERVAL_ARGS = ["--warehouse_load_interval_minutes", "15"]


class JobArgsTest(unittest.TestCase):
    def test_batch(self) -> None:
        args = parse_argv(BASE_ARGS + ["--raw_path=s3://raw/attendees/", "--job-bookmark-option", "job-bookmark-enable"], BATCH)
        self.assertEqual((args.raw_path, args.window_seconds, args.warehouse_enabled), ("s3://raw/attendees/", 60, False))
        self.assertIsNone(args.stream_arn)

    def test_streaming_with_warehouse(self) -> None:
        argv = [a if a != "false" else "TRUE" for a in BASE_ARGS] + STREAM_ARGS + WAREHOUSE_ARGS + INTERVAL_ARGS
        args = parse_argv(argv, STREAMING)
        self.assertEqual(args.starting_position, "trim_horizon")
        self.assertEqual(args.redshift_database, "dev")
        self.assertEqual((args.warehouse_pending_path, args.warehouse_load_interval_minutes),
                         ("s3://artifacts/checkpoints/attendees/warehouse-pending/streaming/", 15))
        self.assertIn("redshift_tmp_dir", required_names(STREAMING, True))
        self.assertNotIn("raw_path", required_names(STREAMING, True))

    def test_only_the_streaming_job_has_a_load_interval(self) -> None:
        self.assertIn("warehouse_load_interval_minutes", required_names(STREAMING, True))
        self.assertNotIn("warehouse_load_interval_minutes", required_names(BATCH, True))
        self.assertNotIn("warehouse_load_interval_minutes", required_names(STREAMING, False))
        self.assertIn("warehouse_pending_path", required_names(BATCH, True))
        argv = [a if a != "false" else "true" for a in BASE_ARGS] + ["--raw_path", "s3://r/"] + WAREHOUSE_ARGS
        self.assertIsNone(parse_argv(argv, BATCH).warehouse_load_interval_minutes, "the batch job loads at the end of its run")
        every_batch = [a if a != "false" else "true" for a in BASE_ARGS] + STREAM_ARGS + WAREHOUSE_ARGS + ["--warehouse_load_interval_minutes", "0"]
        self.assertEqual(parse_argv(every_batch, STREAMING).warehouse_load_interval_minutes, 0)

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
            ([a if a != "false" else "true" for a in BASE_ARGS] + STREAM_ARGS + WAREHOUSE_ARGS, STREAMING,
             "--warehouse_load_interval_minutes: missing"),
            ([a if a != "false" else "true" for a in BASE_ARGS] + STREAM_ARGS + WAREHOUSE_ARGS + ["--warehouse_load_interval_minutes", "-5"],
             STREAMING, "--warehouse_load_interval_minutes: expected an integer >= 0"),
            ([a if a != "false" else "true" for a in BASE_ARGS] + ["--raw_path", "s3://r/"] + WAREHOUSE_ARGS[:6]
             + ["--warehouse_pending_path", "checkpoints/p/"], BATCH, "--warehouse_pending_path: expected an s3:// URI"),
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
    def test_raw_schema_names_the_raw_columns_in_order(self) -> None:
        self.assertEqual(tuple(part.split()[0] for part in RAW_SCHEMA.split(", ")), RAW_COLUMNS)

    def test_positions_from_raw_columns_are_real_or_absent(self) -> None:
        self.assertEqual(position_of(None, None, None, "s3://raw/f.jsonl", 4), FilePosition("s3://raw/f.jsonl", 4))
        self.assertIsNone(position_of(None, None, None, None, None))
        stream = position_of(None, "4965", "2026-03-07T09:00:30.001Z", None, None)
        self.assertEqual(stream, StreamPosition(None, "4965", "2026-03-07T09:00:30.001Z"))
        assert stream is not None
        self.assertEqual(stream.as_dict(), {"kind": "stream", "sequence_number": "4965", "arrival_time": "2026-03-07T09:00:30.001Z"})

    def test_validate_raw_rows(self) -> None:
        contract = fixture_contract("session_checkins")
        received = datetime(2026, 3, 7, tzinfo=timezone.utc)
        good = b'{"checkin_id": "c1", "attendee_id": "a1", "session_id": "s1", "scanned_at": "2026-03-07T10:00:00Z"}'
        rows = [(bytearray(good), None, "11", "2026-03-07T09:00:00.000Z", None, None, 7),
                (b"oops", None, None, None, "s3://raw/f.jsonl", 2, 8)]
        outcomes = list(validate_raw_rows(rows, contract, received))
        row, quarantined = outcomes[0]
        self.assertIsNone(quarantined)
        assert row is not None
        self.assertEqual(row[:3], ("c1", "a1", "s1"))
        self.assertEqual(row[-1], 7, "the arrival order travels with the clean row")
        self.assertIsNone(outcomes[1][0])
        line = json.loads(outcomes[1][1] or "")
        self.assertEqual((line["reason"], line["raw_payload"], line["position"]), ("invalid_json", "oops", {"kind": "file", "file": "s3://raw/f.jsonl", "line": 2}))


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
        # What Glue runs: the entry scripts and the shipped library (the tests may import Spark).
        files = sorted(GLUE_JOBS.glob("*.py")) + sorted((GLUE_JOBS / "platform_etl").rglob("*.py"))
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


class EntryScriptTest(unittest.TestCase):
    def test_the_batch_listing_of_a_run_without_new_files_has_no_columns(self) -> None:
        import batch_etl

        class Empty:
            columns: list[str] = []

        self.assertEqual(batch_etl.new_files(Empty()), [])


if __name__ == "__main__":
    unittest.main()
