"""Writing what a passed validation found: label links with their feature, a schema per slot.

`AnnotationPlan` turns a validation result into rows: records that only the public ontology
knew are created, each slot gets its schema (the curated one, or the validated members as
a schema of their own for flexible ones), and on save the links are inserted in one
transaction with the artifact's validation report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, inspect, select

from ..records.pending import clear_pending, get_pending, set_pending
from ..records.persist import save_record, save_records
from ..records.registered import registered
from ..setup.session import write_transaction
from . import reports
from .checks import SlotCheck, ValidationResult
from .feature_values import add_links, value_link
from .registries import records_by_values
from .schema import itype_registry


def link_feature_set(session: Any, artifact_id: int, schema_id: int, slot: str) -> None:
    table = registered.ArtifactSchema.__table__
    stmt = select(table.c.id).where(
        table.c.artifact_id == artifact_id, table.c.schema_id == schema_id, table.c.slot == slot
    )
    if session.execute(stmt).first() is None:
        session.execute(
            insert(table), [{"artifact_id": artifact_id, "schema_id": schema_id, "slot": slot}]
        )


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
                    resolution.registry,
                    resolution.field,
                    resolution.from_public,
                    resolution.source,
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
                self._link_labels(session, artifact, slot)
                schema = self.slot_schemas.get(slot.slot)
                if schema is not None:
                    link_feature_set(session, artifact.id, schema.id, slot.slot)
            reports.attach_artifact(session, self.result.report, artifact)
        state = inspect(artifact)
        if state.session is not None:
            relations = [r.key for r in state.mapper.relationships if r.secondary is not None]
            state.session.expire(artifact, relations)

    def _link_labels(self, session: Any, artifact: Any, slot: SlotCheck) -> None:
        for check in slot.checks:
            feature_id = getattr(check.feature, "id", None)
            for r in check.resolutions:
                if feature_id is None or not r.in_registry:
                    continue
                link = value_link("Artifact", r.registry)
                if link is None:
                    continue
                ids = [x.id for x in records_by_values(r.scope, r.in_registry)]
                add_links(session, link, artifact.id, ids, feature_id)


def registry_create(
    model: type, field_name: str, values: list[Any], source: Any | None = None
) -> list[Any]:
    """Records for values of the public ontology (existing ones come back as they are)."""
    creator = getattr(model, "from_values", None)
    if creator is None:
        return [model(**{field_name: v}) for v in values]
    if source is not None:
        return list(creator(values, field=field_name, source=source))
    return list(creator(values, field=field_name))


def feature_set(slot: SlotCheck) -> Any | None:
    """The schema linked for a slot: the slot's own if it lists its features, else the
    validated features as a new schema (an existing identical one is returned)."""
    schema = slot.schema
    if schema.n_members and not schema.flexible:
        return schema
    if not slot.validated_features:
        return schema if schema.n_members else None
    return registered.Schema(features=slot.validated_features, itype="Feature")


def identifier_set(slot: SlotCheck) -> Any | None:
    """The validated identifiers of a slot (genes of var.T) as a schema of their records."""
    schema, identifiers = slot.schema, slot.identifiers
    if schema.n_members and not schema.flexible:
        return schema
    if identifiers is None or not identifiers.in_registry:
        return None
    itype_registry(schema.itype)
    members = records_by_values(identifiers.scope, identifiers.in_registry)
    return registered.Schema(
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
        clear_pending(record)
        if self.inner is not None:
            set_pending(record, self.inner)
        save_record(record)
        clear_pending(record)
        state = inspect(record)
        if state.session is not None:
            state.session.expire(record, ["schema"])  # schema_id changed under it
        self.plan.link(record)


def attach(record: Any, plan: AnnotationPlan, schema: Any) -> None:
    """Annotate `record` when it is saved (a new artifact, or an existing one)."""
    set_pending(record, AnnotatingPending(get_pending(record), plan, schema))
