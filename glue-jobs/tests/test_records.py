"""Record validation, coercion and quarantine rows."""
from __future__ import annotations

import base64
import json
import unittest
from datetime import date, datetime, timezone
from decimal import Decimal

from platform_etl.contract import load_contract
from platform_etl.records import (
    FilePosition, Reason, Rejection, StreamPosition, payload_text, quarantine_record, validate_record,
)
from tests.helpers import contract_document, fixture_contract

GOOD = {
    "attendee_id": "a-1", "email": "jane.doe@example.com", "full_name": "Jane Doe",
    "registered_at": "2026-03-07T01:30:00+02:00", "ticket_type": "vip",
}
RECEIVED = datetime(2026, 3, 7, 0, 0, tzinfo=timezone.utc)
STREAM = StreamPosition("shardId-000000000001", "49590338271490256608559692538361571095921575989136588898",
                        "2026-03-07T00:00:01Z")


def payload(**changes: object) -> bytes:
    record = {**GOOD, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...}).encode()


def typed_contract() -> object:
    """The attendees contract plus one field of every non-string type."""
    document = contract_document("attendees")
    document["fields"] += [
        {"name": "seats", "type": "int", "required": False, "description": None, "max_length": None},
        {"name": "views", "type": "long", "required": False, "description": None, "max_length": None},
        {"name": "score", "type": "double", "required": False, "description": None, "max_length": None},
        {"name": "amount", "type": "decimal(5,2)", "required": False, "description": None, "max_length": None},
        {"name": "paid", "type": "boolean", "required": False, "description": None, "max_length": None},
        {"name": "birthday", "type": "date", "required": False, "description": None, "max_length": None},
    ]
    return load_contract(document)


# (name, raw payload, expected reason, expected field or None)
BAD_RECORDS: list[tuple[str, bytes, str, object]] = [
    ("oversize payload", payload(notes="x" * 300_000), Reason.RECORD_TOO_LARGE, None),
    ("latin-1 bytes", b'{"attendee_id": "caf\xe9"}', Reason.NOT_UTF8, None),
    ("truncated JSON", b'{"attendee_id": "a-1", ', Reason.INVALID_JSON, None),
    ("empty payload", b"", Reason.INVALID_JSON, None),
    ("NaN literal", payload()[:-1] + b', "seats": NaN}', Reason.INVALID_JSON, None),
    ("single quotes", b"{'attendee_id': 'a-1'}", Reason.INVALID_JSON, None),
    ("trailing garbage", payload() + b" extra", Reason.INVALID_JSON, None),
    ("duplicate key", b'{"attendee_id": "a", "attendee_id": "b"}', Reason.DUPLICATE_KEY, None),
    ("array instead of object", b'[{"attendee_id": "a-1"}]', Reason.NOT_AN_OBJECT, None),
    ("bare string", b'"hello"', Reason.NOT_AN_OBJECT, None),
    ("null document", b"null", Reason.NOT_AN_OBJECT, None),
    ("unknown field", payload(favourite_colour="blue"), Reason.UNKNOWN_FIELD, "favourite_colour"),
    ("missing required", payload(email=...), Reason.MISSING_REQUIRED_FIELD, "email"),
    ("null required", payload(full_name=None), Reason.NULL_REQUIRED_FIELD, "full_name"),
    ("missing event time", payload(registered_at=...), Reason.MISSING_REQUIRED_FIELD, "registered_at"),
    ("number for a string", payload(attendee_id=42), Reason.WRONG_TYPE, "attendee_id"),
    ("object for a string", payload(company={"name": "ACME"}), Reason.WRONG_TYPE, "company"),
    ("string over max_length", payload(country_code="FRA"), Reason.STRING_TOO_LONG, "country_code"),
    ("timestamp without offset", payload(registered_at="2026-03-07T01:30:00"), Reason.TIMESTAMP_WITHOUT_OFFSET, "registered_at"),
    ("timestamp garbage", payload(registered_at="yesterday"), Reason.INVALID_TIMESTAMP, "registered_at"),
    ("timestamp impossible day", payload(registered_at="2026-02-30T10:00:00Z"), Reason.INVALID_TIMESTAMP, "registered_at"),
    ("timestamp bad offset", payload(registered_at="2026-03-07T10:00:00+25:00"), Reason.INVALID_TIMESTAMP, "registered_at"),
    ("timestamp as epoch string", payload(registered_at="1772847000000"), Reason.INVALID_TIMESTAMP, "registered_at"),
    ("timestamp as fractional number", payload(registered_at=1772847000000.5), Reason.WRONG_TYPE, "registered_at"),
    ("timestamp as boolean", payload(registered_at=True), Reason.WRONG_TYPE, "registered_at"),
    ("epoch millis out of range", payload(registered_at=10**18), Reason.OUT_OF_RANGE, "registered_at"),
]

