"""Where a search finds its candidate rows `(id, *field values)`: the registry's search index,
or a bounded scan where there is none. Every query is capped; none reads a whole registry.

- `FtsSource` (SQLite, FTS5 trigram table): the first `need` rows by id that may contain the
  text, then, when those were cut at `need`, the first `need` rows that may equal or begin
  with it (exact and prefix matches are never lost to the cap).
- `TrigramSource` (PostgreSQL, pg_trgm GIN indexes): the same, each tier read through the
  index for the text's rarest trigrams only (a row sample says which), or, when the sample
  says matches are common, by walking the primary key (the first `need` of dense matches
  come soon; a GIN index reads them all first).
- `ScanSource`: the newest SCAN_ROWS rows (no index, or a field without one), filtered in SQL.

Texts of one or two characters have no trigram of their own: exact and prefix matches still
come from the index, matches inside a value from the newest SCAN_ROWS rows. Fuzzy
candidates are the FUZZY_CANDIDATES rows sharing most of the text's trigrams (read at most
PER_WINDOW per trigram) and the newest FUZZY_WINDOW rows; rapidfuzz then scores those.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import (
    String,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)

from ..db.search_index import PG_SENTINEL, SYNONYM_FIELD, fts_table, trigram_expression
from ..runtime import Connection
from ..setup.session import connection
from .search_rank import PREFIX, SUBSTRING, SYNONYM, Tiers
from .search_run import SearchRun
from .search_text import (
    FUZZY_TEXT_MAX,
    SearchText,
    fts_any_column,
    fts_exact,
    fts_prefix,
    fts_substring,
    fts_term,
    fuzzy_windows,
    like_escape,
    trigram_indexable,
)
from .search_trigrams import (
    TrigramSample,
    Wanted,
    index_pattern,
    indexable_trigrams,
    indexed_form,
    trigram_sample,
)

SCAN_ROWS = 5_000
FUZZY_WINDOW = 200  # newest rows a fuzzy search also scores (a typo may share no trigram)
DENSE_FACTOR = 1.0  # PostgreSQL: see TrigramSource._is_dense
INDEX_ROWS = 50_000  # PostgreSQL: most rows a tier lets the index propose (by the sample)
FUZZY_TERMS = 4  # PostgreSQL: rare trigrams of the text that propose fuzzy candidates
FUZZY_LIST_ROWS = 5_000  # ... each in at most this many rows (by the sample)
FUZZY_POOL = 1_000  # ... and at most this many candidates read
PER_WINDOW = 1_000
FUZZY_CANDIDATES = 200  # scored with WRatio, ~10 µs each on a shared core: 400 rows ~ 8 ms
MATCH_BATCHES, MATCH_GROWTH = 4, 4  # SQLite: batches of need, 4 need, ... until `need` hold it

Rows = list[tuple]


@dataclass(frozen=True)
class SearchIndex:
    """What indexes a table: 'fts' (SQLite), 'trigram' (PostgreSQL) or None, and its fields."""

    kind: str | None
    fields: frozenset[str]


def search_index_of(run: SearchRun, table_name: str) -> SearchIndex:
    """The table's search index, read from the database once per connection."""
    conn: Connection = connection()
    known: dict[str, SearchIndex] = conn.extras.setdefault("search_indexes", {})
    if table_name not in known:
        known[table_name] = _read_index(run, table_name)
    return known[table_name]


def _read_index(run: SearchRun, table_name: str) -> SearchIndex:
    if run.sqlite:
        name = fts_table(table_name).replace('"', "")
        found = run.session.execute(text(f'PRAGMA table_info("{name}")')).all()
        return SearchIndex("fts" if found else None, frozenset(r[1] for r in found))
    names = run.session.execute(
        text(
            "SELECT indexname FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = :t"
        ),
        {"t": table_name},
    ).scalars()
    prefix = f"ix_{table_name}_"
    fields = frozenset(
        n[len(prefix) : -len("_trgm")]
        for n in names
        if n.startswith(prefix) and n.endswith("_trgm")
    )
    return SearchIndex("trigram" if fields else None, fields)


