"""Checks for the optional transform (step 5).

Which views the transform SQL reads is decided exactly as at synthesis
(`pipelines/transform-sql.ts`): both suites run `tests/fixtures/transform-sql-corpus.json`.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

EVENTS_VIEW = "events"


class TransformError(ValueError):
    """The transform SQL or its result does not honour the contract.

    `kind` names the rule, as the synthesis-time check does: not-a-query, several-statements,
    qualified-name, unknown-view, or result (the columns it produced).
    """

    def __init__(self, message: str, kind: str = "result") -> None:
        super().__init__(message)
        self.kind = kind


_TOKEN = re.compile(
    r"""
    (?P<comment>--[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[(),.;])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
# Words that end a FROM clause (ON/USING/JOIN do not: more relations may follow).
_QUERY_STARTS = ("select", "with")
_FROM_ENDERS = {
    "where", "group", "having", "order", "limit", "union", "intersect", "except", "window",
    "select", "cluster", "distribute", "sort", "qualify",
}


def tokenize(sql: str) -> list[str]:
    """Words (lower-cased), unquoted identifiers and punctuation; comments and string literals removed."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup
        text = match.group()
        if kind in ("comment", "string"):
            continue
        if kind == "quoted":
            tokens.append(text[1:-1].replace("``", "`").lower())
        elif kind == "word":
            tokens.append(text.lower())
        else:
            tokens.append(text)
    return tokens


def _cte_names(tokens: Sequence[str]) -> set[str]:
    """Names defined by `WITH name AS (` / `, name AS (`, each with an optional column list."""
    names: set[str] = set()
    for index in range(len(tokens) - 2):
        if tokens[index] not in ("with", ","):
            continue
        after = index + 2
        if tokens[after] == "(":
            after = _closing_parenthesis(tokens, after) + 1
        if tokens[after: after + 2] == ["as", "("]:
            names.add(tokens[index + 1])
    return names


def _closing_parenthesis(tokens: Sequence[str], opening: int) -> int:
    depth = 0
    for position in range(opening, len(tokens)):
        if tokens[position] == "(":
            depth += 1
        elif tokens[position] == ")":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens)


def referenced_relations(sql: str) -> list[str]:
    """Relation names after FROM / JOIN, after commas of a FROM list, and first in a
    parenthesized join, at any nesting depth."""
    tokens = tokenize(sql)
    relations: list[str] = []
    in_from = [False]  # one flag per parenthesis depth
    expecting = False
    for index, token in enumerate(tokens):
        was_expecting = expecting
        if expecting and token != "(":
            if tokens[index + 1: index + 2] == ["."]:
                raise TransformError(f"transform.sql: qualified name {token!r} is not allowed; use the views",
                                     "qualified-name")
            relations.append(token)
        expecting = False
        if token == "(":
            # After FROM or JOIN, a parenthesis opens a subquery (SELECT/WITH) or a parenthesized join.
            join_group = was_expecting and tokens[index + 1: index + 2] not in (["select"], ["with"])
            in_from.append(join_group)
            expecting = join_group
        elif token == ")":
            if len(in_from) > 1:
                in_from.pop()
        elif token == "from" and _is_query_level(tokens, index):
            in_from[-1] = True
            expecting = True
        elif token == "join" or (token == "," and in_from[-1]):
            expecting = True
        elif token in _FROM_ENDERS:
            in_from[-1] = False
    return relations


def _is_query_level(tokens: Sequence[str], index: int) -> bool:
    """False for the FROM of extract(x FROM y), trim(BOTH FROM y), substring(x FROM 1)...

    Walks back to the innermost open parenthesis: a query level starts with
    SELECT/WITH right after it (or is the top level).
    """
    depth = 0
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token == ")":
            depth += 1
        elif token == "(":
            if depth == 0:
                return tokens[position + 1] in _QUERY_STARTS
            depth -= 1
    return True


def check_transform_sql(sql: str, reference_names: Iterable[str]) -> None:
    """One SELECT (or WITH … SELECT) naming only `events`, the reference views and its own CTEs."""
    tokens = tokenize(sql)
    if not tokens or tokens[0] not in _QUERY_STARTS:
        raise TransformError("transform.sql: must be a single SELECT statement", "not-a-query")
    if ";" in tokens[:-1]:
        raise TransformError("transform.sql: must be a single statement", "several-statements")
    allowed = {EVENTS_VIEW, *(name.lower() for name in reference_names), *_cte_names(tokens)}
    unknown = sorted({name for name in referenced_relations(sql) if name not in allowed})
    if unknown:
        raise TransformError(f"transform.sql: unknown view(s) {unknown}; allowed: {sorted(allowed)}", "unknown-view")


def check_result_columns(result_columns: Sequence[str], events_columns: Sequence[str],
                         transform_columns: Sequence[str]) -> None:
    """The result must be exactly `events` columns + `transform.columns` (order free)."""
    expected = list(events_columns) + list(transform_columns)
    duplicates = sorted({name for name in result_columns if list(result_columns).count(name) > 1})
    missing = [name for name in expected if name not in result_columns]
    extra = [name for name in result_columns if name not in expected]
    if duplicates or missing or extra:
        raise TransformError(
            f"transform result columns differ from events + transform.columns: "
            f"missing {missing}, unexpected {extra}, duplicated {duplicates}"
        )
