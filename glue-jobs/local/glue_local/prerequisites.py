"""What running the jobs locally needs from the machine, checked before anything starts.

The Spark suite and `npm run local` run the jobs on the Spark, Python and Java line of the Glue
version the platform deploys (`glue-jobs/glue-runtime.json`). A missing or different prerequisite
stops the run with one message that names the command installing it: nothing is skipped. (A local
run without the PostgreSQL server binaries runs without its warehouse and says so.)
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import GLUE_JOBS, REPOSITORY
# The throwaway PostgreSQL's own checks (binaries, version) raise the same PrerequisiteError.
from .throwaway_postgres import PrerequisiteError, postgres_bindir, postgres_version

__all__ = ["GLUE_JOBS", "REPOSITORY", "PrerequisiteError", "postgres_bindir", "check_prerequisites"]

RUNTIME_FILE = GLUE_JOBS / "glue-runtime.json"
PYTHON_ENV_INSTALL = "npm run python:env (installs requirements-dev.txt into .venv)"


@dataclass(frozen=True)
class GlueRuntime:
    glue_version: str
    spark: str
    python: str
    java: str


def declared_runtime() -> GlueRuntime:
    document = json.loads(RUNTIME_FILE.read_text(encoding="utf-8"))
    return GlueRuntime(document["glueVersion"], document["spark"], document["python"], document["java"])


def java_version() -> str:
    java = shutil.which("java")
    if java is None:
        raise PrerequisiteError("no `java` on PATH. Install Java 17: apt-get install -y openjdk-17-jre-headless")
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "([^"]+)"', result.stderr + result.stdout)
    if not match:
        raise PrerequisiteError(f"could not read the Java version from `java -version`: {result.stderr.strip()!r}")
    return match.group(1)


def pyspark_version() -> str:
    try:
        import pyspark
    except ImportError:
        raise PrerequisiteError(f"pyspark is not installed in {sys.executable}. Run: {PYTHON_ENV_INSTALL}") from None
    return pyspark.__version__


@dataclass(frozen=True)
class Versions:
    glue: GlueRuntime
    spark: str
    python: str
    java: str
    postgres: Optional[str]  # None: not asked for

    def runtime(self) -> str:
        return (f"Spark {self.spark}, Python {self.python}, Java {self.java}"
                + (f", PostgreSQL {self.postgres}" if self.postgres else "")
                + f" (Glue {self.glue.glue_version}: Spark {self.glue.spark}, Python {self.glue.python}, Java {self.glue.java})")

    def banner(self) -> str:
        return f"Spark suite on {self.runtime()}"


def check_prerequisites(postgres: Optional[Path] = None, with_postgres: bool = True) -> Versions:
    """Every prerequisite, or one `PrerequisiteError` naming what to install. Without
    `with_postgres` the PostgreSQL server is not checked (the caller decides what its absence means)."""
    glue = declared_runtime()
    python = "%d.%d.%d" % sys.version_info[:3]
    if not python.startswith(glue.python + "."):
        raise PrerequisiteError(f"Python {python}; Glue {glue.glue_version} runs Python {glue.python}. Run: {PYTHON_ENV_INSTALL}")
    java = java_version()
    if java.split(".")[0] != glue.java:
        raise PrerequisiteError(f"Java {java}; Glue {glue.glue_version} runs Java {glue.java}. Install: apt-get install -y openjdk-{glue.java}-jre-headless")
    spark = pyspark_version()
    if spark != glue.spark:
        raise PrerequisiteError(f"pyspark {spark}; Glue {glue.glue_version} runs Spark {glue.spark}. Run: {PYTHON_ENV_INSTALL}")
    if not with_postgres:
        return Versions(glue, spark, python, java, None)
    bindir = postgres or postgres_bindir()
    return Versions(glue, spark, python, java, postgres_version(bindir))
