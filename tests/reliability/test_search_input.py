"""Hostile search texts: any length or content is searched as plain text, never as syntax.

Each text either finds exactly the records that contain it (ranked exact, prefix, word,
substring, as an independent oracle ranks them) or, for NUL, raises InvalidArgument; nothing
is written. The alphabet holds FTS5 and SQL syntax, quotes, wildcards, separators, accents,
CJK, combining marks and emoji (case folding of rarer scripts follows each database).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lamin_kernel as ln
from lamin_kernel.errors import InvalidArgument

ALPHABET = "abcXYZ019 _-./:*\"'%\\()[]{}^+|,;=<>?!#&~`$@éÉüÜßçøÅ中文字🙂🧬\u0301\u200d\t"
HOSTILE = [
    '"',
    '""',
    "*",
    "a*",
    "NEAR(a b)",
    "a NEAR b",
    "-",
    "- a",
    "a:b",
    "name:x",
    "{name}: x",
    "^a",
    "a AND b",
    "a OR b",
    "NOT a",
    "(",
    "')",
    "%",
    "_",
    "\\",
    "'; DROP TABLE lk_ulabel; --",
    "1 OR 1=1",
    "🙂🧬",
    "   ",
    "x" * 10_000,
    "-/" * 5_000,
    "中文",
]
NAMES = [
    "plain name",
    "NEAR(a b)",
    'say "hi"',
    "a*b*c",
    "100% done",
    "under_score",
    "back\\slash",
    "x:y:z",
    "{name}: x",
    "^caret",
    "'; DROP TABLE lk_ulabel; --",
    "Éclair café",
    "中文字 label",
    "emoji 🙂🧬 here",
    "a AND b",
    "-dash-",
    "(paren)",
]


def tier(text: str, value: str) -> int | None:
    """An oracle of the ranking, written apart from the package's."""
    text, value = text.lower(), value.lower()
    if text not in value:
        return None
    if value.strip() == text:
        return 0
    if value.strip().startswith(text):
        return 2
    left = r"(?<![^\W_])" if text[0].isalnum() else ""
    right = r"(?![^\W_])" if text[-1].isalnum() else ""
    return 3 if re.search(left + re.escape(text) + right, value) else 4


def expected_order(text: str, labels: list) -> list[int]:
    tiers = [(tier(text.strip(), label.name), label.id) for label in labels]
    return [rid for t, rid in sorted(x for x in tiers if x[0] is not None)]


@pytest.fixture
def labels(instance: dict) -> list:
    ln.save([ln.ULabel(name=n) for n in NAMES])
    return list(ln.ULabel.filter().order_by("id"))


def check(text: str, labels: list) -> None:
    before = ln.ULabel.filter().count()
    if "\x00" in text:
        with pytest.raises(InvalidArgument, match="NUL"):
            ln.ULabel.search(text)
        return
    found = ln.ULabel.search(text, limit=None).to_list("id")
    assert len(found) == len(set(found))
    if text.strip():
        expected = expected_order(text, labels)
        assert found[: len(expected)] == expected, text
    assert ln.ULabel.filter().count() == before


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_hostile_texts_are_plain_text(labels: list) -> None:
    for text in HOSTILE + NAMES + [n[1:4] for n in NAMES] + ["\x00", "a\x00b"]:
        check(text, labels)


@pytest.mark.backends("sqlite-local", "postgres-local")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(alphabet=ALPHABET, max_size=12),
        st.sampled_from(NAMES).flatmap(
            lambda n: st.tuples(st.integers(0, len(n)), st.integers(0, len(n))).map(
                lambda ab: n[min(ab) : max(ab)]
            )
        ),
        st.text(alphabet=ALPHABET + "\x00", min_size=200, max_size=400),
    )
)
def test_any_text_finds_what_contains_it(labels: list, text: str) -> None:
    check(text, labels)
