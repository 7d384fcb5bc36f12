"""Masking per classification and action, in two implementations with one meaning.

* `mask_value` / `mask_row`: the pure-Python reference implementation (what the
  tests exercise).
* `mask_expression` / `sink_select_expressions`: Spark SQL expression strings
  built from native functions only (no Python UDF), used by the jobs.

Both are written against the same regex constants below (free text is masked by the detection of
`detection.py`, with every entity redacted). The patterns stay in
the subset of regex syntax that means the same in Java (Spark) and Python:
character classes instead of `.`, `\\d`, `\\s`, `\\w`, `\\b`; no `$`, no named
groups, no possessive or atomic groups; lookbehinds only over a single
character class. tests/test_regex_dialect.py enforces it. Replacements are
written once in Java syntax (`$1`) and converted by `python_replacement`.

Semantics, for every action: a null value stays null.
* keep: unchanged.  drop: the column is removed.  redact: "[REDACTED]".
* hash: SHA-256 hex of pepper + value (UTF-8), no normalisation.
* partial (the lake's `mask` is the same thing): see `_partial_python`;
  a value that does not look like its classification becomes "[REDACTED]".
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Optional, Sequence

from .contract import Contract
from .detection import ALL_REDACTED, scrub_text, sql_find_and_scrub
from .primitives import NON_DIGIT, hash_value, luhn_valid, sql_identifier, sql_luhn_valid, sql_string_literal

__all__ = ["hash_value", "luhn_valid", "sql_identifier", "sql_luhn_valid", "sql_string_literal"]  # re-exported

REDACTED = "[REDACTED]"
STARS = "***"

PHONE_KEEP_DIGITS = 2
CARD_KEEP_DIGITS = 4

# --- shared patterns (Java/Python common subset) -------------------------------------------

# Group 1: first character of the local part; group 2: "@" and the domain.
EMAIL_PARTS = r"^([^@])[^@]*(@[^@]+)"
# Group 1: the first three octets.
IPV4_PREFIX = r"^([0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3})[.][0-9]{1,3}"
# Group 1: the first three (uncompressed) groups.
IPV6_PREFIX = r"^([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}):"
NAME_WORD = r"([^ \t\r\n])[^ \t\r\n]*"
NAME_WORD_REPLACEMENT = "$1."
WHITESPACE_RUN = r"[ \t\r\n]+"

SHARED_PATTERNS: Mapping[str, str] = {
    "NON_DIGIT": NON_DIGIT,
    "EMAIL_PARTS": EMAIL_PARTS,
    "IPV4_PREFIX": IPV4_PREFIX,
    "IPV6_PREFIX": IPV6_PREFIX,
    "NAME_WORD": NAME_WORD,
    "WHITESPACE_RUN": WHITESPACE_RUN,
}

SINKS = ("lake", "warehouse")


def normalize_action(action: str) -> str:
    """The lake calls it `mask`, the warehouse `partial`: one partial mask."""
    return "partial" if action == "mask" else action


def python_replacement(java_replacement: str) -> str:
    """Convert a Java `Matcher.replaceAll` replacement to Python `re.sub` syntax.

    `$n` becomes `\\g<n>`; a Java escape `\\x` becomes the literal x. `$n` followed
    by another digit is refused: Java would read the longest valid group number.
    """
    out: list[str] = []
    index = 0
    while index < len(java_replacement):
        char = java_replacement[index]
        if char == "\\" and index + 1 < len(java_replacement):
            out.append(java_replacement[index + 1].replace("\\", "\\\\"))
            index += 2
        elif char == "$":
            group = java_replacement[index + 1: index + 2]
            if not group.isdigit() or java_replacement[index + 2: index + 3].isdigit():
                raise ValueError(f"unsupported group reference in {java_replacement!r}")
            out.append(f"\\g<{group}>")
            index += 2
        else:
            out.append("\\\\" if char == "\\" else char)
            index += 1
    return "".join(out)


# --- pure-Python reference implementation ----------------------------------------------------


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern)


def _regexp_extract(value: str, pattern: str, group: int) -> str:
    """Spark's regexp_extract: the group of the first match, "" when none."""
    match = _compiled(pattern).search(value)
    return (match.group(group) or "") if match else ""


def _regexp_replace(value: str, pattern: str, java_replacement: str) -> str:
    return _compiled(pattern).sub(python_replacement(java_replacement), value)


def _keep_last_digits(value: str, keep: int) -> str:
    digits = _regexp_replace(value, NON_DIGIT, "")
    if len(digits) <= keep:
        return REDACTED
    return "*" * (len(digits) - keep) + digits[-keep:]


def _partial_email(value: str) -> str:
    if not _compiled(EMAIL_PARTS).search(value):
        return REDACTED
    return _regexp_extract(value, EMAIL_PARTS, 1) + STARS + _regexp_extract(value, EMAIL_PARTS, 2)


def _partial_ip(value: str) -> str:
    if _compiled(IPV4_PREFIX).search(value):
        return _regexp_extract(value, IPV4_PREFIX, 1) + ".0"
    if _compiled(IPV6_PREFIX).search(value):
        return _regexp_extract(value, IPV6_PREFIX, 1) + "::"
    return REDACTED


def _partial_name(value: str) -> str:
    initials = _regexp_replace(value, NAME_WORD, NAME_WORD_REPLACEMENT)
    return _regexp_replace(initials, WHITESPACE_RUN, " ").strip(" ")  # Spark trim(): spaces only


