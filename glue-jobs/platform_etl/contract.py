"""Load and check the pipeline contract (docs/contract.md, version 1).

The contract is produced by the TypeScript side; this module is the Python
side's gatekeeper. It is strict about the documented shape (every documented key
must be present, with the documented type) and tolerant of keys the document
does not define, so that the generator may add metadata without breaking jobs.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence, TypeVar

from .detection import ENTITIES, LAKE_ACTIONS as DETECTION_LAKE_ACTIONS, WAREHOUSE_ACTIONS as DETECTION_WAREHOUSE_ACTIONS

SUPPORTED_CONTRACT_VERSIONS = frozenset({1})

SCALAR_TYPES = frozenset({"string", "int", "long", "double", "boolean", "date", "timestamp"})
CLASSIFICATIONS = frozenset({"email", "phone", "credit_card", "ip_address", "person_name", "free_text"})
LAKE_ACTIONS = frozenset({"keep", "hash", "mask", "drop"})
WAREHOUSE_ACTIONS = frozenset({"hash", "redact", "partial", "drop"})
PARTITION_KEYS = ("year", "month", "day", "hour")
DIST_STYLES = frozenset({"key", "even", "all", "auto"})
EVENT_ID_TYPES = frozenset({"string", "int", "long"})
REFERENCE_FORMATS = frozenset({"csv", "json"})

_DECIMAL_RE = re.compile(r"^decimal\((\d{1,2}),(\d{1,2})\)$")
_PIPELINE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_DECIMAL_PRECISION = 38  # Spark and Redshift both stop at 38 digits.

T = TypeVar("T")


class ContractError(ValueError):
    """The contract document is malformed; the message names the offending key."""


@dataclass(frozen=True)
class FieldType:
    """A parsed column type: `kind` is a scalar type name or "decimal"."""

    kind: str
    precision: Optional[int] = None
    scale: Optional[int] = None

    @property
    def name(self) -> str:
        if self.kind == "decimal":
            return f"decimal({self.precision},{self.scale})"
        return self.kind


class _Typed:
    """Shared by every named, typed column: the parsed form of its `type` text."""

    name: str
    type: str

    @property
    def field_type(self) -> FieldType:
        return parse_type(self.type, self.name)


@dataclass(frozen=True)
class Column(_Typed):
    name: str
    type: str
    description: Optional[str]


@dataclass(frozen=True)
class Field(_Typed):
    name: str
    type: str
    required: bool
    description: Optional[str]
    max_length: Optional[int]


@dataclass(frozen=True)
class SensitiveRule:
    field: str
    classification: str
    lake: str
    warehouse: str


@dataclass(frozen=True)
class EntityRule:
    entity: str
    lake: str
    warehouse: str


@dataclass(frozen=True)
class ExemptColumn:
    column: str
    reason: str


@dataclass(frozen=True)
class ExpectedColumn:
    column: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Detection:
    """Detection in content: every entity's action per sink, exempt columns, expected entities."""

    entities: tuple[EntityRule, ...]
    exempt: tuple[ExemptColumn, ...]
    expected: tuple[ExpectedColumn, ...]

    def actions(self, sink: str) -> dict[str, str]:
        return {rule.entity: getattr(rule, sink) for rule in self.entities}

    @property
    def exempt_columns(self) -> frozenset[str]:
        return frozenset(e.column for e in self.exempt)

    def expected_entities(self, column: str) -> frozenset[str]:
        return frozenset(next((e.entities for e in self.expected if e.column == column), ()))


@dataclass(frozen=True)
class ReferenceLocation:
    kind: str  # "bundled" | "s3"
    key: Optional[str]
    uri: Optional[str]


@dataclass(frozen=True)
class ReferenceColumn:
    name: str
    as_name: str
    type: str
    description: Optional[str]


@dataclass(frozen=True)
class Reference:
    name: str
    format: str
    location: ReferenceLocation
    event_key: str
    reference_key: str
    columns: tuple[ReferenceColumn, ...]


