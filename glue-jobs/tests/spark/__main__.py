"""`python -m tests.spark [unittest args]` from `glue-jobs/` (= `npm run test:spark`).

Checks the prerequisites (one message naming the install command when one is missing), prints the
Spark, Python, Java and PostgreSQL versions it runs under next to the Glue version the jobs declare,
starts the one SparkSession, the throwaway PostgreSQL and kinesalite, runs every `spark_*.py` module (or the
test names given), and stops everything.
"""
from __future__ import annotations

import sys
import time
import unittest
from typing import Any

from glue_local.prerequisites import GLUE_JOBS, PrerequisiteError, check_prerequisites


class TimedResult(unittest.TextTestResult):
    """Records each test's duration (and each class's set-up, where the shared job runs)."""

    durations: list[tuple[float, str]] = []

    def startTest(self, test: Any) -> None:  # noqa: N802 (unittest's name)
        self._started = time.monotonic()
        super().startTest(test)

    def stopTest(self, test: Any) -> None:  # noqa: N802 (unittest's name)
        TimedResult.durations.append((time.monotonic() - self._started, test.id()))
        super().stopTest(test)


def main(argv: list[str]) -> int:
    started = time.monotonic()
    try:
        versions = check_prerequisites()
        from glue_local import kinesalite, spark

        from . import postgres

        spark.spark()
        postgres.shared_cluster()
        kinesalite.shared()
    except PrerequisiteError as error:
        sys.stderr.write(f"Spark suite cannot run: {error}\n")
        return 2
    sys.stdout.write(versions.banner() + "\n")
    sys.stdout.flush()
    loader = unittest.TestLoader()
    if argv:
        suite = loader.loadTestsFromNames(argv)
    else:
        suite = loader.discover(str(GLUE_JOBS / "tests" / "spark"), pattern="spark_*.py", top_level_dir=str(GLUE_JOBS))
    result = unittest.TextTestRunner(verbosity=2, resultclass=TimedResult).run(suite)
    slowest = sorted(TimedResult.durations, reverse=True)[:8]
    sys.stdout.write("Slowest tests (a class's shared job run counts in its first test):\n")
    sys.stdout.writelines(f"  {seconds:6.1f} s  {name}\n" for seconds, name in slowest)
    sys.stdout.write(f"Spark suite: {result.testsRun} tests in {time.monotonic() - started:.1f} s (including start-up)\n")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
