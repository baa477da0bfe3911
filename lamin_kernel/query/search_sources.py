"""Where a search finds its candidate rows `(id, *field values)`: the registry's search index,
or a bounded scan where there is none. Every query is capped; none reads a whole registry.

- `FtsSource` (SQLite, FTS5 trigram table): the first `need` rows by id that may contain the
  text, then, when those were cut at `need`, the first `need` rows that may equal or begin
  with it (exact and prefix matches are never lost to the cap).
- `TrigramSource` (PostgreSQL, pg_trgm GIN indexes): the same, each tier read through the
  index, or, when the planner expects many matches, by walking the primary key (the first
  `need` of dense matches come soon; a GIN index reads them all first).
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
from typing import Any

from sqlalchemy import String, cast, column, func, literal_column, or_, select, table, text

from ..db.search_index import PG_SENTINEL, SYNONYM_FIELD, fts_table, trigram_expression
from ..runtime import Connection
from ..setup.session import connection
from .search_rank import PREFIX, SUBSTRING, SYNONYM, Tiers
from .search_run import SearchRun
from .search_text import (
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

SCAN_ROWS = 5_000
FUZZY_WINDOW = 200  # newest rows a fuzzy search also scores (a typo may share no trigram)
DENSE_FACTOR = 1.0  # PostgreSQL: see TrigramSource._is_dense
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
        stmt = select(self.model.id, *self.columns).where(
            self.model.id.in_(ids), *self.qs.conditions()
        )
        return self.run.rows(stmt)

    def fuzzy_from_counts(self, counts: Counter, exclude: set[int]) -> Rows:
        """The rows sharing most trigrams with the text, and the newest FUZZY_WINDOW rows (a
        typo may share none: "lvier" and "liver")."""
        for rid in exclude:
            counts.pop(rid, None)
        rows = self.rows_with_ids(rid for rid, _ in counts.most_common(FUZZY_CANDIDATES))
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
    """PostgreSQL: candidates from the pg_trgm GIN indexes on lower(field)."""

    def __init__(self, run: SearchRun, qs: Any, fields: Sequence[str]) -> None:
        super().__init__(run, qs, fields)

    def _indexed(self, field: Any) -> Any:
        """A field as its trigram index holds it (db/search_index.trigram_expression)."""
        sql = f'"{self.model.__tablename__}"."{field.key}"'
        return literal_column(trigram_expression(field.key, sql))

    def _like(self, tier: str, escaped: str) -> Any:
        """Fields that may hold the (LIKE-escaped, lowered) text in this tier's way."""
        conditions = []
        for field in self.columns:
            edge = "%" if field.key == SYNONYM_FIELD else ""  # synonyms: any of them
            pattern = {
                "substring": f"%{escaped}%",
                "prefix": f"{edge}{PG_SENTINEL}{escaped}%",
                "exact": f"{edge}{PG_SENTINEL}{escaped}{PG_SENTINEL}{edge}",
            }[tier]
            conditions.append(self._indexed(field).like(pattern, escape="\\"))
        return or_(*conditions)

    def tier_statement(self, tier: str, escaped: str, need: int | None, dense: bool) -> Any:
        """The first `need` rows in id order that may hold the text in this tier's way.

        Dense matches are found walking the primary key (the first `need` come soon); sparse
        ones through the index, ordered by `id + 0` so that the planner cannot walk the
        primary key instead (for a rare text that reads the whole table).
        """
        stmt = select(self.model.id, *self.columns).where(
            self._like(tier, escaped), *self.qs.conditions()
        )
        return stmt.order_by(self.model.id if dense else self.model.id + 0).limit(need)

    def _estimated_rows(self, statement: Any) -> float:
        """The planner's estimate of the rows a statement returns (it plans, runs nothing)."""
        compiled = statement.compile(
            dialect=self.run.session.get_bind().dialect,
            compile_kwargs={"render_postcompile": True},
        )
        plan = self.run.driver_rows(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
        return float(plan[0][0][0]["Plan"]["Plan Rows"])

    def _table_rows(self) -> float:
        """The table's rows as the planner knows them (read once a minute per connection)."""
        name = self.model.__tablename__
        known: dict[str, tuple[float, float]] = connection().extras.setdefault("table_rows", {})
        if name not in known or known[name][1] < time.monotonic() - 60:
            reltuples = select(column("reltuples")).select_from(table("pg_class"))
            rows = self.run.scalars(reltuples.where(column("oid") == func.to_regclass(name)))
            known[name] = (float(rows[0]) if rows else 0.0, time.monotonic())
        return known[name][0]

    def _is_dense(self, tier: str, escaped: str, need: int | None) -> bool:
        """Whether walking the primary key finds `need` matches sooner than the index finds all
        of them: about need * rows / matches rows walked against `matches` read, so dense
        when the expected matches exceed sqrt(need * rows)."""
        if need is None:
            return False
        matches = self._estimated_rows(self.tier_statement(tier, escaped, None, dense=False))
        return matches * matches > DENSE_FACTOR * need * max(self._table_rows(), 1.0)

    def _tier(self, tier: str, escaped: str, need: int | None) -> Rows:
        dense = tier != "exact" and self._is_dense(tier, escaped, need)  # exact: never many
        return self.run.rows(self.tier_statement(tier, escaped, need, dense=dense))

    def matches(self, text: SearchText, need: int | None) -> Rows:
        escaped = like_escape(text.lowered)
        if not trigram_indexable(text.lowered):  # too short for the index inside a value
            rows = self._tier("exact", escaped, need) + self._tier("prefix", escaped, need)
            return rows + self.window(text)
        rows = self._tier("substring", escaped, need)
        if need is not None and len(rows) >= need:
            rows += self._tier("exact", escaped, need) + self._tier("prefix", escaped, need)
        return rows

    def fuzzy(self, text: SearchText, exclude: set[int]) -> Rows:
        counts: Counter = Counter()
        for window in fuzzy_windows(text):
            if not trigram_indexable(window):
                continue  # pg_trgm indexes letters and digits only
            stmt = (
                select(self.model.id)
                .where(self._like("substring", like_escape(window)), *self.qs.conditions())
                .limit(PER_WINDOW)
            )
            counts.update(self.run.scalars(stmt))
        return self.fuzzy_from_counts(counts, exclude)


def candidate_source(run: SearchRun, qs: Any, fields: Sequence[str]) -> ScanSource:
    """The cheapest source that covers these fields of the QuerySet's registry."""
    index = search_index_of(run, qs.model.__tablename__)
    if not set(fields) <= index.fields:
        return ScanSource(run, qs, fields)
    if index.kind == "fts":
        return FtsSource(run, qs, fields)
    return TrigramSource(run, qs, fields)
