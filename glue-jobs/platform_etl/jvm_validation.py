"""Step 2 in the JVM: validate the common path with native Spark, Python only where it must decide.

`records.validate_record` is the definition of a valid record. Running it for every record costs
a trip through a Python worker (~47 µs per record for the validator alone). This module proves
most records valid with native Spark SQL instead, and hands only the rest to the validator:

* A record is accepted in the JVM only when native checks *prove* that `validate_record` accepts
  it, and its values are computed to be exactly the values `validate_record` returns.
* Every other record goes to `validate_record`, which decides its outcome and, for a reject, the
  reason. Invalid records all take this way, and so do valid ones in a form the proof does not
  cover (keys in another order, whitespace, `5.0` for an int, escaped non-ASCII, ...).

The proof is a canonical round trip. The payload is read with `from_json` into the contract's
fields (strings, decimals, dates and timestamps as JSON strings; ints, longs, doubles and booleans
as JSON numbers and literals) and written back with `to_json`, nulls included. A payload whose
bytes equal that rendering is strict JSON in the canonical form (compact, every field once, in
contract order, `null` written out, each value of its JSON kind), as `JSON.stringify` writes a
record, and valid UTF-8: whatever Spark's JSON reader tolerates (duplicate keys, single quotes,
`NaN`, trailing data, leading zeros, numbers for strings, unknown keys, invalid bytes) changes the
rendering, so the record goes to Python. On top of the round trip, native column checks apply the
rules of `records.coerce_value` that the JSON kinds do not settle: size in bytes, required fields,
`max_length` in characters, finite doubles, decimal digits, real dates, ISO-8601 timestamps with
an offset (see the plans below).

Every expression is safe under `spark.sql.ansi.enabled` too: a cast or date function only ever
sees input that a guard has proven well-formed, or null. No Python UDF runs on the common path.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .contract import Contract, Field
from .dedup import ARRIVAL_ORDER_COLUMN
from .masking import sql_identifier, sql_string_literal
from .outputs import spark_type
from .raw_input import RAW_COLUMNS

ACCEPTED_COLUMN = "__accepted_in_jvm"

# How each contract type is read for the round trip: the JSON kind `validate_record` accepts in
# the canonical form. Decimals, dates and timestamps are JSON strings, checked by the plans below.
_READ_AS = {"string": "STRING", "int": "INT", "long": "BIGINT", "double": "DOUBLE", "boolean": "BOOLEAN",
            "decimal": "STRING", "date": "STRING", "timestamp": "STRING"}

# String values, checked against the forms `records.coerce_value` accepts (a subset of them:
# decimals with an exponent and the other rare forms go to Python).
_PLAIN_DECIMAL = r"\A-?(?:0|[1-9][0-9]*)(?:[.][0-9]+)?\z"
_SIGNIFICANT_INTEGER_DIGITS = r"\A-?([1-9][0-9]*)"  # empty for 0.x
_SIGNIFICANT_FRACTION_DIGITS = r"[.]([0-9]*[1-9])"  # up to the last non-zero digit
_DATE = r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z"
_TIMESTAMP = r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})\z"
_MICROSECOND_DIGITS = r"\A[.]([0-9]{1,6})"
_PYTHON_DECIMAL_DIGITS = 28  # decimal.getcontext().prec, which Decimal.normalize() rounds to

# Python's datetime range (years 1-9999), in UTC microseconds.
_MIN_MICROS, _MAX_MICROS = -62_135_596_800_000_000, 253_402_300_799_999_999
_MAX_DOUBLE = "1.7976931348623157E308D"

_DOCUMENT, _CANONICAL = "__document", "__canonical"


def _lit(text: str) -> str:
    return sql_string_literal(text)


def _rlike(expression: str, pattern: str) -> str:
    return f"({expression} RLIKE {_lit(pattern)})"


def _when(condition: str, value: str) -> str:
    """`value` where `condition` holds, else null: keeps casts away from unproven input."""
    return f"CASE WHEN {condition} THEN {value} END"


def _int(text: str, start: int, length: int) -> str:
    return f"CAST(substring({text}, {start}, {length}) AS INT)"


def canonical_schema(contract: Contract) -> str:
    """The DDL schema the payload is read with for the round trip."""
    return ", ".join(f"{sql_identifier(field.name)} {_READ_AS[field.field_type.kind]}" for field in contract.fields)


# --- one plan per contract type ------------------------------------------------------------------
#
# A plan turns the value read by `from_json` (non-null, of its `_READ_AS` type) into the value
# `validate_record` returns, in columns computed stage after stage. Its last column is that value,
# or null when the plan cannot prove the value acceptable. Each stage reads only earlier columns,
# so every piece is computed once and the generated code stays small (one projection with every
# piece inlined passes the JVM's 64 KB method limit and falls back to interpreted evaluation).

SqlColumn = tuple[str, str]  # (column name, SQL expression)


@dataclass(frozen=True)
class FieldPlan:
    stages: tuple[tuple[SqlColumn, ...], ...]

    @property
    def value(self) -> str:
        """The column holding the value; null means "not proven valid here"."""
        return self.stages[-1][-1][0]


class _Names:
    """Column names private to one field's plan; `read` holds the value `from_json` read."""

    def __init__(self, index: int) -> None:
        self.prefix = f"__f{index}_"

    def __call__(self, name: str) -> str:
        return self.prefix + name

    @property
    def read(self) -> str:
        return self("read")


