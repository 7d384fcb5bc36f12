"""Detection in content (pure-Python reference): each entity, the order between them, the
validators, the sink rewriting, and the gate that skips values holding none."""
from __future__ import annotations

import json
import re
import unittest
from typing import Mapping

from platform_etl import detection
from platform_etl.detection import (
    ALL_REDACTED, ENTITIES, ENTITY_LITERALS, HASH, KEEP, PATTERNS, REDACT, TOKENS, actions_for_event_id, find_entities, iban_valid,
    might_hold_entities, phone_valid, scrub_text, sql_candidates, sql_scrub,
)
from platform_etl.primitives import hash_value
from tests.helpers import FIXTURES


def found(text: str) -> dict[str, tuple[str, ...]]:
    return {entity: matches for entity, matches in zip(ENTITIES, find_entities(text)) if matches}


class EntityTest(unittest.TestCase):
    def test_each_entity_in_a_sentence(self) -> None:
        cases = {
            "email": ("write to jane.doe+events@mail.example.co.uk today", "jane.doe+events@mail.example.co.uk"),
            "aws_access_key": ("key=AKIAIOSFODNN7EXAMPLE&x", "AKIAIOSFODNN7EXAMPLE"),
            "iban": ("pay to GB29 NWBK 6016 1331 9268 19.", "GB29 NWBK 6016 1331 9268 19"),
            "ipv6": ("from [2001:db8::8a2e:370:7334]:443", "2001:db8::8a2e:370:7334"),
            "ipv4": ("client 203.0.113.7:8080 denied", "203.0.113.7"),
            "credit_card": ("paid with 4111-1111-1111-1111, thanks", "4111-1111-1111-1111"),
            "us_ssn": ("ssn 078-05-1120 on file", "078-05-1120"),
            "phone": ("ring +44 20 7946 0958 now", "+44 20 7946 0958"),
        }
        self.assertEqual(set(cases), set(ENTITIES))
        for entity, (text, value) in cases.items():
            with self.subTest(entity):
                self.assertEqual(found(text), {entity: (value,)})
                self.assertEqual(scrub_text(text, ALL_REDACTED, "p"), text.replace(value, TOKENS[entity]))

    def test_validators(self) -> None:
        self.assertTrue(iban_valid("DE89 3704 0044 0532 0130 00"))
        self.assertFalse(iban_valid("DE89 3704 0044 0532 0130 01"), "check digits")
        self.assertFalse(iban_valid("XX89 3704 0044 0532 0130 00"), "country")
        self.assertTrue(phone_valid("+1 202 555 0143") and phone_valid("020 7946 0958"))
        self.assertFalse(phone_valid("07 03 2026"), "eight national digits")
        self.assertEqual(found("ref 4111111111111112 is not a card"), {})
        self.assertEqual(found("4111 1111 1111"), {}, "12 digits")

    def test_an_entity_is_found_once_as_the_first_that_claims_it(self) -> None:
        # The IBAN's digit groups are not also a card or a phone; the e-mail's digits not a phone.
        self.assertEqual(found("IBAN DE89 3704 0044 0532 0130 00"), {"iban": ("DE89 3704 0044 0532 0130 00",)})
        self.assertEqual(found("mail 0612345678.x@example.com"), {"email": ("0612345678.x@example.com",)})
        self.assertEqual(found("::ffff:192.0.2.128"), {"ipv6": ("::ffff:192.0.2.128",)})

    def test_a_value_found_inside_an_earlier_entity_is_counted_there_but_masked_everywhere(self) -> None:
        text = "10.0.0.1 and admin@10.0.0.1.nip.io"
        self.assertEqual(found(text), {"email": ("admin@10.0.0.1.nip.io",)})
        self.assertEqual(scrub_text(text, ALL_REDACTED, "p"), "[IP] and [EMAIL]", "the lone address is masked too")

    def test_near_misses(self) -> None:
        for text in ("icon@2x.png", "lodash@4.17.21", "v1.2.3.4", "1.2.3.4.5", "Chrome/120.0.6099.109", "10:15:30",
                     "00:1A:2B:3C:4D:5E", "Abc::Def", "2026-03-07", "07.03.2026", "ORD-555-123-4567", "912-34-5678",
                     "AKIA1234567890123456", "20240307101530123", "2720 0039 3838 5311"):
            with self.subTest(text):
                self.assertEqual(found(text), {})