@dataclass(frozen=True)
class Transform:
    sql: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Lake:
    partition_keys: tuple[str, ...]
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class MaterializedView:
    """A view over the warehouse table; the jobs only refresh it, the TS side builds its SQL."""

    name: str
    group_by: tuple[str, ...]


@dataclass(frozen=True)
class Warehouse:
    schema: str
    table: str
    staging_table: str
    columns: tuple[Column, ...]
    sort_key: tuple[str, ...]
    dist_style: str
    dist_key: Optional[str]
    materialized_views: tuple[MaterializedView, ...]


@dataclass(frozen=True)
class Contract:
    contract_version: int
    pipeline: str
    owner: str
    description: Optional[str]
    fields: tuple[Field, ...]
    event_id_field: str
    event_time_field: str
    allow_unknown_fields: bool
    max_record_bytes: int
    sensitive: tuple[SensitiveRule, ...]
    detection: Detection
    references: tuple[Reference, ...]
    transform: Optional[Transform]
    lake: Lake
    warehouse: Optional[Warehouse]

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def sensitive_rule(self, field_name: str) -> Optional[SensitiveRule]:
        for rule in self.sensitive:
            if rule.field == field_name:
                return rule
        return None


def parse_type(text: str, where: str = "type") -> FieldType:
    """Parse `string|int|long|double|boolean|date|timestamp|decimal(p,s)`."""
    if text in SCALAR_TYPES:
        return FieldType(text)
    match = _DECIMAL_RE.match(text)
    if match:
        precision, scale = int(match.group(1)), int(match.group(2))
        if 1 <= precision <= _MAX_DECIMAL_PRECISION and 0 <= scale <= precision:
            return FieldType("decimal", precision, scale)
        raise ContractError(f"{where}: decimal precision must be 1..38 and scale 0..precision, got {text!r}")
    raise ContractError(f"{where}: unknown type {text!r}")


# --- low-level readers: each names the full key path in its error -------------------------


