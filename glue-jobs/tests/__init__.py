"""The pure suite: the Glue job library tested with the standard library alone (`npm run test:python`).

The Spark tests in `tests/spark/` run in a process of their own, under the project's .venv
(`npm run test:spark:jvm`): this suite runs without pyspark, and it checks that importing the jobs
never loads Spark, which a Spark test in the same process would defeat.
"""
from __future__ import annotations

import os
import unittest
from typing import Iterator, Optional

SPARK_PACKAGE = "tests.spark"


def _without_spark(suite: unittest.TestSuite) -> Iterator[unittest.TestSuite]:
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield unittest.TestSuite(_without_spark(test))
        elif not type(test).__module__.startswith(SPARK_PACKAGE):
            yield test


def load_tests(loader: unittest.TestLoader, standard_tests: unittest.TestSuite,
               pattern: Optional[str]) -> unittest.TestSuite:
    here = os.path.dirname(os.path.abspath(__file__))
    suite = loader.discover(start_dir=here, pattern=pattern or "test*.py", top_level_dir=os.path.dirname(here))
    return unittest.TestSuite(_without_spark(suite))
