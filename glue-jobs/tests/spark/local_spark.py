"""One local SparkSession per test process, configured as the jobs configure theirs.

Missing Java or pyspark is an error that names the command installing it: the Spark tests are
never skipped.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from typing import Any, Optional

from tests.helpers import GLUE_JOBS

INSTALL_PYSPARK = "node tools/python-env.js (then run the tests with .venv/bin/python)"
INSTALL_JAVA = "apt-get install openjdk-17-jre-headless"

_session: Optional[Any] = None


class SparkUnavailable(RuntimeError):
    """Java or pyspark is missing; the message says how to install it."""


def java_version() -> str:
    java = shutil.which("java")
    if java is None:
        raise SparkUnavailable(f"the Spark tests need Java 17 and found no `java` on PATH: {INSTALL_JAVA}")
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    return (result.stderr or result.stdout).splitlines()[0]


def spark_session() -> Any:
    """The shared session: local[2], few shuffle partitions, UTC session time zone."""
    global _session
    if _session is not None:
        return _session
    java = java_version()
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(f"the Spark tests need pyspark in {sys.executable}: {INSTALL_PYSPARK}") from None
    _session = (
        SparkSession.builder.master("local[2]").appName("glue-jobs-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        # The Python workers import platform_etl as Glue's --extra-py-files makes them do.
        .config("spark.executorEnv.PYTHONPATH", str(GLUE_JOBS))
        .getOrCreate()
    )
    _session.sparkContext.setLogLevel("ERROR")
    # pyspark leaves the sockets of collect() to the garbage collector; unittest would report each.
    warnings.filterwarnings("ignore", message="unclosed <socket.socket", category=ResourceWarning)
    print(f"\nSpark {_session.version}, Python {sys.version.split()[0]}, {java}", file=sys.stderr)
    return _session
