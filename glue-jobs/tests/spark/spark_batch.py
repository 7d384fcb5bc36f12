"""The batch job over raw files as producers drop them: `batch_etl.main` unchanged, job bookmarks
through the shim, lake, quarantine and warehouse read back."""
from __future__ import annotations

import gzip
import json
import unittest
from collections import Counter

from .world import World, record


def line(attendee_id: str, registered_at: str = "2026-03-07T10:00:00Z", **fields: object) -> bytes:
    return json.dumps(record(attendee_id, registered_at, **fields)).encode("utf-8")


class BatchScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.world = World.for_class(cls, "attendees")
        world = cls.world
        cls.plain = world.drop_file("2026/03/07/plain.jsonl", b"\n".join([
            line("b1"), b"", b"oops", line("b2") + b"\r", b'{"attendee_id": "\xff"}', line("b1", "2026-03-07T11:00:00Z")]) + b"\n")
        cls.compressed = world.drop_file("2026/03/07/compressed.jsonl.gz", gzip.compress(b"\n".join([line("g1"), line("g2"), b"[]"])))
        cls.odd = world.drop_file("odd keys/a,b [1] {x} *?.jsonl", line("k1") + b"\n")
        world.run_batch()
        cls.first_lake = world.lake_rows()
        cls.first_quarantine = world.quarantine_rows()
        cls.first_payloads = world.payload_rows()
        cls.statements_after_first = len(world.glue.redshift_statements)
        world.run_batch()  # the next scheduled run: nothing new
        cls.statements_after_empty = len(world.glue.redshift_statements)
        cls.lake_after_empty = world.lake_rows()
        cls.new = world.drop_file("2026/03/08/later.jsonl", line("n1", "2026-03-08T10:00:00Z") + b"\n")
        world.run_batch()


    def test_every_good_line_lands_once(self) -> None:
        self.assertEqual(Counter(r["attendee_id"] for r in self.first_lake), Counter({"b1": 1, "b2": 1, "g1": 1, "g2": 1, "k1": 1}))
        b1 = [r for r in self.first_lake if r["attendee_id"] == "b1"][0]
        self.assertEqual(str(b1["registered_at"]), "2026-03-07 11:00:00", "the file's later version of b1 wins")

    def test_bad_lines_are_quarantined_with_their_file_and_line(self) -> None:
        positions = sorted((r["position"]["file"], r["position"]["line"], r["reason"]) for r in self.first_quarantine)
        self.assertEqual(positions, sorted([(self.plain, 3, "invalid_json"), (self.plain, 5, "not_utf8"),
                                            (self.compressed, 3, "not_an_object")]))
        self.assertTrue(all(r["position"]["kind"] == "file" for r in self.first_quarantine))
        not_utf8 = [r for r in self.first_payloads if r["reason"] == "not_utf8"][0]
        self.assertEqual(not_utf8["raw_payload_encoding"], "base64")
        self.assertEqual({r["quarantine_id"] for r in self.first_quarantine}, {r["quarantine_id"] for r in self.first_payloads})

    def test_a_scheduled_run_with_no_new_files_writes_nothing(self) -> None:
        self.assertEqual(self.statements_after_empty, self.statements_after_first, "no warehouse statement")
        self.assertEqual(Counter(r["attendee_id"] for r in self.lake_after_empty), Counter(r["attendee_id"] for r in self.first_lake))

    def test_the_next_run_reads_only_the_new_file(self) -> None:
        lake = Counter(r["attendee_id"] for r in self.world.lake_rows())
        self.assertEqual(lake, Counter({"b1": 1, "b2": 1, "g1": 1, "g2": 1, "k1": 1, "n1": 1}))
        self.assertEqual(len(self.world.quarantine_rows()), 3)
        self.assertEqual({r["attendee_id"] for r in self.world.warehouse_rows()}, {"b1", "b2", "g1", "g2", "k1", "n1"})


class BatchFilesTest(unittest.TestCase):
    def test_a_large_file_is_read_line_by_line_with_its_line_numbers(self) -> None:
        from glue_local import spark as session

        spark = session.spark()
        lines = [line(f"l{i}", company="x" * 100) for i in range(1, 6_000)] + [b"broken"]
        previous = spark.conf.get("spark.sql.files.maxPartitionBytes")
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(256 * 1024))  # the file spans many splits
        try:
            with World("attendees", warehouse=False) as world:
                uri = world.drop_file("big/big.jsonl", b"\n".join(lines) + b"\n")
                world.run_batch()
                self.assertEqual(len(world.lake_rows()), 5_999)
                self.assertEqual([(r["position"]["file"], r["position"]["line"]) for r in world.quarantine_rows()], [(uri, 6_000)])
        finally:
            spark.conf.set("spark.sql.files.maxPartitionBytes", previous)

    def test_a_failed_run_retried_with_more_files_leaves_each_row_once(self) -> None:
        with World("attendees") as world:
            world.drop_file("a.jsonl", line("f1") + b"\nbad\n")
            world.glue.faults.redshift_load_before_commit = 1
            with self.assertRaises(Exception):
                world.run_batch()
            world.drop_file("b.jsonl", line("f2") + b"\n")  # arrives before Glue retries the run
            world.run_batch()
            self.assertEqual(Counter(r["attendee_id"] for r in world.lake_rows()), Counter({"f1": 1, "f2": 1}))
            self.assertEqual(Counter(r["raw_payload"] for r in world.payload_rows()), Counter({"bad": 1}))
            self.assertEqual({r["attendee_id"] for r in world.warehouse_rows()}, {"f1", "f2"})


if __name__ == "__main__":
    unittest.main()
