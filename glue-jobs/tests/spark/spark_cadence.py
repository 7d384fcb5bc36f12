"""The warehouse load on its own cadence (`--warehouse_load_interval_minutes`), on real Spark and
PostgreSQL: micro-batches only append to the pending prefix; one load takes everything pending once
the oldest batch waited the interval; the views are refreshed after a load that changed rows, and
only then; a restart keeps the cadence; a job that stops between the load's commit and the removal
of what it loaded neither duplicates nor loses a row, and leaves no view stale.

The jobs' clock is `spark_job.utc_now`; each test sets it. Refreshes are counted by the database
itself (`World.refreshes`, an event trigger), loads by the MERGE statements the connector sent.
"""
from __future__ import annotations

import re
import shutil
import unittest
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator
from unittest import mock

from .world import World, record

T0 = datetime(2026, 3, 7, 10, 0, tzinfo=timezone.utc)
VIEW = "data_platform.attendees_by_country"


@contextmanager
def clock(now: datetime | Callable[[], datetime]) -> Iterator[None]:
    """The jobs' clock: a fixed moment, or a function giving it."""
    with mock.patch("platform_etl.spark_job.utc_now", side_effect=now if callable(now) else lambda: now):
        yield


def merges(world: World) -> int:
    """Loads so far: each load's connector write ends in one MERGE."""
    return sum(1 for s in world.glue.redshift_statements if s.startswith("MERGE INTO"))


def pending(world: World) -> list[str]:
    """The pending prefix's names, each batch key without its streaming query's id (`<query id>-<batch id>`)."""
    return [re.sub(r"^[0-9a-f]{32}-", "", name) for name in world.pending()]


def ids(world: World) -> Counter[str]:
    return Counter(r["attendee_id"] for r in world.warehouse_rows())


def view_counts(world: World) -> dict[tuple[str, str], int]:
    view = world.contract["warehouse"]["materialized_views"][0]["name"]
    return {(r["country_code"], r["ticket_type"]): r["attendee_count"] for r in world.warehouse_rows(view)}


def table_counts(world: World) -> dict[tuple[str, str], int]:
    return dict(Counter((r["country_code"], r["ticket_type"]) for r in world.warehouse_rows()))


