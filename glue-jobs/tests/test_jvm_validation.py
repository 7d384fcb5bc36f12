"""The pure piece of platform_etl.jvm_validation: the schema payloads are read with for the round trip."""
from __future__ import annotations

import unittest

from platform_etl.jvm_validation import canonical_schema
from tests.helpers import fixture_contract


class CanonicalSchemaTest(unittest.TestCase):
    def test_json_kinds(self) -> None:
        schema = canonical_schema(fixture_contract("session_checkins"))
        self.assertEqual(schema, "`checkin_id` STRING, `attendee_id` STRING, `session_id` STRING, "
                                 "`scanner_ip` STRING, `scanned_at` STRING")

    def test_every_type_reads_as_its_json_kind(self) -> None:
        from tests.test_records import typed_contract

        kinds = {f.split(" ")[0].strip("`"): f.split(" ")[1] for f in canonical_schema(typed_contract()).split(", ")}
        contract = typed_contract()
        by_type = {field.field_type.kind: kinds[field.name] for field in contract.fields}
        self.assertEqual(by_type.get("int"), "INT")
        self.assertEqual(by_type.get("decimal"), "STRING", "decimals are read as text and checked digit by digit")
        self.assertEqual(by_type.get("timestamp"), "STRING")


if __name__ == "__main__":
    unittest.main()
