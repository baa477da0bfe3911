"""PostgreSQL search: which of a text's trigrams the GIN index should read, from a row sample.

pg_trgm answers `value LIKE '%sample247514%'` by reading the posting list of every trigram of
the pattern and intersecting them. Trigrams such as "sam" or "ple" are in every row of a
registry of "sample..." artifacts, so at 1,000,000 rows each such list is a million entries
and the lookup costs 50-100 ms whatever the text. The rare trigrams ("247", "514") have lists
of a few thousand entries and already narrow the rows to a handful.

A `TrigramSample` holds the trigrams of about SAMPLE_ROWS rows of the table (read once per
connection every SAMPLE_TTL_S seconds with `TABLESAMPLE SYSTEM`, a few pages, not the table).
From it `index_pattern` picks the rarest trigrams of what a tier looks for and makes a LIKE
pattern of just them (`%247%514%`): a superset of the rows, which the caller checks against the
whole pattern on an expression the index does not cover. The sample also says whether the text
is common (`density`): then walking the primary key finds a page of matches sooner.

Nothing here decides what matches: a stale or unlucky sample makes a search slower, not wrong.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import column, func, select, table

from ..db.search_index import PG_SENTINEL, SYNONYM_FIELD, SYNONYM_SEPARATOR
from ..setup.session import connection

SAMPLE_ROWS = 1_000
SAMPLE_TTL_S = 300.0
RARE_TERMS = 3  # trigrams in an index pattern
RARE_FREQUENCY = 0.02  # beyond the rarest, trigrams in more of the sampled rows are left out
_INDEXABLE_RUN = re.compile(r"[^\W_]{3,}")  # pg_trgm keeps runs of letters and digits


def indexed_form(field_name: str, value: Any) -> str:
    """A value as the trigram index holds it (db/search_index.trigram_expression), in Python."""
    lowered = str(value).lower()
    if field_name == SYNONYM_FIELD:
        lowered = lowered.replace(
            SYNONYM_SEPARATOR, f"{PG_SENTINEL}{SYNONYM_SEPARATOR}{PG_SENTINEL}"
        )
    return f"{PG_SENTINEL}{lowered}{PG_SENTINEL}"


def indexable_trigrams(chars: str) -> list[tuple[int, str]]:
    """`(position, trigram)` of the trigrams pg_trgm can look up in `chars`."""
    found = []
    for run in _INDEXABLE_RUN.finditer(chars):
        for at in range(run.start(), run.end() - 2):
            found.append((at, chars[at : at + 3]))
    return found


@dataclass(frozen=True)
class Wanted:
    """What one tier looks for in an indexed value: `core`, anchored at the start and/or end."""

    core: str
    anchored_start: bool = False
    anchored_end: bool = False

    def found_in(self, indexed: str) -> bool:
        if self.anchored_start and self.anchored_end:
            return indexed == self.core
        if self.anchored_start:
            return indexed.startswith(self.core)
        return self.core in indexed


@dataclass
class TrigramSample:
    """Trigram counts over sampled rows (a trigram counts once per row)."""

    rows: list[list[str]] = field(default_factory=list)  # indexed forms of each row's values
    counts: Counter = field(default_factory=Counter)
    table_rows: float = 0.0
    read_at: float = 0.0

    @classmethod
    def of(cls, rows: Sequence[Sequence[str]], table_rows: float) -> TrigramSample:
        counts: Counter = Counter()
        for values in rows:
            grams: set[str] = set()
            for value in values:
                grams.update(value[i : i + 3] for i in range(len(value) - 2))
            counts.update(grams)
        return cls([list(r) for r in rows], counts, table_rows, time.monotonic())

    def frequency(self, gram: str) -> float:
        """The share of rows holding the trigram (half a row when the sample has none)."""
        return (self.counts.get(gram, 0) or 0.5) / max(len(self.rows), 1)

    def density(self, wanted: Sequence[Wanted]) -> float:
        """The share of sampled rows in which some field holds what is wanted."""
        if not self.rows:
            return 0.0
        hits = sum(
            1
            for values in self.rows
            if any(w.found_in(v) for w, v in zip(wanted, values, strict=True))
        )
        return hits / len(self.rows)

    def rarest(self, core: str) -> list[tuple[int, str]]:
        """The trigrams of `core` the index should read: the rarest, and up to RARE_TERMS
        in at most RARE_FREQUENCY of the rows; none when `core` has no indexable trigram."""
        grams = sorted(indexable_trigrams(core), key=lambda g: (self.frequency(g[1]), g[0]))
        picked = grams[:1] + [g for g in grams[1:] if self.frequency(g[1]) <= RARE_FREQUENCY]
        return sorted(picked[:RARE_TERMS])

    def expected_rows(self, grams: Sequence[tuple[int, str]]) -> float:
        """Rows the index proposes for these trigrams, at most (the rarest one's)."""
        if not grams:
            return self.table_rows
        return min(self.frequency(g) for _, g in grams) * self.table_rows


def index_pattern(core: str, grams: Sequence[tuple[int, str]]) -> str | None:
    """`%piece%piece%`: the trigrams in their order, overlapping ones merged; a row holding
    `core` matches it. None without trigrams (the index could not narrow anything)."""
    if not grams:
        return None
    pieces: list[tuple[int, int]] = []
    for at, _ in sorted(grams):
        if pieces and at < pieces[-1][1]:
            pieces[-1] = (pieces[-1][0], at + 3)
        else:
            pieces.append((at, at + 3))
    return "%" + "%".join(core[a:b] for a, b in pieces) + "%"


def trigram_sample(
    run: Any, model: type, fields: Sequence[str], table_rows: float
) -> TrigramSample:
    """The table's sample, read at most every SAMPLE_TTL_S seconds per connection."""
    key = (model.__tablename__, tuple(fields))
    known: dict = connection().extras.setdefault("trigram_samples", {})
    sample = known.get(key)
    if sample is None or sample.read_at < time.monotonic() - SAMPLE_TTL_S:
        sample = _read_sample(run, model, fields, table_rows)
        known[key] = sample
    return sample


def _read_sample(run: Any, model: type, fields: Sequence[str], table_rows: float) -> TrigramSample:
    percent = min(100.0, 100.0 * 2 * SAMPLE_ROWS / max(table_rows, 1.0))
    sampled = table(model.__tablename__, *(column(f) for f in fields))
    source = sampled.tablesample(func.system(percent)) if percent < 100.0 else sampled
    stmt = select(*(source.c[f] for f in fields)).limit(SAMPLE_ROWS)
    rows = [
        [indexed_form(f, v) if v is not None else "" for f, v in zip(fields, row, strict=True)]
        for row in run.rows(stmt)
    ]
    return TrigramSample.of(rows, table_rows)