class CadenceAcrossRestarts(unittest.TestCase):
    """Fifteen minutes between loads; the job is stopped and started between batches."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.world = world = World.for_class(cls, "attendees")
        # References are reloaded hourly, so a batch's Spark work is its writes (as in spark_streaming).
        every_fifteen = {"warehouse_load_interval_minutes": "15", "reference_refresh_minutes": "60"}
        world.put([record("c1", "2026-03-07T10:00:00Z", company="first"), record("c2", "2026-03-07T10:00:00Z", country_code="DE")])
        world.put([record("c3", "2026-03-07T10:00:00Z")])
        world.put([record("c1", "2026-03-07T11:00:00Z", company="newer")])
        with clock(T0):
            world.run_streaming(**every_fifteen)
        cls.after_first_run = (list(world.glue.redshift_statements), list(world.glue.jdbc_conf_requests), pending(world), ids(world))
        cls.first_run_work = list(world.glue.batch_spark_work)
        world.put([record("c4", "2026-03-07T10:05:00Z")])
        with clock(T0 + timedelta(minutes=10)):
            world.run_streaming(**every_fifteen)  # restarted ten minutes later
        cls.after_restart = (merges(world), world.pending(), world.refreshes())
        with clock(T0 + timedelta(minutes=16)):
            world.run_streaming(**every_fifteen)  # restarted again, nothing new on the stream
        cls.after_due = (merges(world), world.pending(), world.refreshes())

    def test_batches_within_the_interval_send_no_warehouse_statement_at_all(self) -> None:
        statements, connections, pending, loaded = self.after_first_run
        self.assertEqual((statements, connections, loaded), ([], [], Counter()))
        self.assertEqual(pending, ["000000000000", "000000000000.ready", "000000000001", "000000000001.ready",
                                   "000000000002", "000000000002.ready"])
        # Each batch ran its quarantine and lake writes, the replay check and the pending write, and nothing else.
        self.assertEqual(self.first_run_work, [(0, 4, 0), (1, 4, 0), (2, 4, 0)])

    def test_a_restart_keeps_the_interval_of_what_is_pending(self) -> None:
        loads, pending, refreshes = self.after_restart
        self.assertEqual((loads, refreshes), (0, []), "ten minutes after the oldest batch: not due, though the job restarted")
        self.assertEqual(len([name for name in pending if name.endswith(".ready")]), 4)

    def test_four_batches_make_one_load_and_one_refresh_once_the_oldest_waited_the_interval(self) -> None:
        loads, pending, refreshes = self.after_due
        self.assertEqual(loads, 1)
        self.assertEqual(refreshes, [VIEW])
        self.assertEqual(pending, [], "what was loaded is removed")
        self.assertEqual(ids(self.world), Counter({"c1": 1, "c2": 1, "c3": 1, "c4": 1}))

    def test_the_newest_version_across_batches_wins_and_the_view_sees_the_load(self) -> None:
        rows = {r["attendee_id"]: r for r in self.world.warehouse_rows()}
        self.assertEqual((rows["c1"]["company"], str(rows["c1"]["registered_at"])), ("newer", "2026-03-07 11:00:00"))
        self.assertEqual(view_counts(self.world), table_counts(self.world))


class CadenceWhileRunning(unittest.TestCase):
    def test_the_batch_that_makes_the_oldest_wait_the_interval_loads_all_pending_once(self) -> None:
        with World("attendees") as world:
            for attendee in ("r1", "r2", "r3"):
                world.put([record(attendee, "2026-03-07T10:00:00Z")])
            # Each batch runs eight minutes after the one before: the third is the first due.
            with clock(lambda: T0 + timedelta(minutes=8) * len(world.glue.batch_spark_work)):
                world.run_streaming(warehouse_load_interval_minutes="15", reference_refresh_minutes="60")
            self.assertEqual(merges(world), 1)
            self.assertEqual(world.refreshes(), [VIEW])
            self.assertEqual(ids(world), Counter({"r1": 1, "r2": 1, "r3": 1}))
            self.assertEqual(world.pending(), [])
            # Only the third batch loaded: its fifth action is the connector's unload.
            self.assertEqual(world.glue.batch_spark_work, [(0, 4, 0), (1, 4, 0), (2, 5, 0)])

    def test_a_quiet_stream_is_loaded_by_the_clock_once_the_interval_passed(self) -> None:
        with World("attendees") as world:
            world.put([record("q1", "2026-03-07T10:00:00Z")])
            with clock(T0), mock.patch("platform_etl.spark_job.LoadClock") as load_clock:
                world.run_streaming(warehouse_load_interval_minutes="15")
            load_clock.return_value.start.return_value.stop.assert_called_once_with()
            check = load_clock.call_args.args[0]  # what the clock's thread calls every minute
            with clock(T0 + timedelta(minutes=14)):
                check()
            self.assertEqual((merges(world), ids(world)), (0, Counter()), "no batch arrived and the interval has not passed")
            with clock(T0 + timedelta(minutes=15)):
                check()
            self.assertEqual((merges(world), ids(world), world.refreshes(), world.pending()), (1, Counter({"q1": 1}), [VIEW], []))
            with clock(T0 + timedelta(minutes=30)):
                check()
            self.assertEqual(merges(world), 1, "nothing pending: no statement")


class NewCheckpoint(unittest.TestCase):
    def test_a_new_checkpoint_numbering_batches_from_0_again_never_overwrites_rows_still_pending(self) -> None:
        with World("attendees") as world:
            world.put([record("x1", "2026-03-07T10:00:00Z")])
            world.put([record("x2", "2026-03-07T10:00:00Z")])
            with clock(T0):
                world.run_streaming(warehouse_load_interval_minutes="15")
            first = world.pending()
            self.assertEqual(pending(world), ["000000000000", "000000000000.ready", "000000000001", "000000000001.ready"])
            # An operator starts the job on a new checkpoint: a new query, which numbers its batches
            # from 0 again and reads the stream from its start (x1 and x2 again: replays).
            shutil.rmtree(world.local_path("artifacts", "checkpoints/attendees/streaming"))
            world.put([record("x3", "2026-03-07T10:00:00Z")])
            with clock(T0 + timedelta(minutes=2)):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual(merges(world), 0, "not due yet")
            self.assertTrue(set(first) < set(world.pending()), "the new query's keys are new names: nothing pending was replaced")
            with clock(T0 + timedelta(minutes=17)):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual(ids(world), Counter({"x1": 1, "x2": 1, "x3": 1}))
            self.assertEqual(world.pending(), [])


class RefreshOnlyAfterChanges(unittest.TestCase):
    def test_a_load_whose_rows_the_guard_dropped_refreshes_nothing(self) -> None:
        with World("attendees") as world:
            world.put([record("o1", "2026-03-07T12:00:00Z", company="current")])
            world.run_streaming()  # this world loads after every batch
            self.assertEqual((merges(world), world.refreshes()), (1, [VIEW]))
            world.put([record("o1", "2026-03-07T09:00:00Z", company="older")])
            world.run_streaming()
            self.assertEqual(merges(world), 2, "the older version was loaded")
            self.assertEqual(world.refreshes(), [VIEW], "and dropped by the guard: no row changed, no refresh")
            self.assertEqual([r["company"] for r in world.warehouse_rows()], ["current"])
            # The same id and time again is a replay, which the lake drops: a correction is a later version.
            world.put([record("o1", "2026-03-07T12:30:00Z", company="corrected")])
            world.run_streaming()
            self.assertEqual(world.refreshes(), [VIEW, VIEW], "a newer version updates: a change")
            self.assertEqual([r["company"] for r in world.warehouse_rows()], ["corrected"])

    def test_a_batch_without_warehouse_rows_leaves_nothing_pending_and_sends_nothing(self) -> None:
        with World("attendees") as world:
            world.put([b"not json", b"[1]"])
            with clock(T0):
                world.run_streaming(warehouse_load_interval_minutes="15")
            with clock(T0 + timedelta(hours=1)):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual((world.glue.redshift_statements, world.glue.jdbc_conf_requests, world.pending()), ([], [], []))
            self.assertEqual(len(world.quarantine_rows()), 2)


class StopBetweenCommitAndRemoval(unittest.TestCase):
    """The load committed, then the job stopped: a restart loads the same batches again."""

    def pending_then_due(self, world: World) -> None:
        world.put([record("k1", "2026-03-07T10:00:00Z", country_code="DE"), record("k2", "2026-03-07T10:00:00Z", country_code="DE")])
        with clock(T0):
            world.run_streaming(warehouse_load_interval_minutes="15")

    def assert_loaded_once(self, world: World) -> None:
        self.assertEqual(ids(world), Counter({"k1": 1, "k2": 1}))
        self.assertEqual(view_counts(world), {("DE", "standard"): 2})
        self.assertEqual(world.pending(), [])

    def test_before_the_count_and_refresh_the_restart_reloads_and_refreshes(self) -> None:
        with World("attendees") as world:
            self.pending_then_due(world)
            world.glue.faults.extract_jdbc_conf = 1  # the job cannot reach the warehouse after the commit
            with clock(T0 + timedelta(minutes=15)), self.assertRaises(Exception):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual((merges(world), ids(world)), (1, Counter({"k1": 1, "k2": 1})), "the load committed")
            self.assertEqual((world.refreshes(), view_counts(world)), ([], {}), "the view is stale")
            self.assertIn("000000000000.ready", pending(world))
            with clock(T0 + timedelta(minutes=15)):
                world.run_streaming(warehouse_load_interval_minutes="15")  # Glue runs the job again
            self.assertEqual(merges(world), 2, "the same batch loaded again")
            self.assertEqual(world.refreshes(), [VIEW], "its equal-time rows count as changed: the stale view is refreshed")
            self.assert_loaded_once(world)

    def test_after_the_refresh_the_restart_reloads_without_duplicates(self) -> None:
        from platform_etl.warehouse_load import PendingLoads

        with World("attendees") as world:
            self.pending_then_due(world)
            with clock(T0 + timedelta(minutes=15)), self.assertRaises(RuntimeError), \
                    mock.patch.object(PendingLoads, "_forget", side_effect=RuntimeError("stopped before the removal")):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual((merges(world), world.refreshes()), (1, [VIEW]))
            with clock(T0 + timedelta(minutes=15)):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual((merges(world), world.refreshes()), (2, [VIEW, VIEW]))
            self.assert_loaded_once(world)

    def test_half_way_through_the_removal_the_rest_is_deleted_not_loaded(self) -> None:
        from platform_etl.warehouse_load import PendingLoads

        real_delete = PendingLoads._delete

        def marker_then_stop(loads: PendingLoads, uri: str, recursive: bool = False) -> None:
            if recursive:  # the marker is gone; the rows' directory is not
                raise RuntimeError("stopped between the marker and the rows")
            real_delete(loads, uri, recursive)

        with World("attendees") as world:
            self.pending_then_due(world)
            with clock(T0 + timedelta(minutes=15)), self.assertRaises(RuntimeError), \
                    mock.patch.object(PendingLoads, "_delete", autospec=True, side_effect=marker_then_stop):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual(pending(world), ["000000000000"], "rows without their marker")
            with clock(T0 + timedelta(minutes=30)):
                world.run_streaming(warehouse_load_interval_minutes="15")
            self.assertEqual(merges(world), 1, "a directory without a marker is never loaded")
            self.assert_loaded_once(world)


if __name__ == "__main__":
    unittest.main()