TYPED_BAD_RECORDS: list[tuple[str, bytes, str, str]] = [
    ("int above 32 bits", payload(seats=2**31), Reason.OUT_OF_RANGE, "seats"),
    ("int below 32 bits", payload(seats="-2147483649"), Reason.OUT_OF_RANGE, "seats"),
    ("int fractional", payload(seats=1.5), Reason.WRONG_TYPE, "seats"),
    ("int from boolean", payload(seats=True), Reason.WRONG_TYPE, "seats"),
    ("int from float string", payload(seats="3.0"), Reason.WRONG_TYPE, "seats"),
    ("long above 64 bits", payload(views=2**63), Reason.OUT_OF_RANGE, "views"),
    ("double from word", payload(score="fast"), Reason.WRONG_TYPE, "score"),
    ("double infinite", payload()[:-1] + b', "score": 1e999}', Reason.OUT_OF_RANGE, "score"),
    ("double from 'NaN' string", payload(score="NaN"), Reason.WRONG_TYPE, "score"),
    ("decimal too many fraction digits", payload(amount="1.234"), Reason.DECIMAL_OUT_OF_PRECISION, "amount"),
    ("decimal too many integer digits", payload(amount=1234.5), Reason.DECIMAL_OUT_OF_PRECISION, "amount"),
    ("decimal from word", payload(amount="ten"), Reason.WRONG_TYPE, "amount"),
    ("boolean from 'yes'", payload(paid="yes"), Reason.WRONG_TYPE, "paid"),
    ("boolean from 1", payload(paid=1), Reason.WRONG_TYPE, "paid"),
    ("boolean from 'True'", payload(paid="True"), Reason.WRONG_TYPE, "paid"),
    ("date in US order", payload(birthday="03/07/2026"), Reason.INVALID_DATE, "birthday"),
    ("date impossible", payload(birthday="2026-13-01"), Reason.INVALID_DATE, "birthday"),
    ("date as timestamp", payload(birthday="2026-03-07T00:00:00Z"), Reason.INVALID_DATE, "birthday"),
    ("date as number", payload(birthday=20260307), Reason.WRONG_TYPE, "birthday"),
]


class BadRecordTest(unittest.TestCase):
    def assert_rejected(self, contract: object, raw: bytes, reason: str, field: object) -> None:
        position = FilePosition("s3://raw/attendees/2026/03/07/part-0001.jsonl", 17)
        result = validate_record(raw, contract, position)  # type: ignore[arg-type]
        self.assertIsInstance(result, Rejection)
        assert isinstance(result, Rejection)
        self.assertEqual(result.reason, reason, result.message)
        self.assertEqual(result.field, field)
        self.assertTrue(result.message)
        row = quarantine_record(result, "attendees", RECEIVED)
        text, encoding = row["raw_payload"], row["raw_payload_encoding"]
        kept = base64.b64decode(text) if encoding == "base64" else text.encode("utf-8")
        self.assertEqual(kept, raw, "the quarantine row must keep the raw payload")
        self.assertEqual(row["position"], {"kind": "file", "file": position.file, "line": 17})
        self.assertEqual(row["reason"], reason)
        json.dumps(row)  # serialisable as one JSON row

    def test_bad_records_against_the_fixture(self) -> None:
        contract = fixture_contract("attendees")
        for name, raw, reason, field in BAD_RECORDS:
            with self.subTest(name):
                self.assert_rejected(contract, raw, reason, field)

    def test_bad_typed_values(self) -> None:
        contract = typed_contract()
        for name, raw, reason, field in TYPED_BAD_RECORDS:
            with self.subTest(name):
                self.assert_rejected(contract, raw, reason, field)

    def test_there_are_at_least_25_distinct_bad_records(self) -> None:
        self.assertGreaterEqual(len({raw for _, raw, _, _ in BAD_RECORDS + TYPED_BAD_RECORDS}), 25)

    def test_message_names_field_and_never_quotes_a_value(self) -> None:
        contract = fixture_contract("attendees")
        secrets = {"company": ["jane@example.com"], "country_code": "FRANCE-4111111111111111",
                   "registered_at": "call +44 20 7946 0958", "ticket_type": 4111111111111111}
        for name, value in secrets.items():
            with self.subTest(name):
                result = validate_record(payload(**{name: value}), contract)
                assert isinstance(result, Rejection)
                self.assertIn(name, result.message)
                for fragment in ("jane", "4111", "7946", "FRANCE"):
                    self.assertNotIn(fragment, result.message)
        self.assertIn("got an array of 1 item(s)", validate_record(payload(company=["x"]), contract).message)  # type: ignore[union-attr]

    def test_unknown_fields_are_ignored_when_allowed(self) -> None:
        contract = fixture_contract("session_checkins")
        raw = b'{"checkin_id": "c1", "attendee_id": "a1", "session_id": "s1", "scanned_at": 0, "extra": 1}'
        result = validate_record(raw, contract)
        self.assertEqual(result, {"checkin_id": "c1", "attendee_id": "a1", "session_id": "s1", "scanner_ip": None,
                                  "scanned_at": datetime(1970, 1, 1, tzinfo=timezone.utc)})

    def test_size_limit_counts_utf8_bytes(self) -> None:
        document = contract_document("session_checkins")
        document["max_record_bytes"] = 100
        contract = load_contract(document)
        raw = '{"checkin_id": "' + "é" * 45 + '"}'  # 63 characters but 108 bytes
        result = validate_record(raw, contract)
        assert isinstance(result, Rejection)
        self.assertEqual(result.reason, Reason.RECORD_TOO_LARGE)


