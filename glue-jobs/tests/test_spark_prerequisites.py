"""The Spark suite refuses to start without its prerequisites, with one message naming the install
command (its preflight runs on the standard library, so this runs in the pure suite)."""
from __future__ import annotations

import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from tests import spark  # noqa: F401  (puts glue-jobs/local on the path)
from glue_local import prerequisites as runtime


class PrerequisitesTest(unittest.TestCase):
    def test_missing_java_names_the_package(self) -> None:
        with mock.patch.dict(os.environ, {"PATH": tempfile.mkdtemp()}):
            with self.assertRaisesRegex(runtime.PrerequisiteError, r"no `java` on PATH.*apt-get install -y openjdk-17-jre-headless"):
                runtime.java_version()

    def test_missing_postgres_server_names_the_package(self) -> None:
        empty = Path(tempfile.mkdtemp())
        with mock.patch.dict(os.environ, {"PATH": str(empty)}):
            with self.assertRaisesRegex(runtime.PrerequisiteError, r"initdb.*apt-get install -y postgresql"):
                runtime.postgres_bindir(installations=empty)

    def test_missing_pyspark_names_the_command(self) -> None:
        with mock.patch.dict("sys.modules", {"pyspark": None}):
            with self.assertRaisesRegex(runtime.PrerequisiteError, r"pyspark is not installed.*npm run python:env"):
                runtime.pyspark_version()

    def test_the_declared_runtime_is_glue_5(self) -> None:
        declared = runtime.declared_runtime()
        self.assertEqual((declared.glue_version[:2], declared.python, declared.java), ("5.", "3.11", "17"))


if __name__ == "__main__":
    unittest.main()
