"""At-least-once delivery, exactly-once effects: a batch that fails after it wrote the lake and the
quarantine runs again (same batch id) and leaves each row once, in the same partitions."""
from __future__ import annotations

import unittest
from collections import Counter

from .world import World, record

GOOD = [record("r1", "2026-03-07T10:00:00Z"), record("r2", "2026-03-07T23:30:00-01:00")]
BAD = [b"not json", b"[1]"]


class RetriedBatchTest(unittest.TestCase):
    def assert_each_once(self, world: World) -> None:
        self.assertEqual(Counter(r["attendee_id"] for r in world.lake_rows()), Counter({"r1": 1, "r2": 1}))
        self.assertEqual(Counter(r["raw_payload"] for r in world.payload_rows()), Counter({"not json": 1, "[1]": 1}))
        self.assertEqual({r["attendee_id"] for r in world.warehouse_rows()}, {"r1", "r2"})

    def test_a_batch_retried_by_the_wrapper_leaves_each_row_once(self) -> None:
        with World("attendees") as world:
            world.put(GOOD + BAD)
            world.glue.faults.redshift_load_before_commit = 1  # the load fails after the lake and quarantine writes
            world.run_streaming()
            self.assertEqual([batch for batch, _actions, _jobs in world.glue.batch_spark_work], [0, 0], "the same batch id ran twice")
            self.assert_each_once(world)
            partitions = {(r["day"], r["hour"]) for r in world.lake_rows()}
            self.assertEqual(partitions, {("07", "10"), ("08", "00")})

    def test_a_batch_rerun_by_a_restarted_job_keeps_its_received_time_and_its_partitions(self) -> None:
        with World("attendees") as world:
            world.put(GOOD + BAD)
            # More failures than the wrapper retries (3): the job run fails, as a Glue job run would.
            world.glue.faults.redshift_load_before_commit = 4
            world.glue.retry_backoff = False
            with self.assertRaises(Exception):
                world.run_streaming()
            first = {r["raw_payload"]: (r["received_at"], r["_partition"]) for r in world.payload_rows()}
            self.assertEqual(set(first), {"not json", "[1]"}, "the failed attempts had written the quarantine")
            world.run_streaming()  # Glue restarts the job; the checkpoint hands it the same batch
            self.assert_each_once(world)
            again = {r["raw_payload"]: (r["received_at"], r["_partition"]) for r in world.payload_rows()}
            self.assertEqual(again, first)


if __name__ == "__main__":
    unittest.main()
