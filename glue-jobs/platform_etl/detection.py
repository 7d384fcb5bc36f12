"""Sensitive data found in content: what every string column is scanned for, in two implementations
with one meaning.

* `find_entities` / `scrub_text`: the pure-Python reference implementation (what the unit tests, the
  labelled corpus and the quarantine's reference exercise).
* `sql_candidates` / `sql_counts` / `sql_scrub` / `sql_gate`: Spark SQL built from native functions only
  (`regexp_extract_all`, `filter`, `aggregate`, `transform`, `replace`, `sha2`; no Python UDF),
  used by the jobs.

Both are written against the pattern constants below, in the regex subset that means the same in
Java and Python (`tests/test_regex_dialect.py`, as for masking.py). Semantics:

* Every entity's pattern runs over the value as it arrived; a candidate counts only when its
  validator accepts it: Luhn for cards, the country code and ISO 7064 mod 97 for IBANs, the digit
  count for phone numbers (`candidates`).
* What is found (`find_entities`, the counts): each entity's candidates, less those contained in a
  candidate of an entity before it in `ENTITIES` (an IBAN's digit groups are not also a card, an
  e-mail's digits not also a phone number).
* Each sink rewrites the value: for each entity in order, each of its candidates is replaced
  literally by the entity's token (`redact`), by the keyed SHA-256 the masking uses (`hash`: a value
  that is exactly one match becomes `primitives.hash_value(value)`, so joins on it still work), or
  left alone (`keep`). Nulls stay null. Literal replacement masks every occurrence of a found value,
  wherever else it appears in the value.
* The patterns run side by side on the original value, never on each other's output: Spark
  evaluates them as one flat projection, with no expression nested in another's lambda.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Optional, Sequence

from .primitives import NON_DIGIT, hash_value, luhn_valid, sql_luhn_sum_valid, sql_string_literal

# --- entities, tokens, actions ---------------------------------------------------------------

# Detection order: what contains another entity's shapes goes first (e-mails hold digits and dots,
# IBANs hold digit groups, IPv6 addresses may embed an IPv4 address, cards would be read as phones).
ENTITIES = ("email", "aws_access_key", "iban", "ipv6", "ipv4", "credit_card", "us_ssn", "phone")

TOKENS: Mapping[str, str] = {
    "email": "[EMAIL]",
    "aws_access_key": "[AWS_KEY]",
    "iban": "[IBAN]",
    "ipv6": "[IP]",
    "ipv4": "[IP]",
    "credit_card": "[CARD]",
    "us_ssn": "[SSN]",
    "phone": "[PHONE]",
}

KEEP, REDACT, HASH = "keep", "redact", "hash"
LAKE_ACTIONS = frozenset({KEEP, REDACT, HASH})
WAREHOUSE_ACTIONS = frozenset({REDACT, HASH})  # the warehouse never holds a detected value in clear

# --- shared patterns (Java/Python common subset) -----------------------------------------------

# Boundaries: a match never starts or ends inside a word, and a number never starts right after a
# separator (`ORD-555-123-4567` is an id, not a phone number) nor right after another digit group
# (`2720 0039 3838 5311` holds no phone number, `DE89 3704 ...` no card).
_WORD_BEFORE = r"(?<![0-9A-Za-z_])"
_WORD_AFTER = r"(?![0-9A-Za-z_])"
_NUMBER_BEFORE = r"(?<![0-9A-Za-z_.+-])(?<![0-9][ -])"
_NUMBER_AFTER = r"(?![0-9A-Za-z_]|[.-][0-9])"

_LABEL = r"[A-Za-z0-9-]+"
# Image names like `icon@2x.png` are not addresses; no such top-level domain exists.
_NOT_FILE_EXTENSION = r"(?!(?:png|jpe?g|gif|svg|webp|bmp|ico|tiff?)(?![A-Za-z0-9-]))"
EMAIL_PATTERN = (
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@" + _LABEL + r"(?:[.]" + _LABEL + r")*[.]"
    + _NOT_FILE_EXTENSION + r"[A-Za-z]{2,63}(?![A-Za-z0-9-])"
)

# Long-term (AKIA) and temporary (ASIA) access key ids: 16 base32 characters after the prefix.
AWS_ACCESS_KEY_PATTERN = _WORD_BEFORE + r"(?:AKIA|ASIA)[A-Z2-7]{16}" + _WORD_AFTER

# Country code, check digits, 11-30 alphanumerics, unspaced or in groups of four; validated below.
IBAN_PATTERN = _WORD_BEFORE + r"[A-Z]{2}[0-9]{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,3})?" + _WORD_AFTER

_H = r"[0-9A-Fa-f]{1,4}"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = _OCTET + r"(?:[.]" + _OCTET + r"){3}"
# RFC 4291 text forms: full, every compressed form, and an embedded IPv4 address; longest first. An
# address holds a digit (`Abc::Def` is a Ruby constant).
IPV6_PATTERN = (
    r"(?<![0-9A-Za-z_:.])(?=[0-9A-Fa-f:]*[0-9])(?:"
    + r"(?:" + _H + r":){6}" + _IPV4
    + r"|(?:" + _H + r":){1,4}:(?:" + _H + r":)?" + _IPV4
    + r"|::(?:[Ff]{4}:(?:0{1,4}:)?)?" + _IPV4
    + r"|(?:" + _H + r":){7}" + _H
    + r"|(?:" + _H + r":){1,6}(?::" + _H + r"){1,6}"
    + r"|(?:" + _H + r":){1,7}:"
    + r"|::(?:" + _H + r":){0,6}" + _H
    + r")(?![0-9A-Za-z_:]|[.][0-9])"
)

IPV4_PATTERN = r"(?<![0-9A-Za-z_.])" + _IPV4 + r"(?![0-9A-Za-z_]|[.][0-9])"

# 13-19 digits with an issuer prefix (2-series Mastercard 22-27, 3x, 4x, 5x, 6x), unspaced, in
# groups of four (space or dash), or Amex's 4-6-5; validated by Luhn. Compact timestamps (20...,
# 19...) and epoch milliseconds (1...) are not cards by prefix.
_CARD_START = r"(?:2[2-7]|[3-6][0-9])"
CREDIT_CARD_PATTERN = (
    _NUMBER_BEFORE + r"(?:"
    + _CARD_START + r"[0-9]{11,17}"
    + r"|" + _CARD_START + r"[0-9]{2}(?: [0-9]{4}){2,3}(?: [0-9]{1,4})?"
    + r"|" + _CARD_START + r"[0-9]{2}(?:-[0-9]{4}){2,3}(?:-[0-9]{1,4})?"
    + r"|3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5}"
    + r")" + _NUMBER_AFTER
)

# AAA-GG-SSSS (dashes or spaces): area not 000, 666 or 9xx; group not 00; serial not 0000.
US_SSN_PATTERN = (
    _NUMBER_BEFORE + r"(?!000|666|9)[0-9]{3}"
    + r"(?:-(?!00)[0-9]{2}-(?!0000)[0-9]{4}| (?!00)[0-9]{2} (?!0000)[0-9]{4})" + _NUMBER_AFTER
)

# E.164 (`+` and 7-15 digits, any common separators), `00` international prefix (grouped), North
# American (NPA with parentheses or one consistent separator), and trunk-0 national numbers in
# groups with one consistent separator (`020 7946 0958`, `06 12 34 56 78`, `030-1234567`). Bare
# national digit runs are not phone numbers here (they are ids as often). The digit count is
# validated: 8-15 for international forms, 9-11 for national ones.
_NANP_TAIL = r"[0-9]{3}"
PHONE_PATTERN = (
    _NUMBER_BEFORE + r"(?:"
    + r"[+][1-9](?:[)]?[ .-]?[(]?[0-9]){6,14}"
    + r"|00[1-9][0-9]{0,3}(?:[)]?[ .-][(]?[0-9]{1,6}){2,6}"
    + r"|(?:1[ .-]?)?[(][2-9][0-9]{2}[)] ?" + _NANP_TAIL + r"[ .-][0-9]{4}"
    + r"|(?:1-)?[2-9][0-9]{2}-" + _NANP_TAIL + r"-[0-9]{4}"
    + r"|(?:1[.])?[2-9][0-9]{2}[.]" + _NANP_TAIL + r"[.][0-9]{4}"
    + r"|(?:1 )?[2-9][0-9]{2} " + _NANP_TAIL + r" [0-9]{4}"
    + r"|[(]0[1-9][0-9]{0,4}[)] ?[0-9]{2,8}(?:[ -][0-9]{2,8}){0,3}"
    + r"|0[1-9][0-9]{0,4}(?: [0-9]{2,8}){1,4}"
    + r"|0[1-9][0-9]{0,4}(?:-[0-9]{2,8}){1,4}"
    + r"|0[1-9][0-9]{0,4}(?:[.][0-9]{2,8}){1,4}"
    + r")" + _NUMBER_AFTER
)

PATTERNS: Mapping[str, str] = {
    "email": EMAIL_PATTERN,
    "aws_access_key": AWS_ACCESS_KEY_PATTERN,
    "iban": IBAN_PATTERN,
    "ipv6": IPV6_PATTERN,
    "ipv4": IPV4_PATTERN,
    "credit_card": CREDIT_CARD_PATTERN,
    "us_ssn": US_SSN_PATTERN,
    "phone": PHONE_PATTERN,
}

# A cheap necessary condition for any entity: a value that does not match it holds none, and is not
# scanned further. Every entity needs an `@`, two colons around hex digits, an access key prefix,
# an IBAN's country code and check digits, or four digits with at most three other characters
# between neighbours (IPv4, cards, SSNs, phones).
DETECTION_GATE = r"@|:[0-9A-Fa-f]{0,4}:|A[KS]IA|[A-Z]{2}[0-9]{2}|[0-9][^0-9]{0,3}[0-9][^0-9]{0,3}[0-9][^0-9]{0,3}[0-9]"

# Behind the gate, each entity's pattern runs only on values holding one of its literals: every
# match of the pattern contains one (an e-mail its `@`, a key its prefix, every IPv6 form a colon,
# an IPv4 address its dots). A value without them cannot yield a match, so skipping the pattern
# changes no finding; `instr` costs a fraction of a pattern pass. The pure-Python `candidates`
# runs every pattern unguarded: the Spark corpus test holds the guarded SQL to it.
ENTITY_LITERALS: Mapping[str, tuple[str, ...]] = {
    "email": ("@",),
    "aws_access_key": ("AKIA", "ASIA"),
    "ipv6": (":",),
    "ipv4": (".",),
}

SHARED_PATTERNS: Mapping[str, str] = {
    **{f"{entity.upper()}_PATTERN": pattern for entity, pattern in PATTERNS.items()},
    "DETECTION_GATE": DETECTION_GATE,
}

# --- validators ------------------------------------------------------------------------------

# Countries that issue IBANs (SWIFT's IBAN registry).
IBAN_COUNTRIES = frozenset(
    "AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR "
    "GT HN HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK "
    "PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE".split()
)
IBAN_MIN_LENGTH, IBAN_MAX_LENGTH = 15, 34
PHONE_INTERNATIONAL_DIGITS = (8, 15)
PHONE_NATIONAL_DIGITS = (9, 11)


def iban_valid(candidate: str) -> bool:
    """Known country, 15-34 characters, and ISO 7064 mod 97 of the rearranged number equals 1."""
    compact = candidate.replace(" ", "")
    if compact[:2] not in IBAN_COUNTRIES or not IBAN_MIN_LENGTH <= len(compact) <= IBAN_MAX_LENGTH:
        return False
    remainder = 0
    for char in compact[4:] + compact[:4]:
        if "A" <= char <= "Z":
            remainder = (remainder * 100 + ord(char) - 55) % 97
        else:
            remainder = (remainder * 10 + ord(char) - 48) % 97
    return remainder == 1


def phone_valid(candidate: str) -> bool:
    digits = len(re.sub(NON_DIGIT, "", candidate))
    low, high = PHONE_INTERNATIONAL_DIGITS if candidate.startswith(("+", "00")) else PHONE_NATIONAL_DIGITS
    return low <= digits <= high


CARD_DIGITS = (13, 19)


def card_valid(candidate: str) -> bool:
    digits = len(re.sub(NON_DIGIT, "", candidate))
    return CARD_DIGITS[0] <= digits <= CARD_DIGITS[1] and luhn_valid(candidate)


VALIDATORS: Mapping[str, Callable[[str], bool]] = {"credit_card": card_valid, "iban": iban_valid, "phone": phone_valid}

# --- pure-Python reference implementation --------------------------------------------------------

Findings = tuple[tuple[str, ...], ...]  # per entity, in ENTITIES order: its matches, in order
NO_FINDINGS: Findings = tuple(() for _ in ENTITIES)


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern)


def might_hold_entities(text: str) -> bool:
    return _compiled(DETECTION_GATE).search(text) is not None


def candidates(text: Optional[str]) -> Findings:
    """Every entity's validated matches in the value as it arrived (Spark: `regexp_extract_all` +
    `filter`); none for null and for values the gate clears."""
    if text is None or not might_hold_entities(text):
        return NO_FINDINGS
    found: list[tuple[str, ...]] = []
    for entity in ENTITIES:
        validator = VALIDATORS.get(entity)
        found.append(tuple(m.group(0) for m in _compiled(PATTERNS[entity]).finditer(text)
                           if validator is None or validator(m.group(0))))
    return tuple(found)


def resolve(found: Findings) -> Findings:
    """Each entity's candidates less those contained in a candidate of an earlier entity."""
    return tuple(
        tuple(match for match in matches if not any(match in earlier for before in found[:index] for earlier in before))
        for index, matches in enumerate(found)
    )


