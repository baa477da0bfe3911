"""The reverse relations of feature values, under LaminDB 2.12's names.

A categorical feature value is a row of a value-link table (`value_links.py`): the record
that holds the value (the owner) and the record that is the value. LaminDB names both sides:

    record.linked_projects       the projects that are values of the record's features
    project.linked_in_records    the records that have the project as a feature value
    record.values_project        the link rows themselves (owner, value, feature)
    artifact.artifacts / .linked_by_artifacts, artifact.runs / run.artifacts,
    artifact.users / user.artifacts, run.linked_artifacts / artifact.linked_by_runs,
    run.records / record.runs, collection.records / record.collections,
    run.json_values / json_value.runs

The relations are read-only managers (QuerySets through `.all()`, `.filter()`, `.count()`)
and filter by relation (`ln.Record.filter(linked_projects=project)`); values are written
through `features.add_values()`, which knows the feature.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import relationship

from ..query.queryset import QuerySet
from ..records.related import linked

# (owner class, relation on it, link table class, owner column, target class, target column,
#  reverse relation on the target or None)
ValueRelation = tuple[str, str, str, str, str, str, str | None]

RECORD_VALUE_TARGETS = {  # target registry -> LaminDB's plural in `record.linked_<plural>`
    "Artifact": "artifacts",
    "Collection": "collections",
    "Project": "projects",
    "Record": "records",
    "Reference": "references",
    "Run": "runs",
    "Transform": "transforms",
    "ULabel": "ulabels",
    "User": "users",
}

VALUE_RELATIONS: list[ValueRelation] = [
    *(
        ("Record", f"linked_{plural}", f"Record{target}", "record_id", target, "value_id")
        + ("linked_in_records",)
        for target, plural in RECORD_VALUE_TARGETS.items()
    ),
    ("Artifact", "artifacts", "ArtifactArtifact", "artifact_id", "Artifact", "value_id")
    + ("linked_by_artifacts",),
    ("Artifact", "runs", "ArtifactRun", "artifact_id", "Run", "value_id", "artifacts"),
    ("Artifact", "users", "ArtifactUser", "artifact_id", "User", "user_id", "artifacts"),
    ("Run", "linked_artifacts", "RunArtifact", "run_id", "Artifact", "artifact_id")
    + ("linked_by_runs",),
    ("Run", "records", "RunRecord", "run_id", "Record", "record_id", "runs"),
    ("Collection", "records", "CollectionRecord", "collection_id", "Record", "record_id")
    + ("collections",),
    ("Run", "json_values", "RunJsonValue", "run_id", "JsonValue", "jsonvalue_id", "runs"),
]

# owner class -> (name of the property, link table class, owner column): the link rows
VALUE_ROWS: list[tuple[str, str, str, str]] = [
    *(("Record", f"values_{t.lower()}", f"Record{t}", "record_id") for t in RECORD_VALUE_TARGETS),
    ("Record", "values_json", "RecordJson", "record_id"),
    ("Run", "values_artifact", "RunArtifact", "run_id"),
]


def _add(owner: type, name: str, table: Any, owner_column: str, target: type, column: str) -> None:
    mapper = inspect(owner)
    if name in mapper.attrs or name in vars(owner):
        return
    options = {k: v for k, v in linked().items() if k != "passive_deletes"}  # read-only
    mapper.add_property(
        name,
        relationship(
            target,
            secondary=table,
            primaryjoin=owner.__table__.c.id == table.c[owner_column],
            secondaryjoin=target.__table__.c.id == table.c[column],
            viewonly=True,
            **options,
        ),
    )


def _rows_property(link: type, owner_column: str) -> property:
    def rows(self: Any) -> QuerySet:
        return QuerySet(link).filter(**{owner_column: self.id})

    rows.__doc__ = f"The link rows of this record's feature values in {link.__name__}."
    return property(rows)


def _add_row_relations(link: type, targets: dict[str, type]) -> None:
    """A link row's `feature`, owner and value records (`row.record`, `row.value`, ...)."""
    mapper, table = inspect(link), link.__table__
    for column, target in targets.items():
        name = column.removesuffix("_id")
        if name not in mapper.attrs and column in table.c:
            mapper.add_property(
                name, relationship(target, foreign_keys=[table.c[column]], viewonly=True)
            )


def add_value_relations(classes: dict[str, type]) -> None:
    """Give the registries and the value-link classes in `classes` LaminDB's relations."""
    for owner, name, link, owner_column, target, column, reverse in VALUE_RELATIONS:
        table = classes[link].__table__
        row_targets = {owner_column: classes[owner], column: classes[target]}
        _add_row_relations(classes[link], {**row_targets, "feature_id": classes["Feature"]})
        _add(classes[owner], name, table, owner_column, classes[target], column)
        if reverse is not None:
            _add(classes[target], reverse, table, column, classes[owner], owner_column)
    for owner, name, link, owner_column in VALUE_ROWS:
        if not hasattr(classes[owner], name):
            setattr(classes[owner], name, _rows_property(classes[link], owner_column))
