"""The streaming DataFrame `create_data_frame.from_options(connection_type="kinesis", ...)` returns:
the stream read through the Kinesis API, as Glue's connector reads it.

Columns: Glue's Kinesis source is built on the open-source Kinesis source for Spark Structured
Streaming, whose rows are `data` BINARY (the record bytes as put), `streamName`, `partitionKey`,
`sequenceNumber` STRING and `approximateArrivalTimestamp` TIMESTAMP (qubole/kinesis-sql
`KinesisReader.kinesisSchema`, kept by awslabs/spark-sql-kinesis-connector); with
`addRecordTimestamp: "true"` Glue adds `__src_timestamp`, "the time when the corresponding record
received by the stream" (AWS Glue API, `KinesisStreamingSourceOptions.AddRecordTimestamp`). With
`inferSchema: "false"` Glue infers nothing, so the record bytes stay in `data`. No shard id is
exposed by that schema. The rest of the connection options the platform does not use are refused
here, so a job cannot silently depend on behaviour this stand-in does not have.

Reading, as the connector's polling reader does (kinesis-sql `KinesisReader`, `ShardSyncer`):
ListShards, then per shard GetShardIterator (`TRIM_HORIZON` for `startingPosition`
`trim_horizon`/`earliest`, `LATEST` for `latest`, `AT_TIMESTAMP` for a `yyyy-mm-ddTHH:MM:SSZ`
timestamp, `AFTER_SEQUENCE_NUMBER` when resuming) and GetRecords following `NextShardIterator`
until the shard is caught up (no records and `MillisBehindLatest` 0) or closed. The client is
boto3's, configured as any SDK client is: `AWS_ENDPOINT_URL_KINESIS` points it at kinesalite
(`glue_local.kinesalite`).

Hand-over to Spark: a Spark 3.5 streaming source cannot be written in Python (the Python data
source API arrives with Spark 4.0), so each fetch is handed to Spark's own file stream source as
one JSON-lines file in a spool directory of the source. Progress is checkpointed in two halves,
which together are the connector's checkpointed shard positions: Spark's checkpoint (offset and
commit logs, and the file source's log of the fetch files each batch read) says which fetches were
processed; the spool keeps, with each fetch, the sequence number every shard had reached
(`_positions-<n>.json`, written after the fetch file; a fetch file without one is read back for
them), and the reader resumes after those. A restarted query therefore runs its uncommitted batch
again with the same records and reads on after the last fetch. Fetches belong to the checkpoint
location they were read for (their names carry a digest of it): binding the source to a checkpoint
shows Spark that checkpoint's fetches only (the others are renamed to `_` names, which Spark's file
source skips), so a job can move to a new checkpoint and back. A new or emptied checkpoint starts
afresh from `startingPosition`, as a Glue job given a new checkpoint reads its stream from there
again.

Fetching is driven by the shim's `forEachBatch`: in the Spark suite (`_local.state().until_drained`)
it reads every shard to its end once before the query starts and spools each put of the suite
(`_local.LocalGlue.record_put`) as its own fetch, and the query runs over them once
(`availableNow`, one fetch file per trigger): a job run is one micro-batch per put made before it. In a local run it fetches in
the background every `POLL_SECONDS` while the query runs with Glue's trigger (`windowSize`),
until the run stops it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Optional

from . import _local

LOG = logging.getLogger("awsglue")

RECORD_FILE_SCHEMA = ("data STRING, streamName STRING, partitionKey STRING, sequenceNumber STRING, "
                      "approximateArrivalTimestamp STRING, shardId STRING")
MODELLED_OPTIONS = {"streamARN", "startingPosition", "inferSchema", "classification", "addRecordTimestamp"}
NAMED_POSITIONS = {"trim_horizon": "TRIM_HORIZON", "earliest": "TRIM_HORIZON", "latest": "LATEST"}
TIMESTAMP_POSITION = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
GET_RECORDS_LIMIT = 10_000
POLL_SECONDS = 0.5
FETCH_FILE = re.compile(r"^_?records-([0-9a-f]{16})-(\d{12})\.json$")


def stream_name(stream_arn: str) -> str:
    return stream_arn.rsplit("/", 1)[-1]


def check_options(options: Mapping[str, Any]) -> str:
    """The options the platform passes, checked; the starting position as Glue reads it (lower case)."""
    unknown = sorted(set(options) - MODELLED_OPTIONS)
    if unknown:
        raise ValueError(f"Kinesis options {unknown} are not modelled by the Glue shim; modelled: {sorted(MODELLED_OPTIONS)}")
    if str(options.get("inferSchema", "false")).lower() != "false":
        raise ValueError("inferSchema=true is not modelled: the platform validates every record itself")
    position = str(options.get("startingPosition", "")).lower()
    if position not in NAMED_POSITIONS and not TIMESTAMP_POSITION.match(str(options.get("startingPosition", ""))):
        raise ValueError(f"startingPosition {options.get('startingPosition')!r} is not modelled; modelled: "
                         f"{sorted(NAMED_POSITIONS)} or yyyy-mm-ddTHH:MM:SSZ")
    return position if position in NAMED_POSITIONS else str(options["startingPosition"])


@dataclass
class _Shard:
    iterator: Optional[str] = None
    last_sequence: Optional[str] = None
    closed: bool = False


class KinesisSource:
    """One Kinesis source of a job: its streaming DataFrame, its spool and its shard readers."""

    def __init__(self, spark: Any, options: Mapping[str, Any], spool: Path) -> None:
        from pyspark.sql import functions as F

        self.starting_position = check_options(options)
        self.stream = stream_name(str(options["streamARN"]))
        self.spark = spark
        self.spool = spool
        spool.mkdir(parents=True, exist_ok=True)
        reader = spark.readStream.schema(RECORD_FILE_SCHEMA)
        if _local.state().until_drained:
            reader = reader.option("maxFilesPerTrigger", 1)  # a micro-batch per fetch, i.e. per put
        records = reader.json(spool.as_uri())
        frame = records.select(
            F.unbase64("data").alias("data"),
            "streamName",
            "partitionKey",
            "sequenceNumber",
            F.to_timestamp("approximateArrivalTimestamp").alias("approximateArrivalTimestamp"),
        )
        if str(options.get("addRecordTimestamp", "false")).lower() == "true":
            frame = frame.withColumn("__src_timestamp", F.col("approximateArrivalTimestamp"))
        self.frame = frame
        self._shards: dict[str, _Shard] = {}
        self._next_fetch = 0
        self._spooled_positions: dict[str, str] = {}  # each shard's position after the last fetch spooled
        self._checkpoint = ""  # digest of the checkpoint location the source is bound to
        self._lock = threading.Lock()
        self._bound = False

    # --- the spool, bound to one checkpoint -----------------------------------------------------

    def bind(self, checkpoint_location: str) -> None:
        """Shows Spark the fetches read for this checkpoint and resumes after the last of them, or,
        for a checkpoint without progress, starts afresh from the starting position."""
        with self._lock:
            self._checkpoint = hashlib.sha256(checkpoint_location.encode("utf-8")).hexdigest()[:16]
            fresh = not _has_progress(self.spark, checkpoint_location)
            for path in self.spool.iterdir():
                match = FETCH_FILE.match(path.name)
                owner = match.group(1) if match else path.name.split("-")[1] if path.name.startswith("_positions-") else None
                visible = not path.name.startswith("_")
                if owner == self._checkpoint and fresh:
                    path.unlink()
                elif match and owner == self._checkpoint and not visible:
                    path.rename(path.with_name(path.name[1:]))
                elif match and owner != self._checkpoint and visible:
                    path.rename(path.with_name("_" + path.name))
            positions, self._next_fetch = self._recover()
            self._spooled_positions = dict(positions)
            self._shards = {shard: _Shard(last_sequence=sequence) for shard, sequence in positions.items()}
            self._bound = True

    def _fetch_file(self, number: int) -> Path:
        return self.spool / f"records-{self._checkpoint}-{number:012d}.json"

    def _positions_file(self, number: int) -> Path:
        return self.spool / f"_positions-{self._checkpoint}-{number:012d}.json"

    def _recover(self) -> tuple[dict[str, str], int]:
        """The shard positions after this checkpoint's last fetch, and the next fetch's number."""
        numbers = sorted(int(m.group(2)) for m in map(FETCH_FILE.match, (p.name for p in self.spool.iterdir()))
                         if m and m.group(1) == self._checkpoint)
        if not numbers:
            return {}, 0
        last = numbers[-1]
        if self._positions_file(last).exists():
            return json.loads(self._positions_file(last).read_text(encoding="utf-8")), last + 1
        # The fetch file was published but its positions were not: read them back from it.
        earlier = [n for n in numbers[:-1] if self._positions_file(n).exists()]
        positions = json.loads(self._positions_file(earlier[-1]).read_text(encoding="utf-8")) if earlier else {}
        for line in self._fetch_file(last).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            current = positions.get(record["shardId"])
            if current is None or int(record["sequenceNumber"]) > int(current):
                positions[record["shardId"]] = record["sequenceNumber"]
        return positions, last + 1

    # --- reading the stream ------------------------------------------------------------------------

    def _client(self) -> Any:
        import boto3

        return boto3.client("kinesis")

    def _iterator(self, client: Any, shard_id: str, after: Optional[str]) -> Optional[str]:
        request: dict[str, Any] = {"StreamName": self.stream, "ShardId": shard_id}
        if after is not None:
            request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=after)
        elif self.starting_position in NAMED_POSITIONS:
            request["ShardIteratorType"] = NAMED_POSITIONS[self.starting_position]
        else:
            request.update(ShardIteratorType="AT_TIMESTAMP", Timestamp=datetime.fromisoformat(self.starting_position.replace("Z", "+00:00")))
        return client.get_shard_iterator(**request).get("ShardIterator")

    def _shard_ids(self, client: Any) -> list[str]:
        shards, token = [], None
        while True:
            response = client.list_shards(NextToken=token) if token else client.list_shards(StreamName=self.stream)
            shards += [shard["ShardId"] for shard in response["Shards"]]
            token = response.get("NextToken")
            if not token:
                return shards

    def fetch(self) -> int:
        """Reads every shard up to its end and spools what it read as one fetch; the records read."""
        with self._lock:
            if not self._bound:
                raise RuntimeError("the Kinesis source is read before forEachBatch bound it to a checkpoint")
            client = self._client()
            lines: list[str] = []
            for shard_id in self._shard_ids(client):
                shard = self._shards.setdefault(shard_id, _Shard())
                if shard.closed:
                    continue
                if shard.iterator is None:
                    shard.iterator = self._iterator(client, shard_id, shard.last_sequence)
                while shard.iterator is not None:
                    try:
                        response = client.get_records(ShardIterator=shard.iterator, Limit=GET_RECORDS_LIMIT)
                    except client.exceptions.ExpiredIteratorException:
                        shard.iterator = self._iterator(client, shard_id, shard.last_sequence)
                        continue
                    for record in response["Records"]:
                        lines.append(json.dumps({
                            "data": base64.b64encode(record["Data"]).decode("ascii"),
                            "streamName": self.stream,
                            "partitionKey": record["PartitionKey"],
                            "sequenceNumber": record["SequenceNumber"],
                            "approximateArrivalTimestamp": record["ApproximateArrivalTimestamp"].isoformat(),
                            "shardId": shard_id,
                        }))
                        shard.last_sequence = record["SequenceNumber"]
                    shard.iterator = response.get("NextShardIterator")
                    shard.closed = shard.iterator is None  # a closed shard read to its end
                    if not response["Records"] and not response.get("MillisBehindLatest"):
                        break
            for group in self._by_put(lines):
                self._spool(group)
            return len(lines)

    def _by_put(self, lines: list[str]) -> list[list[str]]:
        """The fetched records split by the suite's puts, in put order (records of no recorded put
        last); a local run records no put: one group."""
        puts = _local.state().puts.get(self.stream, [])
        groups: dict[int, list[str]] = {}
        for line in lines:
            sequence = json.loads(line)["sequenceNumber"]
            index = next((i for i, put in enumerate(puts) if sequence in put), len(puts))
            groups.setdefault(index, []).append(line)
        return [groups[index] for index in sorted(groups)]

    def _spool(self, lines: list[str]) -> None:
        number = self._next_fetch
        target = self._fetch_file(number)
        hidden = self.spool / f".{target.name}.tmp"  # the file source skips hidden files
        hidden.write_text("\n".join(lines) + "\n", encoding="utf-8")
        hidden.replace(target)
        # The positions after this fetch: the shards' positions before it, moved on by its records.
        positions = dict(self._spooled_positions)
        for line in lines:
            record = json.loads(line)
            current = positions.get(record["shardId"])
            if current is None or int(record["sequenceNumber"]) > int(current):
                positions[record["shardId"]] = record["sequenceNumber"]
        self._spooled_positions = positions
        hidden_positions = self.spool / f".{self._positions_file(number).name}.tmp"
        hidden_positions.write_text(json.dumps(positions, sort_keys=True), encoding="utf-8")
        hidden_positions.replace(self._positions_file(number))
        self._next_fetch = number + 1

    def poll(self, stop: threading.Event, interval: float = POLL_SECONDS) -> threading.Thread:
        """Fetches every `interval` seconds until `stop` is set (a local run's background reader)."""
        def loop() -> None:
            reported = ""
            while not stop.is_set():
                try:
                    self.fetch()
                    reported = ""
                except Exception as error:  # the stream may be unreachable for a moment: keep polling
                    if str(error) != reported:
                        LOG.warning("reading Kinesis stream %s failed, retrying: %s", self.stream, error)
                        reported = str(error)
                stop.wait(interval)

        thread = threading.Thread(target=loop, name=f"kinesis-{self.stream}", daemon=True)
        thread.start()
        return thread


def _has_progress(spark: Any, checkpoint_location: str) -> bool:
    """Whether the checkpoint has planned a batch (Spark's offset log has an entry)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(checkpoint_location.rstrip("/") + "/offsets")
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return bool(fs.exists(path)) and any(not status.getPath().getName().startswith(".") for status in fs.listStatus(path))
