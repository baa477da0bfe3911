"""Writing annotations: label links with their feature, feature values, feature sets per slot.

After a validation passes, `AnnotationPlan` turns its result into rows: records that only the
public ontology knew are created, each slot gets its schema (the validated members), and on
`artifact.save()` the links are inserted in one transaction with the artifact's report.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, inspect, select

from .. import runtime
from ..errors import InvalidArgument
from ..records.pending import clear_pending, get_pending, set_pending
from ..records.persist import save_record, save_records
from ..records.registry import registry_class
from ..setup.session import current_user_id, write_transaction
from . import reports
from .checks import SlotCheck, ValidationResult
from .registries import artifact_model, link_spec, records_by_values
from .schema import itype_registry


# -- rows ------------------------------------------------------------------------------------
def link_labels(
    session: Any, artifact_id: int, registry: type, ids: list[int], feature_id: int | None
) -> None:
    """Link records of a registry to an artifact (with the feature), skipping existing links."""
    if not ids:
        return
    spec = link_spec(artifact_model(), registry)
    if spec is None:
        raise InvalidArgument(f"artifacts cannot be linked to {registry.__name__} records")
    table = spec.table
    owner, target = table.c[spec.owner_column], table.c[spec.target_column]
    stmt = select(target).where(owner == artifact_id)
    if spec.feature_column is not None:
        column = table.c[spec.feature_column]
        stmt = stmt.where(column.is_(None) if feature_id is None else column == feature_id)
    existing = set(session.execute(stmt).scalars())
    extra = _bookkeeping(table)
    rows = [
        {spec.owner_column: artifact_id, spec.target_column: i, **extra}
        | ({spec.feature_column: feature_id} if spec.feature_column else {})
        for i in dict.fromkeys(ids)
        if i not in existing
    ]
    if rows:
        session.execute(insert(table), rows)


def _bookkeeping(table: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if "created_by_id" in table.c:
        extra["created_by_id"] = current_user_id()
    if "run_id" in table.c:
        extra["run_id"] = getattr(runtime.current_run(), "id", None)
    return extra


def value_hash(feature_id: int, value: Any) -> str:
    """The digest that makes identical feature values one JsonValue row."""
    text = json.dumps([feature_id, value], sort_keys=True, default=str)
    return base64.urlsafe_b64encode(hashlib.md5(text.encode()).digest()).decode()[:22]


def json_value_ids(session: Any, feature_id: int, values: list[Any]) -> list[int]:
    """Ids of the JsonValue rows of these values, made where missing (one per value)."""
    model = registry_class("JsonValue")
    hashes = {value_hash(feature_id, v): v for v in values}
    stmt = select(model.hash, model.id).where(
        model.feature_id == feature_id, model.hash.in_(list(hashes))
    )
    found = dict(session.execute(stmt).all())
    extra = _bookkeeping(model.__table__)
    new = [
        {"value": v, "hash": h, "feature_id": feature_id, **extra}
        for h, v in hashes.items()
        if h not in found
    ]
    if new:
        result = session.execute(
            insert(model.__table__).returning(model.__table__.c.hash, model.__table__.c.id), new
        )
        found.update(dict(result.all()))
    return [found[h] for h in hashes]


def link_json_values(session: Any, artifact_id: int, ids: list[int]) -> None:
    table = registry_class("ArtifactJsonValue").__table__
    existing = set(
        session.execute(
            select(table.c.jsonvalue_id).where(table.c.artifact_id == artifact_id)
        ).scalars()
    )
    rows = [{"artifact_id": artifact_id, "jsonvalue_id": i} for i in ids if i not in existing]
    if rows:
        session.execute(insert(table), rows)


def link_feature_set(session: Any, artifact_id: int, schema_id: int, slot: str) -> None:
    table = registry_class("ArtifactSchema").__table__
    stmt = select(table.c.id).where(
        table.c.artifact_id == artifact_id, table.c.schema_id == schema_id, table.c.slot == slot
    )
    if session.execute(stmt).first() is None:
        session.execute(
            insert(table), [{"artifact_id": artifact_id, "schema_id": schema_id, "slot": slot}]
        )


# -- after validation ------------------------------------------------------------------------
@dataclass
class AnnotationPlan:
    """What a passed validation links to the artifact once it is saved."""

    result: ValidationResult
    slot_schemas: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: ValidationResult) -> AnnotationPlan:
        plan = cls(result)
        for slot in result.slots:
            if slot.identifiers is None:
                plan.slot_schemas[slot.slot] = feature_set(slot)
        return plan

    def prepare(self) -> None:
        """Create records the public ontology knows, and the identifier feature sets."""
        new = []
        for resolution in self._resolutions():
            if resolution.from_public:
                created = registry_create(
                    resolution.registry, resolution.field, resolution.from_public
                )
                new.extend(created)
                resolution.in_registry.extend(resolution.from_public)
                resolution.from_public = []
        if new:
            save_records([r for r in new if getattr(r, "id", None) is None])
        for slot in self.result.slots:
            if slot.identifiers is not None:
                self.slot_schemas[slot.slot] = identifier_set(slot)

    def _resolutions(self) -> list[Any]:
        return [r for s in self.result.slots for c in s.checks for r in c.resolutions]

    def link(self, artifact: Any) -> None:
        """Insert label links, feature sets and the report's artifact in one transaction."""
        for schema in self.slot_schemas.values():
            if schema is not None and schema.id is None:
                schema.save()
        with write_transaction() as session:
            for slot in self.result.slots:
                for check in slot.checks:
                    feature_id = getattr(check.feature, "id", None)
                    for r in check.resolutions:
                        if feature_id is None or not r.in_registry:
                            continue
                        ids = [
                            x.id
                            for x in records_by_values(
                                r.registry, r.field, r.in_registry, r.type_id
                            )
                        ]
                        link_labels(session, artifact.id, r.registry, ids, feature_id)
                schema = self.slot_schemas.get(slot.slot)
                if schema is not None:
                    link_feature_set(session, artifact.id, schema.id, slot.slot)
            reports.attach_artifact(session, self.result.report, artifact)
        for name in ("feature_sets", *_label_relations()):
            _expire(artifact, name)


