"""Shared test helpers: fixture contracts and paths."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from platform_etl.contract import Contract, load_contract

TESTS = Path(__file__).resolve().parent
GLUE_JOBS = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"


def contract_document(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.contract.json").read_text(encoding="utf-8"))


def fixture_contract(name: str) -> Contract:
    return load_contract(contract_document(name))
