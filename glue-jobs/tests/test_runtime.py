"""The local test runtime is the line of the Glue version the jobs are deployed on."""
from __future__ import annotations

import json
import re
import unittest

from tests.helpers import GLUE_JOBS

REQUIREMENTS = GLUE_JOBS.parent / "requirements-dev.txt"


class GlueRuntimeTest(unittest.TestCase):
    def test_pyspark_is_pinned_to_the_spark_of_the_declared_glue_version(self) -> None:
        runtime = json.loads((GLUE_JOBS / "glue-runtime.json").read_text(encoding="utf-8"))
        pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", REQUIREMENTS.read_text(encoding="utf-8"), re.MULTILINE))
        self.assertEqual(pins.get("pyspark"), runtime["spark"])
        # Glue 5.x: Spark 3.5 on Python 3.11 and Java 17 (AWS Glue release notes).
        self.assertEqual((runtime["spark"][:4], runtime["python"], runtime["java"]), ("3.5.", "3.11", "17"))

    def test_every_requirement_is_pinned_exactly(self) -> None:
        lines = [line.strip() for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines()]
        requirements = [line for line in lines if line and not line.startswith("#")]
        self.assertGreater(len(requirements), 3)
        for requirement in requirements:
            self.assertRegex(requirement, r"^[A-Za-z0-9_.\-]+(\[[a-z0-9,\-]+\])?==[0-9][0-9A-Za-z.\-]*$")


if __name__ == "__main__":
    unittest.main()
