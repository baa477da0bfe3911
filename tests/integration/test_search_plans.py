"""Search reads its candidates through the search index: a dropped index or a rewritten query
fails here, not in a benchmark (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db.search_index import merge_pending_entries
from lamin_kernel.query import search_sources
from lamin_kernel.query.search_run import search_run
from lamin_kernel.query.search_sources import FtsSource, TrigramSource, candidate_source
from lamin_kernel.query.search_text import SearchText, fts_exact, fts_prefix, fts_substring
from lamin_kernel.setup.session import write_transaction
from tests.support.artifact_rows import insert_artifacts

N_ROWS = 3000


def plan(statement: object) -> str:
    engine = runtime.connection().engine
    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN" if engine.dialect.name == "sqlite" else "EXPLAIN"
    with engine.connect() as conn:
        return " | ".join(str(row[-1]) for row in conn.exec_driver_sql(f"{prefix} {sql}"))


def test_sqlite_reads_every_tier_from_the_fts_index(instance: dict) -> None:
    insert_artifacts(N_ROWS)
    query = SearchText.parse("bulk/0012")
    with search_run() as run:
        source = candidate_source(run, ln.Artifact.filter(), ["key", "description"])
        assert isinstance(source, FtsSource)
        fields = ["key", "description"]
        for make in (fts_substring, fts_prefix, fts_exact):
            steps = plan(source.matching_statement(make(query, fields), 50))
            assert steps.startswith("SCAN lk_artifact_fts VIRTUAL TABLE INDEX"), steps
            assert "SEARCH lk_artifact USING INTEGER PRIMARY KEY (rowid=?)" in steps
            assert "TEMP B-TREE" not in steps  # the index gives the rows in id order
    assert ln.Artifact.search("bulk/001234").first().key == "bulk/001234.h5ad"


@pytest.mark.backends("postgres-local")
def test_postgres_reads_sparse_matches_from_the_trigram_index(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    with write_transaction() as session:  # 50,000 labels at once (the planner needs a table)
        session.execute(
            text(
                "INSERT INTO lk_ulabel (uid, name, description, is_type, is_locked, created_at,"
                " branch_id, created_on_id, space_id, created_by_id)"
                " SELECT 'p' || lpad(to_hex(i), 7, '0'), 'label ' || i, 'bulk', false, false,"
                " now(), 1, 1, 1, (SELECT min(id) FROM lk_user) FROM generate_series(1, 50000) i"
            )
        )
    rare = ln.ULabel(name="quokka").save()
    with write_transaction() as session:
        merge_pending_entries(session.connection(), "lk_ulabel")  # what a bulk save does
        session.execute(text("ANALYZE lk_ulabel"))
    with search_run() as run:
        source = candidate_source(run, ln.ULabel.filter(), ["name", "description"])
        assert isinstance(source, TrigramSource)
        for tier in ("substring", "prefix", "exact"):
            steps = plan(source.tier_statement(tier, "quokka", 50, dense=False))
            assert "Bitmap Index Scan on ix_lk_ulabel_name_trgm" in steps, steps
            assert "Bitmap Index Scan on ix_lk_ulabel_description_trgm" in steps, steps
        steps = plan(source.tier_statement("substring", "label", 50, dense=True))
        assert "Index Scan using lk_ulabel_pkey" in steps, steps
        # "lab", "abe", "bel" are in every row: the index reads the rare trigrams only
        statement = source.tier_statement("substring", "label 43217", 50, dense=False)
        steps = plan(statement)
        assert "Bitmap Index Scan on ix_lk_ulabel_name_trgm" in steps, steps
        index_patterns = [str(v) for v in statement.compile().params.values() if "%" in str(v)]
        assert "%label 43217%" in index_patterns  # the whole text: checked on the rows found
        assert all("lab" not in p for p in index_patterns if p != "%label 43217%")
        assert not source._is_dense("substring", "label 43217", 50)
        assert source._is_dense("substring", "label", 50)
        statement, grams = source.fuzzy_statement(SearchText.parse("lable 43217"))
        assert not {"lab", "bel"} & set(grams)  # in every row: no candidates of their own
        assert "Bitmap Index Scan on ix_lk_ulabel_name_trgm" in plan(statement)
        # no rare trigram and no match in the sample: the index is not asked to read every row
        monkeypatch.setattr(search_sources, "INDEX_ROWS", 10_000)
        assert source._tier("substring", "🙂 label", 50) is None
        assert source._tier("substring", "label 43217", 50) is not None
    assert ln.ULabel.search("quokka").first() == rare
    assert ln.ULabel.search("label 43217").first().name == "label 43217"
    assert ln.ULabel.search("lable 43217").first().name == "label 43217"  # a typo: fuzzy
