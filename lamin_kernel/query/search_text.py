"""A search text, checked once, and the index queries it becomes.

Nothing in the text is ever query syntax: for SQLite's FTS5 every term is a quoted string
(a `"` inside is doubled), for PostgreSQL every `LIKE` pattern escapes `%`, `_` and `\\`, and
both go to the database as bound parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..db.search_index import END, START
from ..errors import InvalidArgument

TRIGRAM = 3
MAX_TERMS = 8  # trigrams ANDed per index query; the rows found are checked against the text
# Texts up to this long are looked up as one FTS5 phrase: with the trigram tokenizer that is
# the substring itself, answered from its rarest trigrams (0.5 ms at 1,000,000 artifacts);
# ANDed trigrams such as "sam" AND "ple" walk lists of every row (150 ms). Longer texts keep
# the AND of covering trigrams (a superset, checked in Python), so a 10,000-character text
# is not 10,000 terms.
PHRASE_MAX = 64
FUZZY_TEXT_MAX = 100  # fuzzy matching looks at the first 100 characters of a longer text
MAX_WINDOWS = 16  # trigrams of the text that propose fuzzy candidates
_ALNUM_RUN = re.compile(r"[^\W_]{3,}")


@dataclass(frozen=True)
class SearchText:
    """What the user typed, stripped, and the form it is compared in."""

    raw: str
    folded: str  # lowercased unless case-sensitive
    case_sensitive: bool

    @classmethod
    def parse(cls, string: object, case_sensitive: bool = False) -> SearchText:
        if string is None:
            raise InvalidArgument("cannot search for None: pass a string")
        if not isinstance(string, str):
            raise InvalidArgument(f"search() takes a string, got {type(string).__name__}")
        if "\x00" in string:
            raise InvalidArgument(
                "the search text contains a NUL character (\\x00), which no record can hold"
            )
        raw = string.strip()
        return cls(raw, raw if case_sensitive else raw.lower(), bool(case_sensitive))

    @property
    def lowered(self) -> str:
        """The text lowercased, as indexes on lower(field) compare it."""
        return self.raw.lower()

    def fold(self, value: str) -> str:
        return value if self.case_sensitive else value.lower()

    @property
    def empty(self) -> bool:
        return not self.raw


# -- SQLite FTS5 (trigram tokenizer, values stored as START value END) -------------------------


def fts_term(chars: str) -> str:
    """One FTS5 term: a quoted string, nothing in it interpreted."""
    return '"' + chars.replace('"', '""') + '"'


def _spread(items: list[str], most: int) -> list[str]:
    """At most `most` items, evenly spread, first and last included."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= most:
        return unique
    step = (len(unique) - 1) / (most - 1)
    return list(dict.fromkeys(unique[round(i * step)] for i in range(most)))


def trigrams(chars: str) -> list[str]:
    return [chars[i : i + TRIGRAM] for i in range(len(chars) - TRIGRAM + 1)]


def _covering_trigrams(chars: str) -> list[str]:
    """Trigrams that together cover `chars`: every third one and the last (a superset test)."""
    grams = trigrams(chars)
    if not grams:
        return []
    picked = grams[::TRIGRAM]
    if picked[-1] != grams[-1]:
        picked.append(grams[-1])
    return _spread(picked, MAX_TERMS)


def fts_any_column(expression: str, columns: Sequence[str]) -> str:
    """`{a} : (expression) OR {b} : (expression)`: one of the columns matches it whole."""
    return " OR ".join(f'{{"{c}"}} : ({expression})' for c in columns)


def _and(terms: list[str], columns: Sequence[str]) -> str | None:
    """Rows with one of the columns holding every term (one group per column, so that terms
    found in two different fields do not match)."""
    if not terms:
        return None
    return fts_any_column(" AND ".join(fts_term(t) for t in terms), columns)


def _containing(chars: str, columns: Sequence[str]) -> str | None:
    """Rows with a field that may contain `chars`: one phrase when short, else covering
    trigrams (None: too short for trigrams)."""
    if len(chars) < TRIGRAM:
        return None
    if len(chars) <= PHRASE_MAX:
        names = " ".join(f'"{c}"' for c in columns)
        return f"{{{names}}} : {fts_term(chars)}"
    return _and(_covering_trigrams(chars), columns)


def fts_substring(text: SearchText, columns: Sequence[str]) -> str | None:
    """Rows whose fields may contain the text (None: too short for trigrams)."""
    return _containing(text.raw, columns)


def fts_prefix(text: SearchText, columns: Sequence[str]) -> str | None:
    """Rows with a field (or synonym) that may begin with the text."""
    return _containing(START + text.raw, columns)


def fts_exact(text: SearchText, columns: Sequence[str]) -> str | None:
    """Rows with a field (or synonym) that may equal the text."""
    return _containing(START + text.raw + END, columns)


def fuzzy_windows(text: SearchText) -> list[str]:
    """Trigrams of the text's beginning that propose candidates for typo-tolerant matching."""
    return _spread(trigrams(text.lowered[:FUZZY_TEXT_MAX]), MAX_WINDOWS)


# -- PostgreSQL (pg_trgm GIN index on lower(field)) -----------------------------------------


def like_escape(chars: str) -> str:
    return chars.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def trigram_indexable(chars: str) -> bool:
    """Whether pg_trgm can narrow a `%chars%` pattern: it indexes runs of letters and digits."""
    return _ALNUM_RUN.search(chars) is not None