class ScanSource:
    """The newest SCAN_ROWS rows of the QuerySet, filtered in SQL, ranked by the caller."""

    def __init__(self, run: SearchRun, qs: Any, fields: Sequence[str]) -> None:
        self.run, self.qs, self.model = run, qs, qs.model
        self.columns = [getattr(self.model, f) for f in fields]
        self._scanned: int | None = None  # rows in the scanned window, once scanned

    @property
    def window_capped(self) -> bool:
        """Whether rows were left out because the scanned window was full."""
        return self._scanned is not None and self._scanned >= SCAN_ROWS

    def _may_contain(self, column: Any, text: SearchText) -> Any:
        """A value that may contain the text: SQL's lower() may leave letters beyond ASCII
        alone, so values with any are kept for the exact check in Python."""
        value = cast(column, String)
        if text.case_sensitive:
            return value.like(f"%{like_escape(text.raw)}%", escape="\\")
        hit = func.lower(value).like(f"%{like_escape(text.lowered)}%", escape="\\")
        beyond_ascii = (
            value.op("GLOB")("*[^\x01-\x7f]*") if self.run.sqlite else value.op("~")("[^\x01-\x7f]")
        )
        return or_(hit, beyond_ascii)

    def window(self, text: SearchText) -> Rows:
        """The rows among the newest SCAN_ROWS that may contain the text."""
        newest = (
            select(self.model.id)
            .where(*self.qs.conditions())
            .order_by(self.model.id.desc())
            .limit(SCAN_ROWS)
            .subquery()
        )
        self._scanned, oldest = self.run.rows(select(func.count(), func.min(newest.c.id)))[0]
        if oldest is None:
            return []
        stmt = select(self.model.id, *self.columns).where(
            self.model.id >= oldest,
            *self.qs.conditions(),
            or_(*(self._may_contain(c, text) for c in self.columns)),
        )
        return self.run.rows(stmt)

    def matches(self, text: SearchText, need: int | None) -> Rows:
        return self.window(text)

    def fuzzy(self, text: SearchText, exclude: set[int]) -> Rows:
        return [row for row in self.newest() if row[0] not in exclude]

    def rows_with_ids(self, ids: Iterable[int]) -> Rows:
        ids = list(ids)
        if not ids:
            return []
        # one expanding parameter: the statement is built and cached once, not 200 binds a time
        stmt = select(self.model.id, *self.columns).where(
            self.model.id.in_(bindparam("ids", expanding=True)), *self.qs.conditions()
        )
        return self.run.rows(stmt, {"ids": ids})

    def fuzzy_from_counts(
        self, counts: Counter, exclude: set[int], known: dict[int, tuple] | None = None
    ) -> Rows:
        """The rows sharing most trigrams with the text, and the newest FUZZY_WINDOW rows (a
        typo may share none: "lvier" and "liver"); `known` rows by id are not read again."""
        for rid in exclude:
            counts.pop(rid, None)
        best = [rid for rid, _ in counts.most_common(FUZZY_CANDIDATES)]
        if known is not None:
            rows = [known[rid] for rid in best if rid in known]
        else:
            rows = self.rows_with_ids(best)
        seen = exclude | {row[0] for row in rows}
        return rows + [row for row in self.newest() if row[0] not in seen]

    def newest(self, n: int = FUZZY_WINDOW) -> Rows:
        stmt = (
            select(self.model.id, *self.columns)
            .where(*self.qs.conditions())
            .order_by(self.model.id.desc())
            .limit(n)
        )
        return self.run.rows(stmt)


class FtsSource(ScanSource):
    """SQLite: candidates from the table's FTS5 trigram index."""

    def __init__(self, run: SearchRun, qs: Any, fields: Sequence[str]) -> None:
        super().__init__(run, qs, fields)
        self.fields = list(fields)
        name = fts_table(self.model.__tablename__)
        self.fts = table(name, column("rowid"))
        self.match_column = literal_column(f'"{name}"')

    def matching_statement(self, expression: str, need: int | None, after: int = 0) -> Any:
        """The first `need` rows (by id, after `after`) that the FTS5 `expression` matches."""
        return (
            select(self.model.id, *self.columns)
            .select_from(self.fts.join(self.model, self.model.id == self.fts.c.rowid))
            .where(
                self.match_column.op("MATCH")(expression),
                self.fts.c.rowid > after,
                *self.qs.conditions(),
            )
            .order_by(self.fts.c.rowid)
            .limit(need)
        )

    def _matching(
        self, expression: str | None, need: int | None, text: SearchText, worst: int
    ) -> Rows:
        """The first `need` rows by id that hold the text in a tier up to `worst`. The index
        proposes a superset (the text's trigrams anywhere in a field), so it is read on in
        growing batches until `need` rows hold the text or MATCH_BATCHES were read."""
        if expression is None:
            return []
        tiers = Tiers(text.folded)
        kept: Rows = []
        after = 0
        size = need
        for _ in range(MATCH_BATCHES):
            batch = self.run.rows(self.matching_statement(expression, size, after))
            for row in batch:
                tier = tiers.of_row(text, self.fields, row)
                if tier is not None and tier <= worst:
                    kept.append(row)
            if need is None or len(batch) < size or len(kept) >= need:
                break
            after, size = batch[-1][0], size * MATCH_GROWTH
        return kept if need is None else kept[:need]

    def matches(self, text: SearchText, need: int | None) -> Rows:
        def exact_and_prefix() -> Rows:
            exact = self._matching(fts_exact(text, self.fields), need, text, SYNONYM)
            return exact + self._matching(fts_prefix(text, self.fields), need, text, PREFIX)

        substring = fts_substring(text, self.fields)
        if substring is None:  # one or two characters
            return exact_and_prefix() + self.window(text)
        found = self._matching(substring, need, text, SUBSTRING)
        if need is not None and len(found) >= need:  # cut: the first exact and prefix ones too
            found += exact_and_prefix()
        return found

    def fuzzy(self, text: SearchText, exclude: set[int]) -> Rows:
        counts: Counter = Counter()
        for window in fuzzy_windows(text):
            expression = fts_any_column(fts_term(window), self.fields)
            stmt = (
                select(self.fts.c.rowid)
                .where(self.match_column.op("MATCH")(expression))
                .limit(PER_WINDOW)
            )
            counts.update(self.run.scalars(stmt))
        return self.fuzzy_from_counts(counts, exclude)


