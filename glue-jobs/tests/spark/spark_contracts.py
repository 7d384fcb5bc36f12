"""Contract variants on a lake-only pipeline: typed fields (the remaining quarantine reasons and
typed Parquet columns), and optional reference keys (a null key joins nothing, in Spark as in the
pure library)."""
from __future__ import annotations

import unittest
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from .world import World, golden_contract, record, variant

TYPED_FIELDS = [
    {"name": "seats", "type": "int", "required": False, "description": "Seats booked", "max_length": None},
    {"name": "price", "type": "decimal(5,2)", "required": False, "description": "Price paid", "max_length": None},
    {"name": "birth_date", "type": "date", "required": False, "description": "Birth date", "max_length": None},
]


def lake_only(change: Any = None) -> dict[str, Any]:
    def apply(doc: dict[str, Any]) -> None:
        doc["warehouse"] = None
        if change:
            change(doc)

    return variant(golden_contract("attendees"), apply)


def with_typed_fields(doc: dict[str, Any]) -> None:
    doc["fields"] += TYPED_FIELDS
    at = len(doc["fields"]) - len(TYPED_FIELDS)
    doc["lake"]["columns"][at:at] = [{"name": f["name"], "type": f["type"], "description": f["description"]} for f in TYPED_FIELDS]


def with_optional_country(doc: dict[str, Any]) -> None:
    next(f for f in doc["fields"] if f["name"] == "country_code")["required"] = False


class TypedFieldsTest(unittest.TestCase):
    def test_typed_values_land_typed_and_the_remaining_reasons_are_quarantined(self) -> None:
        with World("attendees", contract=lake_only(with_typed_fields), warehouse=False) as world:
            world.put([
                record("t1", "2026-03-07T10:00:00Z", seats="12", price="19.5", birth_date="1990-02-28"),
                record("t2", "2026-03-07T10:00:00Z", seats=2**31),
                record("t3", "2026-03-07T10:00:00Z", price="1234.5"),
                record("t4", "2026-03-07T10:00:00Z", birth_date="1990-02-30"),
            ])
            world.run_streaming()
            (t1,) = world.lake_rows()
            self.assertEqual((t1["seats"], t1["price"], t1["birth_date"]), (12, Decimal("19.50"), date(1990, 2, 28)))
            types = {f.name: f.dataType.simpleString() for f in world.lake_schema().fields}
            self.assertEqual((types["seats"], types["price"], types["birth_date"]), ("int", "decimal(5,2)", "date"))
            reasons = {r["reason"]: r["field"] for r in world.quarantine_rows()}
            self.assertEqual(reasons, {"out_of_range": "seats", "decimal_out_of_precision": "price", "invalid_date": "birth_date"})


class NullReferenceKeyTest(unittest.TestCase):
    def test_a_null_event_key_joins_nothing_in_spark_as_in_the_pure_library(self) -> None:
        contract = lake_only(with_optional_country)
        with World("attendees", contract=contract, warehouse=False) as world:
            world.write_reference("countries", "code,name,region,subregion\n,Nowhere,None,None\n,Twice,None,None\nFR,France,Europe,West\n")
            world.put([record("k1", "2026-03-07T10:00:00Z", country_code=None), record("k2", "2026-03-07T10:00:00Z")])
            world.run_streaming()
            joined = {r["attendee_id"]: (r["country_name"], r["country_region"]) for r in world.lake_rows()}
            self.assertEqual(joined, {"k1": (None, None), "k2": ("France", "Europe")})


class ReferenceDuplicatesTest(unittest.TestCase):
    def test_null_reference_keys_are_not_duplicates_but_repeated_keys_are(self) -> None:
        with World("attendees", contract=lake_only(with_optional_country), warehouse=False) as world:
            world.write_reference("countries", "code,name,region,subregion\n,A,x,y\n,B,x,y\nFR,France,Europe,West\n")
            world.put([record("d1", "2026-03-07T10:00:00Z")])
            world.run_streaming()
            self.assertEqual(Counter(r["country_name"] for r in world.lake_rows()), Counter({"France": 1}))
            world.write_reference("countries", "code,name,region,subregion\nFR,France,Europe,West\nFR,Francia,Europe,West\n")
            world.put([record("d2", "2026-03-07T10:00:00Z")])
            with self.assertRaisesRegex(Exception, "duplicate key"):
                world.run_streaming(reference_refresh_minutes="0")


if __name__ == "__main__":
    unittest.main()
