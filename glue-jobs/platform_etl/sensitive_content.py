"""Detection applied to a pipeline: which columns are scanned, the findings columns the job adds
before any sink, each sink's expression for a scanned column, and the per-batch report (counts per
column and entity, never the values) for the job's log and CloudWatch.

Scanned: every string column of the sinks' rows (event fields, reference columns, transform
columns) that the contract neither declares sensitive nor exempts, plus the declared `free_text`
columns, whose partial mask is detection with every entity redacted. Other declared columns keep
their own masking; non-string columns are not scanned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from .contract import Contract
from .detection import (
    ALL_REDACTED, ENTITIES, actions_for_event_id, candidates, counts, scrub_text, sql_candidates, sql_counts,
    sql_find_and_scrub, sql_scrub,
)
from .masking import mask_expression, normalize_action, sink_actions
from .outputs import transformed_columns
from .primitives import sql_identifier

FINDINGS_PREFIX = "__pii_"
COUNTS_PREFIX = "__pii_counts_"
COUNT_ALIAS_SEPARATOR = "|"

# CloudWatch: what the jobs publish per batch (docs/contract.md, "What was found").
METRIC_NAMESPACE = "DataPlatform/SensitiveData"
DETECTED_METRIC = "DetectedValues"  # dimensions Pipeline, Entity: every detection
UNEXPECTED_METRIC = "UnexpectedDetections"  # dimension Pipeline: detections the contract does not expect (the alarm's)

# Redshift sizes VARCHAR in bytes: 4 per character of the field's max_length, 1024 characters where
# the contract bounds none, at most 65535 (modules/warehouse/ddl.ts; a test reads the golden DDL).
BYTES_PER_CHARACTER = 4
UNBOUNDED_STRING_CHARACTERS = 1024
MAX_VARCHAR_BYTES = 65535


@dataclass(frozen=True)
class ScannedColumn:
    name: str
    free_text: bool  # a declared free_text column: every entity is expected there


def scanned_columns(contract: Contract) -> list[ScannedColumn]:
    declared = {rule.field: rule.classification for rule in contract.sensitive}
    exempt = contract.detection.exempt_columns
    scanned = []
    for column in transformed_columns(contract):
        if column.type != "string" or column.name in exempt:
            continue
        classification = declared.get(column.name)
        if classification is None or classification == "free_text":
            scanned.append(ScannedColumn(column.name, classification == "free_text"))
    return scanned


def findings_column(column: str) -> str:
    return FINDINGS_PREFIX + column


def counts_column(column: str) -> str:
    return COUNTS_PREFIX + column


def findings_expressions(contract: Contract) -> list[str]:
    """`selectExpr` additions: each scanned column's candidates (`FINDINGS_TYPE`)."""
    return [f"{sql_candidates(sql_identifier(c.name))} AS {sql_identifier(findings_column(c.name))}"
            for c in scanned_columns(contract)]


def counts_expressions(contract: Contract) -> list[str]:
    """`selectExpr` additions over the findings: per scanned column, ARRAY<INT> of counts per entity."""
    return [f"{sql_counts(sql_identifier(findings_column(c.name)))} AS {sql_identifier(counts_column(c.name))}"
            for c in scanned_columns(contract)]


def warehouse_bytes(contract: Contract, column: str) -> int:
    """The byte size of a string column's VARCHAR in the warehouse table."""
    field = next((f for f in contract.fields if f.name == column), None)
    characters = field.max_length if field is not None and field.max_length is not None else UNBOUNDED_STRING_CHARACTERS
    return min(characters * BYTES_PER_CHARACTER, MAX_VARCHAR_BYTES)


def column_actions(contract: Contract, column: str, sink: str) -> Mapping[str, str]:
    actions = contract.detection.actions(sink)
    return actions_for_event_id(actions) if column == contract.event_id_field else actions


def scanned_sink_expression(contract: Contract, column: str, sink: str, pepper: str) -> str:
    """A scanned, undeclared column in one sink (without alias), from its findings column. In the
    warehouse a value that hashing made longer than the column holds falls back to the tokens."""
    col, findings = sql_identifier(column), sql_identifier(findings_column(column))
    actions = column_actions(contract, column, sink)
    expression = sql_scrub(col, findings, actions, pepper)
    if sink != "warehouse" or all(action != "hash" for action in actions.values()):
        return expression
    tokens = sql_scrub(col, findings, ALL_REDACTED, pepper)
    limit = warehouse_bytes(contract, column)
    return f"element_at(transform(array({expression}), __hashed -> CASE WHEN octet_length(__hashed) > {limit} THEN {tokens} ELSE __hashed END), 1)"


def free_text_expression(column: str, findings: Optional[str] = None) -> str:
    """A declared free_text column's partial mask: every entity redacted; from its findings column
    when the job computed it, else detecting in place."""
    col = sql_identifier(column)
    return sql_scrub(col, findings, ALL_REDACTED, "") if findings else sql_find_and_scrub(col, ALL_REDACTED, "")


