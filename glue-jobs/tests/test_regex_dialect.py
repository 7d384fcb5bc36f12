"""The shared masking patterns must mean the same in Java (Spark) and Python."""
from __future__ import annotations

import re
import unittest

from platform_etl import detection, masking
from platform_etl.masking import NAME_WORD_REPLACEMENT, python_replacement

SHARED_PATTERNS = {**masking.SHARED_PATTERNS, **detection.SHARED_PATTERNS}

# Constructs that exist in only one dialect, or behave differently in the two.
FORBIDDEN: list[tuple[str, str]] = [
    (r"\(\?P", "Python-only named group (?P<..>) / (?P=..)"),
    (r"\(\?<[A-Za-z]", "Java-only named group (?<name>..)"),
    (r"\(\?>", "atomic group (Python 3.11 lacks it)"),
    (r"\(\?[a-zA-Z-]", "inline flags (placement rules differ)"),
    (r"(?<!\\)[*+?}]\+", "possessive quantifier (Python 3.11 lacks it)"),
    (r"\\[ZzAG]", r"\Z/\z/\A/\G anchors differ or are missing"),
    (r"\\[dDwWsSbB]", r"\d \w \s \b are Unicode-aware in Python, ASCII in Java"),
    (r"\\[hHvVRXKQE]", "Java-only escapes"),
    (r"\\[pP]", "Unicode properties (Java only)"),
    (r"\\x\{", r"\x{..} (Java only)"),
    (r"&&", "class intersection (Java only)"),
    (r"\[\[", "nested class (Java only; FutureWarning in Python)"),
]


def unescaped_outside_class(pattern: str, char: str) -> bool:
    """True when `char` appears as a metacharacter (not escaped, not inside [...])."""
    in_class = False
    index = 0
    while index < len(pattern):
        current = pattern[index]
        if current == "\\":
            index += 2
            continue
        if in_class:
            in_class = current != "]"
        elif current == "[":
            in_class = True
            if pattern[index + 1: index + 2] == "]":
                index += 1
        elif current == char:
            return True
        index += 1
    return False


# A lookbehind over a fixed sequence of character classes (each one character, no quantifier, no
# alternation): fixed width, and read alike, in both engines.
SIMPLE_LOOKBEHIND = re.compile(r"\(\?<[=!](?:\[[^\]]+\])+\)")


def violations(pattern: str) -> list[str]:
    found = [reason for construct, reason in FORBIDDEN if re.search(construct, pattern)]
    if unescaped_outside_class(pattern, "."):
        found.append("'.' excludes different line terminators in Java and Python")
    if unescaped_outside_class(pattern, "$"):
        found.append("'$' matches before different line terminators in Java and Python")
    for lookbehind in re.finditer(r"\(\?<[=!]", pattern):
        if not SIMPLE_LOOKBEHIND.match(pattern, lookbehind.start()):
            found.append("lookbehind must be over a single character class")
    return found


class DialectTest(unittest.TestCase):
    def test_shared_patterns_use_the_common_subset(self) -> None:
        for name, pattern in SHARED_PATTERNS.items():
            with self.subTest(name):
                self.assertEqual(violations(pattern), [])

    def test_every_pattern_of_the_modules_is_checked(self) -> None:
        # A pattern constant added without being listed would escape the checks above.
        for module in (masking, detection):
            names = {name for name, value in vars(module).items() if name.isupper() and isinstance(value, str)
                     and name.endswith(("_PATTERN", "_PARTS", "_PREFIX", "_WORD", "_RUN", "_GATE", "NON_DIGIT"))}
            self.assertLessEqual(names, set(SHARED_PATTERNS), module.__name__)

    def test_shared_patterns_compile_and_never_match_empty(self) -> None:
        # Java's replaceAll and Python's re.sub treat empty matches differently.
        for name, pattern in SHARED_PATTERNS.items():
            with self.subTest(name):
                self.assertIsNone(re.compile(pattern).fullmatch(""))

    def test_the_checker_catches_each_construct(self) -> None:
        samples = ["(?P<x>a)", "(?<x>a)", "(?>a)", "(?i)a", "a++", r"a\Z", r"\d", r"\h", r"\p{L}", r"\x{41}",
                   "[a&&b]", "[[a]]", "a.b", "a$", "(?<=ab)", "(?<=[a]+)", "(?<![a]|[b])"]
        for sample in samples:
            with self.subTest(sample):
                self.assertNotEqual(violations(sample), [])
        self.assertEqual(violations("[.$](?<![0-9])a"), [])
        self.assertEqual(violations("(?<![0-9][ -])a"), [])

    def test_replacements_convert(self) -> None:
        self.assertEqual(re.sub("([a-z])[a-z]*", python_replacement(NAME_WORD_REPLACEMENT), "jane doe"), "j. d.")


if __name__ == "__main__":
    unittest.main()
