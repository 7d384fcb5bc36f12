"""Parse, validate and coerce one raw record against the contract (steps 1 and 2).

`validate_record` never raises on bad input: it returns either the clean record
(a dict with every contract field, in contract order) or a `Rejection` that
carries a stable machine-readable reason code, a human message, the raw payload
and the record's position. Nothing is dropped: rejections go to quarantine.
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Context, Decimal
from typing import Any, Optional, Union

from .contract import Contract, Field, FieldType


class Reason:
    """Quarantine reason codes. They are part of the quarantine zone's schema: never rename."""

    RECORD_TOO_LARGE = "record_too_large"
    NOT_UTF8 = "not_utf8"
    INVALID_JSON = "invalid_json"
    DUPLICATE_KEY = "duplicate_key"
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_FIELD = "unknown_field"
    MISSING_REQUIRED_FIELD = "missing_required_field"
    NULL_REQUIRED_FIELD = "null_required_field"
    WRONG_TYPE = "wrong_type"
    OUT_OF_RANGE = "out_of_range"
    DECIMAL_OUT_OF_PRECISION = "decimal_out_of_precision"
    INVALID_DATE = "invalid_date"
    INVALID_TIMESTAMP = "invalid_timestamp"
    TIMESTAMP_WITHOUT_OFFSET = "timestamp_without_offset"
    STRING_TOO_LONG = "string_too_long"


INT_RANGE = (-(2**31), 2**31 - 1)
LONG_RANGE = (-(2**63), 2**63 - 1)
_MAX_DIGITS = 40

_INTEGRAL_STRING = re.compile(r"^-?[0-9]+$")
# JSON's number grammar, reused for numeric strings: rejects "NaN", "1_000", " 5", "0x1F".
_NUMERIC_STRING = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)


@dataclass(frozen=True)
class StreamPosition:
    """Where a record sat in the stream. A part the source does not expose is None, and absent from
    the quarantine row: a position never claims a value it does not have."""

    shard_id: Optional[str]
    sequence_number: Optional[str]
    arrival_time: Optional[str]  # ISO-8601 UTC, as reported by Kinesis

    def as_dict(self) -> dict[str, Any]:
        parts = {"shard_id": self.shard_id, "sequence_number": self.sequence_number, "arrival_time": self.arrival_time}
        return {"kind": "stream", **{key: value for key, value in parts.items() if value is not None}}


@dataclass(frozen=True)
class FilePosition:
    file: str
    line: int  # 1-based

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "file", "file": self.file, "line": self.line}


Position = Union[StreamPosition, FilePosition]


@dataclass(frozen=True)
class Rejection:
    reason: str
    raw_payload: Union[bytes, str]
    position: Optional[Position]
    message: str = ""
    field: Optional[str] = None


class _Invalid(Exception):
    """Internal: one value failed; carries the reason code and message."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def preview(value: Any) -> str:
    """How a message refers to a value: its JSON kind and size, never the value itself. Any field may
    carry personal data (declared or not), and the message reaches analysts and logs; the masked
    record beside it in the quarantine shows the value as each field's masking allows."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return f"a string of {len(value)} characters"
    if isinstance(value, list):
        return f"an array of {len(value)} item(s)"
    return f"an object of {len(value)} key(s)"


def key_name(key: str) -> str:
    """A JSON key as messages quote it (a name, not a value)."""
    return json.dumps(key, ensure_ascii=False)


# --- value coercion, one function per contract type ----------------------------------------


def _coerce_string(value: Any, field: Field) -> str:
    if not isinstance(value, str):
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected a string, got {preview(value)}")
    # Counted in characters (code points), as Spark's length() does.
    if field.max_length is not None and len(value) > field.max_length:
        raise _Invalid(Reason.STRING_TOO_LONG,
                       f"{field.name}: {len(value)} characters exceeds max_length {field.max_length}")
    return value