def _require(doc: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in doc:
        raise ContractError(f"{path}{key}: missing key")
    return doc[key]


def _str(doc: Mapping[str, Any], key: str, path: str, nullable: bool = False) -> Any:
    value = _require(doc, key, path)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value:
        raise ContractError(f"{path}{key}: expected a non-empty string, got {value!r}")
    return value


def _optional_text(doc: Mapping[str, Any], key: str, path: str) -> Optional[str]:
    """Descriptions: prose, so an empty string or null is accepted."""
    value = _require(doc, key, path)
    if value is not None and not isinstance(value, str):
        raise ContractError(f"{path}{key}: expected a string or null, got {value!r}")
    return value


def _bool(doc: Mapping[str, Any], key: str, path: str) -> bool:
    value = _require(doc, key, path)
    if not isinstance(value, bool):
        raise ContractError(f"{path}{key}: expected true or false, got {value!r}")
    return value


def _positive_int(doc: Mapping[str, Any], key: str, path: str, nullable: bool = False) -> Optional[int]:
    value = _require(doc, key, path)
    if value is None and nullable:
        return None
    # bool is an int subclass in Python; `true` is not a size.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ContractError(f"{path}{key}: expected a positive integer, got {value!r}")
    return value


def _choice(doc: Mapping[str, Any], key: str, path: str, allowed: frozenset[str]) -> str:
    value = _str(doc, key, path)
    if value not in allowed:
        raise ContractError(f"{path}{key}: expected one of {sorted(allowed)}, got {value!r}")
    return value


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ContractError(f"{path}: expected an object, got {type(value).__name__}")
    return value


def _list(doc: Mapping[str, Any], key: str, path: str, item: Callable[[Any, str], T]) -> tuple[T, ...]:
    value = _require(doc, key, path)
    if not isinstance(value, list):
        raise ContractError(f"{path}{key}: expected a list, got {type(value).__name__}")
    return tuple(item(entry, f"{path}{key}[{index}]") for index, entry in enumerate(value))


def _string_item(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise ContractError(f"{path}: expected a non-empty string, got {value!r}")
    return value


# --- section readers ----------------------------------------------------------------------


def _column(value: Any, path: str) -> Column:
    doc = _object(value, path)
    prefix = f"{path}."
    column = Column(_str(doc, "name", prefix), _str(doc, "type", prefix), _optional_text(doc, "description", prefix))
    parse_type(column.type, f"{prefix}type")
    return column


def _field(value: Any, path: str) -> Field:
    doc = _object(value, path)
    prefix = f"{path}."
    field = Field(
        name=_str(doc, "name", prefix),
        type=_str(doc, "type", prefix),
        required=_bool(doc, "required", prefix),
        description=_optional_text(doc, "description", prefix),
        max_length=_positive_int(doc, "max_length", prefix, nullable=True),
    )
    if parse_type(field.type, f"{prefix}type").kind != "string" and field.max_length is not None:
        raise ContractError(f"{prefix}max_length: only string fields take a max_length (must be null)")
    return field


def _sensitive(value: Any, path: str) -> SensitiveRule:
    doc = _object(value, path)
    prefix = f"{path}."
    return SensitiveRule(
        field=_str(doc, "field", prefix),
        classification=_choice(doc, "classification", prefix, CLASSIFICATIONS),
        lake=_choice(doc, "lake", prefix, LAKE_ACTIONS),
        warehouse=_choice(doc, "warehouse", prefix, WAREHOUSE_ACTIONS),
    )


def _entity_rule(value: Any, path: str) -> EntityRule:
    doc = _object(value, path)
    prefix = f"{path}."
    return EntityRule(
        entity=_choice(doc, "entity", prefix, frozenset(ENTITIES)),
        lake=_choice(doc, "lake", prefix, DETECTION_LAKE_ACTIONS),
        warehouse=_choice(doc, "warehouse", prefix, DETECTION_WAREHOUSE_ACTIONS),
    )


def _exempt_column(value: Any, path: str) -> ExemptColumn:
    doc = _object(value, path)
    return ExemptColumn(column=_str(doc, "column", f"{path}."), reason=_str(doc, "reason", f"{path}."))


def _entity_item(value: Any, path: str) -> str:
    if value not in ENTITIES:
        raise ContractError(f"{path}: expected one of {list(ENTITIES)}, got {value!r}")
    return str(value)


def _expected_column(value: Any, path: str) -> ExpectedColumn:
    doc = _object(value, path)
    prefix = f"{path}."
    return ExpectedColumn(column=_str(doc, "column", prefix), entities=_list(doc, "entities", prefix, _entity_item))


def _detection(value: Any, path: str) -> Detection:
    doc = _object(value, path)
    prefix = f"{path}."
    detection = Detection(
        entities=_list(doc, "entities", prefix, _entity_rule),
        exempt=_list(doc, "exempt", prefix, _exempt_column),
        expected=_list(doc, "expected", prefix, _expected_column),
    )
    if tuple(rule.entity for rule in detection.entities) != ENTITIES:
        raise ContractError(f"{prefix}entities: expected one rule per entity, in the order {list(ENTITIES)}")
    return detection


def _location(value: Any, path: str) -> ReferenceLocation:
    doc = _object(value, path)
    prefix = f"{path}."
    kind = _choice(doc, "kind", prefix, frozenset({"bundled", "s3"}))
    if kind == "bundled":
        return ReferenceLocation(kind, _str(doc, "key", prefix), None)
    uri = _str(doc, "uri", prefix)
    if not uri.startswith("s3://"):
        raise ContractError(f"{prefix}uri: expected an s3:// URI, got {uri!r}")
    return ReferenceLocation(kind, None, uri)


def _reference_column(value: Any, path: str) -> ReferenceColumn:
    doc = _object(value, path)
    prefix = f"{path}."
    column = ReferenceColumn(
        name=_str(doc, "name", prefix),
        as_name=_str(doc, "as", prefix),
        type=_str(doc, "type", prefix),
        description=_optional_text(doc, "description", prefix),
    )
    parse_type(column.type, f"{prefix}type")
    return column


def _reference(value: Any, path: str) -> Reference:
    doc = _object(value, path)
    prefix = f"{path}."
    return Reference(
        name=_str(doc, "name", prefix),
        format=_choice(doc, "format", prefix, REFERENCE_FORMATS),
        location=_location(_require(doc, "location", prefix), f"{prefix}location"),
        event_key=_str(doc, "event_key", prefix),
        reference_key=_str(doc, "reference_key", prefix),
        columns=_list(doc, "columns", prefix, _reference_column),
    )


def _transform(value: Any, path: str) -> Optional[Transform]:
    if value is None:
        return None
    doc = _object(value, path)
    prefix = f"{path}."
    return Transform(sql=_str(doc, "sql", prefix), columns=_list(doc, "columns", prefix, _column))


def _lake(value: Any, path: str) -> Lake:
    doc = _object(value, path)
    prefix = f"{path}."
    return Lake(partition_keys=_list(doc, "partition_keys", prefix, _string_item), columns=_list(doc, "columns", prefix, _column))


def _materialized_view(value: Any, path: str) -> MaterializedView:
    doc = _object(value, path)
    prefix = f"{path}."
    return MaterializedView(name=_str(doc, "name", prefix), group_by=_list(doc, "group_by", prefix, _string_item))


def _warehouse(value: Any, path: str) -> Optional[Warehouse]:
    if value is None:
        return None
    doc = _object(value, path)
    prefix = f"{path}."
    return Warehouse(
        schema=_str(doc, "schema", prefix),
        table=_str(doc, "table", prefix),
        staging_table=_str(doc, "staging_table", prefix),
        columns=_list(doc, "columns", prefix, _column),
        sort_key=_list(doc, "sort_key", prefix, _string_item),
        dist_style=_choice(doc, "dist_style", prefix, DIST_STYLES),
        dist_key=_str(doc, "dist_key", prefix, nullable=True),
        materialized_views=_list(doc, "materialized_views", prefix, _materialized_view),
    )


# --- cross-field checks ------------------------------------------------------------------


def _unique(names: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ContractError(f"{what}: duplicate name {name!r}")
        seen.add(name)


def _check_consistency(contract: Contract) -> None:
    fields = {f.name: f for f in contract.fields}
    _unique([f.name for f in contract.fields], "fields")

    id_field = fields.get(contract.event_id_field)
    if id_field is None or id_field.field_type.kind not in EVENT_ID_TYPES or not id_field.required:
        raise ContractError(
            f"event_id_field: {contract.event_id_field!r} must name a required string/int/long field"
        )
    time_field = fields.get(contract.event_time_field)
    if time_field is None or time_field.type != "timestamp" or not time_field.required:
        raise ContractError(
            f"event_time_field: {contract.event_time_field!r} must name a required timestamp field"
        )

    _unique([rule.field for rule in contract.sensitive], "sensitive")
    for index, rule in enumerate(contract.sensitive):
        target = fields.get(rule.field)
        # Masks are defined on text; a numeric "card number" must be declared as a string.
        if target is None or target.type != "string":
            raise ContractError(f"sensitive[{index}].field: {rule.field!r} must name a string field")
        # The event id and time identify an event: the warehouse MERGEs on them and the lake's replay
        # check compares them as stored, so neither may be masked, hashed or dropped (synthesis refuses it too).
        if rule.field in (contract.event_id_field, contract.event_time_field):
            raise ContractError(f"sensitive[{index}].field: {rule.field!r} is the event id or event time; those are keys, never personal data")

    added = [c.as_name for r in contract.references for c in r.columns]
    _unique([r.name for r in contract.references] + ["events"], "references[].name")
    for index, reference in enumerate(contract.references):
        key_field = fields.get(reference.event_key)
        if key_field is None or key_field.field_type.kind not in EVENT_ID_TYPES:
            raise ContractError(
                f"references[{index}].event_key: {reference.event_key!r} must name a string/int/long field"
            )
    if contract.transform is not None:
        added += [c.name for c in contract.transform.columns]
    _unique(list(fields) + added, "reference `as` names and transform columns (must not clash with fields)")
    _check_detection_columns(contract)

    _unique(contract.lake.partition_keys, "lake.partition_keys")
    for key in contract.lake.partition_keys:
        if key not in PARTITION_KEYS:
            raise ContractError(f"lake.partition_keys: {key!r} is not one of {list(PARTITION_KEYS)}")
    if list(contract.lake.partition_keys) != [k for k in PARTITION_KEYS if k in contract.lake.partition_keys]:
        raise ContractError("lake.partition_keys: keys must follow the order year, month, day, hour")

    warehouse = contract.warehouse
    if warehouse is not None:
        if (warehouse.dist_style == "key") != (warehouse.dist_key is not None):
            raise ContractError("warehouse.dist_key: required when dist_style is 'key', null otherwise")


def _check_detection_columns(contract: Contract) -> None:
    types = {f.name: f.type for f in contract.fields}
    types.update({c.as_name: c.type for r in contract.references for c in r.columns})
    types.update({c.name: c.type for c in (contract.transform.columns if contract.transform else ())})
    declared = {rule.field for rule in contract.sensitive}
    for section, columns in (("exempt", [e.column for e in contract.detection.exempt]),
                             ("expected", [e.column for e in contract.detection.expected])):
        _unique(columns, f"detection.{section}")
        for index, column in enumerate(columns):
            if types.get(column) != "string" or column in declared:
                raise ContractError(f"detection.{section}[{index}].column: {column!r} must name a string column "
                                    f"that is not declared in sensitive")
    both = contract.detection.exempt_columns & {e.column for e in contract.detection.expected}
    if both:
        raise ContractError(f"detection: {sorted(both)} both exempt and expected")


def load_contract(source: str | bytes | Mapping[str, Any]) -> Contract:
    """Parse and check a contract given as JSON text or an already-decoded dict."""
    if isinstance(source, (str, bytes)):
        try:
            document = json.loads(source)
        except ValueError as error:
            raise ContractError(f"contract: not valid JSON ({error})") from None
    else:
        document = source
    doc = _object(document, "contract")

    version = _require(doc, "contract_version", "")
    if isinstance(version, bool) or version not in SUPPORTED_CONTRACT_VERSIONS:
        raise ContractError(
            f"contract_version: unsupported version {version!r}; this library knows {sorted(SUPPORTED_CONTRACT_VERSIONS)}"
        )
    pipeline = _str(doc, "pipeline", "")
    if len(pipeline) > 40 or not _PIPELINE_RE.match(pipeline):
        raise ContractError(f"pipeline: expected lowercase snake_case of at most 40 characters, got {pipeline!r}")

    contract = Contract(
        contract_version=version,
        pipeline=pipeline,
        owner=_str(doc, "owner", ""),
        description=_optional_text(doc, "description", ""),
        fields=_list(doc, "fields", "", _field),
        event_id_field=_str(doc, "event_id_field", ""),
        event_time_field=_str(doc, "event_time_field", ""),
        allow_unknown_fields=_bool(doc, "allow_unknown_fields", ""),
        max_record_bytes=_positive_int(doc, "max_record_bytes", ""),  # type: ignore[arg-type]
        sensitive=_list(doc, "sensitive", "", _sensitive),
        detection=_detection(_require(doc, "detection", ""), "detection"),
        references=_list(doc, "references", "", _reference),
        transform=_transform(_require(doc, "transform", ""), "transform"),
        lake=_lake(_require(doc, "lake", ""), "lake"),
        warehouse=_warehouse(_require(doc, "warehouse", ""), "warehouse"),
    )
    if not contract.fields:
        raise ContractError("fields: a contract needs at least one field")
    _check_consistency(contract)
    return contract
