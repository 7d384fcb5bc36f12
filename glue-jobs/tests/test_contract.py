"""Contract loading: accepted shapes, refused shapes, typed accessors."""
from __future__ import annotations

import copy
import json
import unittest
from typing import Any, Callable

from platform_etl.contract import ContractError, FieldType, load_contract, parse_type
from tests.helpers import contract_document, fixture_contract


def mutated(change: Callable[[dict[str, Any]], None], name: str = "attendees") -> dict[str, Any]:
    document = contract_document(name)
    change(document)
    return document


class LoadTest(unittest.TestCase):
    def test_fixtures_load_with_typed_accessors(self) -> None:
        contract = fixture_contract("attendees")
        self.assertEqual(contract.pipeline, "attendees")
        self.assertEqual(contract.field("country_code").max_length, 2)
        self.assertEqual(contract.references[0].columns[0].as_name, "country_name")
        self.assertEqual(contract.references[0].location.key, "countries/countries.csv")
        self.assertEqual(contract.sensitive_rule("phone").lake, "mask")  # type: ignore[union-attr]
        self.assertIsNone(contract.sensitive_rule("company"))
        assert contract.warehouse is not None
        self.assertEqual(contract.warehouse.materialized_views[0].name, "attendees_by_country")
        checkins = fixture_contract("session_checkins")
        self.assertIsNone(checkins.transform)
        self.assertEqual(checkins.references[0].location.uri, "s3://example-reference/sessions/")

    def test_detection_section(self) -> None:
        document = mutated(lambda d: d["detection"].update(
            exempt=[{"column": "job_title", "reason": "titles quote product codes"}],
            expected=[{"column": "company", "entities": ["email", "phone"]}]))
        detection = load_contract(document).detection
        self.assertEqual(detection.actions("warehouse")["email"], "redact")
        self.assertEqual(detection.exempt_columns, frozenset({"job_title"}))
        self.assertEqual(detection.expected_entities("company"), frozenset({"email", "phone"}))
        self.assertEqual(detection.expected_entities("country_code"), frozenset())

    def test_json_text_and_bytes(self) -> None:
        text = json.dumps(contract_document("attendees"))
        self.assertEqual(load_contract(text), load_contract(text.encode()))

    def test_extra_keys_are_tolerated(self) -> None:
        document = mutated(lambda d: d.update({"generated_by": "pipelines/contract.ts"}))
        document["fields"][0]["x_note"] = "ignored"
        self.assertEqual(load_contract(document).pipeline, "attendees")

    def test_input_is_not_mutated(self) -> None:
        document = contract_document("attendees")
        snapshot = copy.deepcopy(document)
        load_contract(document)
        self.assertEqual(document, snapshot)

    def test_parse_type(self) -> None:
        self.assertEqual(parse_type("decimal(10,2)"), FieldType("decimal", 10, 2))
        self.assertEqual(parse_type("long").name, "long")
        for bad in ("decimal(2,3)", "decimal(39,0)", "varchar", "Decimal(1,0)", "decimal( 10,2)"):
            with self.subTest(bad), self.assertRaises(ContractError):
                parse_type(bad)


