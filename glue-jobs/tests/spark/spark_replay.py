"""Replays leave the lake and the quarantine as they found them: an event already in the lake (same
event id and event time) is not written again, whichever way it comes back; a newer version of an
event is a new row (the lake keeps history, the warehouse the newest). A bad record already in the
quarantine (same payload bytes, same reason) is not quarantined again, in either zone; two different
bad records always are. Each job reports what it dropped."""
from __future__ import annotations

import json
import logging
import unittest
from collections import Counter
from typing import Any, Iterator
from contextlib import contextmanager

from platform_etl.quarantine import payload_hash
from platform_etl.records import payload_text

from .world import PEPPER, World, record

E1 = record("e1", "2026-03-07T10:00:00Z")
E2 = record("e2", "2026-03-07T10:30:00Z")
E3 = record("e3", "2026-03-07T10:45:00Z")  # the same hour partition as e1 and e2
E1_NEWER = record("e1", "2026-03-07T11:00:00Z", company="NewCo")
NOT_JSON = b"not json"
ALSO_NOT_JSON = "ceci n'est pas du JSON \u00e9".encode("utf-8")  # another payload, the same reason
NOT_UTF8 = b"\xff\xfe{}"  # kept in base64


@contextmanager
def batch_reports() -> Iterator[list[dict[str, Any]]]:
    """What the jobs report per batch on their log (`platform_etl`)."""
    reports: list[dict[str, Any]] = []

    class Collect(logging.Handler):
        def emit(self, entry: logging.LogRecord) -> None:
            if hasattr(entry, "batch_report"):
                reports.append(entry.batch_report)

    logger, handler = logging.getLogger("platform_etl"), Collect()
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield reports
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def counts(report: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (report["received"], report["lake_rows"], report["quarantined"], report["duplicates_in_batch"], report["replayed"])


def quarantine_counts(report: dict[str, Any]) -> tuple[int, int, int]:
    return (report["rejected"], report["quarantined"], report["quarantine_replayed"])


def expected_hash(payload: bytes) -> str:
    """The pure reference's payload hash of a bad record sent as `payload`."""
    text, encoding = payload_text(payload)
    return payload_hash(json.dumps({"raw_payload": text, "raw_payload_encoding": encoding}), PEPPER)


def quarantined(world: World) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """(payload hash, reason) of each analyst-facing line and of each restricted line."""
    return (Counter((r["payload_hash"], r["reason"]) for r in world.quarantine_rows()),
            Counter((r["payload_hash"], r["reason"]) for r in world.payload_rows()))


class StreamReplayTest(unittest.TestCase):
    def lake(self, world: World) -> Counter[tuple[str, str]]:
        return Counter((r["attendee_id"], str(r["registered_at"])) for r in world.lake_rows())

    def test_events_sent_again_in_a_later_batch_are_not_written_again_but_newer_versions_are(self) -> None:
        with World("attendees") as world, batch_reports() as reports:
            world.put([E1, E2, b"not json"])
            world.run_streaming()
            world.put([E1, E2, E1_NEWER])  # e1 and e2 again; in this batch e1's newer version wins
            world.run_streaming()
            world.put([E2])  # e2 once more, alone: nothing to write
            world.run_streaming()
            self.assertEqual(self.lake(world), Counter({("e1", "2026-03-07 10:00:00"): 1, ("e2", "2026-03-07 10:30:00"): 1,
                                                        ("e1", "2026-03-07 11:00:00"): 1}))
            self.assertEqual({r["attendee_id"]: r["company"] for r in world.warehouse_rows()}, {"e1": "NewCo", "e2": "Example Corp"})
            # received, lake rows, quarantined, in-batch duplicates, replayed
            self.assertEqual([counts(r) for r in reports], [(3, 2, 1, 0, 0), (3, 1, 0, 1, 1), (1, 0, 0, 0, 1)])
            self.assertEqual(len(world.glue.jdbc_conf_requests), 2, "the fully replayed batch loads nothing into the warehouse")

    def test_a_stream_read_again_from_trim_horizon_with_a_new_checkpoint_adds_only_what_is_new(self) -> None:
        with World("attendees") as world, batch_reports() as reports:
            world.put([E1, E2])
            world.run_streaming()
            first_files = {path: path.read_bytes() for path in world.lake_files()}
            world.put([E3])
            world.run_streaming(checkpoint_location=world.s3("artifacts", "checkpoints/attendees/streaming-again/"))
            self.assertEqual(self.lake(world), Counter({("e1", "2026-03-07 10:00:00"): 1, ("e2", "2026-03-07 10:30:00"): 1,
                                                        ("e3", "2026-03-07 10:45:00"): 1}))
            # The new checkpoint's batch of e3 wrote into the partition batch 0 of the first one wrote:
            # its file is a new one beside the first, which is left as it was.
            self.assertEqual({path: path.read_bytes() for path in first_files}, first_files)
            self.assertEqual(len(world.lake_files()), len(first_files) + 1)
            # The new checkpoint reads both puts again, each its own batch: the first only replays.
            self.assertEqual([counts(r) for r in reports], [(2, 2, 0, 0, 0), (2, 0, 0, 0, 2), (1, 1, 0, 0, 0)])
            self.assertNotEqual(reports[0]["batch"], reports[1]["batch"], "batch 0 of each checkpoint has its own key")

    def test_a_bad_record_sent_again_or_read_again_is_quarantined_once_and_distinct_ones_all_stay(self) -> None:
        with World("attendees") as world, batch_reports() as reports:
            sequence_numbers = world.put([NOT_JSON, ALSO_NOT_JSON, NOT_JSON, NOT_UTF8])  # a repeat within the batch
            world.run_streaming()
            first = quarantined(world)
            world.put([E1, NOT_JSON, NOT_UTF8])  # re-sent in a later batch
            world.run_streaming()
            after_resend = quarantined(world)
            world.run_streaming(checkpoint_location=world.s3("artifacts", "checkpoints/attendees/streaming-again/"))
            reasons = {(expected_hash(NOT_JSON), "invalid_json"): 1, (expected_hash(ALSO_NOT_JSON), "invalid_json"): 1,
                       (expected_hash(NOT_UTF8), "not_utf8"): 1}
            self.assertEqual(first, (Counter(reasons), Counter(reasons)), "each bad record once in each zone, two invalid_json ones")
            self.assertEqual(after_resend, first, "re-sent: nothing added")
            self.assertEqual(quarantined(world), first, "read again with a new checkpoint: nothing added")
            # Of the repeat within the batch, the first arrival is the one kept.
            not_json = [r["position"]["sequence_number"] for r in world.payload_rows() if r["raw_payload"] == "not json"]
            self.assertEqual(not_json, [sequence_numbers[0]])
            # rejected, quarantined, already quarantined (or earlier in the batch)
            self.assertEqual([quarantine_counts(r) for r in reports], [(4, 3, 1), (2, 0, 2), (4, 0, 4), (2, 0, 2)])
            self.assertEqual([r["received"] - r["lake_rows"] - r["quarantined"] - r["duplicates_in_batch"] - r["replayed"]
                              - r["quarantine_replayed"] for r in reports], [0, 0, 0, 0], "every record accounted for")


class BatchReplayTest(unittest.TestCase):
    def test_the_same_file_under_a_new_name_adds_no_row(self) -> None:
        lines = b"\n".join(json.dumps(r).encode("utf-8") for r in (E1, E2)) + b"\nbroken\n"
        with World("attendees") as world, batch_reports() as reports:
            world.drop_file("2026/03/07/a.jsonl", lines)
            world.run_batch()
            world.drop_file("2026/03/07/copy-of-a.jsonl", lines)
            world.run_batch()
            self.assertEqual(Counter(r["attendee_id"] for r in world.lake_rows()), Counter({"e1": 1, "e2": 1}))
            self.assertEqual([counts(r) for r in reports], [(3, 2, 1, 0, 0), (3, 0, 0, 0, 2)])
            self.assertEqual([quarantine_counts(r) for r in reports], [(1, 1, 0), (1, 0, 1)])
            # The copy's bad line is the same bad record: quarantined once, as first read.
            for rows in (world.quarantine_rows(), world.payload_rows()):
                self.assertEqual([r["position"]["file"].rsplit("/", 1)[-1] for r in rows], ["a.jsonl"])


if __name__ == "__main__":
    unittest.main()