class ScrubTest(unittest.TestCase):
    TEXT = "mail jane@example.com or call (555) 123-4567"

    def test_actions_per_entity(self) -> None:
        actions = {**ALL_REDACTED, "email": HASH, "phone": KEEP}
        self.assertEqual(scrub_text(self.TEXT, actions, "p"), f"mail {hash_value('jane@example.com', 'p')} or call (555) 123-4567")

    def test_a_value_that_is_one_match_hashes_like_the_masking_hash(self) -> None:
        self.assertEqual(scrub_text("jane@example.com", {**ALL_REDACTED, "email": HASH}, "pep"), hash_value("jane@example.com", "pep"))

    def test_nulls_and_clean_values_pass_unchanged(self) -> None:
        self.assertIsNone(scrub_text(None, ALL_REDACTED, "p"))
        self.assertEqual(scrub_text("Example Corp", ALL_REDACTED, "p"), "Example Corp")

    def test_the_event_id_keeps_distinct_values(self) -> None:
        self.assertEqual(actions_for_event_id({**ALL_REDACTED, "ipv4": KEEP}), {**{e: HASH for e in ENTITIES}, "ipv4": KEEP})


class GateTest(unittest.TestCase):
    def test_the_gate_never_clears_a_value_that_holds_an_entity(self) -> None:
        corpus = json.loads((FIXTURES / "detection-corpus.json").read_text(encoding="utf-8"))
        for case in corpus["cases"]:
            for values in case["entities"].values():
                for value in values:
                    self.assertTrue(might_hold_entities(value), value)

    def test_the_gate_clears_ordinary_values(self) -> None:
        for text in ("Example Corp", "Engineer", "standard", "Zoë Åsa 李", "FR", "room 12, floor 3"):
            self.assertFalse(might_hold_entities(text), text)


def corpus_texts() -> list[str]:
    corpus = json.loads((FIXTURES / "detection-corpus.json").read_text(encoding="utf-8"))["cases"]
    return [case["text"] for case in corpus] + [value for case in corpus for values in case["entities"].values() for value in values]


def literal_violations(literals: Mapping[str, tuple[str, ...]], texts: list[str]) -> list[tuple[str, str]]:
    """(entity, match) for every pattern match that holds none of its entity's guard literals."""
    return [(entity, match.group(0)) for entity, required in literals.items() for text in texts
            for match in re.finditer(PATTERNS[entity], text) if not any(literal in match.group(0) for literal in required)]


class EntityGuardTest(unittest.TestCase):
    """The SQL skips an entity's pattern on values without its literals: every match must hold one."""

    def test_every_match_of_a_guarded_entity_holds_one_of_its_literals(self) -> None:
        texts = corpus_texts()
        self.assertEqual(literal_violations(ENTITY_LITERALS, texts), [])
        self.assertTrue(all(any(re.search(PATTERNS[entity], text) for text in texts) for entity in ENTITY_LITERALS))

    def test_a_literal_that_a_match_can_lack_is_caught(self) -> None:
        self.assertIn(("ipv6", "::1"), literal_violations({**ENTITY_LITERALS, "ipv6": ("::ffff",)}, ["loopback ::1 here"]))

    def test_each_guarded_pattern_sits_behind_its_literals(self) -> None:
        expression = sql_candidates("`notes`")
        for literals in ENTITY_LITERALS.values():
            for literal in literals:
                self.assertIn(f"instr(`notes`, '{literal}') > 0", expression)


class SqlBuilderTest(unittest.TestCase):
    def test_one_pattern_pass_per_entity_behind_one_gate(self) -> None:
        expression = sql_candidates("`notes`")
        self.assertEqual(expression.count("regexp_extract_all("), len(ENTITIES))
        self.assertEqual(expression.count(" RLIKE "), 1)
        self.assertTrue(expression.startswith("CASE WHEN (`notes` RLIKE"))

    def test_scrub_skips_kept_entities_and_hashes_with_the_pepper(self) -> None:
        sql = sql_scrub("`c`", "f", {**{e: KEEP for e in ENTITIES}, "email": HASH, "phone": REDACT}, "pe'p")
        self.assertEqual(sql.count("aggregate("), 2)
        self.assertIn("sha2(concat('pe\\'p', __match_0), 256)", sql)
        self.assertIn("'[PHONE]'", sql)

    def test_no_python_udf(self) -> None:
        self.assertNotIn("udf", detection.__dict__)
