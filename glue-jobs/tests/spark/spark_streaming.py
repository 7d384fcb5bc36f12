"""The streaming job end to end: `streaming_etl.main` unchanged, three micro-batches read from
kinesalite through the Glue shim (each put, then a job run that resumes from the checkpoint),
everything read back from the lake, the quarantine and PostgreSQL.

The job runs for the class (it is the slow part); each test reads one aspect of the result.
"""
from __future__ import annotations

import base64
import json
import unittest
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from platform_etl.masking import mask_value

from tests.helpers import GOLDEN

from .world import PEPPER, World, record

GOLDEN_MASKING = json.loads((GOLDEN / "masking_cases.json").read_text(encoding="utf-8"))


def golden_cases(classification: str, actions: tuple[str, ...]) -> list[dict[str, Any]]:
    return [c for c in GOLDEN_MASKING["cases"] if c["classification"] == classification and c["action"] in actions]


# Records carrying the golden masking inputs in the field of their classification.
PHONE_CASES = golden_cases("phone", ("mask", "partial"))
FREE_TEXT_CASES = [c for c in golden_cases("free_text", ("mask", "partial")) if c["input"] is not None]
NAME_CASES = [c for c in golden_cases("person_name", ("partial",)) if c["input"] is not None]
EMAIL_CASES = [c for c in golden_cases("email", ("hash",)) if c["input"] is not None]

BAD_FIRST_BATCH = {
    "invalid_json": b'{"attendee_id": ',
    "not_utf8": b'{"attendee_id": "\xff\xfe"}',
    "duplicate_key": b'{"attendee_id": "d1", "attendee_id": "d2"}',
    "not_an_object": b"[1, 2, 3]",
    "unknown_field": json.dumps({**record("u1", "2026-03-07T10:00:00Z"), "shoe_size": 42}).encode(),
    "missing_required_field": json.dumps(record("m1", "2026-03-07T10:00:00Z", email=None)).encode(),
    "null_required_field": json.dumps({**record("n1", "2026-03-07T10:00:00Z"), "full_name": None}).encode(),
    "wrong_type": json.dumps(record("w1", "2026-03-07T10:00:00Z", ticket_type=5)).encode(),
    "invalid_timestamp": json.dumps(record("t1", "2026-13-07T10:00:00Z")).encode(),
    "timestamp_without_offset": json.dumps(record("t2", "2026-03-07T10:00:00")).encode(),
    "string_too_long": json.dumps(record("s1", "2026-03-07T10:00:00Z", country_code="FRA")).encode(),
    "record_too_large": json.dumps(record("big", "2026-03-07T10:00:00Z", notes="x" * 270_000)).encode(),
    "out_of_range": json.dumps(record("o1", 10**20)).encode(),
}
BAD_LAST_BATCH = {"invalid_json": b"}{", "not_an_object": b'"just a string"'}


