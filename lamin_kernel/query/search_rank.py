"""The order of search results: exact, exact synonym, prefix, whole word, substring, fuzzy.

Within a tier records keep their id order (oldest first, as LaminDB's ranking leaves ties in
table order); fuzzy matches follow by score. Pure Python over rows `(id, *field values)`;
rapidfuzz is imported only when fuzzy matches are scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..db.search_index import SYNONYM_FIELD, SYNONYM_SEPARATOR
from .search_text import FUZZY_TEXT_MAX, SearchText

EXACT, SYNONYM, PREFIX, WORD, SUBSTRING, FUZZY = range(6)
FUZZY_MIN_SCORE = 60.0  # rapidfuzz WRatio, 0-100


def _word_pattern(text: str) -> re.Pattern:
    """The text as a whole word: no letter or digit right before or after it (where the text
    itself begins or ends with one; `_` separates words)."""
    before = r"(?<![^\W_])" if text[:1].isalnum() else ""
    after = r"(?![^\W_])" if text[-1:].isalnum() else ""
    return re.compile(before + re.escape(text) + after)


def tier_of_value(text: str, value: str, synonym: bool = False) -> int | None:
    """The tier of one (folded) value for a (folded) text, or None when it does not contain it."""
    return Tiers(text).of_value(value, synonym)


class Tiers:
    """Tiers of values for one (folded) text, with its whole-word pattern compiled once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.word = _word_pattern(text)

    def of_value(self, value: str, synonym: bool) -> int | None:
        text = self.text
        if text not in value:
            return None
        stripped = value.strip()
        if stripped == text:
            return SYNONYM if synonym else EXACT
        if stripped.startswith(text):
            return PREFIX
        return WORD if self.word.search(value) else SUBSTRING

    def of_row(self, search: SearchText, fields: Sequence[str], row: Sequence[Any]) -> int | None:
        best = None
        fold = str.lower if not search.case_sensitive else str
        for field, value in zip(fields, row[1:], strict=True):
            if value is None:
                continue
            value = fold(str(value))
            if self.text not in value:
                continue  # most rows of a scan: one lower() and one `in`
            parts = value.split(SYNONYM_SEPARATOR) if field == SYNONYM_FIELD else (value,)
            for part in parts:
                tier = self.of_value(part, field == SYNONYM_FIELD)
                if tier is not None and (best is None or tier < best):
                    best = tier
        return best


def tier_of_row(text: SearchText, fields: Sequence[str], row: Sequence[Any]) -> int | None:
    """The best tier over a row's fields `(id, *values)`, None when no field contains the text."""
    return Tiers(text.folded).of_row(text, fields, row)


def rank_matches(
    text: SearchText, fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[int, int]]:
    """`(tier, id)` of the rows that contain the text, best first."""
    tiers = Tiers(text.folded)
    ranked = {}
    for row in rows:
        tier = tiers.of_row(text, fields, row)
        if tier is not None:
            ranked[row[0]] = tier
    return sorted((tier, rid) for rid, tier in ranked.items())


def fuzzy_scores(
    text: SearchText, fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[float, int]]:
    """`(score, id)` of rows similar to the text (typos), best first, above FUZZY_MIN_SCORE.
    Case-insensitive (case-sensitive searches have no fuzzy matches)."""
    from rapidfuzz import fuzz, process, utils

    choices, owners = [], []
    longest = 4 * FUZZY_TEXT_MAX
    for row in rows:
        for field, value in zip(fields, row[1:], strict=True):
            if value is None:
                continue
            if field == SYNONYM_FIELD:
                for candidate in str(value).split(SYNONYM_SEPARATOR):
                    choices.append(candidate[:longest])
                    owners.append(row[0])
            else:
                choices.append(str(value)[:longest])
                owners.append(row[0])
    best: dict[int, float] = {}
    matches = process.extract_iter(
        text.folded[:FUZZY_TEXT_MAX],
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,  # lowercased, punctuation as spaces (in C)
        score_cutoff=FUZZY_MIN_SCORE,
    )
    for _, score, at in matches:
        owner = owners[at]
        best[owner] = max(best.get(owner, 0.0), score)
    return sorted(((score, rid) for rid, score in best.items()), key=lambda s: (-s[0], s[1]))


def rank_rows(
    string: str, fields: Sequence[str], rows: Iterable[Sequence[Any]], limit: int | None
) -> list[int]:
    """Ids of rows `(id, *values)` matching `string`, best first: every tier, fuzzy last."""
    text = SearchText.parse(string)
    rows = list(rows)
    ranked = [rid for _, rid in rank_matches(text, fields, rows)]
    if limit is None or len(ranked) < limit:
        matched = set(ranked)
        rest = [row for row in rows if row[0] not in matched]
        ranked += [rid for _, rid in fuzzy_scores(text, fields, rest)]
    return ranked if limit is None else ranked[:limit]
