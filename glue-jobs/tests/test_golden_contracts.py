"""The TypeScript generator's real output (golden files, see tools/golden-contracts.ts) must load.

A jest test keeps these files equal to what `pipelines/` compiles to; this test keeps the Python
library able to read them, so the two languages cannot drift apart.
"""

import json
import unittest
from pathlib import Path

from platform_etl.contract import load_contract
from platform_etl.outputs import check_output_columns
from platform_etl.sql import check_transform_sql

GOLDEN = Path(__file__).parent / "golden"


class GoldenContractsLoad(unittest.TestCase):
    def test_every_golden_contract_loads_and_its_outputs_agree(self) -> None:
        paths = sorted(GOLDEN.glob("*.contract.json"))
        self.assertGreaterEqual(len(paths), 2)
        for path in paths:
            with self.subTest(contract=path.name):
                contract = load_contract(path.read_text(encoding="utf-8"))
                self.assertEqual(contract.pipeline, path.name.split(".")[0])
                check_output_columns(contract)
                if contract.transform is not None:
                    check_transform_sql(contract.transform.sql, [r.name for r in contract.references])

    def test_attendees_golden_keeps_email_out_of_the_warehouse_in_the_clear(self) -> None:
        doc = json.loads((GOLDEN / "attendees.contract.json").read_text(encoding="utf-8"))
        rules = {rule["field"]: rule for rule in doc["sensitive"]}
        self.assertEqual(rules["email"]["warehouse"], "hash")
        self.assertNotEqual(rules["email"]["warehouse"], "keep")


if __name__ == "__main__":
    unittest.main()
