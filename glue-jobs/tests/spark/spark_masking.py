"""The Spark SQL masking expressions, evaluated by Spark, equal the pure-Python masking on every
golden case (the two implementations share one meaning; until now only the Python one ran)."""
from __future__ import annotations

import json
import unittest

from platform_etl.masking import mask_expression, mask_value

from tests.helpers import GOLDEN

from glue_local import spark as session


class SparkMaskingTest(unittest.TestCase):
    def test_every_golden_case(self) -> None:
        golden = json.loads((GOLDEN / "masking_cases.json").read_text(encoding="utf-8"))
        pepper, cases = golden["pepper"], golden["cases"]
        frame = session.spark().createDataFrame([(i, c["input"]) for i, c in enumerate(cases)], "i INT, value STRING")
        expressions = [f"{mask_expression('value', c['classification'], c['action'], pepper) or 'value'} AS m{i}" for i, c in enumerate(cases)]
        rows = {r.i: r for r in frame.selectExpr("i", *expressions).collect()}
        for i, case in enumerate(cases):
            with self.subTest(case=case):
                spark_value = rows[i][f"m{i}"]
                self.assertEqual(spark_value, case["expected"])
                self.assertEqual(spark_value, mask_value(case["input"], case["classification"], case["action"], pepper))


if __name__ == "__main__":
    unittest.main()