class StreamingScenario(unittest.TestCase):
    world: World
    sequences: list[list[str]]
    records: dict[str, dict[str, Any]]

    @classmethod
    def setUpClass(cls) -> None:
        cls.world = World.for_class(cls, "attendees")
        cls.started = datetime.now(timezone.utc)
        first = [
            record("a1", "2026-03-07T10:00:00Z"),
            record("a2", "2026-03-07T01:30:00+02:00", country_code="XX"),  # UTC: 2026-03-06 23:30
            record("a3", "2026-03-07T09:00:00Z", company="early"),
            record("a3", "2026-03-07T11:00:00Z", company="later"),  # same batch, newer: wins
            record("a4", "2026-03-07T08:00:00Z", company="first seen"),
            record("a4", "2026-03-07T08:00:00Z", company="second seen"),  # tie: the first seen wins
            record("u8", "2026-03-07T10:00:00Z", full_name="Zoë Åsa 李", company="Ünïcödé 会社 ☕"),
        ]
        first += [record(f"p{i}", "2026-03-07T10:00:00Z", phone=c["input"]) for i, c in enumerate(PHONE_CASES)]
        first += [record(f"f{i}", "2026-03-07T10:00:00Z", notes=c["input"]) for i, c in enumerate(FREE_TEXT_CASES)]
        first += [record(f"n{i}", "2026-03-07T10:00:00Z", full_name=c["input"]) for i, c in enumerate(NAME_CASES)]
        first += [record(f"e{i}", "2026-03-07T10:00:00Z", email=c["input"]) for i, c in enumerate(EMAIL_CASES)]
        second = [
            record("a1", "2026-03-07T12:00:00Z", company="NewCo"),  # a newer version: updates the warehouse
            record("a2", "2026-03-06T20:00:00Z", company="stale"),  # an older version replayed late: ignored
            record("a3", "2026-03-07T11:00:00Z", company="later"),  # the same event again
        ]
        cls.records = {r["attendee_id"]: r for r in first}
        cls.sequences = []
        for batch in (first + list(BAD_FIRST_BATCH.values()), second, list(BAD_LAST_BATCH.values())):
            cls.sequences.append(cls.world.put(batch))
            cls.world.run_streaming(reference_refresh_minutes="60")
        cls.lake = {(r["attendee_id"], str(r["registered_at"])): r for r in cls.world.lake_rows()}
        cls.lake_all = cls.world.lake_rows()
        cls.quarantine = cls.world.quarantine_rows()
        cls.payloads = cls.world.payload_rows()
        cls.warehouse = {r["attendee_id"]: r for r in cls.world.warehouse_rows()}


    def lake_row(self, attendee_id: str) -> dict[str, Any]:
        rows = [r for r in self.lake_all if r["attendee_id"] == attendee_id]
        self.assertEqual(len(rows), 1, f"{attendee_id}: {rows}")
        return rows[0]

    # --- lake ------------------------------------------------------------------------------------

    def test_lake_files_have_the_contracts_lake_columns_and_types(self) -> None:
        from platform_etl.outputs import spark_type

        schema = self.world.lake_schema()
        declared = [(c["name"], spark_type(c["type"])) for c in self.world.contract["lake"]["columns"]]
        self.assertEqual([(f.name, f.dataType.simpleString().upper()) for f in schema.fields], declared)

    def test_partition_directories_are_the_utc_event_time(self) -> None:
        a2 = [r for r in self.lake_all if r["attendee_id"] == "a2"]
        self.assertEqual({(r["year"], r["month"], r["day"], r["hour"]) for r in a2}, {("2026", "03", "06", "23"), ("2026", "03", "06", "20")})
        directories = {f.parent.relative_to(self.world.local_path("curated", "attendees")).as_posix() for f in self.world.lake_files()}
        self.assertIn("year=2026/month=03/day=06/hour=23", directories)
        self.assertTrue(all(d.count("/") == 3 for d in directories), directories)

    def test_reference_columns_are_joined_and_unknown_keys_stay_null(self) -> None:
        a1 = [r for r in self.lake_all if r["attendee_id"] == "a1"][0]
        self.assertEqual((a1["country_name"], a1["country_region"]), ("France", "Europe"))
        a2 = [r for r in self.lake_all if r["attendee_id"] == "a2" and r["country_code"] == "XX"]
        self.assertEqual([(r["country_name"], r["country_region"]) for r in a2], [(None, None)])

    def test_duplicates_in_a_batch_keep_the_newest_and_on_a_tie_the_first_seen(self) -> None:
        first_batch = [r for r in self.lake_all if r["attendee_id"] in ("a3", "a4") and r["company"] != "later"
                       or (r["attendee_id"] == "a3" and r["hour"] == "11")]
        companies = Counter((r["attendee_id"], r["company"]) for r in first_batch)
        self.assertEqual(companies[("a4", "first seen")], 1)
        self.assertEqual(companies[("a4", "second seen")], 0)
        self.assertEqual(companies[("a3", "early")], 0)

    def test_every_version_of_an_event_is_in_the_lake_once(self) -> None:
        per_event = Counter(r["attendee_id"] for r in self.lake_all)
        expected = Counter({attendee_id: 1 for attendee_id in self.records})
        expected.update({"a1": 1, "a2": 1})  # the second batch brought another version of these (a3 again: a replay)
        self.assertEqual(per_event, expected)
        self.assertEqual(sorted(str(r["registered_at"]) for r in self.lake_all if r["attendee_id"] == "a1"),
                         ["2026-03-07 10:00:00", "2026-03-07 12:00:00"], "the lake keeps history, older versions included")

    def test_unicode_survives_unchanged(self) -> None:
        u8 = self.lake_row("u8")
        self.assertEqual((u8["full_name"], u8["company"]), ("Zoë Åsa 李", "Ünïcödé 会社 ☕"))
        self.assertEqual(self.warehouse["u8"]["company"], "Ünïcödé 会社 ☕")

    def test_lake_masks_equal_the_pure_masking_on_the_golden_cases(self) -> None:
        for i, case in enumerate(PHONE_CASES):
            with self.subTest(phone=case["input"]):
                value = self.lake_row(f"p{i}")["phone"]
                self.assertEqual(value, case["expected"])
                self.assertEqual(value, mask_value(case["input"], "phone", "mask", PEPPER))
        for i, case in enumerate(FREE_TEXT_CASES):
            with self.subTest(notes=case["input"]):
                self.assertEqual(self.lake_row(f"f{i}")["notes"], case["expected"])
        self.assertEqual(self.lake_row("u8")["email"], "u8@example.com", "the lake keeps the email")

    def test_warehouse_masks_equal_the_pure_masking_on_the_golden_cases(self) -> None:
        for i, case in enumerate(NAME_CASES):
            with self.subTest(full_name=case["input"]):
                self.assertEqual(self.warehouse[f"n{i}"]["full_name"], case["expected"])
        for i, case in enumerate(EMAIL_CASES):
            with self.subTest(email=case["input"]):
                self.assertEqual(self.warehouse[f"e{i}"]["email"], case["expected"])
        for i, case in enumerate(PHONE_CASES):
            with self.subTest(phone=case["input"]):
                self.assertEqual(self.warehouse[f"p{i}"]["phone"], mask_value(case["input"], "phone", "partial", PEPPER))
        self.assertEqual(self.warehouse["f0"]["notes"], "[REDACTED]")

    # --- quarantine ------------------------------------------------------------------------------

    def test_each_bad_record_is_quarantined_once_with_its_reason(self) -> None:
        reasons = Counter(row["reason"] for row in self.quarantine)
        expected = Counter(list(BAD_FIRST_BATCH)) + Counter(list(BAD_LAST_BATCH))
        self.assertEqual(reasons, expected)
        self.assertTrue(all(row["pipeline"] == "attendees" for row in self.quarantine))

    def test_quarantined_payloads_are_kept_as_received(self) -> None:
        sent = {payload for payload in list(BAD_FIRST_BATCH.values()) + list(BAD_LAST_BATCH.values())}
        kept = {base64.b64decode(r["raw_payload"]) if r["raw_payload_encoding"] == "base64" else r["raw_payload"].encode("utf-8")
                for r in self.payloads}
        self.assertEqual(kept, sent)
        self.assertEqual([r["raw_payload_encoding"] for r in self.payloads if r["reason"] == "not_utf8"], ["base64"])
        self.assertFalse(any("raw_payload" in r for r in self.quarantine), "the analyst-facing rows hold no raw payload")
        self.assertEqual(Counter(r["quarantine_id"] for r in self.quarantine), Counter(r["quarantine_id"] for r in self.payloads))

    def test_quarantine_positions_are_the_records_own_or_absent(self) -> None:
        first_sequences = set(self.sequences[0])
        for row in self.quarantine:
            with self.subTest(reason=row["reason"]):
                position = row["position"]
                self.assertEqual(position["kind"], "stream")
                self.assertNotIn(None, position.values(), "a position never claims a value it does not have")
                self.assertIn(position["sequence_number"], set(self.sequences[0]) | set(self.sequences[2]))
                self.assertRegex(position["arrival_time"], r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
                arrived = datetime.fromisoformat(position["arrival_time"].replace("Z", "+00:00"))
                self.assertTrue(self.started - timedelta(seconds=1) <= arrived <= datetime.now(timezone.utc), "when kinesalite stored it")
        bad_first = [r for r in self.quarantine if r["position"]["sequence_number"] in first_sequences]
        self.assertEqual(len(bad_first), len(BAD_FIRST_BATCH))

    def test_quarantine_partitions_are_the_received_date(self) -> None:
        for row in self.quarantine:
            self.assertEqual(row["_partition"], "received_date=" + row["received_at"][:10])

    # --- warehouse -------------------------------------------------------------------------------

    def test_warehouse_has_one_row_per_event_and_the_newest_version_wins(self) -> None:
        self.assertEqual(set(self.warehouse), set(self.records))
        self.assertEqual(self.warehouse["a1"]["company"], "NewCo")
        self.assertEqual(self.warehouse["a2"]["company"], "Example Corp", "an older version replayed late never overwrites")
        self.assertEqual(str(self.warehouse["a2"]["registered_at"]), "2026-03-06 23:30:00")
        self.assertEqual(self.warehouse["a3"]["company"], "later")

    def test_materialized_view_sees_the_last_merge(self) -> None:
        view = self.world.contract["warehouse"]["materialized_views"][0]["name"]
        counted = Counter((r["country_code"], r["ticket_type"]) for r in self.warehouse.values())
        rows = self.world.warehouse_rows(view)
        self.assertEqual({(r["country_code"], r["ticket_type"]): r["attendee_count"] for r in rows}, dict(counted))

    def test_a_batch_without_warehouse_rows_sends_no_warehouse_statement(self) -> None:
        # The connector's own CREATE TABLE opens every write it is given.
        loads = [s for s in self.world.glue.redshift_statements if s.startswith("CREATE TABLE IF NOT EXISTS") and "(LIKE" not in s]
        self.assertEqual(len(loads), 2, "two batches had rows; the third, all bad records, none")
        self.assertEqual(len(self.world.glue.jdbc_conf_requests), 2, "the views are refreshed after the two loads only")

    def test_a_batch_runs_no_spark_action_but_its_writes_and_the_replay_check(self) -> None:
        # Glue's wrapper persists and counts each batch; the job adds the quarantine and lake writes,
        # the replay check's listing of the partitions it writes to and, with warehouse rows, the
        # pending write; this world loads after every batch (interval 0), which adds the
        # connector's unload: nothing else.
        self.assertEqual(self.world.glue.batch_spark_work, [(0, 5, 0), (1, 5, 0), (2, 3, 0)])


if __name__ == "__main__":
    unittest.main()
