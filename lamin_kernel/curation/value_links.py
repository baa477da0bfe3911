"""Where feature values live, per registry that carries them (Artifact, Run, Record, Collection).

A registration point, filled by the registries when they are defined (`models`, `bionty`):

    register_json(JsonStore(...))        non-categorical values of an owner registry
    register_link(ValueLink(...))        categorical values: links from owner to target records

This layer reads it; it never imports the registries. Categorical links carry the feature
(`feature_id`); JSON values are either shared `JsonValue` rows linked to the owner (artifacts,
runs, collections: one row per distinct value of a feature) or rows of the owner's own value
table (records: one row per record and feature, as LaminDB's RecordJson).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table


@dataclass(frozen=True)
class ValueLink:
    """A link table from owner records to target records, with the feature of the link."""

    owner: str  # registry label of the owner, "Artifact"
    target: str  # registry label of the target, "ULabel", "bionty.CellType"
    table: Table
    owner_column: str  # "artifact_id"
    target_column: str  # "ulabel_id", "value_id"
    feature_column: str = "feature_id"
    model: type | None = None  # the link's mapped class, for queries on the links themselves


@dataclass(frozen=True)
class JsonStore:
    """Where an owner's non-categorical values are.

    shared: `table` links owner ids to `lk_jsonvalue` ids (`value_column` is the link's
    jsonvalue column); otherwise `table` holds the values (`value_column`, `number_column`)
    with the feature in `feature_column`.
    """

    owner: str
    table: Table
    owner_column: str
    value_column: str
    shared: bool
    feature_column: str = "feature_id"
    number_column: str = "number"


_LINKS: dict[tuple[str, str], ValueLink] = {}
_JSON: dict[str, JsonStore] = {}


def register_link(link: ValueLink) -> None:
    """Declare the table that links `owner` records to `target` records with a feature."""
    _LINKS[(link.owner, link.target)] = link


def register_json(store: JsonStore) -> None:
    """Declare where `owner` keeps its non-categorical feature values."""
    _JSON[store.owner] = store


def link_for(owner: str, target: str) -> ValueLink | None:
    return _LINKS.get((owner, target))


def links_of(owner: str) -> list[ValueLink]:
    """Every registered categorical link of an owner registry."""
    return [link for (o, _), link in _LINKS.items() if o == owner]


def json_store(owner: str) -> JsonStore | None:
    return _JSON.get(owner)


def owners() -> list[str]:
    """Registries that carry feature values."""
    return sorted({o for o, _ in _LINKS} | set(_JSON))
