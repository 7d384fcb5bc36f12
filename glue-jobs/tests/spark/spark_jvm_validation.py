"""`spark_job.validate_batch` (native Spark SQL first, `validate_record` for the rest) against
`validate_record` alone, record by record, on the equivalence corpus of `corpus.py`."""
from __future__ import annotations

import json
import sys
import tempfile
import unittest
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from platform_etl.contract import Contract
from platform_etl.dedup import ARRIVAL_ORDER_COLUMN
from platform_etl.ingest import validate_raw_rows
from platform_etl.jvm_validation import ACCEPTED_COLUMN, jvm_decisions
from platform_etl.outputs import spark_ddl_schema, spark_type
from platform_etl.raw_input import RAW_SCHEMA
from platform_etl.spark_job import validate_batch

from glue_local import spark as session

from . import corpus

RECEIVED_AT = datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc)


def raw_rows(payloads: list[bytes]) -> list[tuple[Any, ...]]:
    """Raw rows as the jobs build them: file lines, stream records, and stream records without positions."""
    rows = []
    for index, payload in enumerate(payloads):
        if index % 3 == 0:
            rows.append((payload, None, None, None, f"s3://raw/corpus/part-{index // 100:04d}.jsonl", index + 1, index))
        elif index % 5 == 4:
            rows.append((payload, None, None, None, None, None, index))
        else:
            rows.append((payload, f"shardId-{index % 4:012d}", str(49_590_338_271_490_256_608_559_692_538 + index),
                         "2026-03-07T11:59:00.125Z", None, None, index))
    return rows


def reference(rows: list[tuple[Any, ...]], contract: Contract) -> tuple[list[tuple[Any, ...]], list[str]]:
    """`validate_record` on each row, in this process: clean tuples (with arrival order) and quarantine lines."""
    clean, lines = [], []
    for clean_row, line in validate_raw_rows(rows, contract, RECEIVED_AT):
        if line is None:
            clean.append(clean_row)
        else:
            lines.append(line)
    return clean, lines


def clean_schema(contract: Contract) -> str:
    return spark_ddl_schema([(f.name, f.type) for f in contract.fields] + [(ARRIVAL_ORDER_COLUMN, "long")])


@dataclass(frozen=True)
class Comparison:
    records: int
    accepted_in_jvm: frozenset[int]  # arrival orders
    accepted_by_python: int
    rejected_by_python: int
    clean_only_from_jvm_path: list[Any]
    clean_only_from_reference: list[Any]
    lines_only_from_jvm_path: list[str]
    lines_only_from_reference: list[str]

    @property
    def agree(self) -> bool:
        return not (self.clean_only_from_jvm_path or self.clean_only_from_reference
                    or self.lines_only_from_jvm_path or self.lines_only_from_reference)

    def summary(self) -> str:
        return (f"{self.records} records: {len(self.accepted_in_jvm)} accepted in the JVM; "
                f"{self.records - len(self.accepted_in_jvm)} decided by Python "
                f"({self.accepted_by_python} accepted, {self.rejected_by_python} rejected)")


def compare(payloads: list[bytes], contract: Contract, jvm_contract: Optional[Contract] = None) -> Comparison:
    """Both paths over the same raw rows; `jvm_contract` lets a test break the JVM side on purpose."""
    spark = session.spark()
    jvm_contract = jvm_contract or contract
    rows = raw_rows(payloads)
    raw = spark.createDataFrame(rows, RAW_SCHEMA)
    clean, quarantine = validate_batch(spark, raw, jvm_contract, RECEIVED_AT)
    expected_clean, expected_lines = reference(rows, contract)
    expected = spark.createDataFrame(expected_clean, clean_schema(contract))
    lines = Counter(row["value"] for row in quarantine.collect())
    accepted = jvm_decisions(raw, jvm_contract).where(ACCEPTED_COLUMN).select("arrival_order").collect()
    return Comparison(
        records=len(rows),
        accepted_in_jvm=frozenset(row["arrival_order"] for row in accepted),
        accepted_by_python=len(expected_clean) - len(accepted),
        rejected_by_python=len(expected_lines),
        clean_only_from_jvm_path=clean.exceptAll(expected).limit(5).collect(),
        clean_only_from_reference=expected.exceptAll(clean).limit(5).collect(),
        lines_only_from_jvm_path=list((lines - Counter(expected_lines)).elements())[:5],
        lines_only_from_reference=list((Counter(expected_lines) - lines).elements())[:5],
    )


def by_contract(cases: list[corpus.Case]) -> dict[str, list[corpus.Case]]:
    groups: dict[str, list[corpus.Case]] = {}
    for case in cases:
        groups.setdefault(case.contract, []).append(case)
    return groups


