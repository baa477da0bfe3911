"""Search: the order of results, the arguments LaminDB has, and an index that follows every write.

Runs on SQLite (FTS5 trigram index) and PostgreSQL (pg_trgm GIN indexes).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

import lamin_kernel as ln
from lamin_kernel.errors import FieldValidationError, InvalidArgument
from lamin_kernel.query import search_sources, search_text
from lamin_kernel.query.search import search_ids
from lamin_kernel.setup.session import write_transaction

BOTH = ("sqlite-local", "postgres-local")


def names(qs: object) -> list[str]:
    return [r.name for r in qs]  # type: ignore[attr-defined]


def save_labels(*label_names: str) -> list:
    return [ln.ULabel(name=n).save() for n in label_names]


@pytest.mark.backends(*BOTH)
def test_results_come_exact_prefix_word_substring_then_fuzzy(instance: dict) -> None:
    save_labels(
        "mice liver",  # substring ("ice liv")? no: a word match for "liver"
        "liverwort",  # prefix
        "Liver",  # exact, whatever the case
        "deliverable",  # substring
        "liver sample",  # prefix
        "lvier",  # a typo: fuzzy
        "kidney",  # nothing
    )
    assert names(ln.ULabel.search("liver", limit=None)) == [
        "Liver",
        "liverwort",
        "liver sample",
        "mice liver",
        "deliverable",
        "lvier",
    ]
    assert names(ln.ULabel.search("liver", limit=2)) == ["Liver", "liverwort"]
    assert names(ln.ULabel.search("LIVER", limit=1)) == ["Liver"]


@pytest.mark.backends(*BOTH)
def test_a_text_is_found_as_a_substring_not_as_its_trigrams(instance: dict) -> None:
    """Rows holding every trigram of the text apart (sam, ple, 238, 880) are not matches of
    it; the index looks the text up whole, short or long, and the ranking stays."""
    save_labels(
        "880 238 sam ple",  # every covering trigram, not the text
        "sample2388 0",
        "run sample23880 again",  # a word
        "sample23880",  # exact
        "sample238801",  # prefix
        "xsample23880x",  # substring
    )
    found = names(ln.ULabel.search("sample23880", limit=None))
    assert found[:4] == ["sample23880", "sample238801", "run sample23880 again", "xsample23880x"]
    assert set(found[4:]) <= {"880 238 sam ple", "sample2388 0"}  # fuzzy, if at all
    long_text = "sample23880 " + "y" * 80  # past PHRASE_MAX: covering trigrams, then checked
    save_labels(long_text, "sample23880 " + "y" * 79 + "z")
    assert names(ln.ULabel.search(long_text, limit=1)) == [long_text]
    assert names(ln.ULabel.search("SAMPLE23880", limit=2)) == ["sample23880", "sample238801"]
    # SQLite: a short text is one FTS5 phrase (answered from its rarest trigrams); its trigrams
    # ANDed ("sam" AND "ple" ...) walk the lists of nearly every row of a large registry
    short = search_text.SearchText.parse("sample23880")
    assert search_text.fts_substring(short, ["name"]) == '{"name"} : "sample23880"'


@pytest.mark.backends(*BOTH)
def test_exact_synonym_ranks_after_exact_name_and_before_prefix(instance: dict) -> None:
    ln.Feature(name="cell_type_by_expert", dtype="str").save()
    ln.Feature(name="ct", dtype="str", synonyms="cell type|celltype").save()
    ln.Feature(name="cell type", dtype="str").save()
    ranked = [f.name for f in ln.Feature.search("cell type", limit=None)]
    assert ranked[:2] == ["cell type", "ct"]
    assert names(ln.Feature.search("celltyp"))[0] == "ct"  # prefix of a synonym, then fuzzy


@pytest.mark.backends(*BOTH)
def test_search_takes_lamindb_arguments(instance: dict) -> None:
    save_labels("Batch A", "batch b")
    ln.ULabel(name="other", description="batch of samples").save()
    assert names(ln.ULabel.search("Batch", case_sensitive=True)) == ["Batch A"]
    assert names(ln.ULabel.search("batch", field="name")) == ["Batch A", "batch b"]
    assert names(ln.ULabel.search("batch", field=ln.ULabel.name)) == ["Batch A", "batch b"]
    assert names(ln.ULabel.search("samples", field=["name", "description"])) == ["other"]
    result = ln.ULabel.filter(name__startswith="b").search("batch")
    assert isinstance(result, type(ln.ULabel.filter())) and names(result) == ["batch b"]
    assert result.count() == 1 and result.filter(name="nothing").count() == 0
    assert names(ln.ULabel.search("")) == ["Batch A", "batch b", "other"]  # like LaminDB: all
    assert ln.ULabel.search("batch", limit=0).count() == 0
    with pytest.raises(FieldValidationError, match="unknown field 'nme'.*'name'"):
        ln.ULabel.search("x", field="nme")
    with pytest.raises(InvalidArgument, match="None"):
        ln.ULabel.search(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="limit"):
        ln.ULabel.search("x", limit=-1)
    assert names(ln.ULabel.search("batch")) == ["Batch A", "batch b", "other"]  # still usable


@pytest.mark.backends(*BOTH)
def test_index_follows_inserts_updates_deletes_and_trash(instance: dict) -> None:
    first, second = save_labels("alpha centauri", "beta pictoris")
    ln.save([ln.ULabel(name=f"gamma draconis {i}") for i in range(30)])  # the Core fast path
    assert len(ln.ULabel.search("draconis", limit=None)) == 30
    first.name = "proxima centauri"
    first.save()
    assert names(ln.ULabel.search("centauri")) == ["proxima centauri"]
    assert names(ln.ULabel.search("alpha centauri", limit=None)) != ["alpha centauri"]
    with write_transaction() as session:  # another writer, straight SQL
        session.execute(
            text("UPDATE lk_ulabel SET name = 'delta cygni' WHERE id = :id"), {"id": second.id}
        )
    assert names(ln.ULabel.search("cygni")) == ["delta cygni"]
    assert ln.ULabel.search("pictoris").count() == 0
    ln.ULabel.filter(name__startswith="gamma draconis 1").update(description="rigel")  # one UPDATE
    assert len(ln.ULabel.search("rigel", limit=None)) == 11
    first.delete()  # to trash: not searched any more, still indexed
    assert ln.ULabel.search("proxima").count() == 0
    assert ln.ULabel.filter(branch_id=-1).search("proxima").count() == 1
    first.restore()
    assert names(ln.ULabel.search("proxima")) == ["proxima centauri"]
    first.delete(permanent=True)
    assert ln.ULabel.search("proxima").count() == 0
    if instance["db"] is None:
        assert index_rows_matching("proxima") == []
        assert len(index_rows_matching("draconis")) == 30


def index_rows_matching(chars: str) -> list[int]:
    with write_transaction() as session:
        return list(
            session.execute(
                text("SELECT rowid FROM lk_ulabel_fts WHERE lk_ulabel_fts MATCH :m"),
                {"m": f'"{chars}"'},
            ).scalars()
        )


@pytest.mark.backends(*BOTH)
def test_exact_and_prefix_matches_survive_the_cap_on_candidates(instance: dict) -> None:
    """More records contain the text than a page holds: the exact and prefix ones still lead."""
    ln.save([ln.ULabel(name=f"x{i:03d} sample") for i in range(40)])
    save_labels("sample 7", "sample")
    assert names(ln.ULabel.search("sample", limit=3)) == ["sample", "sample 7", "x000 sample"]


@pytest.mark.backends(*BOTH)
def test_rows_holding_the_texts_pieces_apart_do_not_take_its_place(instance: dict) -> None:
    ln.save([ln.ULabel(name=f"sam ple {i} 123", description="sample") for i in range(30)])
    save_labels("sample123")
    assert names(ln.ULabel.search("sample123", limit=1)) == ["sample123"]
    assert names(ln.ULabel.search("sample123", limit=None))[0] == "sample123"


@pytest.mark.backends(*BOTH)
def test_short_texts_find_exact_and_prefix_matches_beyond_the_scanned_window(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_labels("T1", "T12", "xT1")
    ln.save([ln.ULabel(name=f"filler {i}") for i in range(20)])
    monkeypatch.setattr(search_sources, "SCAN_ROWS", 5)
    assert names(ln.ULabel.search("t1", limit=None)) == ["T1", "T12"]  # xT1 is not scanned
    result = search_ids(ln.ULabel.filter(), "t1")
    assert not result.complete  # the scan of the newest records was capped
    monkeypatch.setattr(search_sources, "SCAN_ROWS", 10_000)
    assert names(ln.ULabel.search("t1", limit=None)) == ["T1", "T12", "xT1"]
    assert search_ids(ln.ULabel.filter(), "t1").complete


@pytest.mark.backends(*BOTH)
def test_dense_and_sparse_matches_are_found_alike(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL walks the primary key for dense matches and reads the index for sparse ones."""
    ln.save([ln.ULabel(name=f"common {i}") for i in range(25)])
    save_labels("rare one", "common rare")
    for factor in (0.0, 1e12):  # every tier dense / every tier sparse
        monkeypatch.setattr(search_sources, "DENSE_FACTOR", factor)
        assert names(ln.ULabel.search("rare")) == ["rare one", "common rare"]
        assert len(ln.ULabel.search("common", limit=None)) == 26
        assert names(ln.ULabel.search("common 2", limit=3)) == [
            "common 2",
            "common 20",
            "common 21",
        ]


@pytest.mark.backends(*BOTH)
def test_a_search_stops_at_its_deadline_and_the_next_one_works(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_labels("deadline label")
    monkeypatch.setenv("LAMIN_SEARCH_TIMEOUT", "1e-9")
    result = search_ids(ln.ULabel.filter(), "deadline")
    assert result.ids == [] and not result.complete
    monkeypatch.delenv("LAMIN_SEARCH_TIMEOUT")
    assert names(ln.ULabel.search("deadline")) == ["deadline label"]


@pytest.mark.backends(*BOTH)
def test_registries_without_an_index_are_searched_by_a_bounded_scan(instance: dict) -> None:
    ln.Transform(key="pipelines/rnaseq.py", kind="script", description="align reads").save()
    assert [t.key for t in ln.Transform.search("rnaseq")] == ["pipelines/rnaseq.py"]
    # a field outside the index (kind) is read from the newest records
    assert [t.key for t in ln.Transform.search("script", field="kind")] == ["pipelines/rnaseq.py"]
