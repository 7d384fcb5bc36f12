"""Masking: golden cases, Luhn, replacement conversion, Spark SQL builder."""
from __future__ import annotations

import json
import re
import unittest

from platform_etl import masking
from platform_etl.masking import (
    REDACTED, luhn_valid, mask_expression, mask_row, mask_value, python_replacement, sink_select_expressions,
    sql_identifier, sql_luhn_valid, sql_string_literal,
)
from tests.helpers import GOLDEN, fixture_contract


SQL_STRING = re.compile(r"'(?:[^'\\]|\\.)*'")


class GoldenTest(unittest.TestCase):
    def test_golden_cases(self) -> None:
        golden = json.loads((GOLDEN / "masking_cases.json").read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(golden["cases"]), 30)
        for case in golden["cases"]:
            with self.subTest(case):
                self.assertEqual(
                    mask_value(case["input"], case["classification"], case["action"], golden["pepper"]),
                    case["expected"],
                )

    def test_every_classification_and_action_is_covered(self) -> None:
        golden = json.loads((GOLDEN / "masking_cases.json").read_text(encoding="utf-8"))
        covered = {(c["classification"], masking.normalize_action(c["action"])) for c in golden["cases"]}
        for classification in ("email", "phone", "credit_card", "ip_address", "person_name", "free_text"):
            self.assertIn((classification, "partial"), covered)


class LuhnTest(unittest.TestCase):
    def test_known_numbers(self) -> None:
        for valid in ("4111111111111111", "5500 0000 0000 0004", "3782-822463-10005", "79927398713"):
            self.assertTrue(luhn_valid(valid), valid)
        for invalid in ("4111111111111112", "1234567812345678", "", "abc", "79927398710"):
            self.assertFalse(luhn_valid(invalid), invalid)

    def test_sql_luhn_mirrors_python_algorithm(self) -> None:
        # Evaluate the generated SQL arithmetic in Python: the same formula, digit by digit.
        sql = sql_luhn_valid("card")
        self.assertIn("% 2 = 1", sql)
        self.assertIn("* 2 - 9", sql)
        for number in ("4111111111111111", "4111111111111112", "5500000000000004", "79927398713"):
            n = len(number)
            total = 0
            for pos in range(1, n + 1):
                digit = int(number[pos - 1])
                if (n - pos) % 2 == 1:
                    digit = digit * 2 - 9 if digit >= 5 else digit * 2
                total += digit
            self.assertEqual(total % 10 == 0, luhn_valid(number), number)


class ReplacementTest(unittest.TestCase):
    def test_java_to_python(self) -> None:
        self.assertEqual(python_replacement("$1."), r"\g<1>.")
        self.assertEqual(python_replacement("$1***$2"), r"\g<1>***\g<2>")
        self.assertEqual(python_replacement(r"\$5"), "$5")
        self.assertEqual(python_replacement("[EMAIL]"), "[EMAIL]")
        self.assertEqual(re.sub("(a)", python_replacement(r"\\$1"), "a"), "\\a")

    def test_ambiguous_group_reference_is_refused(self) -> None:
        for bad in ("$10", "$x", "$"):
            with self.subTest(bad), self.assertRaises(ValueError):
                python_replacement(bad)


class RowTest(unittest.TestCase):
    def test_mask_row_per_sink(self) -> None:
        row = {"checkin_id": "c1", "scanner_ip": "203.0.113.7", "room": "A"}
        contract = fixture_contract("session_checkins")
        self.assertEqual(mask_row(row, contract, "lake", "p"), {"checkin_id": "c1", "scanner_ip": "203.0.113.0", "room": "A"})
        self.assertEqual(mask_row(row, contract, "warehouse", "p"), {"checkin_id": "c1", "room": "A"})

    def test_attendee_warehouse_row(self) -> None:
        contract = fixture_contract("attendees")
        row = {"email": "jane.doe@example.com", "full_name": "Jane Doe", "phone": None, "notes": "hi"}
        masked = mask_row(row, contract, "warehouse", "p")
        self.assertEqual(masked["email"], masking.hash_value("jane.doe@example.com", "p"))
        self.assertEqual(masked["full_name"], "J. D.")
        self.assertIsNone(masked["phone"])
        self.assertEqual(masked["notes"], REDACTED)

    def test_drop_has_no_value(self) -> None:
        with self.assertRaises(ValueError):
            mask_value("x", "email", "drop", "p")
        with self.assertRaises(ValueError):
            masking.sink_actions(fixture_contract("attendees"), "s3")


class SqlBuilderTest(unittest.TestCase):
    def test_literals_and_identifiers(self) -> None:
        self.assertEqual(sql_string_literal("it's"), r"'it\'s'")
        self.assertEqual(sql_string_literal(r"[^ \t]"), r"'[^ \\t]'")
        self.assertEqual(sql_identifier("a`b"), "`a``b`")

    def test_patterns_are_embedded_escaped(self) -> None:
        expression = mask_expression("full_name", "person_name", "partial", "p")
        assert expression is not None
        self.assertIn(sql_string_literal(masking.NAME_WORD), expression)
        self.assertIn("'$1.'", expression)  # Java replacement syntax in Spark

    def test_hash_keeps_pepper_and_nulls(self) -> None:
        self.assertEqual(mask_expression("email", "email", "hash", "pe'p"),
                         r"sha2(concat('pe\'p', `email`), 256)")

    def test_every_partial_is_native_and_null_safe(self) -> None:
        for classification in ("email", "phone", "credit_card", "ip_address", "person_name", "free_text"):
            for action in ("mask", "partial", "redact"):
                with self.subTest(classification=classification, action=action):
                    expression = mask_expression("v", classification, action, "p")
                    assert expression is not None
                    self.assertTrue(expression.startswith("CASE WHEN `v` IS NULL THEN NULL ELSE "))
                    self.assertNotIn("\n", expression)
                    code = SQL_STRING.sub("''", expression)  # patterns may hold unbalanced "("
                    self.assertEqual(code.count("("), code.count(")"))
                    self.assertNotRegex(expression.lower(), r"\budf\b|python")

    def test_free_text_uses_luhn_filter(self) -> None:
        expression = mask_expression("notes", "free_text", "mask", "p")
        assert expression is not None
        for fragment in ("regexp_extract_all(", "filter(", "aggregate(", "'[CARD]'", "'[EMAIL]'", "'[IP]'", "'[PHONE]'"):
            self.assertIn(fragment, expression)
        self.assertLess(expression.index("'[EMAIL]'"), expression.index("'[PHONE]'"))

    def test_keep_and_drop(self) -> None:
        self.assertEqual(mask_expression("email", "email", "keep", "p"), "`email`")
        self.assertIsNone(mask_expression("ip", "ip_address", "drop", "p"))

    def test_sink_select_expressions(self) -> None:
        contract = fixture_contract("attendees")
        expressions = sink_select_expressions(["attendee_id", "email", "notes"], contract, "warehouse", "p")
        self.assertEqual(expressions[0], "`attendee_id` AS `attendee_id`")
        self.assertTrue(expressions[1].startswith("sha2(") and expressions[1].endswith(" AS `email`"))
        self.assertEqual(expressions[2], "CASE WHEN `notes` IS NULL THEN NULL ELSE '[REDACTED]' END AS `notes`")
        with self.assertRaisesRegex(ValueError, "dropped"):
            sink_select_expressions(["scanner_ip"], fixture_contract("session_checkins"), "warehouse", "p")


if __name__ == "__main__":
    unittest.main()
