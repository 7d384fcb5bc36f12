"""Kinesis on loopback: kinesalite, a Kinesis-compatible server (npm), run by Node.js.

The Glue shim's Kinesis source reads it through the Kinesis API with boto3, as the Glue connector
reads Kinesis: `shared()` starts one server per process and points every boto3 Kinesis client of
the process at it (`AWS_ENDPOINT_URL_KINESIS`, the SDK's own endpoint setting). The server runs in
a session of its own (a Ctrl-C at the terminal reaches only its parent, which stops it) and exits
when its parent's end of its stdin closes, so it never outlives the process that started it.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import time
from typing import Any, Optional, Sequence

from . import REPOSITORY
from .prerequisites import PrerequisiteError

SERVER_SCRIPT = REPOSITORY / "glue-jobs" / "local" / "glue_local" / "kinesalite_server.js"
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_KINESIS"
# PutRecords takes at most 500 records per call.
PUT_RECORDS_LIMIT = 500


def node_binary() -> str:
    node = os.environ.get("npm_node_execpath") or shutil.which("node")
    if not node:
        raise PrerequisiteError("no `node` on PATH: kinesalite runs on Node.js 20 (https://nodejs.org, or apt-get install -y nodejs)")
    if not (REPOSITORY / "node_modules" / "kinesalite").is_dir():
        raise PrerequisiteError(f"kinesalite is not installed in {REPOSITORY / 'node_modules'}. Run: npm ci")
    return node


class Kinesalite:
    """One kinesalite server: `start()`, then `stop()`."""

    def __init__(self) -> None:
        self.endpoint = ""
        self._process: Optional[subprocess.Popen[bytes]] = None

    @property
    def pid(self) -> Optional[int]:
        return self._process.pid if self._process else None

    def start(self) -> "Kinesalite":
        process = subprocess.Popen([node_binary(), str(SERVER_SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   cwd=REPOSITORY, start_new_session=True)
        self._process = process
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            self.stop()
            raise PrerequisiteError(f"kinesalite did not start (exit code {process.wait()}); run `node {SERVER_SCRIPT}` to see why")
        self.endpoint = str(json.loads(line)["endpoint"])
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def client(self) -> Any:
        import boto3

        return boto3.client("kinesis", endpoint_url=self.endpoint, region_name=os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"),
                            aws_access_key_id="local", aws_secret_access_key="local")

    def create_stream(self, name: str, shards: int = 1) -> None:
        """Creates the stream and waits until it is ACTIVE."""
        client = self.client()
        client.create_stream(StreamName=name, ShardCount=shards)
        for _ in range(200):
            if client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
                return
            time.sleep(0.02)
        raise RuntimeError(f"stream {name} did not become ACTIVE")

    def put_records(self, name: str, payloads: Sequence[bytes], partition_keys: Optional[Sequence[str]] = None) -> list[str]:
        """PutRecords calls of at most 500 records, in order; the sequence numbers Kinesis gave."""
        client = self.client()
        keys = list(partition_keys) if partition_keys is not None else [f"pk-{index}" for index in range(len(payloads))]
        sequences: list[str] = []
        for start in range(0, len(payloads), PUT_RECORDS_LIMIT):
            entries = [{"Data": data, "PartitionKey": key}
                       for data, key in zip(payloads[start:start + PUT_RECORDS_LIMIT], keys[start:start + PUT_RECORDS_LIMIT])]
            response = client.put_records(StreamName=name, Records=entries)
            if response.get("FailedRecordCount"):
                raise RuntimeError(f"kinesalite refused {response['FailedRecordCount']} record(s) of a PutRecords call")
            sequences += [record["SequenceNumber"] for record in response["Records"]]
        return sequences


_SHARED: Optional[Kinesalite] = None


def shared() -> Kinesalite:
    """One server per process, stopped at exit; every boto3 Kinesis client of the process uses it."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Kinesalite().start()
        atexit.register(_SHARED.stop)
        os.environ[ENDPOINT_VARIABLE] = _SHARED.endpoint
    return _SHARED