def _plan(*stages: tuple[SqlColumn, ...]) -> FieldPlan:
    return FieldPlan(tuple(stages))


def _string_plan(field: Field, n: _Names) -> FieldPlan:
    if field.max_length is None:
        return _plan(((n("value"), n.read),))
    # Counted in characters (code points), as Python's len() does; a string of no more bytes than
    # that has no more characters, and its byte length costs nothing to read.
    fits = f"octet_length({n.read}) <= {field.max_length} OR char_length({n.read}) <= {field.max_length}"
    return _plan(((n("value"), _when(fits, n.read)),))


def _double_plan(n: _Names) -> FieldPlan:
    # Jackson reads the canonical text with Double.parseDouble and Python with float(): both round
    # correctly. Spark also reads the strings "NaN" and "Infinity" as doubles, which Python refuses.
    return _plan(((n("value"), _when(f"abs({n.read}) <= {_MAX_DOUBLE}", n.read)),))


def _decimal_plan(n: _Names, precision: int, scale: int) -> FieldPlan:
    text = n.read
    integer_digits = f"length(regexp_extract({text}, {_lit(_SIGNIFICANT_INTEGER_DIGITS)}, 1))"
    fraction_digits = f"length(regexp_extract({text}, {_lit(_SIGNIFICANT_FRACTION_DIGITS)}, 1))"
    # Digits are counted on the value, as records._coerce_decimal does; when they fit, the cast is
    # exact: there is nothing to round. That function counts them after Decimal.normalize(), which
    # rounds to the default context's 28 digits: longer values are left to it.
    fits = (f"{_rlike(text, _PLAIN_DECIMAL)} AND {integer_digits} <= {precision - scale} "
            f"AND {fraction_digits} <= {scale} AND {integer_digits} + {fraction_digits} <= {_PYTHON_DECIMAL_DIGITS}")
    return _plan(((n("value"), f"CAST({_when(fits, text)} AS DECIMAL({precision},{scale}))"),))


def _civil_date_stages(n: _Names, year: str, month: str, day: str) -> tuple[tuple[SqlColumn, ...], ...]:
    """Two stages ending in column `date`: the date, or null where Python's `date()` raises."""
    first = n("first_of_month")
    return (
        ((first, f"make_date({_when(f'{year} BETWEEN 1 AND 9999 AND {month} BETWEEN 1 AND 12', year)}, {month}, 1)"),),
        ((n("date"), f"make_date({_when(f'{day} BETWEEN 1 AND day(last_day({first}))', year)}, {month}, {day})"),),
    )


