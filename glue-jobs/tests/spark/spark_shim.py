"""The Glue shim behaves as Glue does, for each behaviour the jobs rely on."""
from __future__ import annotations

import os
import tempfile
import threading
import time
import unittest
from pathlib import Path

from awsglue import _local, _redshift
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import GlueArgumentError, getResolvedOptions

from glue_local import kinesalite
from glue_local import spark as session

from . import postgres
from .world import World, golden_warehouse


class ResolvedOptionsTest(unittest.TestCase):
    def test_requested_options_are_required_and_others_ignored(self) -> None:
        resolved = getResolvedOptions(["x.py", "--JOB_NAME", "j", "--pipeline", "p", "--unrelated", "1"], ["JOB_NAME", "pipeline"])
        self.assertEqual((resolved["JOB_NAME"], resolved["pipeline"]), ("j", "p"))
        self.assertNotIn("unrelated", resolved)
        with self.assertRaisesRegex(GlueArgumentError, "--pipeline"):
            getResolvedOptions(["x.py", "--JOB_NAME", "j"], ["JOB_NAME", "pipeline"])

    def test_bookmark_option_is_always_resolved_and_reserved(self) -> None:
        self.assertEqual(getResolvedOptions(["x.py"], [])["job_bookmark_option"], "job-bookmark-disable")
        on = getResolvedOptions(["x.py", "--job-bookmark-option", "job-bookmark-enable"], [])
        self.assertEqual(on["job_bookmark_option"], "job-bookmark-enable")
        with self.assertRaisesRegex(RuntimeError, "reserved"):
            getResolvedOptions(["x.py"], ["job-bookmark-option"])


class ShimTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.spark = session.spark()
        self.root = Path(tempfile.mkdtemp(prefix="dp-shim-"))
        self.local = _local.reset(self.root)
        self.glue = GlueContext(self.spark.sparkContext)


