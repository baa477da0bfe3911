"""Search texts become index queries that hold nothing but quoted strings and escaped patterns;
the ranking puts exact before synonym, prefix, word, substring and fuzzy matches."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lamin_kernel.db.search_index import END, START
from lamin_kernel.errors import InvalidArgument
from lamin_kernel.query.search_rank import (
    EXACT,
    PREFIX,
    SUBSTRING,
    SYNONYM,
    WORD,
    fuzzy_scores,
    rank_matches,
    rank_rows,
    tier_of_value,
)
from lamin_kernel.query.search_text import (
    MAX_TERMS,
    SearchText,
    fts_exact,
    fts_prefix,
    fts_substring,
    fts_term,
    fuzzy_windows,
    like_escape,
    trigram_indexable,
)


def test_texts_are_checked_and_stripped() -> None:
    assert SearchText.parse("  T Cell ").folded == "t cell"
    assert SearchText.parse("T Cell", case_sensitive=True).folded == "T Cell"
    assert SearchText.parse("   ").empty
    with pytest.raises(InvalidArgument, match="None"):
        SearchText.parse(None)
    with pytest.raises(InvalidArgument, match="got int"):
        SearchText.parse(3)
    with pytest.raises(InvalidArgument, match="NUL"):
        SearchText.parse("a\x00b")


def test_fts_queries_are_quoted_strings_only() -> None:
    assert fts_term('say "hi"') == '"say ""hi"""'
    # a short text is one quoted phrase over the column set: nothing in it is query syntax
    short = SearchText.parse('a"b NEAR(c) OR *')
    assert fts_substring(short, ["name", "description"]) == (
        '{"name" "description"} : ' + fts_term('a"b NEAR(c) OR *')
    )
    # a long text is ANDed covering trigrams, one group per column, each a quoted string
    long = SearchText.parse('a"b NEAR(c) OR * ' * 8)
    query = fts_substring(long, ["name", "description"])
    groups = query.split(" OR ")
    assert [g.split(" : ")[0] for g in groups] == ['{"name"}', '{"description"}']
    terms = groups[0].split(" : ", 1)[1].strip("()").split(" AND ")
    assert all(t.startswith('"') and t.endswith('"') for t in terms)
    assert len(terms) <= MAX_TERMS


def test_exact_and_prefix_queries_carry_the_sentinels() -> None:
    text = SearchText.parse("ab")
    assert fts_substring(text, ["name"]) is None  # two characters: no trigram of their own
    assert fts_prefix(text, ["name"]) == f'{{"name"}} : {fts_term(START + "ab")}'
    assert fts_exact(text, ["name"]) == f'{{"name"}} : {fts_term(START + "ab" + END)}'
    long = SearchText.parse("x" * 10_000)
    assert len(fts_substring(long, ["name"]).split(" AND ")) <= MAX_TERMS


def test_like_patterns_escape_wildcards() -> None:
    assert like_escape("50%_a\\b") == "50\\%\\_a\\\\b"
    assert trigram_indexable("a/bcd") and not trigram_indexable("a/b_c-d")


def test_fuzzy_windows_are_few_and_spread() -> None:
    assert fuzzy_windows(SearchText.parse("Smaple")) == ["sma", "map", "apl", "ple"]
    assert len(fuzzy_windows(SearchText.parse("y" * 50 + "z" * 50))) <= 16


def test_tiers() -> None:
    assert tier_of_value("t cell", "t cell") == EXACT
    assert tier_of_value("t cell", "t cell", synonym=True) == SYNONYM
    assert tier_of_value("t cell", "t cells") == PREFIX
    assert tier_of_value("t cell", "gamma t cell, activated") == WORD
    assert tier_of_value("0123", "batch/0123/x") == WORD
    assert tier_of_value("/0123/", "batch/0123/x") == WORD
    assert tier_of_value("t cell", "at cells") == SUBSTRING
    assert tier_of_value("t cell", "b cell") is None


def test_ranking_over_fields_and_synonyms() -> None:
    fields = ["name", "synonyms"]
    rows = [
        (1, "regulatory T cell", None),
        (2, "CD4", "T cell|helper"),
        (3, "T cell", None),
        (4, "T cells", None),
        (5, "Tcell", None),
    ]
    ranked = rank_matches(SearchText.parse("t cell"), fields, rows)
    assert ranked == [(EXACT, 3), (SYNONYM, 2), (PREFIX, 4), (WORD, 1)]
    assert [rid for _, rid in fuzzy_scores(SearchText.parse("t cell"), fields, rows[4:])] == [5]
    assert rank_rows("t cell", fields, rows, None) == [3, 2, 4, 1, 5]
    assert rank_rows("t cell", fields, rows, 2) == [3, 2]


def test_importing_the_search_does_not_import_rapidfuzz() -> None:
    code = (
        "import sys, lamin_kernel.query.search as s; "
        "assert 'rapidfuzz' not in sys.modules, 'rapidfuzz imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
