"""Gives the masking pepper its one value, once, so that Terraform never holds it.

Terraform invokes this function once, right after it creates the pepper's secret
(``aws_lambda_invocation``, lifecycle scope CREATE_ONLY), with ``{"SecretId", "VersionId",
"PasswordLength"}``:

- the secret already has an AWSCURRENT version: the pepper exists and stays as it is (a new pepper
  would change every hash already written);
- otherwise Secrets Manager generates one (GetRandomPassword, letters and digits: the jobs embed it
  in a Spark SQL string literal) and it becomes the secret's first version, under the fixed
  ``VersionId``: PutSecretValue stores one value per ClientRequestToken, so invocations that race
  end with one pepper.

The result, ``{"created", "versionId"}``, is what Terraform keeps in its state: never the value.
The function may write the pepper but never reads it. boto3 is imported inside the handler so that
the module imports (and its tests run) without it.
"""
from __future__ import annotations

from typing import Any, Dict

CURRENT = "AWSCURRENT"


def initialize(secrets: Any, event: Dict[str, Any]) -> Dict[str, Any]:
    """Stores a generated pepper unless the secret has one; ``secrets`` is a Secrets Manager client."""
    secret_id, version_id = event["SecretId"], event["VersionId"]
    stages = secrets.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})
    current = next((version for version, labels in stages.items() if CURRENT in labels), None)
    if current is not None:
        return {"created": False, "versionId": current}
    pepper = secrets.get_random_password(
        PasswordLength=int(event["PasswordLength"]), ExcludePunctuation=True, IncludeSpace=False, RequireEachIncludedType=True
    )["RandomPassword"]
    try:
        secrets.put_secret_value(SecretId=secret_id, ClientRequestToken=version_id, SecretString=pepper, VersionStages=[CURRENT])
    except secrets.exceptions.ResourceExistsException:
        # Another invocation stored its pepper under this version first: that one is the pepper.
        return {"created": False, "versionId": version_id}
    return {"created": True, "versionId": version_id}


def handler(event: Dict[str, Any], _context: Any) -> Dict[str, Any]:
    import boto3

    return initialize(boto3.client("secretsmanager"), event)
