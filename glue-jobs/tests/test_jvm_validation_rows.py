"""The pure pieces of platform_etl.jvm_validation: positions, the Python fallback, the read schema."""
from __future__ import annotations

import json
import unittest
from datetime import datetime, timezone

from platform_etl.jvm_validation import canonical_schema, clean_columns, python_outcome, raw_position
from platform_etl.records import FilePosition, StreamPosition
from tests.helpers import fixture_contract

RECEIVED = datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc)
GOOD = (b'{"attendee_id":"a-1","email":"e@x.io","full_name":"A","registered_at":"2026-03-07T01:30:00Z",'
        b'"ticket_type":"vip"}')


def raw_row(payload: bytes, **position: object) -> dict[str, object]:
    row: dict[str, object] = {"payload": payload, "shard_id": None, "sequence_number": None, "arrival_time": None,
                              "file": None, "line": None, "arrival_order": 41}
    row.update(position)
    return row


class RawPositionTest(unittest.TestCase):
    def test_file_stream_and_none(self) -> None:
        self.assertEqual(raw_position(raw_row(b"", file="s3://raw/a.jsonl", line=3)), FilePosition("s3://raw/a.jsonl", 3))
        self.assertEqual(raw_position(raw_row(b"", shard_id="shardId-1", sequence_number="7")),
                         StreamPosition("shardId-1", "7", None))
        self.assertIsNone(raw_position(raw_row(b"")), "a source that reported no position has none")


class PythonOutcomeTest(unittest.TestCase):
    def test_clean_row_keeps_the_arrival_order(self) -> None:
        contract = fixture_contract("attendees")
        clean, line = python_outcome(raw_row(bytearray(GOOD)), contract, RECEIVED)
        self.assertIsNone(line)
        assert clean is not None
        self.assertEqual(len(clean), len(clean_columns(contract)))
        self.assertEqual((clean[0], clean[-1]), ("a-1", 41))

    def test_rejection_is_a_quarantine_line_with_its_position(self) -> None:
        clean, line = python_outcome(raw_row(b"{oops", file="s3://raw/a.jsonl", line=9), fixture_contract("attendees"),
                                     RECEIVED)
        self.assertIsNone(clean)
        assert line is not None
        row = json.loads(line)
        self.assertEqual((row["reason"], row["raw_payload"], row["received_at"]), ("invalid_json", "{oops", "2026-03-07T12:00:00Z"))
        self.assertEqual(row["position"], {"kind": "file", "file": "s3://raw/a.jsonl", "line": 9})


class CanonicalSchemaTest(unittest.TestCase):
    def test_json_kinds(self) -> None:
        schema = canonical_schema(fixture_contract("session_checkins"))
        self.assertEqual(schema, "`checkin_id` STRING, `attendee_id` STRING, `session_id` STRING, "
                                 "`scanner_ip` STRING, `scanned_at` STRING")


if __name__ == "__main__":
    unittest.main()
