"""Sensitive data in content, end to end on Spark: a pipeline whose free-text `notes` column is not
declared sensitive receives e-mails, phone numbers, cards and IP addresses (and a company name with
an e-mail). No detected value reaches the lake, the warehouse table (PostgreSQL) or the
analyst-facing quarantine in clear; the raw payloads are only in the restricted prefix; the counts
per column and entity are in the job's log and in CloudWatch (moto), and only the detections the
contract does not expect count towards the alarm's metric."""
from __future__ import annotations

import json
import unittest
from typing import Any

from platform_etl.contract import load_contract
from platform_etl.primitives import hash_value
from platform_etl.quarantine import analyst_row
from platform_etl.sensitive_content import DETECTED_METRIC, METRIC_NAMESPACE, UNEXPECTED_METRIC, reference_counts

from .world import PEPPER, World, golden_contract, record, variant

SECRETS = ["jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "203.0.113.7", "2001:db8::1",
           "(555) 123-4567", "sales@example.org", "bob@example.com", "5555555555554444", "198.51.100.23"]
NOTES = {
    "s1": "Mail jane.doe@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111, from 203.0.113.7",
    "s2": "ip 2001:db8::1 and (555) 123-4567",
    "s3": "see you there",
}


def undeclared_notes(document: dict[str, Any]) -> None:
    """`notes` is no longer declared sensitive; e-mails are hashed (joinable), the rest redacted;
    e-mails and phone numbers are expected in notes, nothing anywhere else."""
    document["sensitive"] = [s for s in document["sensitive"] if s["field"] != "notes"]
    for rule in document["detection"]["entities"]:
        if rule["entity"] == "email":
            rule.update(lake="hash", warehouse="hash")
    document["detection"]["expected"] = [{"column": "notes", "entities": ["email", "phone"]}]


