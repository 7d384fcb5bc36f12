"""The Spark SQL detection, evaluated by Spark, equals the pure-Python reference on the whole
labelled corpus and on the masking's golden free-text cases: the same findings per entity, and the
same rewritten text for every action."""
from __future__ import annotations

import json
import unittest

from platform_etl.detection import ALL_REDACTED, ENTITIES, HASH, KEEP, candidates, counts, scrub_text, sql_candidates, sql_counts, sql_scrub

from tests.helpers import FIXTURES, GOLDEN

from glue_local import spark as session

PEPPER = "corpus-pepper"
MIXED = {entity: (HASH, KEEP, "redact")[index % 3] for index, entity in enumerate(ENTITIES)}


class SparkDetectionTest(unittest.TestCase):
    def test_spark_and_python_agree_on_the_corpus(self) -> None:
        corpus = json.loads((FIXTURES / "detection-corpus.json").read_text(encoding="utf-8"))["cases"]
        golden = json.loads((GOLDEN / "masking_cases.json").read_text(encoding="utf-8"))["cases"]
        texts = [c["text"] for c in corpus] + [c["input"] for c in golden if c["classification"] == "free_text"] + [None, ""]
        frame = session.spark().createDataFrame([(i, t) for i, t in enumerate(texts)], "i INT, text STRING")
        found = frame.selectExpr("i", "text", f"{sql_candidates('text')} AS found")
        rows = found.selectExpr(
            "i", "found", f"{sql_counts('found')} AS counts",
            f"{sql_scrub('text', 'found', ALL_REDACTED, PEPPER)} AS redacted",
            f"{sql_scrub('text', 'found', MIXED, PEPPER)} AS mixed",
        ).collect()
        self.assertEqual(len(rows), len(texts))
        disagreements = []
        for row in rows:
            text = texts[row.i]
            expected = candidates(text)
            spark_found = tuple(tuple(matches) for matches in row.found)
            if spark_found != expected:
                disagreements.append((text, spark_found, expected))
            self.assertEqual(dict(zip(ENTITIES, row.counts)), counts(expected), text)
            self.assertEqual(row.redacted, scrub_text(text, ALL_REDACTED, PEPPER, expected), text)
            self.assertEqual(row.mixed, scrub_text(text, MIXED, PEPPER, expected), text)
        self.assertEqual(disagreements, [])


if __name__ == "__main__":
    unittest.main()
