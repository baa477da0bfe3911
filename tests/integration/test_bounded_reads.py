"""Pages, counts and links build a bounded number of records, however large the registry.

Each operation runs on a registry where a label is linked to every artifact, and the test
counts the records the ORM builds (tests/support/loads.py): a link, a count or a page must
not load what is already linked, nor the registry.
"""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.query import counting
from lamin_kernel.query.record_rows import rows_page
from lamin_kernel.server.registries import list_registries
from tests.support.artifact_rows import insert_artifacts
from tests.support.loads import counting_reads
from tests.support.registry_rows import fill_registry, refresh_statistics

N_ARTIFACTS = 1000


@pytest.fixture
def big_label(instance: dict) -> ln.ULabel:
    """A label linked to every artifact of a registry of N_ARTIFACTS."""
    fill_registry(N_ARTIFACTS)
    label = ln.ULabel(name="everywhere").save()
    label.artifacts.add(ln.Artifact.filter())  # a QuerySet: linked by ids
    return label


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_linking_does_not_load_what_is_linked(big_label: ln.ULabel) -> None:
    newcomers = list(ln.Artifact.filter()[:5])
    other = ln.ULabel(name="other").save()
    other.artifacts.add(*newcomers)
    with counting_reads() as reads:
        big_label.artifacts.add(*newcomers)  # linked already: nothing changes
        other.artifacts.add(*newcomers, ln.Artifact.filter(key="bulk/000500.parquet"))
        big_label.artifacts.remove(newcomers[0])
        newcomers[1].ulabels.add(big_label, other)
        newcomers[2].ulabels.set([other])
    assert reads.n_records == 0  # a QuerySet given is linked by its ids
    assert big_label.artifacts.count() == N_ARTIFACTS - 2
    assert other.artifacts.count() == 6
    assert {u.name for u in newcomers[2].ulabels} == {"other"}
    assert newcomers[0] not in big_label.artifacts and newcomers[1] in big_label.artifacts


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_link_statements_do_not_grow_with_the_links(big_label: ln.ULabel) -> None:
    """Adding 10 links to a label with 990 and to one with none sends the same SQL."""
    empty = ln.ULabel(name="empty").save()
    ten = list(ln.Artifact.filter()[:10])
    big_label.artifacts.remove(*ten)
    with counting_reads() as to_full:
        big_label.artifacts.add(*ten)
    with counting_reads() as to_empty:
        empty.artifacts.add(*ten)
    assert len(to_full.statements) == len(to_empty.statements)
    assert to_full.n_records == to_empty.n_records == 0
    assert big_label.artifacts.count() == N_ARTIFACTS and empty.artifacts.count() == 10


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_counts_and_pages_build_only_their_page(big_label: ln.ULabel) -> None:
    with counting_reads() as reads:
        assert big_label.artifacts.count() == N_ARTIFACTS
        assert len(big_label.artifacts) == N_ARTIFACTS
        assert ln.Artifact.filter(ulabels__name="everywhere").count() == N_ARTIFACTS
        assert ln.Artifact.filter(ulabels=big_label).exists()
        page = ln.Artifact.filter(ulabels__name="everywhere").to_dataframe(limit=100)
        registry_page = ln.Artifact.to_dataframe()
        related_page = big_label.artifacts.to_dataframe(limit=10)
    assert reads.n_records == 0  # DataFrames are built from column values
    assert len(page) == 100 and len(registry_page) == 100 and len(related_page) == 10
    with counting_reads() as reads:
        first = big_label.artifacts.first()
        twenty = list(ln.Artifact.filter(ulabels__name="everywhere")[100:120])
        linked_slice = big_label.artifacts[5:8]
    assert first is not None and len(twenty) == 20 and len(linked_slice) == 3
    assert reads.records == {"Artifact": 1 + 20 + 3}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_describe_and_delete_read_only_their_record(big_label: ln.ULabel) -> None:
    artifact = ln.Artifact.filter(key="bulk/000007.txt").one()
    with counting_reads() as reads:
        text = artifact.describe(return_str=True)
        big_label.delete(permanent=True)  # its 1,000 links go with it, unread
    assert "everywhere" in text
    assert reads.records.get("Artifact", 0) == 0
    assert sum(reads.records.values()) < 50
    assert ln.ULabel.filter(name="everywhere").count() == 0
    assert ln.Artifact.filter(ulabels__name="everywhere").count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_registry_page_says_how_many_without_counting_them_all(instance: dict, capsys) -> None:
    """Past 10,000 rows the default page estimates the total instead of counting every row."""
    insert_artifacts(12_000)
    refresh_statistics()
    with counting_reads() as reads:
        df = ln.Artifact.to_dataframe()
    assert len(df) == 100 and reads.n_records == 0
    out = capsys.readouterr().out
    assert "showing the latest 100 of about 12,000 Artifact records (an estimate" in out
    counts = [s for s in reads.statements if "count(" in s.lower()]
    assert counts and all("LIMIT" in s.upper() for s in counts)
    assert ln.Artifact.filter(key__startswith="bulk/001").to_dataframe().shape[0] == 1000
    # 10,000 of them to the trash in one statement (delete() moves artifacts one by one)
    assert ln.Artifact.filter(key__startswith="bulk/00").update(branch_id=-1) == 10_000
    ln.Artifact.to_dataframe()
    assert "showing the latest 100 of 2000 Artifact records" in capsys.readouterr().out


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_list_page_and_registry_counts_estimate_past_the_cap(instance: dict, monkeypatch) -> None:
    """The REST list page's total and the registries route's counts: exact up to COUNT_CAP
    rows, the database's estimate past it (no count of every row), exact again for a filter."""
    monkeypatch.setattr(counting, "COUNT_CAP", 500)
    insert_artifacts(1_200)
    refresh_statistics()
    with counting_reads() as reads:
        page = rows_page(ln.Artifact.filter(), ["key"], page=3, page_size=50)
        by_name = {r["name"]: r for r in list_registries()["registries"]}
    assert len(page.rows) == 50 and page.total_exact is False
    assert 1_000 <= page.total <= 1_400  # an estimate of the 1,200
    assert by_name["Artifact"]["count_exact"] is False and by_name["Artifact"]["count"] >= 1_000
    assert (by_name["ULabel"]["count"], by_name["ULabel"]["count_exact"]) == (0, True)
    # every registry counted up to the cap (Artifact's run files: a count of the kind index)
    counts = [s for s in reads.statements if "count(" in s.lower() and ".kind =" not in s]
    assert counts and all("LIMIT" in s.upper() for s in counts)
    filtered = rows_page(ln.Artifact.filter(key__startswith="bulk/0001"), ["key"], page_size=50)
    assert (filtered.total, filtered.total_exact, len(filtered.rows)) == (100, True, 50)
    # under the cap again (1,000 to the trash): counted
    assert ln.Artifact.filter(key__startswith="bulk/000").update(branch_id=-1) == 1_000
    assert rows_page(ln.Artifact.filter(), ["key"]).total == 200
    assert {r["name"]: r for r in list_registries()["registries"]}["Artifact"]["count"] == 200


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_lookup_holds_names_and_loads_only_what_is_asked(big_label: ln.ULabel) -> None:
    """`Artifact.lookup()` streams the names (no record built, no list of rows kept besides the
    names), and a record is read when it is first asked for, by name or by attribute."""
    with counting_reads() as reads:
        found = ln.Artifact.lookup(field="key")
        assert repr(found).startswith(f"Lookup of {N_ARTIFACTS} Artifact records")
    assert reads.n_records == 0
    with counting_reads() as reads:
        by_name = found["bulk/000500.parquet"]
        by_attr = found.bulk_000007_txt
    assert (by_name.key, by_attr.key) == ("bulk/000500.parquet", "bulk/000007.txt")
    assert reads.records == {"Artifact": 2}
    with pytest.raises(AttributeError, match="Artifact lookup has no 'nothing_here'"):
        _ = found.nothing_here
