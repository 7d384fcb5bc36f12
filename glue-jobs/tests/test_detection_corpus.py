"""Recall and precision of the detection per entity on the labelled corpus
(`tests/fixtures/detection-corpus.json`, built by `tests/fixtures/detection_corpus.py`): recall >= 0.99
and precision >= 0.95 for every entity. The scores are printed."""
from __future__ import annotations

import json
import sys
import unittest
from collections import Counter
from typing import Callable, Sequence

from platform_etl.detection import ENTITIES, Findings, find_entities
from tests.fixtures import detection_corpus
from tests.helpers import FIXTURES

MIN_RECALL, MIN_PRECISION = 0.99, 0.95


def load_corpus() -> list[dict]:
    return json.loads((FIXTURES / "detection-corpus.json").read_text(encoding="utf-8"))["cases"]


def scores(cases: Sequence[dict], detect: Callable[[str], Findings]) -> dict[str, dict[str, float]]:
    """Per entity: true positives, false positives, false negatives (matches compared as multisets per
    text), recall and precision."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for case in cases:
        for entity, matches in zip(ENTITIES, detect(case["text"])):
            expected, got = Counter(case["entities"].get(entity, [])), Counter(matches)
            hits = sum((expected & got).values())
            tp[entity] += hits
            fp[entity] += sum(got.values()) - hits
            fn[entity] += sum(expected.values()) - hits
    return {e: {"tp": tp[e], "fp": fp[e], "fn": fn[e], "recall": tp[e] / max(1, tp[e] + fn[e]),
                "precision": tp[e] / max(1, tp[e] + fp[e])} for e in ENTITIES}


class CorpusTest(unittest.TestCase):
    def test_the_corpus_is_what_its_builder_makes(self) -> None:
        self.assertEqual((FIXTURES / "detection-corpus.json").read_text(encoding="utf-8"), detection_corpus.corpus_json(),
                         "run `python3 -m tests.fixtures.detection_corpus` in glue-jobs/ and commit the corpus")

    def test_every_entity_has_enough_positives_and_near_misses_exist(self) -> None:
        cases = load_corpus()
        per_entity = Counter(e for c in cases for e, values in c["entities"].items() for _ in values)
        for entity in ENTITIES:
            self.assertGreaterEqual(per_entity[entity], 100, entity)
        self.assertGreaterEqual(sum(1 for c in cases if c["kind"] == "near_miss"), 150)

    def test_recall_and_precision_per_entity(self) -> None:
        result = scores(load_corpus(), find_entities)
        sys.stderr.write("\nentity            positives  found  false+  recall  precision\n")
        for entity, s in result.items():
            sys.stderr.write(f"{entity:<17} {s['tp'] + s['fn']:>9} {s['tp']:>6} {s['fp']:>7}  {s['recall']:.3f}   {s['precision']:.3f}\n")
        for entity, s in result.items():
            with self.subTest(entity):
                self.assertGreaterEqual(s["recall"], MIN_RECALL)
                self.assertGreaterEqual(s["precision"], MIN_PRECISION)

    def test_the_measure_fails_a_detector_that_misses_or_over_reports(self) -> None:
        cases = load_corpus()
        blind = scores(cases, lambda text: tuple(() for _ in ENTITIES))
        self.assertTrue(all(s["recall"] == 0 for s in blind.values()))
        # Calling every digit run a phone number: recall of phones holds, precision falls.
        import re
        greedy = scores(cases, lambda text: tuple(tuple(re.findall(r"[0-9][0-9 .-]{6,}[0-9]", text)) if e == "phone" else ()
                                                  for e in ENTITIES))
        self.assertLess(greedy["phone"]["precision"], MIN_PRECISION)


if __name__ == "__main__":
    unittest.main()