class ForEachBatchTest(ShimTestCase):
    """The Kinesis source reads the suite's kinesalite through the Kinesis API; forEachBatch is Glue's wrapper."""

    def setUp(self) -> None:
        super().setUp()
        self.stream = f"shim-{self.root.name}"
        self.stream_arn = f"arn:aws:kinesis:eu-west-1:111122223333:stream/{self.stream}"
        kinesalite.shared().create_stream(self.stream, shards=2)

    def put(self, *payloads: bytes) -> list[str]:
        return kinesalite.shared().put_records(self.stream, list(payloads))

    def frame(self, position: str = "TRIM_HORIZON") -> object:
        return self.glue.create_data_frame.from_options(connection_type="kinesis", connection_options={
            "streamARN": self.stream_arn, "startingPosition": position, "inferSchema": "false", "addRecordTimestamp": "true"})

    def options(self, checkpoint: str = "checkpoint", **extra: str) -> dict[str, str]:
        return {"windowSize": "10 seconds", "checkpointLocation": (self.root / checkpoint).as_uri(), **extra}

    def run_batches(self, checkpoint: str = "checkpoint", position: str = "TRIM_HORIZON") -> list[tuple[int, list[bytes]]]:
        batches: list[tuple[int, list[bytes]]] = []
        collect = lambda df, batch_id: batches.append((batch_id, sorted(bytes(r.data) for r in df.collect())))  # noqa: E731
        self.glue.forEachBatch(self.frame(position), collect, self.options(checkpoint))
        return batches

    def test_source_columns_are_the_connectors(self) -> None:
        sequences = self.put(b'{"a": 1}', b"\xff\x00raw")
        seen: list[list[dict]] = []
        self.glue.forEachBatch(self.frame(), lambda df, _id: seen.append([r.asDict() for r in df.collect()]), self.options())
        self.assertEqual(self.frame().columns, ["data", "streamName", "partitionKey", "sequenceNumber", "approximateArrivalTimestamp",
                                                "__src_timestamp"])
        self.assertEqual(sorted(bytes(r["data"]) for r in seen[0]), [b'{"a": 1}', b"\xff\x00raw"])
        self.assertEqual({r["streamName"] for r in seen[0]}, {self.stream})
        self.assertEqual(sorted(r["sequenceNumber"] for r in seen[0]), sorted(sequences), "Kinesis's own sequence numbers")
        self.assertTrue(all(r["approximateArrivalTimestamp"] == r["__src_timestamp"] for r in seen[0]))

    def test_every_shard_is_read_and_a_restart_resumes_after_the_last_commit(self) -> None:
        self.put(*[str(i).encode() for i in range(20)])  # partition keys spread them over both shards
        first = self.run_batches()
        self.put(b"20")
        second = self.run_batches()
        self.assertEqual(second, [(1, [b"20"])])
        self.assertEqual(first, [(0, sorted(str(i).encode() for i in range(20)))])
        self.assertEqual(self.run_batches(), [], "nothing new: no batch")

    def test_a_new_checkpoint_reads_the_stream_again_from_its_starting_position(self) -> None:
        self.put(b"1", b"2")
        self.assertEqual(self.run_batches(), [(0, [b"1", b"2"])])
        self.assertEqual(self.run_batches("other-checkpoint"), [(0, [b"1", b"2"])], "trim_horizon: the whole stream again")
        self.put(b"3")
        self.assertEqual(self.run_batches("third-checkpoint", position="LATEST"), [], "latest: only what comes after the start")
        self.assertEqual(self.run_batches(), [(1, [b"3"])], "the first checkpoint resumes where it was")

    def test_a_fetch_whose_positions_were_not_written_is_not_read_twice(self) -> None:
        self.put(b"1")
        self.run_batches()
        for positions in (self.root / "kinesis").rglob("_positions-*.json"):
            positions.unlink()  # the job stopped between publishing a fetch and its positions
        self.put(b"2")
        self.assertEqual(self.run_batches(), [(1, [b"2"])])

    def test_a_failed_batch_runs_again_with_the_same_id_up_to_the_retry_limit(self) -> None:
        self.put(b"1")
        calls: list[tuple[int, list[bytes]]] = []

        def flaky(df: object, batch_id: int) -> None:
            calls.append((batch_id, [bytes(r.data) for r in df.collect()]))  # type: ignore[attr-defined]
            if len(calls) < 3:
                raise RuntimeError("transient")

        self.glue.forEachBatch(self.frame(), flaky, self.options(batchMaxRetries="2"))
        self.assertEqual(calls, [(0, [b"1"])] * 3, "the same batch, with the same records")

        self.put(b"2")
        started = time.monotonic()
        with self.assertRaises(Exception):
            self.glue.forEachBatch(self.frame(), lambda df, i: (_ for _ in ()).throw(RuntimeError("always")), self.options(batchMaxRetries="1"))
        self.assertGreaterEqual(time.monotonic() - started, 1.0, "one back-off of 1 s before the retry")
        with self.assertRaisesRegex(ValueError, r"\[0, 100\]"):
            self.glue.forEachBatch(self.frame(), flaky, self.options(batchMaxRetries="101"))

    def test_empty_batches_never_reach_the_batch_function(self) -> None:
        # The wrapper does not depend on the source: a file source whose first file is empty.
        directory = self.root / "files"
        directory.mkdir()
        for index, text in enumerate(["", '{"x": 1}\n']):
            path = directory / f"{index}.json"
            path.write_text(text, encoding="utf-8")
            os.utime(path, (1_700_000_000 + index, 1_700_000_000 + index))
        frame = self.spark.readStream.schema("x INT").option("maxFilesPerTrigger", 1).json(directory.as_uri())
        ids: list[int] = []
        self.glue.forEachBatch(frame, lambda df, batch_id: ids.append(batch_id), self.options())
        self.assertEqual(ids, [1])

    def test_a_running_query_ends_when_the_job_is_stopped(self) -> None:
        self.local.until_drained = False
        self.put(b"1")
        seen: list[int] = []

        def stop_after_first(df: object, batch_id: int) -> None:
            seen.append(batch_id)
            threading.Thread(target=self.local.request_stop, kwargs={"grace_seconds": 30}).start()

        started = time.monotonic()
        self.glue.forEachBatch(self.frame(), stop_after_first, {**self.options(), "windowSize": "1 seconds"})
        self.assertEqual(seen, [0])
        self.assertLess(time.monotonic() - started, 30, "the batch finished, then the query stopped")
        self.assertEqual(self.local.queries, [])

    def test_options_the_shim_does_not_model_are_refused(self) -> None:
        with self.assertRaisesRegex(ValueError, "fanoutConsumerARN"):
            self.glue.create_data_frame.from_options(connection_type="kinesis", connection_options={
                "streamARN": self.stream_arn, "startingPosition": "TRIM_HORIZON", "fanoutConsumerARN": "x"})
        with self.assertRaisesRegex(ValueError, "startingPosition 'yesterday'"):
            self.frame("yesterday")
        with self.assertRaisesRegex(Exception, "windowSize"):
            self.glue.forEachBatch(self.frame(), lambda df, i: None, {"checkpointLocation": "x"})