def find_entities(text: Optional[str]) -> Findings:
    return resolve(candidates(text))


def replacement(entity: str, action: str, match: str, pepper: str) -> str:
    if action == REDACT:
        return TOKENS[entity]
    if action == HASH:
        return hash_value(match, pepper)
    raise ValueError(f"no replacement for action {action!r}")


def scrub_text(text: Optional[str], actions: Mapping[str, str], pepper: str,
               found: Optional[Findings] = None) -> Optional[str]:
    """The text for one sink (see the module doc); `found` are the value's `candidates`."""
    if text is None:
        return None
    found = candidates(text) if found is None else found
    for entity, matches in zip(ENTITIES, found):
        if actions[entity] == KEEP:
            continue
        for match in matches:
            text = text.replace(match, replacement(entity, actions[entity], match, pepper))
    return text


def counts(found: Findings) -> dict[str, int]:
    return {entity: len(matches) for entity, matches in zip(ENTITIES, resolve(found))}


# --- Spark SQL expression builder ----------------------------------------------------------------

FINDINGS_TYPE = "ARRAY<ARRAY<STRING>>"
_NO_MATCHES = "CAST(array() AS ARRAY<STRING>)"
_EMPTY_FINDINGS = f"array_repeat({_NO_MATCHES}, {len(ENTITIES)})"