def _partial_free_text(value: str) -> str:
    return scrub_text(value, ALL_REDACTED, "") or ""


_PARTIAL_PYTHON = {
    "email": _partial_email,
    "phone": lambda value: _keep_last_digits(value, PHONE_KEEP_DIGITS),
    "credit_card": lambda value: _keep_last_digits(value, CARD_KEEP_DIGITS),
    "ip_address": _partial_ip,
    "person_name": _partial_name,
    "free_text": _partial_free_text,
}


def mask_value(value: Optional[str], classification: str, action: str, pepper: str) -> Optional[str]:
    """Apply one action to one value. `drop` has no value: use `mask_row`."""
    action = normalize_action(action)
    if action == "drop":
        raise ValueError("drop removes the column; it has no masked value")
    if value is None or action == "keep":
        return value
    if action == "hash":
        return hash_value(value, pepper)
    if action == "redact":
        return REDACTED
    if action == "partial":
        return _PARTIAL_PYTHON[classification](value)
    raise ValueError(f"unknown masking action {action!r}")


def sink_actions(contract: Contract, sink: str) -> dict[str, tuple[str, str]]:
    """field -> (classification, normalised action) for one sink."""
    if sink not in SINKS:
        raise ValueError(f"unknown sink {sink!r}")
    return {
        rule.field: (rule.classification, normalize_action(getattr(rule, sink)))
        for rule in contract.sensitive
    }


def mask_row(row: Mapping[str, Any], contract: Contract, sink: str, pepper: str) -> dict[str, Any]:
    """Mask one row for a sink: dropped columns disappear, others are masked in place."""
    actions = sink_actions(contract, sink)
    masked: dict[str, Any] = {}
    for name, value in row.items():
        classification, action = actions.get(name, ("", "keep"))
        if action != "drop":
            masked[name] = value if action == "keep" else mask_value(value, classification, action, pepper)
    return masked


# --- Spark SQL expression builder ----------------------------------------------------------


def _sql_keep_last_digits(col: str, keep: int) -> str:
    digits = f"regexp_replace({col}, {sql_string_literal(NON_DIGIT)}, '')"
    return (
        f"CASE WHEN length({digits}) <= {keep} THEN {sql_string_literal(REDACTED)} "
        f"ELSE concat(repeat('*', length({digits}) - {keep}), substring({digits}, -{keep}, {keep})) END"
    )


def _sql_partial_email(col: str) -> str:
    pattern = sql_string_literal(EMAIL_PARTS)
    return (
        f"CASE WHEN {col} RLIKE {pattern} "
        f"THEN concat(regexp_extract({col}, {pattern}, 1), {sql_string_literal(STARS)}, regexp_extract({col}, {pattern}, 2)) "
        f"ELSE {sql_string_literal(REDACTED)} END"
    )


def _sql_partial_ip(col: str) -> str:
    v4, v6 = sql_string_literal(IPV4_PREFIX), sql_string_literal(IPV6_PREFIX)
    return (
        f"CASE WHEN {col} RLIKE {v4} THEN concat(regexp_extract({col}, {v4}, 1), '.0') "
        f"WHEN {col} RLIKE {v6} THEN concat(regexp_extract({col}, {v6}, 1), '::') "
        f"ELSE {sql_string_literal(REDACTED)} END"
    )


def _sql_partial_name(col: str) -> str:
    initials = f"regexp_replace({col}, {sql_string_literal(NAME_WORD)}, {sql_string_literal(NAME_WORD_REPLACEMENT)})"
    return f"trim(regexp_replace({initials}, {sql_string_literal(WHITESPACE_RUN)}, ' '))"


def _sql_partial_free_text(col: str) -> str:
    return sql_find_and_scrub(col, ALL_REDACTED, "")


_PARTIAL_SQL = {
    "email": _sql_partial_email,
    "phone": lambda col: _sql_keep_last_digits(col, PHONE_KEEP_DIGITS),
    "credit_card": lambda col: _sql_keep_last_digits(col, CARD_KEEP_DIGITS),
    "ip_address": _sql_partial_ip,
    "person_name": _sql_partial_name,
    "free_text": _sql_partial_free_text,
}


def mask_expression(column: str, classification: str, action: str, pepper: str) -> Optional[str]:
    """Spark SQL for one masked column (without alias); None when the column is dropped."""
    action = normalize_action(action)
    col = sql_identifier(column)
    if action == "drop":
        return None
    if action == "keep":
        return col
    if action == "hash":
        # concat() with a null is null, so sha2 keeps nulls null.
        return f"sha2(concat({sql_string_literal(pepper)}, {col}), 256)"
    if action == "redact":
        body = sql_string_literal(REDACTED)
    elif action == "partial":
        body = _PARTIAL_SQL[classification](col)
    else:
        raise ValueError(f"unknown masking action {action!r}")
    return f"CASE WHEN {col} IS NULL THEN NULL ELSE {body} END"


def sink_select_expressions(columns: Sequence[str], contract: Contract, sink: str, pepper: str) -> list[str]:
    """`selectExpr` arguments producing `columns` (already without dropped ones) for a sink."""
    actions = sink_actions(contract, sink)
    expressions: list[str] = []
    for name in columns:
        classification, action = actions.get(name, ("", "keep"))
        expression = mask_expression(name, classification, action, pepper)
        if expression is None:
            raise ValueError(f"{sink} column {name!r} is dropped by the contract and cannot be selected")
        expressions.append(f"{expression} AS {sql_identifier(name)}")
    return expressions
