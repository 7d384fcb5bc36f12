"""Stage, journal, publish: names, the journal, and the rollback and received-time decisions."""
from __future__ import annotations

import unittest
from datetime import datetime, timedelta, timezone

from platform_etl.publish import (
    Journal, file_batch_key, file_input, published_name, received_time, staged_targets, streaming_batch_key, to_rollback,
)

NOW = datetime(2026, 3, 7, 23, 59, 59, tzinfo=timezone.utc)


def journal(key: str, inputs: tuple[str, ...] = (), committed: bool = False) -> Journal:
    return Journal("batch", key, "2026-03-07T23:59:59Z", inputs, (f"s3://lake/p/year=2026/batch-{key}-00000.parquet",), committed)


class NamesTest(unittest.TestCase):
    def test_keys_are_stable_and_name_the_batch(self) -> None:
        query = "f831ac39-1db3-459b-adb5-b1ecc9622ad8"
        self.assertEqual(streaming_batch_key(query, 42), "f831ac391db3459badb5b1ecc9622ad8-000000000042")
        self.assertNotEqual(streaming_batch_key(query, 0), streaming_batch_key("0b1c2d3e-0000-4000-8000-000000000001", 0),
                            "batch 0 of a new checkpoint is another batch")
        with self.assertRaises(ValueError):
            streaming_batch_key(query, -1)
        with self.assertRaisesRegex(ValueError, "not a UUID"):
            streaming_batch_key("", 1)
        inputs = [file_input("s3://raw/p/a.jsonl", 1), file_input("s3://raw/p/b.jsonl", 2)]
        self.assertEqual(file_batch_key(inputs), file_batch_key(reversed(inputs)))
        self.assertNotEqual(file_batch_key(inputs), file_batch_key(inputs[:1]))
        self.assertNotEqual(file_batch_key([file_input("s3://raw/p/a.jsonl", 3)]), file_batch_key(inputs[:1]), "a rewritten file is new")
        self.assertEqual(published_name("streaming", "000000000042", 3, ".parquet"), "streaming-000000000042-00003.parquet")

    def test_staged_spark_files_get_deterministic_names_in_their_partition(self) -> None:
        staged = ["year=2026/hour=10/part-00001-b.c000.snappy.parquet", "year=2026/hour=10/part-00000-a.c000.snappy.parquet",
                  "year=2026/hour=11/part-00000-c.c000.snappy.parquet", "_SUCCESS", "year=2026/hour=10/.part-00000-a.crc"]
        self.assertEqual(staged_targets(staged, "batch", "k", ".parquet"), [
            ("year=2026/hour=10/part-00000-a.c000.snappy.parquet", "year=2026/hour=10/batch-k-00000.parquet"),
            ("year=2026/hour=10/part-00001-b.c000.snappy.parquet", "year=2026/hour=10/batch-k-00001.parquet"),
            ("year=2026/hour=11/part-00000-c.c000.snappy.parquet", "year=2026/hour=11/batch-k-00000.parquet"),
        ])
        self.assertEqual(staged_targets(["part-00000-x.parquet"], "streaming", "k", ".parquet"), [("part-00000-x.parquet", "streaming-k-00000.parquet")])


class JournalTest(unittest.TestCase):
    def test_round_trip(self) -> None:
        original = journal("k", ("s3://raw/a@1",))
        self.assertEqual(Journal.from_json(original.to_json()), original)
        self.assertTrue(original.marked_committed().committed)

    def test_the_same_key_again_replaces_what_it_published_and_keeps_its_received_time(self) -> None:
        previous = journal("000000000042", committed=True)
        self.assertEqual(to_rollback(previous, "000000000042", ()), previous.published)
        later = NOW + timedelta(minutes=5)  # past midnight: the date would change
        self.assertEqual(received_time(previous, "000000000042", later), NOW)
        self.assertEqual(received_time(previous, "000000000043", later), later)
        self.assertEqual(received_time(None, "000000000042", later), later)

    def test_an_uncommitted_run_whose_files_come_again_is_rolled_back(self) -> None:
        previous = journal("old", ("s3://raw/a@1",))
        self.assertEqual(to_rollback(previous, "new", ["s3://raw/a@1", "s3://raw/b@2"]), previous.published)

    def test_a_run_whose_bookmark_moved_on_is_never_rolled_back(self) -> None:
        self.assertEqual(to_rollback(journal("old", ("s3://raw/a@1",)), "new", ["s3://raw/b@2"]), ())
        self.assertEqual(to_rollback(journal("old", ("s3://raw/a@1",)), "new", ["s3://raw/a@5"]), (), "a rewritten file is another input")
        self.assertEqual(to_rollback(journal("old", ("s3://raw/a@1",), committed=True), "new", ["s3://raw/a@1"]), ())
        self.assertEqual(to_rollback(None, "new", ["s3://raw/a@1"]), ())


if __name__ == "__main__":
    unittest.main()