class TrigramSource(ScanSource):
    """PostgreSQL: candidates from the pg_trgm GIN indexes on lower(field).

    Each tier reads the index for the rarest trigrams of what it looks for only
    (query/search_trigrams.py) and checks the whole pattern on the rows that come back; a
    common text walks the primary key instead (its first `need` matches come soon).
    """

    def __init__(self, run: SearchRun, qs: Any, fields: Sequence[str]) -> None:
        super().__init__(run, qs, fields)
        self.fields = list(fields)

    def _indexed(self, field: Any, checked: bool = False) -> Any:
        """A field as its trigram index holds it (db/search_index.trigram_expression);
        `checked`: the same value on an expression no index covers (`|| ''`), so that the
        planner does not answer the whole pattern from the index, reading every trigram's
        posting list, common ones included."""
        sql = trigram_expression(field.key, f'"{self.model.__tablename__}"."{field.key}"')
        return literal_column(f"({sql} || '')" if checked else sql)

    def _wanted(self, tier: str, lowered: str) -> list[Wanted]:
        """What each field's indexed value holds in this tier (synonyms: any of them)."""
        core = {
            "substring": lowered,
            "prefix": PG_SENTINEL + lowered,
            "exact": PG_SENTINEL + lowered + PG_SENTINEL,
        }[tier]
        wanted = []
        for field in self.fields:
            anchored = tier != "substring" and field != SYNONYM_FIELD
            wanted.append(Wanted(core, anchored, anchored and tier == "exact"))
        return wanted

    @staticmethod
    def _like(wanted: Wanted) -> str:
        """The LIKE pattern of what one field holds: the escaped core, anchored as wanted."""
        before = "" if wanted.anchored_start else "%"
        after = "" if wanted.anchored_end else "%"
        return before + like_escape(wanted.core) + after

    def sample(self) -> TrigramSample:
        return trigram_sample(self.run, self.model, self.fields, self._table_rows())

    def tier_statement(self, tier: str, lowered: str, need: int | None, dense: bool) -> Any:
        """The first `need` rows in id order that hold the (lowered) text in this tier's way,
        or None when the text has no trigram the index could narrow the rows by.

        Dense matches are found walking the primary key (the first `need` come soon); sparse
        ones through the index on the rarest trigrams, ordered by `id + 0` so that the planner
        cannot walk the primary key instead (for a rare text that reads the whole table).
        """
        wanted = self._wanted(tier, lowered)
        if dense:
            match = or_(
                *(
                    self._indexed(c, True).like(self._like(w), escape="\\")
                    for c, w in zip(self.columns, wanted, strict=True)
                )
            )
        else:
            pattern = index_pattern(wanted[0].core, self.sample().rarest(wanted[0].core))
            if pattern is None:
                return None
            match = or_(
                *(
                    and_(
                        self._indexed(c).like(pattern),
                        self._indexed(c, True).like(self._like(w), escape="\\"),
                    )
                    for c, w in zip(self.columns, wanted, strict=True)
                )
            )
        stmt = select(self.model.id, *self.columns).where(match, *self.qs.conditions())
        return stmt.order_by(self.model.id if dense else self.model.id + 0).limit(need)

    def _table_rows(self) -> float:
        """The table's rows as the planner knows them (read once a minute per connection)."""
        name = self.model.__tablename__
        known: dict[str, tuple[float, float]] = connection().extras.setdefault("table_rows", {})
        if name not in known or known[name][1] < time.monotonic() - 60:
            reltuples = select(column("reltuples")).select_from(table("pg_class"))
            rows = self.run.scalars(reltuples.where(column("oid") == func.to_regclass(name)))
            known[name] = (max(float(rows[0]), 0.0) if rows else 0.0, time.monotonic())
        return known[name][0]

    def _is_dense(self, tier: str, lowered: str, need: int | None) -> bool:
        """Whether walking the primary key finds `need` matches sooner than the index: about
        need / density rows walked against the rows the rarest trigram proposes."""
        if need is None or tier == "exact":  # exact: never many
            return False
        sample = self.sample()
        density = sample.density(self._wanted(tier, lowered))
        if density == 0.0:
            return False
        core = self._wanted(tier, lowered)[0].core
        return DENSE_FACTOR * need / density < sample.expected_rows(sample.rarest(core))

    def _tier(self, tier: str, lowered: str, need: int | None) -> Rows | None:
        """The tier's rows; None when the index cannot narrow them: no trigram of the text is
        indexable, or its rarest one is in more than INDEX_ROWS rows while the sample found
        no match to walk to (an emoji next to "sample": the index would read a million rows)."""
        if self._is_dense(tier, lowered, need):
            return self.run.rows(self.tier_statement(tier, lowered, need, dense=True))
        sample = self.sample()
        core = self._wanted(tier, lowered)[0].core
        if sample.expected_rows(sample.rarest(core)) > INDEX_ROWS:
            return None
        statement = self.tier_statement(tier, lowered, need, dense=False)
        return None if statement is None else self.run.rows(statement)

    def matches(self, text: SearchText, need: int | None) -> Rows:
        lowered = text.lowered
        indexable = trigram_indexable(lowered)  # else too short for the index inside a value
        substring = self._tier("substring", lowered, need) if indexable else None
        if substring is not None and (need is None or len(substring) < need):
            return substring
        exact = self._tier("exact", lowered, need) or []
        prefix = self._tier("prefix", lowered, need) or []
        if substring is None:  # matches inside a value: from the newest SCAN_ROWS rows
            return exact + prefix + self.window(text)
        return substring + exact + prefix

    def fuzzy_statement(self, text: SearchText) -> tuple[Any, list[str]] | None:
        """Rows sharing two of the text's FUZZY_TERMS rarest trigrams (those the sample puts
        in at most FUZZY_LIST_ROWS rows; one when it has only one), at most FUZZY_POOL of
        them: each pair is one index lookup of two short posting lists. With the trigrams."""
        sample = self.sample()
        head = text.lowered[:FUZZY_TEXT_MAX]
        grams = {g: (at, g) for at, g in reversed(indexable_trigrams(head))}  # first place
        rare = sorted(grams.values(), key=lambda g: (sample.frequency(g[1]), g[0]))
        rare = [g for g in rare if sample.frequency(g[1]) * sample.table_rows <= FUZZY_LIST_ROWS]
        rare = sorted(rare[:FUZZY_TERMS])
        if not rare:
            return None
        groups = list(combinations(rare, 2)) or [tuple(rare)]
        patterns = [index_pattern(head, group) for group in groups]
        match = or_(*(self._indexed(c).like(p) for c in self.columns for p in patterns))
        stmt = (
            select(self.model.id, *self.columns)
            .where(match, *self.qs.conditions())
            .order_by(self.model.id + 0)
            .limit(FUZZY_POOL)
        )
        return stmt, [g for _, g in rare]

    def fuzzy(self, text: SearchText, exclude: set[int]) -> Rows:
        planned = self.fuzzy_statement(text)
        if planned is None:
            return self.fuzzy_from_counts(Counter(), exclude)
        statement, rare = planned
        rows = {row[0]: row for row in self.run.rows(statement)}
        counts: Counter = Counter()
        for rid, row in rows.items():
            values = zip(self.fields, row[1:], strict=True)
            held = " ".join(indexed_form(f, v) for f, v in values if v is not None)
            counts[rid] = sum(1 for g in rare if g in held)
        return self.fuzzy_from_counts(counts, exclude, rows)


def candidate_source(run: SearchRun, qs: Any, fields: Sequence[str]) -> ScanSource:
    """The cheapest source that covers these fields of the QuerySet's registry."""
    index = search_index_of(run, qs.model.__tablename__)
    if not set(fields) <= index.fields:
        return ScanSource(run, qs, fields)
    if index.kind == "fts":
        return FtsSource(run, qs, fields)
    return TrigramSource(run, qs, fields)
