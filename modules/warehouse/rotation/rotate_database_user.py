"""Secrets Manager rotation function of the warehouse's database users.

Secrets Manager calls it four times per rotation, with ``{"SecretId", "ClientRequestToken",
"Step"}`` (the documented contract of a Lambda rotation function):

- ``createSecret``: Secrets Manager generates a password (GetRandomPassword) and the function
  stores ``{"username", "password"}`` as the AWSPENDING version;
- ``setSecret``: sets that password on the database user, through the Redshift Data API as the
  namespace's admin, whose secret Redshift itself manages;
- ``testSecret``: checks that the database knows the user;
- ``finishSecret``: moves AWSCURRENT to the new version.

The password exists only in Secrets Manager and in this function's memory: never in Terraform's
plan or state. The user's name is the secret's ``DatabaseUser`` tag, so the first rotation needs no
earlier version. boto3 is imported inside functions so that the module imports (and its tests run)
without it.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any, Callable, Dict, Optional

USER_TAG = "DatabaseUser"
PENDING = "AWSPENDING"
CURRENT = "AWSCURRENT"
# Characters Redshift refuses in passwords (' " \ / @ and space) plus the backtick.
EXCLUDED_CHARACTERS = "'\"\\/@ `"
PASSWORD_LENGTH = 32
FINISHED, FAILED, ABORTED = "FINISHED", "FAILED", "ABORTED"


class RotationError(Exception):
    """A rotation step that cannot go on; Secrets Manager keeps AWSCURRENT as it was."""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def md5_password_hash(username: str, password: str) -> str:
    """What ``ALTER USER ... PASSWORD`` takes instead of the clear password (Redshift docs)."""
    return "md5" + hashlib.md5((password + username).encode("utf-8")).hexdigest()


def set_password_sql(username: str, password: str) -> str:
    return f"ALTER USER {quote_ident(username)} PASSWORD '{md5_password_hash(username, password)}'"


class Rotation:
    """The four steps, over injected Secrets Manager and Redshift Data API clients."""

    def __init__(self, secrets: Any, data_api: Any, config: Dict[str, str], sleep: Callable[[float], None] = time.sleep) -> None:
        self.secrets = secrets
        self.data_api = data_api
        self.config = config
        self.sleep = sleep

    def run(self, event: Dict[str, str]) -> None:
        secret_id, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        metadata = self.secrets.describe_secret(SecretId=secret_id)
        if not metadata.get("RotationEnabled"):
            raise RotationError(f"rotation is not enabled on {secret_id}")
        stages = metadata.get("VersionIdsToStages", {}).get(token)
        if stages is None:
            raise RotationError(f"version {token} of {secret_id} does not exist")
        if CURRENT in stages:
            return  # already done: Secrets Manager may call a step again
        if PENDING not in stages:
            raise RotationError(f"version {token} of {secret_id} is not AWSPENDING")
        username = self.username(metadata)
        steps = {"createSecret": self.create, "setSecret": self.set, "testSecret": self.test, "finishSecret": self.finish}
        if step not in steps:
            raise RotationError(f"unknown step {step!r}; valid: {', '.join(steps)}")
        steps[step](secret_id, token, username, metadata)

    @staticmethod
    def username(metadata: Dict[str, Any]) -> str:
        for tag in metadata.get("Tags", []):
            if tag.get("Key") == USER_TAG and tag.get("Value"):
                return tag["Value"]
        raise RotationError(f"the secret has no {USER_TAG} tag naming its database user")

    def pending(self, secret_id: str, token: str) -> Optional[Dict[str, str]]:
        try:
            response = self.secrets.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage=PENDING)
        except self.secrets.exceptions.ResourceNotFoundException:
            return None
        return json.loads(response["SecretString"])

    def create(self, secret_id: str, token: str, username: str, _metadata: Dict[str, Any]) -> None:
        if self.pending(secret_id, token) is not None:
            return
        password = self.secrets.get_random_password(
            PasswordLength=PASSWORD_LENGTH, ExcludeCharacters=EXCLUDED_CHARACTERS, RequireEachIncludedType=True
        )["RandomPassword"]
        self.secrets.put_secret_value(
            SecretId=secret_id,
            ClientRequestToken=token,
            SecretString=json.dumps({"username": username, "password": password}),
            VersionStages=[PENDING],
        )

    def set(self, secret_id: str, token: str, username: str, _metadata: Dict[str, Any]) -> None:
        pending = self.pending(secret_id, token)
        if pending is None:
            raise RotationError(f"no AWSPENDING value for version {token}")
        if pending.get("username") != username:
            raise RotationError(f"the pending value names user {pending.get('username')!r}, the secret's tag {username!r}")
        self.execute(set_password_sql(username, pending["password"]))

    def test(self, _secret_id: str, _token: str, username: str, _metadata: Dict[str, Any]) -> None:
        rows = self.execute("SELECT usename FROM pg_user WHERE usename = :user_name", [{"name": "user_name", "value": username}])
        if rows != 1:
            raise RotationError(f"the database has {rows} users named {username!r}; expected 1")

    def finish(self, secret_id: str, token: str, _username: str, metadata: Dict[str, Any]) -> None:
        current = next((version for version, stages in metadata["VersionIdsToStages"].items() if CURRENT in stages), None)
        arguments: Dict[str, Any] = {"SecretId": secret_id, "VersionStage": CURRENT, "MoveToVersionId": token}
        if current is not None:
            arguments["RemoveFromVersionId"] = current
        self.secrets.update_secret_version_stage(**arguments)

    def execute(self, sql: str, parameters: Optional[list] = None) -> int:
        """Runs one statement as the admin and waits for it; returns its result row count."""
        request: Dict[str, Any] = {
            "WorkgroupName": self.config["WORKGROUP_NAME"],
            "Database": self.config["DATABASE"],
            "SecretArn": self.config["ADMIN_SECRET_ARN"],
            "Sql": sql,
            "StatementName": "dp-credential-rotation",
        }
        if parameters:
            request["Parameters"] = parameters
        statement_id = self.data_api.execute_statement(**request)["Id"]
        deadline = time.monotonic() + float(self.config.get("STATEMENT_TIMEOUT_SECONDS", "120"))
        while True:
            described = self.data_api.describe_statement(Id=statement_id)
            status = described["Status"]
            if status == FINISHED:
                return int(described.get("ResultRows", 0))
            if status in (FAILED, ABORTED):
                # The error never contains the SQL's values: Redshift reports the statement's position only.
                raise RotationError(f"statement {statement_id} ended {status}: {described.get('Error', '')}")
            if time.monotonic() > deadline:
                raise RotationError(f"statement {statement_id} still {status} after the timeout")
            self.sleep(1)


def handler(event: Dict[str, str], _context: Any) -> None:
    import boto3

    Rotation(boto3.client("secretsmanager"), boto3.client("redshift-data"), dict(os.environ)).run(event)