class CoercionTest(unittest.TestCase):
    def setUp(self) -> None:
        self.contract = typed_contract()

    def clean(self, **changes: object) -> dict:
        result = validate_record(payload(**changes), self.contract)
        self.assertIsInstance(result, dict, result)
        assert isinstance(result, dict)
        return result

    def test_clean_record_has_every_field_in_order(self) -> None:
        result = self.clean()
        self.assertEqual(list(result), list(self.contract.field_names))
        self.assertIsNone(result["phone"])

    def test_timestamp_normalised_to_utc(self) -> None:
        self.assertEqual(self.clean()["registered_at"], datetime(2026, 3, 6, 23, 30, tzinfo=timezone.utc))
        self.assertEqual(self.clean(registered_at="2026-03-07T05:00:00.123456789Z")["registered_at"],
                         datetime(2026, 3, 7, 5, 0, 0, 123456, tzinfo=timezone.utc))
        self.assertEqual(self.clean(registered_at=1772847000000)["registered_at"],
                         datetime(2026, 3, 7, 1, 30, tzinfo=timezone.utc))

    def test_integers(self) -> None:
        self.assertEqual(self.clean(seats="42")["seats"], 42)
        self.assertEqual(self.clean(seats=2**31 - 1)["seats"], 2**31 - 1)
        self.assertEqual(self.clean(seats=5.0)["seats"], 5)
        self.assertEqual(self.clean(views=str(-(2**63)))["views"], -(2**63))

    def test_double_decimal_boolean_date(self) -> None:
        self.assertEqual(self.clean(score="2.5e3")["score"], 2500.0)
        self.assertEqual(self.clean(score=7)["score"], 7.0)
        self.assertEqual(self.clean(amount="999.99")["amount"], Decimal("999.99"))
        self.assertEqual(self.clean(amount=1.5)["amount"], Decimal("1.50"))
        self.assertEqual(self.clean(amount="1.500")["amount"], Decimal("1.50"))  # trailing zeros are not digits
        self.assertEqual(self.clean(paid="false")["paid"], False)
        self.assertEqual(self.clean(paid=True)["paid"], True)
        self.assertEqual(self.clean(birthday="2000-02-29")["birthday"], date(2000, 2, 29))

    def test_wide_decimal_keeps_every_digit(self) -> None:
        document = contract_document("attendees")
        document["fields"].append({"name": "big", "type": "decimal(38,4)", "required": False,
                                   "description": None, "max_length": None})
        big = "1234567890123456789012345678901234.5678"
        result = validate_record(payload()[:-1] + f', "big": {big}}}'.encode(), load_contract(document))
        assert isinstance(result, dict)
        self.assertEqual(str(result["big"]), big)


class QuarantineTest(unittest.TestCase):
    def test_stream_position_and_base64_payload(self) -> None:
        raw = b"\xff\xfe not utf-8"
        result = validate_record(raw, fixture_contract("attendees"), STREAM)
        assert isinstance(result, Rejection)
        row = quarantine_record(result, "attendees", RECEIVED)
        self.assertEqual(row["raw_payload_encoding"], "base64")
        self.assertEqual(base64.b64decode(row["raw_payload"]), raw)
        self.assertEqual(row["position"], {"kind": "stream", "shard_id": STREAM.shard_id,
                                           "sequence_number": STREAM.sequence_number,
                                           "arrival_time": "2026-03-07T00:00:01Z"})
        self.assertEqual(row["received_at"], "2026-03-07T00:00:00Z")
        self.assertEqual(row["pipeline"], "attendees")

    def test_payload_text_keeps_utf8_text(self) -> None:
        self.assertEqual(payload_text("café".encode()), ("café", "utf-8"))
        self.assertEqual(payload_text("plain"), ("plain", "utf-8"))


if __name__ == "__main__":
    unittest.main()