class SensitiveContentScenario(unittest.TestCase):
    world: World

    @classmethod
    def setUpClass(cls) -> None:
        cls.contract_document = variant(golden_contract("attendees"), undeclared_notes)
        cls.contract = load_contract(cls.contract_document)
        cls.world = World.for_class(cls, "attendees", contract=cls.contract_document)
        cls.good = [record(key, "2026-03-07T10:00:00Z", notes=notes) for key, notes in NOTES.items()]
        cls.good[1]["company"] = "contact sales@example.org"
        cls.bad = [
            # An undeclared key and personal data in notes: the masked record is shown.
            json.dumps({**record("q1", "2026-03-07T10:00:00Z", notes="mail bob@example.com"), "shoe_size": 42}).encode(),
            # A phone number where a country code belongs: the message must not quote it.
            json.dumps(record("q2", "2026-03-07T10:00:00Z", country_code="+44 20 7946 0958")).encode(),
            # A card number as a JSON number in a string field.
            json.dumps(record("q3", "2026-03-07T10:00:00Z", company=5555555555554444)).encode(),
            # Not JSON at all: only the restricted prefix has it.
            b'{"attendee_id": "q4", "notes": "from 198.51.100.23"',
        ]
        cls.world.put(cls.good + cls.bad)
        with cls.assertLogs_on("platform_etl.detection") as logs:
            cls.world.run_streaming()
        cls.log_lines = [json.loads(r.getMessage()) for r in logs.records]
        cls.lake = cls.world.lake_rows()
        cls.warehouse = cls.world.warehouse_rows()
        cls.quarantine = cls.world.quarantine_rows()
        cls.payloads = cls.world.payload_rows()

    @classmethod
    def assertLogs_on(cls, logger: str) -> Any:  # noqa: N802 (unittest's style)
        return unittest.TestCase().assertLogs(logger, level="INFO")

    def assert_no_secret(self, where: str, rows: list[dict[str, Any]]) -> None:
        text = json.dumps(rows, default=str, ensure_ascii=False)
        self.assertTrue(rows, where)
        for secret in SECRETS:
            self.assertNotIn(secret, text, f"{secret!r} in clear in {where}")

    def test_no_detected_value_in_the_lake_the_warehouse_or_the_analyst_quarantine(self) -> None:
        self.assert_no_secret("the lake", self.lake)
        self.assert_no_secret("the warehouse", self.warehouse)
        self.assert_no_secret("the analyst-facing quarantine", self.quarantine)

    def test_values_are_rewritten_as_the_contract_says(self) -> None:
        s1 = next(r for r in self.warehouse if r["attendee_id"] == "s1")
        email = hash_value("jane.doe@example.com", PEPPER)
        self.assertEqual(s1["notes"], f"Mail {email} or call [PHONE], card [CARD], from [IP]")
        self.assertEqual(next(r for r in self.lake if r["attendee_id"] == "s1")["notes"], s1["notes"], "the lake follows the warehouse")
        self.assertEqual(next(r for r in self.warehouse if r["attendee_id"] == "s3")["notes"], "see you there")
        self.assertEqual(next(r for r in self.warehouse if r["attendee_id"] == "s2")["company"],
                         f"contact {hash_value('sales@example.org', PEPPER)}")

    def test_counts_per_column_and_entity_are_logged_never_the_values(self) -> None:
        [line] = self.log_lines
        self.assertEqual(line["per_column"], {"company": {"email": 1},
                                              "notes": {"email": 1, "ipv6": 1, "ipv4": 1, "credit_card": 1, "phone": 2}})
        self.assertEqual(line["unexpected"], {"company": {"email": 1}, "notes": {"ipv6": 1, "ipv4": 1, "credit_card": 1}})
        self.assertEqual((line["rows"], line["unexpected_total"]), (3, 4))
        expected = reference_counts(self.contract, self.good)
        self.assertEqual(sum(line["per_entity"].values()), sum(expected.values()), "the Spark counts equal the reference's")
        for secret in SECRETS:
            self.assertNotIn(secret, json.dumps(line))

    def test_counts_reach_cloudwatch(self) -> None:
        import boto3

        cloudwatch = boto3.client("cloudwatch")
        metrics = cloudwatch.list_metrics(Namespace=METRIC_NAMESPACE)["Metrics"]
        entities = {d["Value"] for m in metrics if m["MetricName"] == DETECTED_METRIC for d in m["Dimensions"] if d["Name"] == "Entity"}
        self.assertEqual(entities, {"email", "phone", "credit_card", "ipv4", "ipv6"}, "only the entities seen")

        def total(name: str, dimensions: list[dict[str, str]]) -> float:
            from datetime import datetime, timedelta, timezone
            now = datetime.now(timezone.utc)
            points = cloudwatch.get_metric_statistics(Namespace=METRIC_NAMESPACE, MetricName=name, Dimensions=dimensions,
                                                      StartTime=now - timedelta(hours=1), EndTime=now + timedelta(minutes=5),
                                                      Period=300, Statistics=["Sum"])["Datapoints"]
            return sum(p["Sum"] for p in points)

        pipeline = {"Name": "Pipeline", "Value": "attendees"}
        self.assertEqual(total(UNEXPECTED_METRIC, [pipeline]), 4)
        self.assertEqual(total(DETECTED_METRIC, [pipeline, {"Name": "Entity", "Value": "phone"}]), 2)

    def test_the_analyst_quarantine_holds_the_masked_record_and_its_reason(self) -> None:
        by_reason = {r["reason"]: r for r in self.quarantine}
        self.assertEqual(set(by_reason), {"unknown_field", "string_too_long", "wrong_type", "invalid_json"})
        unknown = by_reason["unknown_field"]
        self.assertEqual(unknown["record"]["notes"], f"mail {hash_value('bob@example.com', PEPPER)}")
        self.assertEqual(unknown["record"]["shoe_size"], "42")
        self.assertEqual(unknown["record"]["email"], hash_value("q1@example.com", PEPPER), "a declared field: its warehouse action")
        self.assertEqual(unknown["record"]["full_name"], "J. D.")
        self.assertEqual(by_reason["wrong_type"]["record"]["company"], "[CARD]")
        self.assertEqual(by_reason["string_too_long"]["message"], "country_code: 16 characters exceeds max_length 2")
        self.assertNotIn("record", by_reason["invalid_json"], "a payload that is no JSON object has no record")

    def test_the_analyst_rows_equal_the_reference(self) -> None:
        lines = {r["quarantine_id"]: r for r in self.payloads}
        for row in self.quarantine:
            validator_line = dict(lines[row["quarantine_id"]])
            validator_line.pop("quarantine_id")
            validator_line.pop("payload_hash")
            validator_line.pop("_partition")
            expected = analyst_row(json.dumps(validator_line, ensure_ascii=False), self.contract, PEPPER)
            expected.pop("quarantine_id")
            self.assertEqual({k: v for k, v in row.items() if k not in ("quarantine_id", "_partition")}, expected)

    def test_raw_payloads_are_kept_whole_in_the_restricted_prefix_only(self) -> None:
        self.assertEqual({r["raw_payload"].encode("utf-8") for r in self.payloads}, set(self.bad))
        self.assertEqual({r["quarantine_id"] for r in self.payloads}, {r["quarantine_id"] for r in self.quarantine})
        restricted = self.world.local_path("quarantine", "raw-payloads/attendees/")
        self.assertTrue(all(restricted in p.parents for p in self.world.quarantine_files("raw-payloads/")))
        self.assertFalse(any("raw-payloads" in p.parts for p in self.world.quarantine_files()))


if __name__ == "__main__":
    unittest.main()
