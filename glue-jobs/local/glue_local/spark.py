"""The one SparkSession of a process that runs the jobs locally, configured like a small Glue 5 job.

* `s3://bucket/key` paths are served from local directories through Hadoop's own
  `ViewFileSystemOverloadScheme` (one mount per bucket, `mount_bucket`): the jobs keep their
  `s3://` URIs and Spark's file sources, writers and committers run unchanged.
* The PostgreSQL JDBC driver is on the driver's class path, as the Redshift driver is on Glue's, so
  `java.sql.DriverManager` finds it (jars added at run time are invisible to DriverManager). It is
  fetched once from Maven Central by Spark's own `--packages` resolver into `.venv/ivy`.
* UTC everywhere (Glue runs in UTC), two cores, two shuffle partitions, no UI, bound to loopback,
  Spark's own logging at ERROR (`log4j2.properties`).
* The process never reaches AWS: the jobs' boto3 clients get placeholder credentials and a region;
  moto answers S3 and Secrets Manager, kinesalite answers Kinesis (`aws`, `kinesalite`).
* Spark's Python workers run this process's Python (the project's `.venv`).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

from . import REPOSITORY
from .prerequisites import PYTHON_ENV_INSTALL, PrerequisiteError

POSTGRES_JDBC = "org.postgresql:postgresql:42.7.4"
IVY_DIR = REPOSITORY / ".venv" / "ivy"
LOG4J2_PROPERTIES = Path(__file__).with_name("log4j2.properties")

for _name, _value in {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                      "AWS_SESSION_TOKEN": "testing", "TZ": "UTC", "SPARK_LOCAL_IP": "127.0.0.1"}.items():
    os.environ[_name] = _value
for _name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_name, None)
# Spark's Python workers run the validator with this process's Python (the project's .venv).
os.environ["PYSPARK_PYTHON"] = sys.executable


def postgres_jdbc_jar() -> Path:
    group, artifact, version = POSTGRES_JDBC.split(":")
    jar = IVY_DIR / "jars" / f"{group}_{artifact}-{version}.jar"
    if jar.exists():
        return jar
    import pyspark

    spark_submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    noop = IVY_DIR / "resolve_only.py"
    noop.parent.mkdir(parents=True, exist_ok=True)
    noop.write_text("# spark-submit resolves --packages before it runs this script\n", encoding="utf-8")
    result = subprocess.run([str(spark_submit), "--conf", f"spark.jars.ivy={IVY_DIR}", "--packages", POSTGRES_JDBC, str(noop)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not jar.exists():
        raise PrerequisiteError(f"could not fetch the PostgreSQL JDBC driver {POSTGRES_JDBC} from Maven Central into {IVY_DIR} "
                                f"({result.stderr.strip()[-300:]}). Check the network, then run again; or run: {PYTHON_ENV_INSTALL}")
    return jar


_SPARK: Optional[Any] = None
_MOUNTED: set[str] = set()


def spark(app_name: str = "glue-jobs-spark-suite") -> Any:
    """The process's SparkSession (the jobs' `SparkContext.getOrCreate()` returns its context)."""
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession

        jar = postgres_jdbc_jar()
        java_options = f"-Duser.timezone=UTC -Dlog4j2.configurationFile={LOG4J2_PROPERTIES.as_uri()}"
        _SPARK = (
            SparkSession.builder.master("local[2]")
            .appName(app_name)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", java_options)
            .config("spark.executor.extraJavaOptions", java_options)
            .config("spark.driver.extraClassPath", str(jar))
            .config("spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.viewfs.ViewFileSystemOverloadScheme")
            .config("spark.hadoop.fs.viewfs.overload.scheme.target.s3.impl", "org.apache.hadoop.fs.LocalFileSystem")
            .config("spark.hadoop.fs.viewfs.overload.scheme.target.file.impl", "org.apache.hadoop.fs.LocalFileSystem")
            .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
            .getOrCreate()
        )
    return _SPARK


def stop() -> None:
    """Stops the session and ends its JVM: PySpark's gateway JVM exits when its stdin closes (it
    would otherwise end only with this process)."""
    global _SPARK
    if _SPARK is None:
        return
    from pyspark import SparkContext

    _SPARK.stop()
    _SPARK = None
    _MOUNTED.clear()
    gateway = SparkContext._gateway
    process = getattr(gateway, "proc", None)
    if gateway is not None:
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
    if process is not None:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def mount_bucket(bucket: str, directory: Path) -> None:
    """Serve `s3://<bucket>/...` from `directory`. Mount a bucket name once: Hadoop caches file systems by authority."""
    if bucket in _MOUNTED:
        raise ValueError(f"bucket {bucket!r} is already mounted; use a new bucket name per test")
    directory.mkdir(parents=True, exist_ok=True)
    spark().sparkContext._jsc.hadoopConfiguration().set(f"fs.viewfs.mounttable.{bucket}.linkFallback", directory.resolve().as_uri())
    _MOUNTED.add(bucket)
