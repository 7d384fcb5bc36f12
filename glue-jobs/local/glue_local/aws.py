"""The jobs' other AWS calls, answered on this machine: moto stands in for S3 (the contract the job
reads at start) and Secrets Manager (the pepper); requests to loopback (kinesalite) pass through.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Mapping

from . import REPOSITORY

REFERENCE_DATA = REPOSITORY / "pipelines" / "reference-data"

# Whatever listens on loopback is a local service (kinesalite): moto must let those requests through.
LOOPBACK_URLS = [r"^https?://127\.0\.0\.1(:\d+)?(/.*)?$"]


def mock_aws_services() -> Any:
    """moto's mock for every AWS service but loopback endpoints; `start()` it, `stop()` it."""
    from moto import mock_aws

    return mock_aws(config={"core": {"passthrough": {"urls": LOOPBACK_URLS, "services": []}}})


def put_job_inputs(artifacts_bucket: str, contract_key: str, contract: Mapping[str, Any], pepper_secret: str, pepper: str) -> None:
    """What a deploy leaves for a job before it starts: the contract in the artifacts bucket, the pepper secret."""
    import boto3

    s3 = boto3.client("s3")
    region = os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")
    s3.create_bucket(Bucket=artifacts_bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=artifacts_bucket, Key=contract_key, Body=json.dumps(contract).encode("utf-8"))
    boto3.client("secretsmanager").create_secret(Name=pepper_secret, SecretString=pepper)


def copy_bundled_references(contract: Mapping[str, Any], reference_zone: Path) -> None:
    """The reference files a deploy uploads to the reference bucket (served from `reference_zone`)."""
    for reference in contract["references"]:
        location = reference["location"]
        if location["kind"] != "bundled":
            raise ValueError(f"reference {reference['name']} is read from {location.get('uri')}, which cannot be reached here; "
                             "only references bundled in pipelines/reference-data run locally")
        target = reference_zone / location["key"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REFERENCE_DATA / Path(location["key"]).name, target)
