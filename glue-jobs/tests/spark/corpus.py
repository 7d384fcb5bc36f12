"""The equivalence corpus: payloads on which the JVM path and `validate_record` must agree.

Four families, all deterministic (the generated ones are seeded):

* golden: the good and bad payloads of tests/test_records.py, against the contracts they were
  written for;
* edges: for every field of the typed contract, one canonical record per edge value of its type,
  valid and invalid (boundaries, unicode, long strings, near-miss formats), everything else valid;
* generated: seeded records mixing those values, rendered canonically or in one of the forms the
  JVM path leaves to Python (spacing, key order, escapes, duplicates, unknown keys, garbage, bytes
  that are not UTF-8, ...), for the typed contract and for one that allows unknown fields;
* common: seeded valid records in the canonical form producers write (`JSON.stringify`): the JVM
  path must accept every one of them itself (`Case.jvm_expected`).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Optional, Sequence

from platform_etl.contract import Contract, Field
from tests.helpers import fixture_contract
from tests.test_records import BAD_RECORDS, GOOD, TYPED_BAD_RECORDS, payload, typed_contract

SEED = 20260307
ABSENT = object()  # a key left out of the record


class Raw(str):
    """A JSON token written as is (`5.0`, `1e2`, `NaN`, `[1]`)."""


@dataclass(frozen=True)
class Case:
    family: str
    contract: str  # a key of CONTRACTS
    payload: bytes
    jvm_expected: bool = False  # the JVM path must accept this record itself


def corpus_contract() -> Contract:
    """The typed contract of tests/test_records.py (a field of every type) plus a wide decimal."""
    typed = typed_contract()
    return replace(typed, fields=typed.fields + (Field("big", "decimal(38,4)", False, None, None),))  # type: ignore[attr-defined]


def _with_size_limit(contract: Contract, max_record_bytes: int) -> Contract:
    return replace(contract, max_record_bytes=max_record_bytes)


CONTRACTS: dict[str, Callable[[], Contract]] = {
    "attendees": lambda: fixture_contract("attendees"),
    "typed": typed_contract,  # type: ignore[dict-item]
    "corpus": corpus_contract,
    "session_checkins": lambda: fixture_contract("session_checkins"),
    "tight": lambda: _with_size_limit(fixture_contract("attendees"), 512),
}

# --- edge values per type: (valid, invalid); `validate_record` is the judge, these only aim ----

EMOJI = "\U0001F600"


def _strings(max_length: Optional[int]) -> tuple[list[Any], list[Any]]:
    texts = ["", "a", "Jane Doe", "José Zoë Łukasz", "中文字符", EMOJI + "🎉", "e\u0301", "O'Brien",
             'quote " and back\\slash', "slash/", "tab\tnew\nline\rcr", "nul\u0000", "unit\u001fsep",
             "line\u2028sep", "del\x7f", "42", "null", "true", " padded ", "\U0010FFFF"]
    if max_length is not None:
        texts += ["x" * max_length, EMOJI * max_length, "é" * max_length,
                  "x" * (max_length + 1), EMOJI * (max_length + 1), "é" * (max_length + 1)]
    fits: list[Any] = [text for text in texts if max_length is None or len(text) <= max_length]
    # Escapes: a lone surrogate (Python keeps it, Spark cannot hold it) and a pair.
    fits += [Raw('"lone \\ud800"'), Raw('"pair \\ud83d\\ude00"'), Raw('"\\u00e9t\\u00e9"'), Raw('"a\\/b"')]
    too_long = [text for text in texts if max_length is not None and len(text) > max_length]
    # A lone surrogate is written raw (bytes that are not UTF-8) or as an escape Python decodes.
    return fits, too_long + [42, Raw("4.2"), True, Raw("[1]"), Raw('{"a":1}'), Raw("-0"), "lone \ud800 surrogate"]


def _integers(bits: int) -> tuple[list[Any], list[Any]]:
    high = 2 ** (bits - 1) - 1
    low = -high - 1
    valid = [0, 1, -1, 42, high, low, str(high), str(low), "42", "-0", "0042", Raw("-0"), Raw("5.0"), Raw("1e2"),
             Raw("1E2"), Raw("-7.000"), str(high).rjust(25, "0")]
    invalid = [high + 1, low - 1, str(high + 1), str(low - 1), Raw("1.5"), True, "3.0", "abc", "", " 5", "+5",
               Raw("1e400"), Raw(str(10 ** 30)), Raw("0x10")]
    return valid, invalid


_DOUBLES_VALID: list[Any] = [0.5, 2.5, -1.25, 1234.56, 0.001, 7.0, 7, Raw("0.1"), Raw("1.0E10"), Raw("1e10"),
                             Raw("-0.0"), Raw("5e-324"), Raw("1.7976931348623157E308"), Raw("2.0E-3"), "2.5", "1e5",
                             "-0", Raw(str(10 ** 30)), Raw("123456789.123456789")]
_DOUBLES_INVALID: list[Any] = [Raw("1e999"), "1e999", "NaN", "Infinity", "-Infinity", Raw("NaN"), Raw("Infinity"),
                               "fast", True, "", "1.", ".5", "0x1p3"]


def _decimals(precision: int, scale: int) -> tuple[list[Any], list[Any]]:
    integer = "9" * (precision - scale)
    fraction = "9" * scale
    top = f"{integer}.{fraction}" if scale else integer
    valid = [top, "-" + top, "0", "0.00", "1.5", "1.50", "1.500000", "-0.00", "0.01", Raw("1.5"), Raw("12"),
             "1e1", Raw("1.2e1"), Raw(top), "10" if precision - scale >= 2 else "1"]
    invalid = [("1" + integer) + ".0", f"0.{'0' * scale}1", "abc", "", "1.", ".5", "00.1", True, "NaN",
               Raw("1e40"), "1 000", f"{top}1"]
    return valid, invalid


_BOOLEANS = ([True, False, "true", "false"], ["True", "FALSE", 1, 0, "yes", "", Raw("tru")])
_DATES = (["2000-02-29", "0001-01-01", "9999-12-31", "2026-03-07", "1970-01-01"],
          ["2001-02-29", "0000-01-01", "2026-13-01", "2026-00-10", "2026-01-32", "2026-04-31", "2026-1-1",
           "2026-03-07T00:00:00Z", "03/07/2026", 20260307, "2026-03-07 ", " 2026-03-07", "२०२६-03-07", "2026-03-07\n"])
_TIMESTAMPS = (
    ["2026-03-07T01:30:00Z", "2026-03-07T01:30:00.1Z", "2026-03-07T01:30:00.123456789Z", "2026-03-07T01:30:00.000Z",
     "2026-03-07T01:30:00+02:00", "2026-03-07T01:30:00-00:00", "2026-03-07T01:30:00+23:59",
     "2026-03-07T01:30:00-23:59", "2026-03-07T01:30:00.5+18:00", "0001-01-01T00:00:00Z",
     "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.9999999Z", "2000-02-29T12:00:00+05:30",
     "0001-01-01T01:00:00+01:00", "9999-12-31T22:59:59-01:00", "2026-03-07T23:59:59.999999999-12:00",
     0, -1, 1772847000000, Raw("-62135596800000"), Raw("253402300799999")],
    ["2026-03-07T01:30:00", "2026-03-07T24:00:00Z", "2026-03-07T23:60:00Z", "2026-03-07T23:59:60Z",
     "2026-03-07T01:30:00+24:00", "2026-03-07T01:30:00+05:60", "2026-02-29T00:00:00Z", "0001-01-01T00:30:00+01:00",
     "9999-12-31T23:30:00-01:00", "2026-03-07t01:30:00z", "2026-03-07 01:30:00Z", "2026-03-07T01:30:00.1234567890Z",
     "0000-01-01T00:00:00Z", "2026-03-07T01:30:00+0200", "2026-03-07T01:30Z", "2026-03-07T01:30:00.Z",
     "2026-03-07T01:30:00Z\n", Raw("1.5e12"), 10 ** 18, Raw("-62135596800001"), "1772847000000", True, ""],
)


def edge_values(contract: Contract) -> dict[str, tuple[list[Any], list[Any]]]:
    """(valid-looking, invalid-looking) values per field; `validate_record` decides which is which."""
    pools: dict[str, tuple[list[Any], list[Any]]] = {}
    for field in contract.fields:
        field_type = field.field_type
        kind = field_type.kind
        if kind == "string":
            pools[field.name] = _strings(field.max_length)
        elif kind in ("int", "long"):
            pools[field.name] = _integers(32 if kind == "int" else 64)
        elif kind == "double":
            pools[field.name] = (_DOUBLES_VALID, _DOUBLES_INVALID)
        elif kind == "decimal":
            assert field_type.precision is not None and field_type.scale is not None
            pools[field.name] = _decimals(field_type.precision, field_type.scale)
        elif kind == "boolean":
            pools[field.name] = _BOOLEANS
        elif kind == "date":
            pools[field.name] = _DATES
        else:
            pools[field.name] = _TIMESTAMPS
    return pools


# --- rendering ---------------------------------------------------------------------------------


def _token(value: Any, ascii_only: bool) -> str:
    return str(value) if isinstance(value, Raw) else json.dumps(value, ensure_ascii=ascii_only)


def render(pairs: Sequence[tuple[str, Any]], spaced: bool = False, ascii_only: bool = False) -> bytes:
    """A JSON object of `pairs` in that order; compact and UTF-8 unless asked otherwise."""
    item, key = (", ", ": ") if spaced else (",", ":")
    body = item.join(f"{json.dumps(name, ensure_ascii=ascii_only)}{key}{_token(value, ascii_only)}"
                     for name, value in pairs)
    return ("{" + body + "}").encode("utf-8", "surrogatepass")


def canonical(record: dict[str, Any], contract: Contract) -> bytes:
    """The form `JSON.stringify` gives a record built in contract order: every field, nulls written."""
    return render([(name, None if record.get(name, ABSENT) is ABSENT else record[name]) for name in contract.field_names])


def _present(record: dict[str, Any], contract: Contract) -> list[tuple[str, Any]]:
    return [(name, record[name]) for name in contract.field_names if record.get(name, ABSENT) is not ABSENT]


# Forms other than the canonical one: all valid or invalid JSON that only Python decides.
VARIANTS: dict[str, Callable[[dict[str, Any], Contract, random.Random], bytes]] = {
    "spaced": lambda r, c, _: render(_present(r, c), spaced=True),
    "ascii escapes": lambda r, c, _: render(_present(r, c), ascii_only=True),
    "nulls left out": lambda r, c, _: render([(k, v) for k, v in _present(r, c) if v is not None]),
    "keys reordered": lambda r, c, rng: render(rng.sample(_present(r, c), len(_present(r, c)))),
    "duplicate key": lambda r, c, _: render(_present(r, c) + _present(r, c)[:1]),
    "unknown key": lambda r, c, _: render(_present(r, c) + [("referrer", "newsletter")]),
    "nested unknown": lambda r, c, _: render(_present(r, c) + [("extra", Raw('{"a":[1,2]}'))]),
    "pretty": lambda r, c, _: b"{\n  " + render(_present(r, c), spaced=True)[1:-1].replace(b", \"", b",\n  \"") + b"\n}",
    "trailing newline": lambda r, c, _: canonical(r, c) + b"\n",
    "trailing garbage": lambda r, c, _: canonical(r, c) + b"x",
    "two objects": lambda r, c, _: canonical(r, c) + b"{}",
    "leading BOM": lambda r, c, _: b"\xef\xbb\xbf" + canonical(r, c),
    "latin-1 bytes": lambda r, c, _: canonical(r, c).decode("utf-8", "surrogateescape").encode("latin-1", "replace"),
    "truncated": lambda r, c, _: canonical(r, c)[:-2],
    "single quotes": lambda r, c, _: canonical(r, c).replace(b'"', b"'"),
    "array": lambda r, c, _: b"[" + canonical(r, c) + b"]",
}


# --- the families --------------------------------------------------------------------------------


# A valid record of the corpus contract in the canonical form, every field set.
BASE = {**GOOD, "phone": "+1 415-555-0100", "company": "Contoso", "job_title": "Data Engineer", "country_code": "FR",
        "notes": "Vegetarian meal.", "seats": 7, "views": 7, "score": 2.5, "amount": "1.50", "paid": True,
        "birthday": "2000-02-29", "big": "1.0000"}


def golden() -> Iterator[Case]:
    for contract, records in (("attendees", BAD_RECORDS), ("typed", TYPED_BAD_RECORDS)):
        for _, raw, _, _ in records:
            yield Case("golden", contract, raw)
    yield Case("golden", "attendees", payload())
    yield Case("golden", "typed", payload(seats="42", views=str(-(2 ** 63)), score="2.5e3", amount="999.99",
                                          paid="false", birthday="2000-02-29"))
    yield Case("golden", "session_checkins",
               b'{"checkin_id": "c1", "attendee_id": "a1", "session_id": "s1", "scanned_at": 0, "extra": 1}')


def edges() -> Iterator[Case]:
    contract = corpus_contract()
    yield Case("edges", "corpus", canonical(BASE, contract), jvm_expected=True)
    for name, (valid, invalid) in edge_values(contract).items():
        for value in list(valid) + list(invalid) + [None, ABSENT]:
            yield Case("edges", "corpus", canonical({**BASE, name: value}, contract))
    # Around a size limit, in bytes that are not characters: 2 bytes per "é".
    contract = CONTRACTS["tight"]()
    record = {name: BASE[name] for name in contract.field_names}
    room = contract.max_record_bytes - len(canonical({**record, "notes": ""}, contract))
    for size in range(room - 3, room + 3):
        yield Case("edges", "tight", canonical({**record, "notes": "é" * (size // 2) + "x" * (size % 2)}, contract))


def _random_record(rng: random.Random, contract: Contract, invalid_chance: float) -> dict[str, Any]:
    pools = edge_values(contract)
    record: dict[str, Any] = {}
    for field in contract.fields:
        roll = rng.random()
        if not field.required and roll < 0.1:
            record[field.name] = None
        elif not field.required and roll < 0.15:
            record[field.name] = ABSENT
        else:
            valid, invalid = pools[field.name]
            record[field.name] = rng.choice(invalid if rng.random() < invalid_chance else valid)
    return record


def generated(count: int = 2400, seed: int = SEED) -> Iterator[Case]:
    rng = random.Random(seed)
    for contract_name, share in (("corpus", 0.8), ("session_checkins", 0.2)):
        contract = CONTRACTS[contract_name]()
        for _ in range(int(count * share)):
            record = _random_record(rng, contract, invalid_chance=0.02)
            if rng.random() < 0.7:
                yield Case("generated", contract_name, canonical(record, contract))
            else:
                variant = rng.choice(sorted(VARIANTS))
                yield Case("generated", contract_name, VARIANTS[variant](record, contract, rng))


def _common_value(rng: random.Random, kind: str, max_length: Optional[int], precision: int, scale: int) -> Any:
    if kind == "string":
        words = ["Ana", "García", "北京", EMOJI, "O'Brien", 'say "hi"', "back\\slash", "a/b", "line\nbreak", "Zoë"]
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        return text[: max_length] if max_length is not None else text
    if kind == "int":
        return rng.randint(-(2 ** 31), 2 ** 31 - 1)
    if kind == "long":
        return rng.randint(-(2 ** 63), 2 ** 63 - 1)
    if kind == "double":
        return rng.choice([round(rng.uniform(-9999, 9999), rng.randint(1, 4)), 0.5, -2.25, 100.0])
    if kind == "decimal":
        whole = rng.randint(0, 10 ** min(precision - scale, 18) - 1)
        fraction = str(rng.randint(0, 10 ** scale - 1)).rjust(scale, "0") if scale else ""
        return f"{rng.choice(['', '-'])}{whole}{'.' + fraction if fraction else ''}"
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "date":
        return f"{rng.randint(1, 9999):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    fraction = rng.choice(["", ".5", ".123", ".123456", ".123456789"])
    zone = rng.choice(["Z", "+02:00", "-05:30", "+14:00", "-00:00"])
    return (f"{rng.randint(1900, 2100):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}{fraction}{zone}")


def common(count: int = 600, seed: int = SEED + 1) -> Iterator[Case]:
    """Valid records in the canonical form, values in their most common spelling."""
    rng = random.Random(seed)
    contract = corpus_contract()
    for _ in range(count):
        record: dict[str, Any] = {}
        for field in contract.fields:
            field_type = field.field_type
            if not field.required and rng.random() < 0.1:
                record[field.name] = None
            else:
                record[field.name] = _common_value(rng, field_type.kind, field.max_length,
                                                   field_type.precision or 0, field_type.scale or 0)
        yield Case("common", "corpus", canonical(record, contract), jvm_expected=True)


def cases() -> list[Case]:
    return [*golden(), *edges(), *generated(), *common()]
