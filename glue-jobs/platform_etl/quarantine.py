"""The quarantine without clear personal data: each rejected record becomes two lines.

* The analyst-facing row (`records` zone, under `--quarantine_path`): `quarantine_id`, `pipeline`,
  `reason`, `message` (which never quotes a value, and is scrubbed of detected values besides),
  `field`, `received_at`, `record` (the payload's top-level keys, each value as text and masked as
  the warehouse masks it: declared fields by their warehouse action, dropped ones left out, every
  other key by detection; only when the payload is a JSON object without repeated keys), and
  `position`. Keys whose value is null are absent.
* The restricted row (`payloads` zone, under `--quarantine_payload_path`, readable only by the replay
  path and the operator role): `quarantine_id` followed by the validator's quarantine line as it was,
  raw payload included, so that a record can be corrected and replayed.

`quarantine_id` is the keyed hash of the validator's line: the same in both rows, meaningless
without the pepper. `payload_hash`, in both rows too, is the keyed hash of the payload's exact bytes
(domain-separated from masking's hash, so it never equals a masked value's): with `reason`, the
identity of a bad record. A record the quarantine already holds under that identity is a replay and
is not quarantined again (`spark_job.drop_replayed_bad_records`, over `replay_check_dates`). Both
rows are built by `zone_lines_sql` in Spark; `analyst_row` and `payload_line` are the pure-Python
reference.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Optional

from .contract import Contract
from .detection import ALL_REDACTED, actions_for_event_id, scrub_text, sql_find_and_scrub
from .masking import mask_expression, mask_value, normalize_action
from .primitives import hash_value, sql_string_literal
from .records import Reason

ZONE_COLUMN = "zone"
RECORDS_ZONE = "records"
PAYLOADS_ZONE = "payloads"
PAYLOAD_HASH = "payload_hash"
# A bad record's identity: the same payload bytes rejected for the same reason is the same record.
REPLAY_IDENTITY = (PAYLOAD_HASH, "reason")
# What the replay check reads of the analyst-facing lines already published.
IDENTITY_SCHEMA = f"{PAYLOAD_HASH} STRING, reason STRING"
# Keyed by the pepper and by this label: a payload that is a bare value does not hash to that value masked.
_PAYLOAD_HASH_LABEL = "quarantine payload:"

# Reasons whose payload is a JSON object without repeated keys: the masked record can be shown.
OBJECT_REASONS = (
    Reason.UNKNOWN_FIELD, Reason.MISSING_REQUIRED_FIELD, Reason.NULL_REQUIRED_FIELD, Reason.WRONG_TYPE,
    Reason.OUT_OF_RANGE, Reason.DECIMAL_OUT_OF_PRECISION, Reason.INVALID_DATE, Reason.INVALID_TIMESTAMP,
    Reason.TIMESTAMP_WITHOUT_OFFSET, Reason.STRING_TOO_LONG,
)

# The validator's line (`records.quarantine_record`), as Spark reads it back.
LINE_SCHEMA = (
    "pipeline STRING, reason STRING, message STRING, field STRING, received_at STRING, raw_payload STRING, "
    "raw_payload_encoding STRING, position STRUCT<kind: STRING, shard_id: STRING, sequence_number: STRING, "
    "arrival_time: STRING, file: STRING, line: BIGINT>"
)
_KEY, _VALUE = "__key", "__value"


def _value_actions(contract: Contract) -> dict[str, tuple[str, str]]:
    """key -> (classification, warehouse action) for the declared fields."""
    return {rule.field: (rule.classification, normalize_action(rule.warehouse)) for rule in contract.sensitive}


def _masked_value(contract: Contract, key: str, value: Optional[str], pepper: str) -> Optional[str]:
    declared = _value_actions(contract)
    if key in declared:
        classification, action = declared[key]
        return mask_value(value, classification, action, pepper)
    if key in contract.detection.exempt_columns:
        return value
    actions = contract.detection.actions("warehouse")
    return scrub_text(value, actions_for_event_id(actions) if key == contract.event_id_field else actions, pepper)


def _as_text(value: Any) -> Optional[str]:
    """A JSON value as Spark's `from_json` gives it for a STRING map value."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return repr(float(value))
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=lambda d: float(d))


def payload_bytes(line: str) -> bytes:
    """The exact bytes of the payload a validator line holds (`records.payload_text` undone)."""
    row = json.loads(line)
    if row["raw_payload_encoding"] == "base64":
        return base64.b64decode(row["raw_payload"])
    return str(row["raw_payload"]).encode("utf-8")


def payload_hash(line: str, pepper: str) -> str:
    """The keyed hash of the payload of a validator line (reference implementation)."""
    return hashlib.sha256((pepper + _PAYLOAD_HASH_LABEL).encode("utf-8") + payload_bytes(line)).hexdigest()


def replay_check_dates(received_on: date) -> tuple[date, date]:
    """The received dates whose quarantine a batch received on `received_on` checks for replays:
    its own and the day before, so that a bad record sent again within 24 hours (a stream re-read
    within Kinesis' shortest retention, a producer's retry, a second local run) is always caught,
    while a batch reads at most two days of quarantine lines."""
    return received_on, received_on - timedelta(days=1)


