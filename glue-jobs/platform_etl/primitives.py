"""What masking and detection both build on, in both implementations: Spark SQL literals and
identifiers, the keyed hash, and the Luhn check."""
from __future__ import annotations

import hashlib
import re

NON_DIGIT = r"[^0-9]"


def sql_string_literal(text: str) -> str:
    """A Spark SQL string literal (default parser: backslash escapes are processed)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sql_identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def hash_value(value: str, pepper: str) -> str:
    """The keyed hash of masking's `hash` action: SHA-256 hex of pepper + value (UTF-8)."""
    return hashlib.sha256((pepper + value).encode("utf-8")).hexdigest()


def luhn_valid(candidate: str) -> bool:
    """Luhn checksum over the digits of `candidate` (separators ignored)."""
    digits = re.sub(NON_DIGIT, "", candidate)
    if not digits:
        return False
    total = 0
    for index, char in enumerate(digits):
        digit = int(char)
        if (len(digits) - 1 - index) % 2 == 1:  # every second digit from the right
            digit = digit * 2 - 9 if digit >= 5 else digit * 2
        total += digit
    return total % 10 == 0


def sql_luhn_valid(candidate: str) -> str:
    """Boolean Spark expression: Luhn over the digits of `candidate` (the digits bound once)."""
    digits = f"regexp_replace({candidate}, {sql_string_literal(NON_DIGIT)}, '')"
    return f"(length({digits}) > 0 AND element_at(transform(array({digits}), __luhn_digits -> {sql_luhn_sum_valid('__luhn_digits')}), 1))"


def sql_luhn_sum_valid(digits: str) -> str:
    """Boolean Spark expression: the Luhn sum of `digits`, a string of digits only (a column or a
    lambda variable: it is read once per digit), is a multiple of 10."""
    digit = f"CAST(substring({digits}, __pos, 1) AS INT)"
    weighted = (
        f"CASE WHEN (length({digits}) - __pos) % 2 = 1 "
        f"THEN CASE WHEN {digit} >= 5 THEN {digit} * 2 - 9 ELSE {digit} * 2 END "
        f"ELSE {digit} END"
    )
    return f"aggregate(sequence(1, length({digits})), 0, (__luhn_sum, __pos) -> __luhn_sum + {weighted}) % 10 = 0"