def _date_plan(n: _Names) -> FieldPlan:
    text = n("text")
    return _plan(
        ((text, _when(_rlike(n.read, _DATE), n.read)),),
        ((n("year"), _int(text, 1, 4)), (n("month"), _int(text, 6, 2)), (n("day"), _int(text, 9, 2))),
        *_civil_date_stages(n, n("year"), n("month"), n("day")),
    )


def _timestamp_plan(n: _Names) -> FieldPlan:
    """`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` -> the instant, in UTC microseconds."""
    text, rest, zone = n("text"), n("rest"), n("zone")
    hour, minute, second, micros = n("hour"), n("minute"), n("second"), n("micros")
    numeric_zone = _when(f"{zone} <> 'Z'", zone)  # ±HH:MM
    offset_hours, offset_minutes = _int(numeric_zone, 2, 2), _int(numeric_zone, 5, 2)
    date_stages = _civil_date_stages(n, n("year"), n("month"), n("day"))
    return _plan(
        ((text, _when(_rlike(n.read, _TIMESTAMP), n.read)),),
        ((n("year"), _int(text, 1, 4)), (n("month"), _int(text, 6, 2)), (n("day"), _int(text, 9, 2)),
         (hour, _int(text, 12, 2)), (minute, _int(text, 15, 2)), (second, _int(text, 18, 2)),
         (rest, f"substring({text}, 20)")),
        ((zone, f"CASE WHEN right({rest}, 1) = 'Z' THEN 'Z' ELSE right({rest}, 6) END"),
         # Python keeps microseconds and drops the rest of the fraction.
         (n("micros_of_second"), f"CAST(rpad(regexp_extract({rest}, {_lit(_MICROSECOND_DIGITS)}, 1), 6, '0') AS INT)"),
         *date_stages[0]),
        ((n("offset_seconds"), f"CASE WHEN {zone} = 'Z' THEN 0 WHEN {offset_hours} <= 23 AND {offset_minutes} <= 59 "
                               f"THEN CASE WHEN substr({zone}, 1, 1) = '-' THEN -1 ELSE 1 END "
                               f"* ({offset_hours} * 3600 + {offset_minutes} * 60) END"),
         *date_stages[1]),
        ((micros, _when(f"{hour} <= 23 AND {minute} <= 59 AND {second} <= 59",
                        f"(CAST(unix_date({n('date')}) AS BIGINT) * 86400 + {hour} * 3600 + {minute} * 60 + {second} "
                        f"- {n('offset_seconds')}) * 1000000 + {n('micros_of_second')}")),),
        ((n("value"), f"timestamp_micros({_when(f'{micros} BETWEEN {_MIN_MICROS} AND {_MAX_MICROS}', micros)})"),),
    )


def field_plan(field: Field, index: int) -> FieldPlan:
    """The plan of the `index`-th contract field."""
    n = _Names(index)
    field_type = field.field_type
    kind = field_type.kind
    if kind == "string":
        return _string_plan(field, n)
    if kind == "double":
        return _double_plan(n)
    if kind == "decimal":
        assert field_type.precision is not None and field_type.scale is not None  # parse_type sets both
        return _decimal_plan(n, field_type.precision, field_type.scale)
    if kind == "date":
        return _date_plan(n)
    if kind == "timestamp":
        return _timestamp_plan(n)
    return _plan(((n("value"), n.read),))  # int, long, boolean: the JSON kind settles it


# --- the whole record ------------------------------------------------------------------------