def _coerce_integral(value: Any, field: Field, bounds: tuple[int, int], label: str) -> int:
    if isinstance(value, bool):
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected {label}, got {preview(value)}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        number = int(value)  # 5.0 and 5e2 are integral JSON numbers
    elif isinstance(value, str) and _INTEGRAL_STRING.match(value):
        number = int(value)
    else:
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected {label}, got {preview(value)}")
    low, high = bounds
    if not low <= number <= high:
        raise _Invalid(Reason.OUT_OF_RANGE, f"{field.name}: the value is outside the {label} range [{low}, {high}]")
    return number


def _coerce_double(value: Any, field: Field) -> float:
    if isinstance(value, bool) or not (
        isinstance(value, (int, Decimal)) or (isinstance(value, str) and _NUMERIC_STRING.match(value))
    ):
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected a number, got {preview(value)}")
    try:
        number = float(value)
    except OverflowError:  # a huge JSON integer
        number = float("inf")
    if number in (float("inf"), float("-inf")):
        raise _Invalid(Reason.OUT_OF_RANGE, f"{field.name}: the value overflows a double")
    return number


def _coerce_decimal(value: Any, field: Field, field_type: FieldType) -> Decimal:
    if isinstance(value, bool) or not (
        isinstance(value, (int, Decimal)) or (isinstance(value, str) and _NUMERIC_STRING.match(value))
    ):
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected a decimal number, got {preview(value)}")
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    precision, scale = field_type.precision or 0, field_type.scale or 0
    # Count digits on the value, not the spelling: "1.50" fits decimal(p,1).
    sign, digits, exponent = number.normalize().as_tuple() if number else (0, (0,), 0)
    assert isinstance(exponent, int)
    fraction_digits = max(0, -exponent)
    integer_digits = max(0, len(digits) + exponent) if number else 0
    if fraction_digits > scale or integer_digits > precision - scale:
        raise _Invalid(
            Reason.DECIMAL_OUT_OF_PRECISION,
            f"{field.name}: the value does not fit {field_type.name} "
            f"(at most {precision - scale} integer and {scale} fraction digits)",
        )
    # The default context stops at 28 digits; decimal(38,s) needs more room.
    return number.quantize(Decimal(1).scaleb(-scale), context=Context(prec=_MAX_DIGITS))


def _coerce_boolean(value: Any, field: Field) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected true/false, got {preview(value)}")


def _coerce_date(value: Any, field: Field) -> date:
    if not isinstance(value, str):
        raise _Invalid(Reason.WRONG_TYPE, f"{field.name}: expected a YYYY-MM-DD string, got {preview(value)}")
    match = _DATE.match(value)
    try:
        if not match:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise _Invalid(Reason.INVALID_DATE, f"{field.name}: got {preview(value)} that is not a YYYY-MM-DD date") from None


def _coerce_timestamp(value: Any, field: Field) -> datetime:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=value)
        except OverflowError:
            raise _Invalid(Reason.OUT_OF_RANGE, f"{field.name}: the epoch millis value is out of range") from None
    if not isinstance(value, str):
        raise _Invalid(Reason.WRONG_TYPE,
                       f"{field.name}: expected an ISO-8601 string or epoch millis integer, got {preview(value)}")
    match = _TIMESTAMP.match(value)
    if not match:
        raise _Invalid(Reason.INVALID_TIMESTAMP, f"{field.name}: got {preview(value)} that is not an ISO-8601 timestamp")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None:
        raise _Invalid(Reason.TIMESTAMP_WITHOUT_OFFSET,
                       f"{field.name}: the timestamp has no offset; add Z or +HH:MM")
    try:
        tz = timezone.utc if offset == "Z" else _offset(offset)
        # Spark timestamps hold microseconds: extra nanosecond digits are truncated.
        micros = int((fraction or "0").ljust(6, "0")[:6])
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tzinfo=tz)
        return local.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise _Invalid(Reason.INVALID_TIMESTAMP, f"{field.name}: the timestamp is not a valid instant") from None