def sql_iban_valid(candidate: str) -> str:
    compact = f"replace({candidate}, ' ', '')"
    rearranged = f"concat(substring({compact}, 5), substring({compact}, 1, 4))"
    char = f"substring({rearranged}, __iban_pos, 1)"
    step = (f"CASE WHEN {char} >= 'A' THEN (__iban_mod * 100 + ascii({char}) - 55) % 97 "
            f"ELSE (__iban_mod * 10 + ascii({char}) - 48) % 97 END")
    countries = ", ".join(sql_string_literal(c) for c in sorted(IBAN_COUNTRIES))
    return (f"(substring({compact}, 1, 2) IN ({countries}) "
            f"AND length({compact}) BETWEEN {IBAN_MIN_LENGTH} AND {IBAN_MAX_LENGTH} "
            f"AND aggregate(sequence(1, length({compact})), 0, (__iban_mod, __iban_pos) -> {step}) = 1)")


def _sql_digit_count(candidate: str) -> str:
    return f"length(regexp_replace({candidate}, {sql_string_literal(NON_DIGIT)}, ''))"


def sql_phone_valid(candidate: str) -> str:
    digits = _sql_digit_count(candidate)
    (ilow, ihigh), (nlow, nhigh) = PHONE_INTERNATIONAL_DIGITS, PHONE_NATIONAL_DIGITS
    return (f"(CASE WHEN left({candidate}, 1) = '+' OR left({candidate}, 2) = '00' "
            f"THEN {digits} BETWEEN {ilow} AND {ihigh} ELSE {digits} BETWEEN {nlow} AND {nhigh} END)")