def decision_stages(contract: Contract) -> list[list[str]]:
    """`selectExpr` arguments, stage by stage, each stage adding columns to the ones before.

    The last stage has `ACCEPTED_COLUMN` and, in `value_column(index)` for each contract field, the
    value `validate_record` returns for it (meaningful where the row is accepted).
    """
    plans = [field_plan(field, index) for index, field in enumerate(contract.fields)]
    rendering = f"CAST(to_json({_DOCUMENT}, map('ignoreNullFields', 'false')) AS BINARY)"
    canonical = f"coalesce(octet_length(payload) <= {contract.max_record_bytes} AND {rendering} = payload, false)"
    field_stages = [
        [f"{sql} AS {name}" for plan in plans if depth < len(plan.stages) for name, sql in plan.stages[depth]]
        for depth in range(max(len(plan.stages) for plan in plans))
    ]
    # One term is non-deterministic (and always true). Spark then never copies the decision into
    # the plans that read it (a filter would evaluate every check again) and derives no constraints
    # from it: their number grows exponentially with the number of fields.
    accepted, outputs = [_CANONICAL, "spark_partition_id() >= 0"], []
    for index, (field, plan) in enumerate(zip(contract.fields, plans)):
        read = _Names(index).read
        accepted.append(f"CASE WHEN {read} IS NULL THEN {'false' if field.required else 'true'} "
                        f"ELSE {plan.value} IS NOT NULL END")
        outputs.append(f"CAST({plan.value} AS {spark_type(field.type)}) AS {value_column(index)}")
    return [
        [f"from_json(CAST(payload AS STRING), {_lit(canonical_schema(contract))}) AS {_DOCUMENT}"],
        [f"{canonical} AS {_CANONICAL}"]
        + [f"{_DOCUMENT}.{sql_identifier(field.name)} AS {_Names(index).read}" for index, field in enumerate(contract.fields)],
        *field_stages,
        [f"{' AND '.join(accepted)} AS {ACCEPTED_COLUMN}", *outputs],
    ]


def value_column(index: int) -> str:
    return f"__value_{index}"


def jvm_decisions(raw: Any, contract: Contract) -> Any:
    """The raw rows (`RAW_COLUMNS`) plus `ACCEPTED_COLUMN` and the field values (`value_column`)."""
    stages = decision_stages(contract)
    frame = raw.select(*RAW_COLUMNS)
    for stage in stages[:-1]:
        frame = frame.selectExpr("*", *stage)
    return frame.selectExpr(*[sql_identifier(name) for name in RAW_COLUMNS], *stages[-1])


# --- the split: accepted here, the rest to `validate_record` -----------------------------------


def accept_in_jvm(raw: Any, contract: Contract) -> tuple[Any, Any]:
    """Raw rows (`raw_input.RAW_SCHEMA`) -> (accepted, undecided).

    `accepted` holds the rows proven valid, as clean rows: the contract fields (Spark types from
    `outputs.spark_type`) with the values `validate_record` returns, and the arrival order
    (`dedup.ARRIVAL_ORDER_COLUMN`). `undecided` holds every other row, unchanged (`RAW_COLUMNS`),
    for `validate_record` to decide. Nothing runs until an action; the decisions are computed
    once, by the first action that needs them, and kept by a local checkpoint for the other
    reads. A copy lost with its executor fails the action, and the batch is retried as any failed
    batch is.
    """
    decisions = jvm_decisions(raw, contract).selectExpr(
        ACCEPTED_COLUMN,
        *[value_column(index) for index in range(len(contract.fields))],
        # Accepted rows need no payload any more: keep the copy small.
        *[f"CASE WHEN {ACCEPTED_COLUMN} THEN NULL ELSE {name} END AS {name}" for name in RAW_COLUMNS[:-1]],
        "arrival_order",
    ).localCheckpoint(eager=False)
    # Filters stay above the checkpoint: Spark cannot push them below it into the checks.
    accepted = decisions.where(ACCEPTED_COLUMN).selectExpr(
        *[f"{value_column(index)} AS {sql_identifier(field.name)}" for index, field in enumerate(contract.fields)],
        f"arrival_order AS {ARRIVAL_ORDER_COLUMN}",
    )
    return accepted, decisions.where(f"NOT {ACCEPTED_COLUMN}").select(*RAW_COLUMNS)
