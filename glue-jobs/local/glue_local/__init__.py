"""Running the Glue jobs on one machine: what the Spark suite and `npm run local` share.

Development only, never shipped: the library Glue runs is `platform_etl/` alone (the zip the
streaming module builds holds nothing else). This directory (`glue-jobs/local/`, put on
`sys.path`) holds two packages: `awsglue`, the stand-in for AWS Glue's own library, and
`glue_local`, the local services around it:

* `prerequisites`: Java, Python, pyspark and PostgreSQL checked against the jobs' Glue version;
* `spark`: the one SparkSession, configured like a small Glue 5 job, `s3://` served from directories;
* `kinesalite`: a Kinesis-compatible server on loopback, its streams and records;
* `throwaway_postgres`, `warehouse`: PostgreSQL on loopback standing in for Redshift Serverless;
* `aws`: moto for the jobs' two other AWS calls (S3 contract, Secrets Manager pepper);
* `run`, `summary`: `npm run local`, one pipeline end to end.
"""
from __future__ import annotations

from pathlib import Path

LOCAL_DIR = Path(__file__).resolve().parents[1]
GLUE_JOBS = LOCAL_DIR.parent
REPOSITORY = GLUE_JOBS.parent

# The quarantine bucket's restricted prefix for raw payloads (modules/lake: QUARANTINE_PAYLOAD_PREFIX;
# __tests__/streaming/streaming-stack.test.ts keeps the two equal).
QUARANTINE_PAYLOAD_PREFIX = "raw-payloads/"