def _offset(text: str) -> timezone:
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def coerce_value(value: Any, field: Field) -> Any:
    """Coerce one non-null JSON value to the field's type; raises `_Invalid` on failure."""
    field_type = field.field_type
    kind = field_type.kind
    if kind == "string":
        return _coerce_string(value, field)
    if kind == "int":
        return _coerce_integral(value, field, INT_RANGE, "a 32-bit int")
    if kind == "long":
        return _coerce_integral(value, field, LONG_RANGE, "a 64-bit long")
    if kind == "double":
        return _coerce_double(value, field)
    if kind == "decimal":
        return _coerce_decimal(value, field, field_type)
    if kind == "boolean":
        return _coerce_boolean(value, field)
    if kind == "date":
        return _coerce_date(value, field)
    return _coerce_timestamp(value, field)


def try_coerce(value: Any, field: Field) -> Any:
    """Lenient variant for reference data: an uncastable value becomes None (like a Spark cast)."""
    if value is None:
        return None
    try:
        return coerce_value(value, field)
    except _Invalid:
        return None


# --- the record ---------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    # json accepts NaN/Infinity by default; they are not JSON.
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Invalid(Reason.DUPLICATE_KEY, f"key {key_name(key)} appears more than once")
        result[key] = value
    return result


def _decode(raw: Union[bytes, str], contract: Contract) -> Any:
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > contract.max_record_bytes:
        raise _Invalid(Reason.RECORD_TOO_LARGE,
                       f"record is {len(data)} bytes, over max_record_bytes {contract.max_record_bytes}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Invalid(Reason.NOT_UTF8, f"payload is not UTF-8 (byte {error.start})") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant,
                          object_pairs_hook=_no_duplicate_keys)
    except ValueError as error:
        raise _Invalid(Reason.INVALID_JSON, f"payload is not JSON: {error}") from None


def validate_record(raw: Union[bytes, str], contract: Contract,
                    position: Optional[Position] = None) -> Union[dict[str, Any], Rejection]:
    """Return the clean record or the first problem found, checked in contract order."""
    field_name: Optional[str] = None
    try:
        document = _decode(raw, contract)
        if not isinstance(document, dict):
            raise _Invalid(Reason.NOT_AN_OBJECT, f"payload is a JSON {type(document).__name__}, not an object")
        if not contract.allow_unknown_fields:
            unknown = [key for key in document if key not in contract.field_names]
            if unknown:
                field_name = unknown[0]
                raise _Invalid(Reason.UNKNOWN_FIELD, f"undeclared field(s) {', '.join(map(key_name, unknown))}")
        clean: dict[str, Any] = {}
        for field in contract.fields:
            field_name = field.name
            clean[field.name] = _field_value(document, field)
        return clean
    except _Invalid as problem:
        return Rejection(problem.reason, raw, position, problem.message, field_name)


def _field_value(document: dict[str, Any], field: Field) -> Any:
    if field.name not in document:
        if field.required:
            raise _Invalid(Reason.MISSING_REQUIRED_FIELD, f"{field.name}: required field is missing")
        return None
    value = document[field.name]
    if value is None:
        if field.required:
            raise _Invalid(Reason.NULL_REQUIRED_FIELD, f"{field.name}: required field is null")
        return None
    return coerce_value(value, field)


# --- quarantine ---------------------------------------------------------------------------


def payload_text(raw: Union[bytes, str]) -> tuple[str, str]:
    """The raw payload as (text, encoding): UTF-8 text when possible, else base64."""
    if isinstance(raw, str):
        try:
            raw.encode("utf-8")
            return raw, "utf-8"
        except UnicodeEncodeError:
            raw = raw.encode("utf-8", "surrogatepass")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), "base64"


def quarantine_record(rejection: Rejection, pipeline: str, received_at: datetime) -> dict[str, Any]:
    """The JSON row written to the quarantine zone for one rejected record."""
    text, encoding = payload_text(rejection.raw_payload)
    return {
        "pipeline": pipeline,
        "reason": rejection.reason,
        "message": rejection.message,
        "field": rejection.field,
        "received_at": received_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
        "raw_payload": text,
        "raw_payload_encoding": encoding,
        "position": rejection.position.as_dict() if rejection.position else None,
    }