class BookmarkTest(ShimTestCase):
    def listing(self, job: Job) -> list[str]:
        frame = self.glue.create_dynamic_frame.from_options(
            connection_type="s3", connection_options={"paths": [(self.root / "raw").as_uri()], "recurse": True}, format="csv",
            format_options={"separator": "\u0001", "quoteChar": -1, "withHeader": False, "attachFilename": "source_file"},
            transformation_ctx="raw_files").toDF()
        return sorted({Path(r.source_file).name for r in frame.collect()}) if frame.columns else []

    def drop(self, name: str, text: str = '{"a": 1}\n', mtime: float = 1_700_000_000) -> None:
        path = self.root / "raw" / "sub" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (mtime, mtime))

    def job(self, bookmarks: bool = True) -> Job:
        job = Job(self.glue)
        job.init("bookmarked", getResolvedOptions(["x.py", "--job-bookmark-option", "job-bookmark-enable"] if bookmarks else ["x.py"], []))
        return job

    def test_commit_records_what_was_read_and_new_or_changed_objects_come_back(self) -> None:
        self.drop("a.jsonl")
        self.drop("_hidden.jsonl")
        job = self.job()
        self.assertEqual(self.listing(job), ["a.jsonl"])
        job.commit()
        self.drop("b.jsonl")
        job = self.job()
        self.assertEqual(self.listing(job), ["b.jsonl"])
        job = self.job()  # the previous run never committed: b comes again
        self.assertEqual(self.listing(job), ["b.jsonl"])
        job.commit()
        self.drop("a.jsonl", '{"a": 2}\n', mtime=1_700_000_500)  # rewritten by its producer
        self.assertEqual(self.listing(self.job()), ["a.jsonl"])

    def test_no_bookmark_option_in_the_args_means_no_bookmarks(self) -> None:
        self.drop("a.jsonl")
        job = Job(self.glue)
        job.init("bookmarked", {"JOB_NAME": "bookmarked"})
        self.listing(job)
        job.commit()
        self.assertEqual(self.listing(self.job()), ["a.jsonl"])

    def test_nothing_new_is_an_empty_frame_without_columns(self) -> None:
        (self.root / "raw").mkdir()
        job = self.job()
        frame = self.glue.create_dynamic_frame.from_options(
            connection_type="s3", connection_options={"paths": [(self.root / "raw").as_uri()], "recurse": True}, format="csv",
            format_options={"separator": "\u0001", "attachFilename": "source_file"}, transformation_ctx="raw_files")
        self.assertIsInstance(frame, DynamicFrame)
        self.assertEqual((frame.toDF().columns, frame.count()), ([], 0))
        job.commit()

    def test_keys_with_glob_characters_and_commas_are_read_as_themselves(self) -> None:
        for name in ("a[1].jsonl", "b*,c.jsonl", "d{e}.jsonl", "f g.jsonl"):
            self.drop(name)
        self.assertEqual(self.listing(self.job()), ["a[1].jsonl", "b*,c.jsonl", "d{e}.jsonl", "f g.jsonl"])


