"""The warehouse load's cadence: markers, when a load is due, which row wins, and the load clock."""
from __future__ import annotations

import logging
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

from platform_etl.pending import (
    BATCH_KEY_COLUMN, RECEIVED_AT_COLUMN, LoadClock, LoadReport, PendingBatch, key_of_marker, load_due, marker_name, newest_rows,
    orphans,
)

T0 = datetime(2026, 3, 7, 10, 0, tzinfo=timezone.utc)
FIFTEEN = timedelta(minutes=15)


def batch(minutes: float, key: str) -> PendingBatch:
    return PendingBatch(T0 + timedelta(minutes=minutes), key)


class MarkerTest(unittest.TestCase):
    def test_a_marker_round_trips_and_names_its_batch(self) -> None:
        marked = batch(0, "000000000042")
        self.assertEqual(PendingBatch.from_json(marked.to_json()), marked)
        self.assertIn('"received_at": "2026-03-07T10:00:00Z"', marked.to_json())
        self.assertEqual(marker_name("000000000042"), "000000000042.ready")
        self.assertEqual(key_of_marker("000000000042.ready"), "000000000042")
        for other in ("000000000042", ".ready", "_SUCCESS", "000000000042.ready.crc"):
            with self.subTest(other):
                self.assertIsNone(key_of_marker(other))

    def test_directories_without_a_marker_are_orphans(self) -> None:
        self.assertEqual(orphans(["000000000002", "000000000001", "000000000003"], ["000000000001", "000000000003"]), ["000000000002"])
        self.assertEqual(orphans([], ["000000000001"]), [], "a marker without rows is not an orphan directory")

    def test_batches_sort_as_they_arrived(self) -> None:
        later_key_earlier_time = batch(0, "b")
        self.assertEqual(sorted([batch(5, "a"), later_key_earlier_time, batch(0, "a")]), [batch(0, "a"), batch(0, "b"), batch(5, "a")])


class DueTest(unittest.TestCase):
    def test_nothing_pending_is_never_due(self) -> None:
        self.assertFalse(load_due([], FIFTEEN, T0 + timedelta(days=1)))
        self.assertFalse(load_due([], timedelta(0), T0))

    def test_due_once_the_oldest_batch_waited_the_interval(self) -> None:
        pending = [batch(10, "b"), batch(0, "a")]
        self.assertFalse(load_due(pending, FIFTEEN, T0 + timedelta(minutes=14, seconds=59)))
        self.assertTrue(load_due(pending, FIFTEEN, T0 + FIFTEEN))
        self.assertFalse(load_due(pending[:1], FIFTEEN, T0 + FIFTEEN), "the newer batch alone waits its own interval")

    def test_interval_zero_loads_every_batch(self) -> None:
        self.assertTrue(load_due([batch(0, "a")], timedelta(0), T0))


class NewestRowsTest(unittest.TestCase):
    def row(self, event: str, time: int, received: int, key: str, value: str) -> dict[str, object]:
        return {"id": event, "at": time, RECEIVED_AT_COLUMN: T0 + timedelta(minutes=received), BATCH_KEY_COLUMN: key, "v": value}

    def test_the_newest_event_wins_across_batches_whatever_their_order(self) -> None:
        rows = [self.row("e1", 2, 0, "a", "new"), self.row("e1", 1, 5, "b", "old, later batch")]
        self.assertEqual([r["v"] for r in newest_rows(rows, "id", "at")], ["new"])

    def test_on_an_equal_event_time_the_later_batch_wins_as_a_merge_per_batch_did(self) -> None:
        rows = [self.row("e1", 1, 5, "b", "later"), self.row("e1", 1, 0, "a", "earlier"), self.row("e2", 1, 0, "a", "only")]
        self.assertEqual(sorted(r["v"] for r in newest_rows(rows, "id", "at")), ["later", "only"])
        same_time = [self.row("e1", 1, 0, "000000000002", "second"), self.row("e1", 1, 0, "000000000001", "first")]
        self.assertEqual([r["v"] for r in newest_rows(same_time, "id", "at")], ["second"])


class LoadClockTest(unittest.TestCase):
    def test_it_checks_repeatedly_survives_a_failing_check_and_stops(self) -> None:
        calls: list[int] = []
        third = threading.Event()

        def check() -> None:
            calls.append(len(calls))
            if len(calls) == 1:
                raise RuntimeError("the warehouse is unreachable")
            if len(calls) >= 3:
                third.set()

        with self.assertLogs("platform_etl", logging.ERROR) as logged:
            clock = LoadClock(check, period_seconds=0.01).start()
            self.assertTrue(third.wait(10), "the clock kept checking after a failed check")
            clock.stop(timeout=10)
        self.assertIn("warehouse load check failed", logged.output[0])
        stopped_at = len(calls)
        time.sleep(0.05)
        self.assertEqual(len(calls), stopped_at, "no check after stop")

    def test_stop_before_the_first_tick_checks_nothing(self) -> None:
        calls: list[int] = []
        clock = LoadClock(lambda: calls.append(1), period_seconds=3600).start()
        clock.stop(timeout=10)
        self.assertEqual(calls, [])


class ReportTest(unittest.TestCase):
    def test_summary_names_batches_rows_and_views(self) -> None:
        self.assertEqual(LoadReport(("a", "b"), 3, ("v",)).summary(),
                         "warehouse load: 2 batch(es) a, b; 3 row(s) inserted or updated; views refreshed: v")
        self.assertTrue(LoadReport(("a",), 0, ()).summary().endswith("views refreshed: none"))


if __name__ == "__main__":
    unittest.main()
