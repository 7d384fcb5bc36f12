"""Output columns per sink, derived from the contract and checked against it.

The TypeScript side writes `lake.columns` and `warehouse.columns` into the
contract; the job derives them again from fields + references + transform +
sensitive rules and refuses to start when the two disagree (names and types,
in order; descriptions are prose and not compared). Partition keys are not
part of `lake.columns`: they are the Hive partition columns of the table.
"""
from __future__ import annotations

from typing import Sequence

from .contract import Column, Contract, ContractError, parse_type
from .masking import normalize_action, sink_actions


def events_columns(contract: Contract) -> list[Column]:
    """The `events` view: fields, then each reference's added columns, in contract order."""
    columns = [Column(field.name, field.type, field.description) for field in contract.fields]
    for reference in contract.references:
        columns += [Column(c.as_name, c.type, c.description) for c in reference.columns]
    return columns


def transformed_columns(contract: Contract) -> list[Column]:
    """`events` columns plus the transform's added columns."""
    added = list(contract.transform.columns) if contract.transform else []
    return events_columns(contract) + added


def derive_sink_columns(contract: Contract, sink: str) -> list[tuple[str, str]]:
    """(name, type) of what lands in a sink: dropped columns removed, masked ones become strings."""
    actions = sink_actions(contract, sink)
    derived: list[tuple[str, str]] = []
    for column in transformed_columns(contract):
        _, action = actions.get(column.name, ("", "keep"))
        action = normalize_action(action)
        if action == "drop":
            continue
        derived.append((column.name, column.type if action == "keep" else "string"))
    return derived


def _declared(columns: Sequence[Column]) -> list[tuple[str, str]]:
    return [(column.name, column.type) for column in columns]


def check_output_columns(contract: Contract) -> None:
    """Raise ContractError when the contract's own column lists disagree with the derivation."""
    sinks = [("lake", contract.lake.columns)]
    if contract.warehouse is not None:
        sinks.append(("warehouse", contract.warehouse.columns))
    for sink, declared_columns in sinks:
        derived, declared = derive_sink_columns(contract, sink), _declared(declared_columns)
        if derived != declared:
            raise ContractError(
                f"{sink}.columns: the contract says {declared} but fields + references + transform "
                f"+ sensitive rules give {derived}; regenerate the contract"
            )


_SPARK_TYPES = {"string": "STRING", "int": "INT", "long": "BIGINT", "double": "DOUBLE",
                "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}


def spark_type(type_text: str) -> str:
    """Spark SQL DDL type for a contract type."""
    parsed = parse_type(type_text)
    if parsed.kind == "decimal":
        return f"DECIMAL({parsed.precision},{parsed.scale})"
    return _SPARK_TYPES[parsed.kind]


def spark_ddl_schema(columns: Sequence[tuple[str, str]]) -> str:
    """`name TYPE, ...` for createDataFrame / from_json, names backquoted."""
    return ", ".join(f"`{name.replace('`', '``')}` {spark_type(type_text)}" for name, type_text in columns)