class RedshiftConnectorTest(unittest.TestCase):
    """The connector against PostgreSQL: table from the DataFrame's types, one transaction."""

    def setUp(self) -> None:
        self.world = World.for_test(self, "attendees")
        self.glue = GlueContext(session.spark().sparkContext)
        self.frame = DynamicFrame.fromDF(session.spark().createDataFrame([("a", 1)], "name STRING, n INT"), self.glue, "rows")


    def write(self, preactions: str = "", postactions: str = "", table: str = "data_platform.shim_target") -> None:
        self.glue.write_dynamic_frame.from_jdbc_conf(frame=self.frame, catalog_connection="dp-test-warehouse", connection_options={
            "database": self.world.database, "dbtable": table, "preactions": preactions, "postactions": postactions},
            redshift_tmp_dir=self.world.s3("artifacts", "temp/shim/"))

    def test_creates_the_table_from_the_frame_with_strings_as_varchar_256_then_loads(self) -> None:
        self.write()
        self.assertEqual(self.world.warehouse_column_types("shim_target"), {"name": "character varying(256)", "n": "integer"})
        self.assertEqual(self.world.warehouse_rows("shim_target"), [{"name": "a", "n": 1}])
        statements = self.world.glue.redshift_statements
        self.assertTrue(statements[0].startswith('CREATE TABLE IF NOT EXISTS "data_platform"."shim_target"'))

    def test_preactions_load_and_postactions_are_one_transaction(self) -> None:
        self.world.glue.faults.redshift_load_before_commit = 1
        with self.assertRaises(_local.InjectedFailure):
            self.write(preactions='CREATE TABLE "data_platform"."made_by_preaction" (x INT)',
                       postactions='INSERT INTO "data_platform"."made_by_preaction" VALUES (1)')
        tables = postgres.shared_cluster().query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'data_platform'",
                                                 database=self.world.database)
        self.assertIn(("attendees",), tables)
        self.assertNotIn(("made_by_preaction",), tables)
        self.assertNotIn(("shim_target",), tables, "the connector's own CREATE TABLE is rolled back too")

    def test_actions_are_split_on_semicolons_and_percent_s_is_the_table(self) -> None:
        self.write(postactions='DELETE FROM %s WHERE "n" = 1; INSERT INTO %s VALUES (\'b\', 2);')
        self.assertEqual(self.world.warehouse_rows("shim_target"), [{"name": "b", "n": 2}])

    def test_a_refresh_in_the_actions_does_not_see_the_load_of_its_own_transaction(self) -> None:
        view = self.world.contract["warehouse"]["materialized_views"][0]["name"]
        insert = ('INSERT INTO "data_platform"."attendees" ("attendee_id", "email", "full_name", "country_code", "registered_at", '
                  "\"ticket_type\") VALUES ('a1', 'e', 'n', 'FR', '2026-03-07 10:00:00', 'standard')")
        self.write(postactions=f'{insert}; REFRESH MATERIALIZED VIEW "data_platform"."{view}"')
        self.assertEqual(len(self.world.warehouse_rows()), 1, "the insert committed with the load")
        self.assertEqual(self.world.warehouse_rows(view), [], "the refresh ran in a transaction of its own, before that commit")

    def test_the_adapter_removes_only_redshift_layout_clauses(self) -> None:
        foundation, migration = golden_warehouse("attendees")["statements"][-2:]
        adapted = _redshift.redshift_to_postgres(migration)
        for clause in ("DISTSTYLE", "DISTKEY", "SORTKEY", "BACKUP YES", "AUTO REFRESH"):
            self.assertIn(clause, migration)
            self.assertNotIn(clause, adapted)
        for kept in ('CREATE TABLE IF NOT EXISTS "data_platform"."attendees" (', "PRIMARY KEY", "COUNT(DISTINCT", "GRANT SELECT, INSERT"):
            self.assertIn(kept, adapted)
        self.assertIn("PASSWORD DISABLE", foundation)
        self.assertIn("PASSWORD NULL", _redshift.redshift_to_postgres(foundation))
        self.assertEqual(_redshift.redshift_to_postgres('DELETE FROM "s"."t" USING "s"."u" WHERE 1 = 1'), 'DELETE FROM "s"."t" USING "s"."u" WHERE 1 = 1')

    def test_extract_jdbc_conf_gives_the_connection_without_and_with_the_database(self) -> None:
        conf = self.glue.extract_jdbc_conf("dp-test-warehouse")
        self.assertEqual(conf["fullUrl"], f"{conf['url']}/{self.world.database}")
        self.assertEqual(conf["user"], "dp_etl_writer")
        with self.assertRaisesRegex(RuntimeError, "no Glue connection 'other'"):
            self.glue.extract_jdbc_conf("other")


if __name__ == "__main__":
    unittest.main()
