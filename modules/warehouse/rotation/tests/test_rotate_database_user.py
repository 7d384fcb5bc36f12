"""The rotation function over stand-ins of Secrets Manager and the Redshift Data API that keep the
state those services keep (versions and staging labels; users and their password hashes), so that a
whole rotation runs as Secrets Manager drives it: createSecret, setSecret, testSecret, finishSecret."""
from __future__ import annotations

import hashlib
import json
import random
import re
import string
import sys
import unittest
import uuid

import rotate_database_user as rotation


class FakeSecretsManager:
    class exceptions:  # noqa: N801 - the shape of a boto3 client's exceptions attribute
        class ResourceNotFoundException(Exception):
            pass

    def __init__(self, username: str | None = "dp_bi_reader", rotation_enabled: bool = True) -> None:
        self.tags = [{"Key": "DatabaseUser", "Value": username}] if username else []
        self.rotation_enabled = rotation_enabled
        self.versions: dict[str, dict] = {}
        self.random = random.Random(7)

    def start_rotation(self) -> str:
        """What RotateSecret does before calling the function: an empty version labelled AWSPENDING."""
        token = str(uuid.UUID(int=self.random.getrandbits(128)))
        self.versions[token] = {"stages": ["AWSPENDING"], "value": None}
        return token

    def describe_secret(self, SecretId):
        return {"RotationEnabled": self.rotation_enabled, "Tags": self.tags, "VersionIdsToStages": {v: list(d["stages"]) for v, d in self.versions.items()}}

    def get_secret_value(self, SecretId, VersionId=None, VersionStage=None):
        version = self.versions.get(VersionId) if VersionId else next((d for d in self.versions.values() if VersionStage in d["stages"]), None)
        if version is None or version["value"] is None or (VersionStage and VersionStage not in version["stages"]):
            raise self.exceptions.ResourceNotFoundException("no such version")
        return {"SecretString": version["value"]}

    def get_random_password(self, PasswordLength, ExcludeCharacters, RequireEachIncludedType):
        alphabet = [c for c in string.ascii_letters + string.digits + string.punctuation if c not in ExcludeCharacters]
        return {"RandomPassword": "".join(self.random.choice(alphabet) for _ in range(PasswordLength))}

    def put_secret_value(self, SecretId, ClientRequestToken, SecretString, VersionStages):
        self.versions[ClientRequestToken]["value"] = SecretString
        self.versions[ClientRequestToken]["stages"] = list(VersionStages)

    def update_secret_version_stage(self, SecretId, VersionStage, MoveToVersionId, RemoveFromVersionId=None):
        current = [v for v, d in self.versions.items() if VersionStage in d["stages"]]
        if current and current[0] != RemoveFromVersionId:
            raise AssertionError(f"{VersionStage} is on {current[0]}, not on {RemoveFromVersionId}")
        for version in current:
            self.versions[version]["stages"].remove(VersionStage)
        self.versions[MoveToVersionId]["stages"].append(VersionStage)

    def current_value(self) -> dict:
        return json.loads(self.get_secret_value("s", VersionStage="AWSCURRENT")["SecretString"])


class FakeDataApi:
    """The Redshift Data API over a database of users: what the function's SQL does to it."""

    def __init__(self, users: dict[str, str | None]) -> None:
        self.users = dict(users)
        self.statements: list[dict] = []
        self.fail_next = False

    def execute_statement(self, **request):
        self.statements.append(request)
        statement_id = f"stmt-{len(self.statements)}"
        self.results = getattr(self, "results", {})
        if self.fail_next:
            self.results[statement_id] = {"Status": "FAILED", "Error": "ERROR: permission denied"}
            return {"Id": statement_id}
        sql = request["Sql"]
        alter = re.fullmatch(r'ALTER USER "((?:[^"]|"")+)" PASSWORD \'(md5[0-9a-f]{32})\'', sql)
        select = sql == "SELECT usename FROM pg_user WHERE usename = :user_name"
        if alter and alter.group(1) in self.users:
            self.users[alter.group(1)] = alter.group(2)
            self.results[statement_id] = {"Status": "FINISHED", "ResultRows": 0}
        elif select:
            name = request["Parameters"][0]["value"]
            self.results[statement_id] = {"Status": "FINISHED", "ResultRows": 1 if name in self.users else 0}
        else:
            self.results[statement_id] = {"Status": "FAILED", "Error": "ERROR: unexpected statement"}
        return {"Id": statement_id}

    def describe_statement(self, Id):
        return self.results[Id]


CONFIG = {"WORKGROUP_NAME": "dp-dev-warehouse", "DATABASE": "analytics", "ADMIN_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:redshift!dp-dev-warehouse-admin-AbCdEf"}
STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]


