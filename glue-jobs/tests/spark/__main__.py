"""`python -m tests.spark [unittest args]` from `glue-jobs/` (= `npm run test:spark`).

Checks the prerequisites (one message naming the install command when one is missing), prints the
Spark, Python, Java and PostgreSQL versions it runs under next to the Glue version the jobs declare,
starts the one SparkSession and the throwaway PostgreSQL, runs every `spark_*.py` module (or the
test names given), and stops everything.
"""
from __future__ import annotations

import sys
import time
import unittest

from .runtime import GLUE_JOBS, PrerequisiteError, check_prerequisites


def main(argv: list[str]) -> int:
    started = time.monotonic()
    try:
        versions = check_prerequisites()
        from . import postgres, session

        session.spark()
        postgres.shared_cluster()
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
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.stdout.write(f"Spark suite: {result.testsRun} tests in {time.monotonic() - started:.1f} s (including start-up)\n")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
