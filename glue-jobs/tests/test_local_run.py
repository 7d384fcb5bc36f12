"""`npm run local`'s pure parts: the accounting, the summary as printed, the job's batch counts."""
from __future__ import annotations

import sys
import unittest
from pathlib import Path

from platform_etl.publish import Journal
from platform_etl.spark_job import BatchResult

from tests.helpers import GLUE_JOBS

sys.path.insert(0, str(GLUE_JOBS / "local"))
from glue_local.summary import detection_note, is_accounted, render_summary  # noqa: E402  (glue-jobs/local is development only)

SUMMARY = {
    "pipeline": "attendees", "seconds": 12.5, "sent": 10, "received": 10, "batches": 2, "accounted": True,
    "producer": {"sent": 10, "retried": 1, "failed": 0}, "lake_rows": 6, "quarantined": 2,
    "quarantined_by_reason": {"invalid_json": 1, "wrong_type": 1},
    "duplicates": {"total": 2, "within_a_batch": 1, "already_in_the_lake": 1, "already_quarantined": 0},
    "accounting": "10 sent, 10 read by the job = 6 lake rows + 2 quarantined + 2 duplicates",
    "totals": {"lake_rows": 9, "lake_files": 4, "lake_partitions": 3, "quarantined": 2},
    "warehouse": {"engine": "PostgreSQL 15.18", "table": "data_platform.attendees", "rows": 8, "views": {
        "data_platform.attendees_by_country": {"columns": ["country_code", "attendee_count"], "rows": [["FR", 5], ["DE", 3]]}}},
    "sensitive_values_detected": {"by_entity": {}, "note": "none reported"},
    "outputs": {"curated": "/out/curated/attendees", "quarantine": "/out/quarantine/attendees"},
}


class AccountingTest(unittest.TestCase):
    def test_every_record_sent_is_read_once_and_ends_somewhere(self) -> None:
        self.assertTrue(is_accounted(10, 10, 10, 6, 2, 2))
        self.assertFalse(is_accounted(10, 10, 10, 6, 2, 1), "one record unaccounted for")
        self.assertFalse(is_accounted(10, 9, 10, 6, 2, 2), "Glue read fewer than the job reported")
        self.assertFalse(is_accounted(11, 10, 10, 6, 2, 2), "a record sent was never read")

    def test_the_job_reports_where_each_record_went(self) -> None:
        journal = Journal("streaming", "k", "2026-03-07T10:00:00Z", (), ("s3://c/p/year=2026/streaming-k-00000.parquet",))
        result = BatchResult(journal, lake_rows=2, quarantined=1, valid=5, events=3, rejected=3)
        self.assertEqual((result.received, result.duplicates_in_batch, result.replayed, result.quarantine_replayed), (8, 2, 1, 2))
        report = result.report()
        self.assertEqual(report["received"], report["lake_rows"] + report["quarantined"] + report["duplicates_in_batch"] + report["replayed"]
                         + report["quarantine_replayed"])
        self.assertEqual(report["rejected"], report["quarantined"] + report["quarantine_replayed"])
        self.assertEqual((report["batch"], report["published"], report["detected"]), ("k", list(journal.published), {}))

    def test_without_detections_the_summary_names_the_masked_fields_the_contract_declares(self) -> None:
        sensitive = [{"field": "email", "classification": "email"}, {"field": "notes", "classification": "free_text"}]
        self.assertEqual(detection_note(sensitive), "none in this run's new lake rows (declared sensitive fields, masked by "
                                                    "their actions: [email (email), notes (free_text)])")
        self.assertIn("[none]", detection_note([]))


class RenderTest(unittest.TestCase):
    def test_the_summary_prints_every_count_and_the_views_as_tables(self) -> None:
        text = render_summary(SUMMARY, Path("/out/summary.json"))
        self.assertIn("attendees: 10 records sent, every one accounted for, in 12.5 s", text)
        for fragment in ("records sent                     10   producer: retried 1, failed 0",
                         "lake rows                         6   9 in the lake, 3 partitions: /out/curated/attendees",
                         "    invalid_json                    1",
                         "quarantined                       2   2 in the quarantine (a line per bad record): /out/quarantine/attendees",
                         "duplicates                        2   1 within a batch, 1 already in the lake, 0 already quarantined",
                         "10 sent, 10 read by the job = 6 lake rows + 2 quarantined + 2 duplicates: ok",
                         "warehouse rows                    8   data_platform.attendees in PostgreSQL 15.18",
                         "sensitive values detected         -   none reported",
                         "data_platform.attendees_by_country (2 of 2 rows, largest first)",
                         "  country_code  attendee_count\n  FR            5\n  DE            3", "summary: /out/summary.json"):
            self.assertIn(fragment, text)

    def test_a_run_without_warehouse_says_why_and_detections_are_listed_per_entity(self) -> None:
        summary = {**SUMMARY, "accounted": False, "warehouse": {"skipped": "warehouse skipped: no PostgreSQL server binaries"},
                   "sensitive_values_detected": {"by_entity": {"email": 4, "phone": 1}}}
        text = render_summary(summary, Path("/out/summary.json"))
        self.assertIn("NOT all accounted for", text)
        self.assertIn("MISMATCH", text)
        self.assertIn("warehouse rows                    -   warehouse skipped: no PostgreSQL server binaries", text)
        self.assertIn("    email                           4", text)
        self.assertNotIn("largest first", text)


if __name__ == "__main__":
    unittest.main()
