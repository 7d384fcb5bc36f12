"""The shared corpus of transform SQL (tests/fixtures/transform-sql-corpus.json), run against the
job-start check. The jest suite runs the same file against the synthesis-time check
(pipelines/transform-sql.ts): both must give the same answer for every statement."""
from __future__ import annotations

import json
import unittest
from pathlib import Path

from platform_etl.sql import TransformError, _cte_names, check_transform_sql, referenced_relations, tokenize

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "transform-sql-corpus.json").read_text(encoding="utf-8"))


def views_read(sql: str) -> list[str]:
    """The views a statement reads, its own CTEs excluded, each once in the order named."""
    ctes = _cte_names(tokenize(sql))
    return list(dict.fromkeys(name for name in referenced_relations(sql) if name not in ctes))


class TransformSqlCorpusTest(unittest.TestCase):
    def test_the_corpus_is_not_empty(self) -> None:
        self.assertGreaterEqual(len(CORPUS["accepted"]), 30)
        self.assertGreaterEqual(len(CORPUS["refused"]), 15)

    def test_accepted_statements_pass_and_read_the_listed_views(self) -> None:
        for case in CORPUS["accepted"]:
            with self.subTest(case["form"]):
                check_transform_sql(case["sql"], CORPUS["references"])
                self.assertEqual(views_read(case["sql"]), case["reads"])

    def test_refused_statements_fail_for_the_listed_reason(self) -> None:
        for case in CORPUS["refused"]:
            with self.subTest(case["form"]):
                with self.assertRaises(TransformError) as raised:
                    check_transform_sql(case["sql"], CORPUS["references"])
                self.assertEqual(raised.exception.kind, case["kind"])
                for name in case.get("names", []):
                    self.assertIn(repr(name), str(raised.exception))


if __name__ == "__main__":
    unittest.main()