def analyst_row(line: str, contract: Contract, pepper: str) -> dict[str, Any]:
    """The analyst-facing row of one validator line (reference implementation)."""
    row = json.loads(line)
    record = None
    if row["reason"] in OBJECT_REASONS:
        document = json.loads(row["raw_payload"], parse_float=Decimal)
        dropped = {f for f, (_, action) in _value_actions(contract).items() if action == "drop"}
        record = {key: _masked_value(contract, key, _as_text(value), pepper) for key, value in document.items() if key not in dropped}
    analyst = {
        "quarantine_id": hash_value(line, pepper), PAYLOAD_HASH: payload_hash(line, pepper), "pipeline": row["pipeline"],
        "reason": row["reason"],
        "message": scrub_text(row["message"], ALL_REDACTED, pepper), "field": row["field"],
        "received_at": row["received_at"], "record": record, "position": row["position"],
    }
    return {key: value for key, value in analyst.items() if value is not None}


def payload_line(line: str, pepper: str) -> str:
    """The restricted row: the validator's line with the quarantine id and the payload hash first."""
    return '{"quarantine_id":"' + hash_value(line, pepper) + f'","{PAYLOAD_HASH}":"' + payload_hash(line, pepper) + '",' + line[1:]


# --- Spark SQL -----------------------------------------------------------------------------------------


def _sql_masked_value(contract: Contract, pepper: str) -> str:
    value = _VALUE
    branches = []
    for key, (classification, action) in _value_actions(contract).items():
        expression = mask_expression(_VALUE, classification, action, pepper)
        if expression is not None:
            branches.append(f"WHEN {sql_string_literal(key)} THEN {expression}")
    branches += [f"WHEN {sql_string_literal(column)} THEN {value}" for column in sorted(contract.detection.exempt_columns)]
    actions = contract.detection.actions("warehouse")
    branches.append(f"WHEN {sql_string_literal(contract.event_id_field)} THEN "
                    f"{sql_find_and_scrub(value, actions_for_event_id(actions), pepper)}")
    return f"CASE {_KEY} {' '.join(branches)} ELSE {sql_find_and_scrub(value, actions, pepper)} END"


def parsed_line_sql(line: str = "value") -> str:
    """The validator's `line` as a struct (`LINE_SCHEMA`)."""
    return f"from_json({line}, {sql_string_literal(LINE_SCHEMA)})"


def payload_hash_sql(parsed: str, pepper: str) -> str:
    """`payload_hash` in Spark, over a parsed validator line (`parsed_line_sql`)."""
    payload = (f"CASE WHEN {parsed}.raw_payload_encoding = 'base64' THEN unbase64({parsed}.raw_payload) "
               f"ELSE encode({parsed}.raw_payload, 'UTF-8') END")
    return f"sha2(concat(encode({sql_string_literal(pepper + _PAYLOAD_HASH_LABEL)}, 'UTF-8'), {payload}), 256)"


def zone_lines_sql(contract: Contract, pepper: str, line: str = "value", hashed: str = PAYLOAD_HASH) -> str:
    """A generator expression (`inline`) turning the validator's `line`, whose payload hash is in
    the column `hashed` (`payload_hash_sql`), into two rows (`zone`, `value`): the analyst-facing
    line and the restricted one."""
    parsed = parsed_line_sql(line)
    identifier = f"sha2(concat({sql_string_literal(pepper)}, {line}), 256)"
    reasons = ", ".join(sql_string_literal(r) for r in OBJECT_REASONS)
    dropped = [f for f, (_, action) in _value_actions(contract).items() if action == "drop"]
    kept = (f"map_filter(__masked, ({_KEY}, {_VALUE}) -> {_KEY} NOT IN ({', '.join(sql_string_literal(d) for d in dropped)}))"
            if dropped else "__masked")
    record = (f"CASE WHEN __row.reason IN ({reasons}) THEN element_at(transform(array(transform_values("
              f"from_json(__row.raw_payload, 'MAP<STRING, STRING>'), ({_KEY}, {_VALUE}) -> {_sql_masked_value(contract, pepper)})), "
              f"__masked -> {kept}), 1) END")
    analyst = (f"to_json(named_struct('quarantine_id', {identifier}, '{PAYLOAD_HASH}', {hashed}, 'pipeline', __row.pipeline, "
               f"'reason', __row.reason, "
               f"'message', {sql_find_and_scrub('__row.message', ALL_REDACTED, pepper)}, 'field', __row.field, "
               f"'received_at', __row.received_at, 'record', {record}, 'position', __row.position))")
    restricted = f"concat('{{\"quarantine_id\":\"', {identifier}, '\",\"{PAYLOAD_HASH}\":\"', {hashed}, '\",', substring({line}, 2))"
    rows = (f"array(named_struct('{ZONE_COLUMN}', '{RECORDS_ZONE}', 'value', {analyst}), "
            f"named_struct('{ZONE_COLUMN}', '{PAYLOADS_ZONE}', 'value', {restricted}))")
    return f"inline(element_at(transform(array({parsed}), __row -> {rows}), 1))"


def zone_of(staged_directory: str) -> tuple[str, str]:
    """`zone=records/received_date=D` -> (`records`, `received_date=D`)."""
    first, _, rest = staged_directory.partition("/")
    prefix = f"{ZONE_COLUMN}="
    if not first.startswith(prefix) or first[len(prefix):] not in (RECORDS_ZONE, PAYLOADS_ZONE):
        raise ValueError(f"not a quarantine zone directory: {staged_directory!r}")
    return first[len(prefix):], rest

