"""The second sample pipeline end to end: a JSON reference, the contract's transform, a column the
warehouse drops, and a view with two measures."""
from __future__ import annotations

import unittest

from platform_etl.masking import mask_value

from .world import PEPPER, World


def checkin(checkin_id: str, scanned_at: str, session_id: str = "KEY-01", **fields: object) -> dict[str, object]:
    return {"checkin_id": checkin_id, "attendee_id": f"att-{checkin_id}", "session_id": session_id, "scanned_at": scanned_at, **fields}


class CheckinsScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.world = World.for_class(cls, "session_checkins")
        cls.world.put([
            checkin("c1", "2026-06-09T09:05:00Z", scanner_ip="203.0.113.7"),
            checkin("c2", "2026-06-09T10:35:00+02:00", session_id="STR-01"),
            checkin("c3", "2026-06-09T09:10:00Z", session_id="NOPE-99"),
        ])
        cls.world.run_streaming()
        cls.lake = {r["checkin_id"]: r for r in cls.world.lake_rows()}
        cls.warehouse = {r["checkin_id"]: r for r in cls.world.warehouse_rows()}

    def test_the_transform_adds_its_typed_column(self) -> None:
        self.assertEqual({k: r["scan_hour"] for k, r in self.lake.items()}, {"c1": 9, "c2": 8, "c3": 9})
        types = {f.name: f.dataType.simpleString() for f in self.world.lake_schema().fields}
        self.assertEqual(types["scan_hour"], "int")

    def test_the_json_reference_is_joined(self) -> None:
        self.assertEqual(self.lake["c2"]["session_title"], "Exactly-once is a lie: idempotent sinks")
        self.assertEqual((self.lake["c3"]["session_title"], self.lake["c3"]["session_room"]), (None, None))

    def test_the_ip_is_masked_in_the_lake_and_absent_from_the_warehouse(self) -> None:
        self.assertEqual(self.lake["c1"]["scanner_ip"], mask_value("203.0.113.7", "ip_address", "mask", PEPPER))
        self.assertEqual(self.lake["c1"]["scanner_ip"], "203.0.113.0")
        self.assertNotIn("scanner_ip", self.warehouse["c1"])

    def test_the_view_counts_the_merged_rows(self) -> None:
        rows = self.world.warehouse_rows("checkins_by_session", order_by="session_id")
        self.assertEqual([(r["session_id"], r["checkin_count"], r["unique_attendees"]) for r in rows],
                         [("KEY-01", 1, 1), ("NOPE-99", 1, 1), ("STR-01", 1, 1)])


if __name__ == "__main__":
    unittest.main()