# (description, mutation, fragment the error must contain)
REFUSED: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown version", lambda d: d.update(contract_version=2), "contract_version"),
    ("version as string", lambda d: d.update(contract_version="1"), "contract_version"),
    ("version as boolean", lambda d: d.update(contract_version=True), "contract_version"),
    ("missing version", lambda d: d.pop("contract_version"), "contract_version"),
    ("pipeline camelCase", lambda d: d.update(pipeline="Attendees"), "pipeline"),
    ("pipeline too long", lambda d: d.update(pipeline="a" * 41), "pipeline"),
    ("missing owner", lambda d: d.pop("owner"), "owner"),
    ("absent optional key", lambda d: d.pop("transform"), "transform"),
    ("fields not a list", lambda d: d.update(fields={}), "fields"),
    ("no fields", lambda d: d.update(fields=[]), "fields"),
    ("field missing required", lambda d: d["fields"][1].pop("required"), "fields[1].required"),
    ("field bad type", lambda d: d["fields"][2].update(type="text"), "fields[2].type"),
    ("max_length on timestamp", lambda d: d["fields"][7].update(max_length=10), "fields[7].max_length"),
    ("max_length zero", lambda d: d["fields"][0].update(max_length=0), "fields[0].max_length"),
    ("duplicate field", lambda d: d["fields"].append(dict(d["fields"][0])), "duplicate name 'attendee_id'"),
    ("event id unknown", lambda d: d.update(event_id_field="nope"), "event_id_field"),
    ("event id optional", lambda d: d["fields"][0].update(required=False), "event_id_field"),
    ("event time not timestamp", lambda d: d.update(event_time_field="email"), "event_time_field"),
    ("allow_unknown not bool", lambda d: d.update(allow_unknown_fields="false"), "allow_unknown_fields"),
    ("max_record_bytes negative", lambda d: d.update(max_record_bytes=-1), "max_record_bytes"),
    ("bad classification", lambda d: d["sensitive"][0].update(classification="ssn"), "sensitive[0].classification"),
    ("bad lake action", lambda d: d["sensitive"][1].update(lake="partial"), "sensitive[1].lake"),
    ("bad warehouse action", lambda d: d["sensitive"][1].update(warehouse="mask"), "sensitive[1].warehouse"),
    ("sensitive unknown field", lambda d: d["sensitive"][0].update(field="ssn"), "sensitive[0].field"),
    ("event id dropped in warehouse",
     lambda d: d["sensitive"].append({"field": "attendee_id", "classification": "free_text", "lake": "keep",
                                      "warehouse": "drop"}), "is the event id or event time"),
    ("event id hashed in the lake (the replay check compares it as stored)",
     lambda d: d["sensitive"].append({"field": "attendee_id", "classification": "free_text", "lake": "hash",
                                      "warehouse": "hash"}), "sensitive[4].field: 'attendee_id' is the event id"),
    ("bad reference format", lambda d: d["references"][0].update(format="xml"), "references[0].format"),
    ("bad location kind", lambda d: d["references"][0]["location"].update(kind="http"), "references[0].location.kind"),
    ("s3 location not s3", lambda d: d["references"][0].update(location={"kind": "s3", "uri": "https://x"}),
     "references[0].location.uri"),
    ("reference column without as", lambda d: d["references"][0]["columns"][0].pop("as"),
     "references[0].columns[0].as"),
    ("reference event key unknown", lambda d: d["references"][0].update(event_key="nope"),
     "references[0].event_key"),
    ("as name clashes with field", lambda d: d["references"][0]["columns"][0].update({"as": "email"}), "'email'"),
    ("transform without sql", lambda d: d["transform"].pop("sql"), "transform.sql"),
    ("bad partition key", lambda d: d["lake"].update(partition_keys=["year", "minute"]), "lake.partition_keys"),
    ("partition keys out of order", lambda d: d["lake"].update(partition_keys=["day", "year"]), "lake.partition_keys"),
    ("lake column bad type", lambda d: d["lake"]["columns"][0].update(type="varchar"), "lake.columns[0].type"),
    ("warehouse bad dist style", lambda d: d["warehouse"].update(dist_style="round_robin"), "warehouse.dist_style"),
    ("dist key without key style", lambda d: d["warehouse"].update(dist_style="even"), "warehouse.dist_key"),
    ("missing staging table", lambda d: d["warehouse"].pop("staging_table"), "warehouse.staging_table"),
    ("mv without group_by", lambda d: d["warehouse"]["materialized_views"][0].pop("group_by"),
     "warehouse.materialized_views[0].group_by"),
    ("no detection section", lambda d: d.pop("detection"), "detection: missing key"),
    ("an unknown entity", lambda d: d["detection"]["entities"][0].update(entity="passport"), "detection.entities[0].entity"),
    ("a warehouse action that keeps", lambda d: d["detection"]["entities"][1].update(warehouse="keep"), "detection.entities[1].warehouse"),
    ("entities out of order", lambda d: d["detection"]["entities"].reverse(), "detection.entities: expected one rule per entity"),
    ("exempt non-string column", lambda d: d["detection"]["exempt"].append({"column": "registered_at", "reason": "a timestamp"}),
     "detection.exempt[0].column"),
    ("expected on a declared column", lambda d: d["detection"]["expected"].append({"column": "notes", "entities": ["email"]}),
     "detection.expected[0].column"),
    ("expected unknown entity", lambda d: d["detection"]["expected"].append({"column": "company", "entities": ["dna"]}),
     "detection.expected[0].entities[0]"),
]


class RefuseTest(unittest.TestCase):
    def test_refused_documents_name_the_key(self) -> None:
        for name, change, fragment in REFUSED:
            with self.subTest(name):
                with self.assertRaises(ContractError) as caught:
                    load_contract(mutated(change))
                self.assertIn(fragment, str(caught.exception))

    def test_not_json(self) -> None:
        with self.assertRaisesRegex(ContractError, "not valid JSON"):
            load_contract("{nope")
        with self.assertRaisesRegex(ContractError, "expected an object"):
            load_contract("[]")


if __name__ == "__main__":
    unittest.main()
