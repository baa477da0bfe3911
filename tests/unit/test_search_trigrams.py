"""PostgreSQL search reads the posting lists of a text's rarest trigrams only: which ones a row
sample calls rare, and the LIKE pattern made of them, which every row holding the text matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lamin_kernel.query.search_trigrams import (
    RARE_TERMS,
    TrigramSample,
    Wanted,
    index_pattern,
    indexable_trigrams,
    indexed_form,
)


def sample_of(values: list[str], table_rows: float = 1_000_000) -> TrigramSample:
    return TrigramSample.of([[indexed_form("key", v)] for v in values], table_rows)


SAMPLE = sample_of([f"sample{i * 7919 % 1_000_000}" for i in range(1000)])


def like(pattern: str, value: str) -> bool:
    """SQL LIKE without escapes (the index patterns hold letters and digits only)."""
    return re.fullmatch(".*".join(re.escape(p) for p in pattern.split("%")), value) is not None


def test_the_rare_trigrams_of_a_text_are_picked_and_the_common_ones_left_out() -> None:
    picked = [g for _, g in SAMPLE.rarest("sample247514")]
    assert picked and len(picked) <= RARE_TERMS
    assert not {"sam", "amp", "mpl", "ple"} & set(picked)  # in every sampled row


def test_a_text_of_common_trigrams_still_gets_its_rarest_one_and_a_high_density() -> None:
    assert len(SAMPLE.rarest("sample")) == 1
    assert SAMPLE.density([Wanted("sample")]) == 1.0
    assert SAMPLE.density([Wanted("qxnothere")]) == 0.0
    assert SAMPLE.expected_rows(SAMPLE.rarest("sample")) == 1_000_000


def test_pieces_keep_their_order_and_overlapping_trigrams_are_merged() -> None:
    core = "sample247514"
    assert index_pattern(core, [(6, "247"), (9, "514")]) == "%247%514%"
    assert index_pattern(core, [(6, "247"), (7, "475")]) == "%2475%"
    assert index_pattern(core, []) is None


def test_only_runs_of_letters_and_digits_make_trigrams() -> None:
    assert indexable_trigrams("a-b_c!!") == []
    assert indexable_trigrams("ab cde") == [(3, "cde")]
    assert indexed_form("synonyms", "A|b") == "qxaqx|qxbqx"


def test_anchored_tiers_compare_the_whole_indexed_value() -> None:
    assert Wanted("qxabcqx", True, True).found_in("qxabcqx")
    assert not Wanted("qxabcqx", True, True).found_in("qxabcdqx")
    assert Wanted("qxab", True).found_in("qxabcqx")
    assert not Wanted("qxab", True).found_in("qxcabqx")


@settings(max_examples=200)
@given(
    value=st.text(alphabet="abc019 -_.", max_size=30),
    start=st.integers(0, 30),
    stop=st.integers(0, 30),
)
def test_every_value_holding_the_text_matches_its_index_pattern(
    value: str, start: int, stop: int
) -> None:
    indexed = indexed_form("key", value)
    core = indexed[min(start, stop) : max(start, stop)]
    pattern = index_pattern(core, SAMPLE.rarest(core))
    if pattern is not None:
        assert like(pattern, indexed), (core, pattern)