class EquivalenceTest(unittest.TestCase):
    """Same records accepted and rejected, same clean values, same quarantine lines."""

    def assert_agree(self, comparison: Comparison, label: str) -> None:
        self.assertTrue(comparison.agree, f"{label}: the paths disagree\n"
                                          f"clean rows only from the JVM path: {comparison.clean_only_from_jvm_path}\n"
                                          f"clean rows only from validate_record: {comparison.clean_only_from_reference}\n"
                                          f"quarantine lines only from the JVM path: {comparison.lines_only_from_jvm_path}\n"
                                          f"quarantine lines only from validate_record: {comparison.lines_only_from_reference}")

    def test_both_paths_decide_the_corpus_alike(self) -> None:
        totals = Counter[str]()
        for name, cases in by_contract(corpus.cases()).items():
            with self.subTest(contract=name):
                comparison = compare([case.payload for case in cases], corpus.CONTRACTS[name]())
                self.assert_agree(comparison, name)
                print(f"corpus, contract {name}: {comparison.summary()}", file=sys.stderr)
                totals.update(records=comparison.records, jvm=len(comparison.accepted_in_jvm),
                              python_accepted=comparison.accepted_by_python, rejected=comparison.rejected_by_python)
                expected_in_jvm = {index for index, case in enumerate(cases) if case.jvm_expected}
                self.assertEqual(expected_in_jvm - comparison.accepted_in_jvm, set(),
                                 "valid canonical records the JVM path left to Python")
        print(f"corpus: {totals['records']} records; accepted in the JVM {totals['jvm']}; decided by Python "
              f"{totals['python_accepted'] + totals['rejected']} ({totals['python_accepted']} accepted, "
              f"{totals['rejected']} rejected)", file=sys.stderr)
        self.assertGreaterEqual(totals["records"], 3000)

    def test_ansi_mode_changes_nothing(self) -> None:
        spark = session.spark()
        cases = [case for case in corpus.cases() if case.family in ("golden", "edges")]
        spark.conf.set("spark.sql.ansi.enabled", "true")
        try:
            for name, group in by_contract(cases).items():
                with self.subTest(contract=name):
                    self.assert_agree(compare([case.payload for case in group], corpus.CONTRACTS[name]()), name)
        finally:
            spark.conf.unset("spark.sql.ansi.enabled")

    def test_a_loosened_check_is_caught(self) -> None:
        contract = corpus.corpus_contract()
        loosened = replace(contract, fields=tuple(
            replace(field, max_length=3) if field.name == "country_code" else field for field in contract.fields
        ))
        payloads = [case.payload for case in corpus.edges() if case.contract == "corpus"]
        comparison = compare(payloads, contract, jvm_contract=loosened)
        self.assertFalse(comparison.agree)
        self.assertTrue(comparison.clean_only_from_jvm_path, "too-long country codes accepted by the broken path")
        self.assertTrue(comparison.lines_only_from_reference, "their quarantine lines missing from the broken path")
        self.assertTrue(all(row["country_code"] and len(row["country_code"]) == 3
                            for row in comparison.clean_only_from_jvm_path))


class JvmPathTest(unittest.TestCase):
    def test_result_schemas(self) -> None:
        spark = session.spark()
        contract = corpus.corpus_contract()
        raw = spark.createDataFrame(raw_rows([corpus.canonical(corpus.BASE, contract)]), RAW_SCHEMA)
        clean, quarantine = validate_batch(spark, raw, contract, RECEIVED_AT)
        expected = [(f.name, spark_type(f.type)) for f in contract.fields] + [(ARRIVAL_ORDER_COLUMN, "BIGINT")]
        self.assertEqual([(f.name, f.dataType.simpleString().upper()) for f in clean.schema.fields], expected)
        self.assertEqual([(f.name, f.dataType.simpleString()) for f in quarantine.schema.fields], [("value", "string")])
        row = clean.collect()[0]
        self.assertEqual((row["attendee_id"], row["amount"], row[ARRIVAL_ORDER_COLUMN]), ("a-1", Decimal("1.50"), 0))

    def test_clean_rows_belong_to_the_jobs_session_whatever_the_raw_rows_session(self) -> None:
        # foreachBatch hands the job frames of a session of their own; the transform's views are
        # registered on the clean rows' session and read through the job's.
        spark = session.spark()
        contract = corpus.corpus_contract()
        raw = spark.newSession().createDataFrame(raw_rows([corpus.canonical(corpus.BASE, contract)]), RAW_SCHEMA)
        clean, quarantine = validate_batch(spark, raw, contract, RECEIVED_AT)
        for frame in (clean, quarantine):
            self.assertTrue(frame.sparkSession._jsparkSession.equals(spark._jsparkSession))

    def test_the_common_path_runs_no_python(self) -> None:
        spark = session.spark()
        contract = corpus.corpus_contract()
        with tempfile.TemporaryDirectory(prefix="jvm-validation-") as directory:
            spark.createDataFrame([], RAW_SCHEMA).write.parquet(f"{directory}/raw")  # a JVM source, unlike a Python list
            raw = spark.read.parquet(f"{directory}/raw")
            plan = jvm_decisions(raw, contract)._jdf.queryExecution().executedPlan().toString()
        for python_operator in ("Python", "Pandas", "Arrow"):
            self.assertNotIn(python_operator, plan)

    def test_quarantine_positions_come_from_the_raw_columns(self) -> None:
        spark = session.spark()
        contract = corpus.corpus_contract()
        rows = raw_rows([b"not json", b"not json either", b"", b"{}", b"[]"])
        _, quarantine = validate_batch(spark, spark.createDataFrame(rows, RAW_SCHEMA), contract, RECEIVED_AT)
        positions = sorted((json.loads(row["value"])["position"] or {"kind": "none"})["kind"]
                           for row in quarantine.collect())
        self.assertEqual(positions, ["file", "file", "none", "stream", "stream"])
        line = next(json.loads(row["value"]) for row in quarantine.collect()
                    if json.loads(row["value"])["raw_payload"] == "not json")
        self.assertEqual(line["position"], {"kind": "file", "file": "s3://raw/corpus/part-0000.jsonl", "line": 1})
        self.assertEqual((line["reason"], line["received_at"]), ("invalid_json", "2026-03-07T12:00:00Z"))


if __name__ == "__main__":
    unittest.main()
