"""The AWS calls the jobs make (contract, pepper, metrics). boto3 is imported inside the functions so the
package stays importable (and testable) without it."""
from __future__ import annotations

import json
from typing import Any


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` -> (bucket, key)."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://"):].partition("/")
    if not bucket or not key:
        raise ValueError(f"s3 URI needs a bucket and a key: {uri!r}")
    return bucket, key


def read_s3_text(uri: str) -> str:
    import boto3

    bucket, key = split_s3_uri(uri)
    body = boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    return body.read().decode("utf-8")


def pepper_from_secret_string(secret: str) -> str:
    """The secret is the pepper itself, or a JSON object with a "pepper" key."""
    value: Any = secret
    if secret.lstrip().startswith("{"):
        value = json.loads(secret).get("pepper")
    if not isinstance(value, str) or not value:
        raise ValueError("the pepper secret is empty or has no \"pepper\" key")
    return value


def read_pepper(secret_id: str) -> str:
    import boto3

    response = boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)
    return pepper_from_secret_string(response["SecretString"])


def put_metrics(namespace: str, metric_data: list[dict[str, Any]]) -> None:
    """CloudWatch `PutMetricData`, in calls of at most 1000 values (the API's limit)."""
    import boto3

    client = boto3.client("cloudwatch")
    for start in range(0, len(metric_data), 1000):
        client.put_metric_data(Namespace=namespace, MetricData=metric_data[start:start + 1000])