def rotate(secrets: FakeSecretsManager, database: FakeDataApi) -> str:
    token = secrets.start_rotation()
    subject = rotation.Rotation(secrets, database, CONFIG, sleep=lambda _s: None)
    for step in STEPS:
        subject.run({"SecretId": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-warehouse-bi-reader-AbCdEf", "ClientRequestToken": token, "Step": step})
    return token


class RotationTest(unittest.TestCase):
    def test_first_rotation_of_a_secret_without_a_value_sets_the_password_on_the_database(self) -> None:
        secrets, database = FakeSecretsManager(), FakeDataApi({"dp_bi_reader": None})
        rotate(secrets, database)
        value = secrets.current_value()
        self.assertEqual(value["username"], "dp_bi_reader")
        self.assertEqual(len(value["password"]), rotation.PASSWORD_LENGTH)
        self.assertFalse(set(value["password"]) & set(rotation.EXCLUDED_CHARACTERS))
        expected = "md5" + hashlib.md5((value["password"] + "dp_bi_reader").encode()).hexdigest()
        self.assertEqual(database.users["dp_bi_reader"], expected)

    def test_no_statement_carries_the_clear_password(self) -> None:
        secrets, database = FakeSecretsManager(), FakeDataApi({"dp_bi_reader": None})
        rotate(secrets, database)
        password = secrets.current_value()["password"]
        sent = json.dumps(database.statements)
        self.assertNotIn(password, sent)
        self.assertTrue(all(s["SecretArn"] == CONFIG["ADMIN_SECRET_ARN"] and s["WorkgroupName"] == "dp-dev-warehouse" for s in database.statements))

    def test_a_second_rotation_replaces_the_password_and_keeps_one_current_version(self) -> None:
        secrets, database = FakeSecretsManager(), FakeDataApi({"dp_bi_reader": None})
        first = rotate(secrets, database)
        first_hash = database.users["dp_bi_reader"]
        second = rotate(secrets, database)
        self.assertNotEqual(first, second)
        self.assertEqual([v for v, d in secrets.versions.items() if "AWSCURRENT" in d["stages"]], [second])
        self.assertNotEqual(database.users["dp_bi_reader"], first_hash)

    def test_steps_called_again_change_nothing(self) -> None:
        secrets, database = FakeSecretsManager(), FakeDataApi({"dp_bi_reader": None})
        token = secrets.start_rotation()
        subject = rotation.Rotation(secrets, database, CONFIG, sleep=lambda _s: None)
        event = {"SecretId": "s", "ClientRequestToken": token}
        subject.run({**event, "Step": "createSecret"})
        pending = secrets.versions[token]["value"]
        subject.run({**event, "Step": "createSecret"})
        self.assertEqual(secrets.versions[token]["value"], pending)
        for step in STEPS[1:]:
            subject.run({**event, "Step": step})
        statements = len(database.statements)
        for step in STEPS:
            subject.run({**event, "Step": step})
        self.assertEqual(len(database.statements), statements, "a finished rotation runs no SQL again")

    def test_refuses_what_it_cannot_rotate(self) -> None:
        cases = [
            (FakeSecretsManager(username=None), FakeDataApi({"dp_bi_reader": None}), "DatabaseUser tag"),
            (FakeSecretsManager(rotation_enabled=False), FakeDataApi({"dp_bi_reader": None}), "rotation is not enabled"),
            (FakeSecretsManager(username="dp_nobody"), FakeDataApi({"dp_bi_reader": None}), "ended FAILED"),
        ]
        for secrets, database, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(rotation.RotationError, message):
                rotate(secrets, database)
            self.assertFalse(any("AWSCURRENT" in d["stages"] for d in secrets.versions.values()), "AWSCURRENT never moves after a failed step")

    def test_a_failed_statement_stops_the_rotation_before_finish(self) -> None:
        secrets, database = FakeSecretsManager(), FakeDataApi({"dp_bi_reader": None})
        database.fail_next = True
        with self.assertRaisesRegex(rotation.RotationError, "permission denied"):
            rotate(secrets, database)
        self.assertIsNone(database.users["dp_bi_reader"])

    def test_unknown_step(self) -> None:
        secrets = FakeSecretsManager()
        token = secrets.start_rotation()
        with self.assertRaisesRegex(rotation.RotationError, "unknown step 'rotate'"):
            rotation.Rotation(secrets, FakeDataApi({}), CONFIG).run({"SecretId": "s", "ClientRequestToken": token, "Step": "rotate"})

    def test_quotes_identifiers(self) -> None:
        self.assertEqual(rotation.set_password_sql('a"b', "pw")[:21], 'ALTER USER "a""b" PAS')

    def test_imports_without_boto3(self) -> None:
        self.assertNotIn("boto3", sys.modules)


if __name__ == "__main__":
    unittest.main()
