"""Every public name of LaminDB 2.12 (measured by `scripts/lamindb_surface.py` into
`lamindb_2_12_surface.json`) exists here with LaminDB's parameter names, except:

- EXCLUDED: names left out on purpose, each pattern with its reason (docs/compatibility.md,
  "Public surface"), and
- `surface_missing.txt`: the names not built yet. The test fails when a name goes missing
  that is in neither list, and when a listed name has been built (take it off the list), so
  the list only shrinks.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from .surface import Gap, all_gaps, counted_names, load_surface

MISSING_FILE = Path(__file__).with_name("surface_missing.txt")

# pattern over Gap.label ("<place>: <name>" or "<place>: <name>(<parameter>=)") -> reason
EXCLUDED: dict[str, str] = {
    # Django's model machinery, which LaminDB's registries inherit; not LaminDB's API
    "class *: check": "Django's system checks of a model class",
    "class *: from_db": "Django's row loader",
    "class *: Meta": "Django's model options",
    "class *: get_next_by_*": "Django's date-field navigation helpers",
    "class *: get_previous_by_*": "Django's date-field navigation helpers",
    "class *: links_*": "Django's managers of link-table rows: here the relations they serve "
    "(`artifact.ulabels`, `record.projects`, ...) are the API, link rows are internal",
    "class *: resolve_expression": "Django's query-expression protocol",
    "class *: a[a-z]*": "Django's async variants (`adelete`, `asave`, `aget`, `acount`, ...): "
    "the project has no async ORM",
    "class HasType: *": "a mixin: the members Django adds to every model are checked on the "
    "registries that use it",
    "class IsVersioned: *": "a mixin: its members (`versions`, `stem_uid`, `version`, and "
    "Django's) are checked on the registries that use it",
    "class SQLRecord: *": "fields of LaminDB's abstract base class; every concrete registry "
    "has them and is checked",
    "class Q: *": "Django's expression-tree internals of `Q`; `Q(...)`, `&`, `|`, `~` work",
    # Django QuerySet machinery that has no LaminDB-specific meaning
    "class QuerySet: aggregate": "Django aggregation API (the project's QuerySet is "
    "SQLAlchemy-based); counts and DataFrames cover LaminDB's documented uses",
    "class QuerySet: annotate": "Django aggregation API",
    "class QuerySet: alias": "Django aggregation API",
    "class QuerySet: dates": "Django aggregation API",
    "class QuerySet: datetimes": "Django aggregation API",
    "class QuerySet: extra": "Django raw-SQL escape hatch (no SQL outside the DB layers)",
    "class QuerySet: raw": "Django raw-SQL escape hatch (no SQL outside the DB layers)",
    "class QuerySet: query": "Django's SQL query object",
    "class QuerySet: db": "Django's database alias",
    "class QuerySet: using": "Django's database alias; other instances are `ln.DB(...)`",
    "class QuerySet: as_manager": "Django manager factory",
    "class QuerySet: complex_filter": "Django internal filter entry point",
    "class QuerySet: explain": "Django's EXPLAIN; the project's read plans are in BENCHMARKS.md",
    "class QuerySet: select_for_update": "Django row locks; writes here lock in "
    "write_transaction()",
    "class QuerySet: union": "Django set operations on querysets",
    "class QuerySet: intersection": "Django set operations on querysets",
    "class QuerySet: difference": "Django set operations on querysets",
    # a relation's manager (`artifact.ulabels`) has Django's QuerySet methods: the ones left
    # out of QuerySet above are left out for the same reasons, and Django's manager machinery
    "class RelatedManager: complex_filter": "Django internal filter entry point",
    "class RelatedManager: dates": "Django aggregation API",
    "class RelatedManager: datetimes": "Django aggregation API",
    "class RelatedManager: explain": "Django's EXPLAIN",
    "class RelatedManager: extra": "Django raw-SQL escape hatch (no SQL outside the DB layers)",
    "class RelatedManager: raw": "Django raw-SQL escape hatch (no SQL outside the DB layers)",
    "class RelatedManager: select_for_update": "Django row locks; writes here lock in "
    "write_transaction()",
    "class RelatedManager: union*": "Django set operations on querysets",
    "class RelatedManager: intersection": "Django set operations on querysets",
    "class RelatedManager: difference": "Django set operations on querysets",
    "class RelatedManager: using": "Django's database alias; other instances are `ln.DB(...)`",
    "class RelatedManager: db": "Django's database alias",
    "class RelatedManager: db_manager": "Django's database alias",
    "class RelatedManager: contribute_to_class": "Django's manager machinery (how a manager "
    "attaches to a model class)",
    "class RelatedManager: creation_counter": "Django's manager machinery (declaration order)",
    "class RelatedManager: deconstruct": "Django's manager machinery (for migrations)",
    "class RelatedManager: use_in_migrations": "Django's manager machinery (for migrations)",
    "class RelatedManager: from_queryset": "Django's manager factory",
    # LaminDB's module layout: file names, not API (their classes are checked by name)
    "lamindb.models: [a-z]*": "LaminDB's module files (`lamindb.models.artifact`, ...) and "
    "helpers; the classes users import from them are checked by name",
    "lamindb: base": "LaminDB's internal module layout (`ln.base`)",
    "lamindb: core": "LaminDB's internal module layout (`ln.core`)",
    "lamindb.setup: core": "lamindb_setup's internal module layout",
    "lamindb.setup: django": "lamindb_setup's Django bootstrap; there is no Django here",
    "lamindb.setup: types": "lamindb_setup's typing module",
    "lamindb.setup: register": "registers an instance on the hub (no hub)",
    "lamindb.integrations: save_vitessce_config": "needs vitessce and the hub's viewer",
    "lamindb.integrations: save_tiledbsoma_experiment": "needs tiledbsoma (not installed)",
}


def _excluded(gap: Gap) -> bool:
    return any(fnmatchcase(gap.label, pattern) for pattern in EXCLUDED)


def listed_missing() -> set[str]:
    lines = MISSING_FILE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.fixture(scope="module")
def surface() -> dict:
    return load_surface()


def test_the_surface_file_lists_lamindb_2_12(surface: dict) -> None:
    assert surface["lamindb_version"].startswith("2.12")
    assert "Artifact" in surface["classes"] and "filter" in surface["classes"]["Artifact"]
    assert len(counted_names(surface)) > 2000


def test_every_listed_name_exists_unless_excluded_or_listed_as_missing(
    instance: dict, surface: dict
) -> None:
    gaps = {gap.label for gap in all_gaps(surface) if not _excluded(gap)}
    known = listed_missing()
    new_gaps = sorted(gaps - known)
    built = sorted(known - gaps)
    assert not new_gaps, f"names LaminDB 2.12 has that went missing: {new_gaps}"
    assert not built, f"built now, take them off {MISSING_FILE.name}: {built}"


def test_every_exclusion_still_matches_a_gap(instance: dict, surface: dict) -> None:
    gaps = all_gaps(surface)
    unused = [p for p in EXCLUDED if not any(fnmatchcase(g.label, p) for g in gaps)]
    assert not unused, f"exclusions that match nothing any more: {unused}"
