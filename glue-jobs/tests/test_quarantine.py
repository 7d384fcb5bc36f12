"""The quarantine's two lines and a bad record's identity (`payload_hash`, `reason`), pure reference."""
from __future__ import annotations

import json
import unittest
from datetime import date, datetime, timezone

from platform_etl.primitives import hash_value
from platform_etl.quarantine import analyst_row, payload_hash, payload_line, replay_check_dates
from platform_etl.records import FilePosition, StreamPosition, quarantine_record, validate_record
from tests.helpers import fixture_contract

PEPPER = "unit-pepper"
CONTRACT = fixture_contract("attendees")


def validator_line(payload: bytes, position: object, received_at: datetime) -> str:
    """The validator's quarantine line of a bad `payload` (as `ingest.validate_raw_rows` writes it)."""
    rejection = validate_record(payload, CONTRACT, position)  # type: ignore[arg-type]
    assert not isinstance(rejection, dict), "the payload is a bad record"
    return json.dumps(quarantine_record(rejection, CONTRACT.pipeline, received_at), ensure_ascii=False)


FIRST = datetime(2026, 3, 7, 23, 59, tzinfo=timezone.utc)
LATER = datetime(2026, 3, 8, 0, 1, tzinfo=timezone.utc)


class BadRecordIdentityTest(unittest.TestCase):
    def test_the_same_payload_arriving_twice_has_one_payload_hash_and_two_quarantine_ids(self) -> None:
        first = validator_line(b"not json", StreamPosition("shard-0", "1", None), FIRST)
        again = validator_line(b"not json", FilePosition("s3://raw/attendees/a.jsonl", 3), LATER)
        self.assertEqual(payload_hash(first, PEPPER), payload_hash(again, PEPPER))
        self.assertNotEqual(hash_value(first, PEPPER), hash_value(again, PEPPER), "each arrival keeps its own quarantine id")

    def test_different_payloads_with_the_same_reason_differ(self) -> None:
        one, other = (validator_line(p, None, FIRST) for p in (b"not json", b"not json "))
        self.assertEqual(json.loads(one)["reason"], json.loads(other)["reason"])
        self.assertNotEqual(payload_hash(one, PEPPER), payload_hash(other, PEPPER), "one trailing space is another record")

    def test_the_hash_is_of_the_exact_bytes_and_keyed(self) -> None:
        not_utf8 = validator_line(b"\xff\xfe{}", None, FIRST)
        self.assertEqual(json.loads(not_utf8)["raw_payload_encoding"], "base64")
        self.assertNotEqual(payload_hash(not_utf8, PEPPER), payload_hash(validator_line(b"\xff\xfd{}", None, FIRST), PEPPER))
        self.assertNotEqual(payload_hash(not_utf8, PEPPER), payload_hash(not_utf8, "another-pepper"))

    def test_a_bare_value_payload_does_not_hash_to_that_value_masked(self) -> None:
        line = validator_line(b"jane@example.com", None, FIRST)
        self.assertNotEqual(payload_hash(line, PEPPER), hash_value("jane@example.com", PEPPER))

    def test_both_zones_carry_the_quarantine_id_and_the_payload_hash(self) -> None:
        line = validator_line(b'{"attendee_id": "a1", "shoe_size": 42}', FilePosition("s3://raw/attendees/a.jsonl", 1), FIRST)
        analyst, restricted = analyst_row(line, CONTRACT, PEPPER), json.loads(payload_line(line, PEPPER))
        self.assertEqual((analyst["quarantine_id"], analyst["payload_hash"]), (restricted["quarantine_id"], restricted["payload_hash"]))
        self.assertEqual({k: v for k, v in restricted.items() if k not in ("quarantine_id", "payload_hash")}, json.loads(line))
        self.assertNotIn("raw_payload", analyst)


class ReplayWindowTest(unittest.TestCase):
    def test_a_batch_checks_its_received_date_and_the_day_before(self) -> None:
        self.assertEqual(replay_check_dates(date(2026, 3, 1)), (date(2026, 3, 1), date(2026, 2, 28)))


if __name__ == "__main__":
    unittest.main()