def sql_card_valid(candidate: str) -> str:
    # The digits are extracted once, for their count and for Luhn (`card_valid`).
    digits = f"regexp_replace({candidate}, {sql_string_literal(NON_DIGIT)}, '')"
    check = f"length(__card_digits) BETWEEN {CARD_DIGITS[0]} AND {CARD_DIGITS[1]} AND {sql_luhn_sum_valid('__card_digits')}"
    return f"element_at(transform(array({digits}), __card_digits -> {check}), 1)"


_SQL_VALIDATORS: Mapping[str, Callable[[str], str]] = {
    "credit_card": sql_card_valid, "iban": sql_iban_valid, "phone": sql_phone_valid,
}


def _sql_matches(text: str, entity: str) -> str:
    extracted = f"regexp_extract_all({text}, {sql_string_literal(PATTERNS[entity])}, 0)"
    validator = _SQL_VALIDATORS.get(entity)
    matches = extracted if validator is None else f"filter({extracted}, __candidate -> {validator('__candidate')})"
    literals = ENTITY_LITERALS.get(entity)
    if literals is None:
        return matches
    holds = " OR ".join(f"instr({text}, {sql_string_literal(literal)}) > 0" for literal in literals)
    return f"CASE WHEN {holds} THEN {matches} ELSE {_NO_MATCHES} END"