def sink_expressions(columns: Sequence[str], contract: Contract, sink: str, pepper: str) -> list[str]:
    """`selectExpr` arguments producing `columns` for a sink from a frame that carries the findings
    columns: declared columns masked as declared (free text through its findings), scanned ones
    rewritten as the detection says, the rest as they are."""
    declared = sink_actions(contract, sink)
    scanned = {c.name: c for c in scanned_columns(contract)}
    expressions = []
    for name in columns:
        classification, action = declared.get(name, ("", "keep"))
        if name in scanned and not scanned[name].free_text:
            expression: Optional[str] = scanned_sink_expression(contract, name, sink, pepper)
        elif name in scanned and normalize_action(action) == "partial":
            expression = f"CASE WHEN {sql_identifier(name)} IS NULL THEN NULL ELSE {free_text_expression(name, sql_identifier(findings_column(name)))} END"
        else:
            expression = mask_expression(name, classification, action, pepper)
        if expression is None:
            raise ValueError(f"{sink} column {name!r} is dropped by the contract and cannot be selected")
        expressions.append(f"{expression} AS {sql_identifier(name)}")
    return expressions


def scanned_sink_value(contract: Contract, column: str, sink: str, value: Optional[str], pepper: str) -> Optional[str]:
    """The pure-Python reference of `scanned_sink_expression`."""
    actions = column_actions(contract, column, sink)
    found = candidates(value)
    scrubbed = scrub_text(value, actions, pepper, found)
    if sink == "warehouse" and scrubbed is not None and len(scrubbed.encode("utf-8")) > warehouse_bytes(contract, column):
        return scrub_text(value, ALL_REDACTED, pepper, found)
    return scrubbed


# --- the batch's report ----------------------------------------------------------------------------


def count_alias(column: str, entity: str) -> str:
    return f"pii{COUNT_ALIAS_SEPARATOR}{column}{COUNT_ALIAS_SEPARATOR}{entity}"


def observed_counts(contract: Contract) -> list[str]:
    """Aggregate expressions (Spark SQL) for an `Observation`: per scanned column and entity, the
    batch's detections; computed by the write that observes them, with no Spark job of their own."""
    return [f"CAST(coalesce(sum(element_at({sql_identifier(counts_column(c.name))}, {index + 1})), 0) AS BIGINT) "
            f"AS {sql_identifier(count_alias(c.name, entity))}"
            for c in scanned_columns(contract) for index, entity in enumerate(ENTITIES)]


@dataclass(frozen=True)
class DetectionReport:
    pipeline: str
    kind: str
    batch: str
    rows: int
    per_column: Mapping[str, Mapping[str, int]]  # column -> entity -> count (non-zero only)
    unexpected: Mapping[str, Mapping[str, int]]  # the part the contract does not expect

    @property
    def per_entity(self) -> dict[str, int]:
        totals = {entity: 0 for entity in ENTITIES}
        for found in self.per_column.values():
            for entity, count in found.items():
                totals[entity] += count
        return totals

    @property
    def unexpected_total(self) -> int:
        return sum(count for found in self.unexpected.values() for count in found.values())

    def log_record(self) -> dict[str, Any]:
        """The job's log line: counts only, never a value."""
        return {"event": "sensitive_data_detected", "pipeline": self.pipeline, "job": self.kind, "batch": self.batch,
                "rows": self.rows, "per_entity": {e: c for e, c in self.per_entity.items() if c},
                "per_column": self.per_column, "unexpected": self.unexpected, "unexpected_total": self.unexpected_total}

    def metric_data(self) -> list[dict[str, Any]]:
        """CloudWatch `MetricData`: detections per entity (only those seen: a metric costs per month
        it receives data) and the unexpected total (every batch, zero included)."""
        pipeline = {"Name": "Pipeline", "Value": self.pipeline}
        data = [{"MetricName": DETECTED_METRIC, "Dimensions": [pipeline, {"Name": "Entity", "Value": entity}],
                 "Value": float(count), "Unit": "Count"} for entity, count in self.per_entity.items() if count]
        data.append({"MetricName": UNEXPECTED_METRIC, "Dimensions": [pipeline], "Value": float(self.unexpected_total), "Unit": "Count"})
        return data


def detection_report(contract: Contract, kind: str, batch: str, rows: int, observed: Mapping[str, Any]) -> DetectionReport:
    """The report of one batch from the observed counts (`observed_counts` aliases)."""
    per_column: dict[str, dict[str, int]] = {}
    unexpected: dict[str, dict[str, int]] = {}
    for column in scanned_columns(contract):
        expected = frozenset(ENTITIES) if column.free_text else contract.detection.expected_entities(column.name)
        for entity in ENTITIES:
            count = int(observed.get(count_alias(column.name, entity)) or 0)
            if count:
                per_column.setdefault(column.name, {})[entity] = count
                if entity not in expected:
                    unexpected.setdefault(column.name, {})[entity] = count
    return DetectionReport(contract.pipeline, kind, batch, rows, per_column, unexpected)


def reference_counts(contract: Contract, rows: list[Mapping[str, Any]]) -> dict[str, int]:
    """Pure-Python reference of `observed_counts` over rows (column name -> value)."""
    totals: dict[str, int] = {}
    for column in scanned_columns(contract):
        for row in rows:
            for entity, count in counts(candidates(row.get(column.name))).items():
                alias = count_alias(column.name, entity)
                totals[alias] = totals.get(alias, 0) + count
    return totals

