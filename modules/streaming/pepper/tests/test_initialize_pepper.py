"""The pepper's initializer over a stand-in of Secrets Manager that keeps what the service keeps
(versions, their staging labels, one value per ClientRequestToken), run as Terraform runs it:
once on a new secret, again on one that has its pepper, and twice at the same time."""
from __future__ import annotations

import random
import string
import unittest

import initialize_pepper as pepper

SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-pepper-AbCdEf"
VERSION = "00000000-0000-4000-8000-000000000001"
EVENT = {"SecretId": SECRET, "VersionId": VERSION, "PasswordLength": 64}


class FakeSecretsManager:
    class exceptions:  # noqa: N801 - the shape of a boto3 client's exceptions attribute
        class ResourceExistsException(Exception):
            pass

    def __init__(self, seed: int = 7) -> None:
        self.versions: dict[str, dict] = {}
        self.random = random.Random(seed)
        self.reads = 0

    def describe_secret(self, SecretId):
        return {"ARN": SecretId, "VersionIdsToStages": {v: list(d["stages"]) for v, d in self.versions.items()}}

    def get_random_password(self, PasswordLength, ExcludePunctuation, IncludeSpace, RequireEachIncludedType):
        assert ExcludePunctuation and not IncludeSpace and RequireEachIncludedType
        return {"RandomPassword": "".join(self.random.choice(string.ascii_letters + string.digits) for _ in range(PasswordLength))}

    def put_secret_value(self, SecretId, ClientRequestToken, SecretString, VersionStages):
        existing = self.versions.get(ClientRequestToken)
        if existing is not None:
            # Secrets Manager: the same token with the same value is a no-op, with another value an error.
            if existing["value"] != SecretString:
                raise self.exceptions.ResourceExistsException(f"version {ClientRequestToken} exists with another value")
            return {"VersionId": ClientRequestToken}
        for version in self.versions.values():
            version["stages"] = [s for s in version["stages"] if s not in VersionStages]
        self.versions[ClientRequestToken] = {"stages": list(VersionStages), "value": SecretString}
        return {"VersionId": ClientRequestToken}

    def get_secret_value(self, **_):
        self.reads += 1
        raise AssertionError("the initializer must never read the pepper")

    def current(self) -> str:
        return next(d["value"] for d in self.versions.values() if "AWSCURRENT" in d["stages"])


class InitializePepperTest(unittest.TestCase):
    def test_a_new_secret_gets_one_generated_pepper_of_letters_and_digits(self):
        secrets = FakeSecretsManager()
        result = pepper.initialize(secrets, EVENT)
        self.assertEqual(result, {"created": True, "versionId": VERSION})
        value = secrets.current()
        self.assertEqual(len(value), 64)
        self.assertTrue(value.isalnum(), "the jobs embed the pepper in a Spark SQL string literal")
        self.assertEqual(list(secrets.versions), [VERSION])

    def test_an_existing_pepper_is_never_replaced(self):
        secrets = FakeSecretsManager()
        secrets.put_secret_value(SecretId=SECRET, ClientRequestToken="earlier-version", SecretString="kept", VersionStages=["AWSCURRENT"])
        self.assertEqual(pepper.initialize(secrets, EVENT), {"created": False, "versionId": "earlier-version"})
        self.assertEqual(secrets.current(), "kept")
        self.assertEqual(list(secrets.versions), ["earlier-version"])

    def test_running_again_changes_nothing(self):
        secrets = FakeSecretsManager()
        pepper.initialize(secrets, EVENT)
        first = secrets.current()
        self.assertEqual(pepper.initialize(secrets, EVENT), {"created": False, "versionId": VERSION})
        self.assertEqual(secrets.current(), first)

    def test_two_invocations_racing_end_with_one_pepper(self):
        secrets = FakeSecretsManager()
        # Both looked before either wrote: the second finds its version id taken by another value.
        described = secrets.describe_secret(SecretId=SECRET)
        secrets.describe_secret = lambda SecretId: described
        self.assertEqual(pepper.initialize(secrets, EVENT)["created"], True)
        winner = secrets.current()
        self.assertEqual(pepper.initialize(secrets, EVENT), {"created": False, "versionId": VERSION})
        self.assertEqual(secrets.current(), winner)
        self.assertEqual(len(secrets.versions), 1)

    def test_never_reads_the_pepper_and_never_returns_it(self):
        secrets = FakeSecretsManager()
        result = pepper.initialize(secrets, EVENT)
        self.assertEqual(secrets.reads, 0)
        self.assertNotIn(secrets.current(), repr(result))


if __name__ == "__main__":
    unittest.main()