def sql_gate(column: str) -> str:
    return f"({column} RLIKE {sql_string_literal(DETECTION_GATE)})"


def sql_candidates(column: str) -> str:
    """Spark SQL for `candidates(column)`: FINDINGS_TYPE, one array per entity."""
    found = ", ".join(_sql_matches(column, entity) for entity in ENTITIES)
    return f"CASE WHEN {sql_gate(column)} THEN array({found}) ELSE {_EMPTY_FINDINGS} END"


def sql_counts(findings: str) -> str:
    """ARRAY<INT>: per entity, how many of its candidates `resolve` keeps."""
    sizes = [f"size(element_at({findings}, 1))"]
    for index in range(2, len(ENTITIES) + 1):
        earlier = f"flatten(slice({findings}, 1, {index - 1}))"
        sizes.append(f"size(filter(element_at({findings}, {index}), __found -> "
                     f"NOT exists({earlier}, __earlier -> instr(__earlier, __found) > 0)))")
    return f"array({', '.join(sizes)})"


def _sql_replacement(entity: str, action: str, match: str, pepper: str) -> str:
    if action == REDACT:
        return sql_string_literal(TOKENS[entity])
    if action == HASH:
        return f"sha2(concat({sql_string_literal(pepper)}, {match}), 256)"
    raise ValueError(f"no replacement for action {action!r}")


def sql_scrub(column: str, findings: str, actions: Mapping[str, str], pepper: str) -> str:
    """Spark SQL for `scrub_text(column, actions, pepper, found=findings)`; `findings` is the
    column's `sql_candidates`, as a column or a lambda variable (never the expression itself: it
    is read once per entity)."""
    text = column
    rewritten = False
    for index, entity in enumerate(ENTITIES):
        action = actions[entity]
        if action == KEEP:
            continue
        acc, match = f"__scrubbed_{index}", f"__match_{index}"
        text = (f"aggregate(element_at({findings}, {index + 1}), {text}, ({acc}, {match}) -> "
                f"replace({acc}, {match}, {_sql_replacement(entity, action, match, pepper)}))")
        rewritten = True
    # Most values hold nothing: one comparison spares them a pass of every entity's lambda.
    return f"CASE WHEN {findings} = {_EMPTY_FINDINGS} THEN {column} ELSE {text} END" if rewritten else text


def sql_find_and_scrub(column: str, actions: Mapping[str, str], pepper: str) -> str:
    """Detection and rewriting of one value in a single expression (the candidates bound once)."""
    return f"element_at(transform(array({sql_candidates(column)}), __findings -> {sql_scrub(column, '__findings', actions, pepper)}), 1)"


@dataclass(frozen=True)
class EntityActions:
    """What each sink does with each entity (the contract's `detection.entities`)."""

    lake: Mapping[str, str]
    warehouse: Mapping[str, str]

    def for_sink(self, sink: str) -> Mapping[str, str]:
        return self.lake if sink == "lake" else self.warehouse


ALL_REDACTED: Mapping[str, str] = {entity: REDACT for entity in ENTITIES}


def actions_for_event_id(actions: Mapping[str, str]) -> dict[str, str]:
    """The event id is the MERGE key: a detected value in it is hashed rather than redacted, so ids
    stay distinct and the same event keeps the same id."""
    return {entity: HASH if action == REDACT else action for entity, action in actions.items()}


def validate_actions(actions: Mapping[str, str], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(actions) - set(ENTITIES))
    missing = [e for e in ENTITIES if e not in actions]
    if unknown or missing:
        raise ValueError(f"{where}: entities must be exactly {list(ENTITIES)} (unknown {unknown}, missing {missing})")
    for entity, action in actions.items():
        if action not in allowed:
            raise ValueError(f"{where}.{entity}: {action!r} is not one of {sorted(allowed)}")


def entity_names(entities: Sequence[str]) -> tuple[str, ...]:
    """`entities` in detection order (for stable reports)."""
    return tuple(e for e in ENTITIES if e in entities)