def _label_relations() -> list[str]:
    return [r.key for r in inspect(artifact_model()).relationships if r.secondary is not None]


def _expire(record: Any, attribute: str) -> None:
    state = inspect(record)
    if state.session is not None and attribute in state.mapper.relationships:
        state.session.expire(record, [attribute])


def registry_create(model: type, field: str, values: list[Any]) -> list[Any]:
    """Records for values of the public ontology (existing ones come back as they are)."""
    creator = getattr(model, "from_values", None)
    if creator is None:
        return [model(**{field: v}) for v in values]
    return list(creator(values, field=field))


def feature_set(slot: SlotCheck) -> Any | None:
    """The schema linked for a slot: the slot's own if it lists its features, else the
    validated features as a new schema (an existing identical one is returned)."""
    schema = slot.schema
    if schema.n_members and not schema.flexible:
        return schema
    if not slot.validated_features:
        return None
    return registry_class("Schema")(features=slot.validated_features, itype="Feature")


def identifier_set(slot: SlotCheck) -> Any | None:
    """The validated identifiers of a slot (genes of var.T) as a schema of their records."""
    schema, identifiers = slot.schema, slot.identifiers
    if schema.n_members and not schema.flexible:
        return schema
    if identifiers is None or not identifiers.in_registry:
        return None
    registry = itype_registry(schema.itype)
    members = records_by_values(registry, identifiers.field, identifiers.in_registry, None)
    return registry_class("Schema")(
        features=members, itype=schema.itype, dtype=slot.data_dtype or schema.dtype
    )


class AnnotatingPending:
    """Pending work of an artifact that passed validation: save it, then annotate it."""

    def __init__(self, inner: Any | None, plan: AnnotationPlan, schema: Any) -> None:
        self.inner = inner
        self.plan = plan
        self.schema = schema

    def save(self, record: Any) -> None:
        self.plan.prepare()
        record.schema_id = self.schema.id
        if self.inner is not None:
            self.inner.save(record)
        else:
            clear_pending(record)
            save_record(record)
        clear_pending(record)
        self.plan.link(record)


def attach(record: Any, plan: AnnotationPlan, schema: Any) -> None:
    """Annotate `record` when it is saved (a new artifact, or an existing one)."""
    set_pending(record, AnnotatingPending(get_pending(record), plan, schema))
