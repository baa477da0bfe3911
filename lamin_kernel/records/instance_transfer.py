"""Saving a record read from another instance into this one (LaminDB's transfer).

`ln.DB("other").Artifact.get(key=...).save()` copies the row into the instance in use,
with every record it refers to that is not there yet: rows are matched by uid (storage
locations by root, branches by uid or the current branch, spaces by uid or an error), the
`run` of each copied row is one transfer run of a transform named after the source
instance, and with `transfer="annotations"` (a schema's default) the record's links come
along (labels, feature values, a schema's features). A collection always brings its
artifacts. Everything is written in one transaction of the target; the Python object then
is the target's record. Bytes are not copied: an artifact keeps pointing at its storage,
which the target knows as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, insert, inspect, select, update
from sqlalchemy.orm import make_transient, make_transient_to_detached, object_session

from .. import log, runtime
from ..db.uid import base62
from ..db.unique_names import NAME_KEYS
from ..errors import InvalidArgument, NoWriteAccess
from ..setup.session import current_branch_id, current_user_id, read_session, write_transaction
from .registered import registered

MODES = ("sqlrecord", "annotations", "record")
KEY_COLUMNS = {"lk_storage": "root"}  # matched on the target by this column, not uid
BUILT_IN_BRANCHES = (-1, 0, 1)


def mode_for(model: type, transfer: str | None) -> str:
    """LaminDB's transfer= values; a schema brings its features unless told otherwise."""
    if transfer is None:
        return "annotations" if model is registered.Schema else "sqlrecord"
    if transfer not in MODES:
        raise InvalidArgument(
            "transfer should be one of 'sqlrecord', 'notes', 'annotations' (or deprecated "
            f"'record'), not {transfer!r}"
        )
    return "sqlrecord" if transfer == "record" else transfer


def transfer_record(record: Any, source: runtime.Connection, transfer: str | None) -> None:
    """Copy `record` (read from `source`) into the instance in use; it then is that copy."""
    model = type(record)
    if getattr(model, "__lk_versioned__", False) and not record.is_latest:
        raise NotImplementedError(
            "You are attempting to transfer a record that's not the latest in its version "
            "history. This is currently not supported."
        )
    job = Transfer(source=source, mode=mode_for(model, transfer))
    with write_transaction() as session:
        job.session = session
        target_id = job.row(model.__table__, record.id)
        if job.mode == "annotations" and f"{model.__tablename__}(uid='{record.uid}')" in job.mapped:
            job.links(model.__table__, record.id, target_id)  # present already: links added
        if job.run_id is not None:
            job.finish_run()
        _rehash_schemas_of(session, job.rehash_feature_ids)
    _become_target_record(record, model, target_id)
    name = getattr(record, "name", None) or getattr(record, "key", None) or record.uid
    log.info(
        f"{model.__name__} {name}: {len(job.transferred)} transferred, "
        f"{len(job.mapped)} already on target"
    )


@dataclass
class Transfer:
    """One transfer: rows of `source` copied into the session's (target) database."""

    source: runtime.Connection
    mode: str
    session: Any = None
    resolved: dict[tuple[str, int], int] = field(default_factory=dict)
    in_progress: set[tuple[str, int]] = field(default_factory=set)
    transferred: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    run_id: int | None = None
    rehash_feature_ids: set[int] = field(default_factory=set)  # features that took a new uid

    # -- reading the source ----------------------------------------------------------
    def source_row(self, table: Table, row_id: int) -> dict[str, Any]:
        with self.source.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
        if row is None:
            raise InvalidArgument(f"{table.name} row {row_id} is missing in the source instance")
        return dict(row)

    def source_links(self, table: Table, column: str, host_id: int) -> list[dict[str, Any]]:
        with self.source.engine.connect() as conn:
            rows = conn.execute(select(table).where(table.c[column] == host_id)).mappings()
            return [dict(r) for r in rows]

    # -- rows --------------------------------------------------------------------------
    def row(self, table: Table, source_id: int) -> int:
        """The target id of a source row: found (by uid, or root for storage) or copied."""
        key = (table.name, source_id)
        if key in self.resolved:
            return self.resolved[key]
        values = self.source_row(table, source_id)
        special = self._special(table, values)
        if special is not None:
            self.resolved[key] = special
            return special
        label = f"{table.name}(uid='{values.get('uid')}')"
        found = self._present(table, values) if "uid" in table.c else None
        if found is not None:
            self.mapped.append(label)
            self.resolved[key] = found
            return found
        self.in_progress.add(key)
        new_values = {name: self.mapped_value(table, name, value) for name, value in values.items()}
        new_values.pop("id", None)
        if "run_id" in table.c:  # the lineage of a copied row is the transfer
            new_values["run_id"] = self.transfer_run()
        found = (
            self._present_by_name(table, new_values)
            if "uid" in table.c
            else self._present_by_content(table, new_values)
        )
        if found is not None:  # the same name is a live record here, or the same value row
            self.in_progress.discard(key)
            self.resolved[key] = found
            if table.name == "lk_feature" and not values.get("is_type"):
                self.adopt_uid(table, found, values["uid"])
            return found
        new_id = int(
            self.session.execute(insert(table).values(**new_values)).inserted_primary_key[0]
        )
        self.in_progress.discard(key)
        self.resolved[key] = new_id
        self.transferred.append(label)
        self.links(table, source_id, new_id)
        return new_id

    def adopt_uid(self, table: Table, target_id: int, uid: str) -> None:
        """A feature here of the same name as the source's, under another uid, is that
        feature (one per name here): it takes the source's uid, so a transferred schema's
        members keep their uids across instances, as in LaminDB. The schemas here that had
        it as a member are hashed again (a schema's hash is over its members' uids)."""
        old = self.session.execute(select(table.c.uid).where(table.c.id == target_id)).scalar()
        if old == uid:
            return
        self.session.execute(update(table).where(table.c.id == target_id).values(uid=uid))
        loaded = self.session.identity_map.get(
            self.session.identity_key(registered.Feature, target_id)
        )
        if loaded is not None:  # an object read before keeps what it was read with (as a
            self.session.expunge(loaded)  # Django object does); reading it again: the new uid
        self.rehash_feature_ids.add(target_id)
        log.info(f"feature {old!r} here has the same name as the source's: it takes uid {uid!r}")

    def _present_by_name(self, table: Table, values: dict[str, Any]) -> int | None:
        """The live target row of the same name (one per name: db/unique_names.py), if any."""
        columns = NAME_KEYS.get(table.name)
        if columns is None or values.get("name") is None or values.get("branch_id", 1) <= 0:
            return None
        conditions = [table.c.branch_id > 0]
        for column in columns:
            value = values.get(column)
            if column == "type_id" and value is None:
                conditions.append(table.c.type_id.is_(None))
            else:
                conditions.append(
                    table.c[column] == (bool(value) if column == "is_type" else value)
                )
        found = self.session.execute(
            select(table.c.id).where(*conditions).order_by(table.c.id).limit(1)
        ).first()
        return None if found is None else int(found[0])

    def _present(self, table: Table, values: dict[str, Any]) -> int | None:
        """The target row with the same uid (storage: the same root)."""
        match = KEY_COLUMNS.get(table.name, "uid")
        found = self.session.execute(
            select(table.c.id).where(table.c[match] == values[match])
        ).first()
        return None if found is None else int(found[0])

    def _present_by_content(self, table: Table, values: dict[str, Any]) -> int | None:
        """A row without a uid (a feature value) with the same feature and content hash."""
        if "hash" not in table.c or values.get("hash") is None:
            return None
        conditions = [table.c.hash == values["hash"]]
        if "feature_id" in table.c:
            feature_id = values.get("feature_id")
            column = table.c.feature_id
            conditions.append(column.is_(None) if feature_id is None else column == feature_id)
        found = self.session.execute(select(table.c.id).where(*conditions)).first()
        return None if found is None else int(found[0])

    def mapped_value(self, table: Table, name: str, value: Any) -> Any:
        """A column's value on the target: foreign keys point at target rows."""
        column = table.c[name]
        if value is None or not column.foreign_keys or name == "id":
            return value
        referred = next(iter(column.foreign_keys)).column.table
        if referred.name == "lk_run":
            return self.transfer_run()
        if (referred.name, value) in self.in_progress:
            return None if column.nullable else value  # a cycle: the row itself is on its way
        return self.row(referred, int(value))

    def _special(self, table: Table, values: dict[str, Any]) -> int | None:
        """Users, branches and spaces are matched, never copied blindly."""
        if table.name == "lk_branch":
            if values["id"] in BUILT_IN_BRANCHES:
                return int(values["id"])
            found = self.session.execute(
                select(table.c.id).where(table.c.uid == values["uid"])
            ).first()
            return int(found[0]) if found is not None else current_branch_id()
        if table.name == "lk_space":
            found = self.session.execute(
                select(table.c.id).where(table.c.uid == values["uid"])
            ).first()
            if found is None:
                raise NoWriteAccess(
                    f"Could not map space {values['name']!r}.\nPlease attach space "
                    f"{values['name']!r} to the target database."
                )
            return int(found[0])
        return None

    # -- links ---------------------------------------------------------------------------
    def links(self, table: Table, source_id: int, target_id: int) -> None:
        """The many-to-many links that come along with a copied row."""
        model = _model_of(table)
        for rel in _relations_to_copy(model, self.mode):
            host_column = next(iter(rel.synchronize_pairs))[1].name
            other_column = next(iter(rel.secondary_synchronize_pairs))[1].name
            link = rel.secondary
            if not _has_table(self.source, link.name):
                continue  # a module the source instance does not have
            rows = self.source_links(link, host_column, source_id)
            if rows and not _has_table(runtime.connection(), link.name):
                raise InvalidArgument(
                    f"cannot transfer the {rel.key} of this record: the target instance does not "
                    f"have the module of {link.name}; add it with `lamin settings modules`"
                )
            for row in rows:
                values = {
                    name: self.mapped_value(link, name, value)
                    for name, value in row.items()
                    if name not in ("id", host_column)
                }
                values[host_column] = target_id
                self._insert_link(link, values, (host_column, other_column, "feature_id"))

    def _insert_link(self, link: Table, values: dict[str, Any], identity: tuple) -> None:
        conditions = [
            link.c[name].is_(None) if values.get(name) is None else link.c[name] == values[name]
            for name in identity
            if name in link.c
        ]
        if self.session.execute(select(link.c.id).where(and_(*conditions))).first() is None:
            self.session.execute(insert(link).values(**values))

    # -- the run of the transfer -----------------------------------------------------------
    def transfer_run(self) -> int:
        """One run per transfer, of a transform named after the source instance."""
        if self.run_id is None:
            self.run_id = _start_transfer_run(self.session, self.source)
        return self.run_id

    def finish_run(self) -> None:
        run = registered.Run
        self.session.execute(
            run.__table__.update()
            .where(run.__table__.c.id == self.run_id)
            .values(finished_at=datetime.now(UTC), _status="completed")
        )


def _start_transfer_run(session: Any, source: runtime.Connection) -> int:
    transform, run = registered.Transform, registered.Run
    instance_uid = source.settings.uid
    uid = (instance_uid + "0" * 12)[:12] + "0000"
    now = datetime.now(UTC)
    found = session.execute(select(transform.id).where(transform.uid == uid)).first()
    common = {
        "created_at": now,
        "created_by_id": current_user_id(),
        "branch_id": 1,
        "created_on_id": 1,
        "space_id": 1,
        "is_locked": False,
    }
    if found is None:
        values = {
            "uid": uid,
            "key": f"__lamindb_transfer__/{instance_uid}",
            "description": f"Transfer from `{source.settings.slug}`",
            "kind": "function",
            "is_latest": True,
            **common,
        }
        transform_id = session.execute(insert(transform.__table__).values(**values))
        transform_id = int(transform_id.inserted_primary_key[0])
    else:
        transform_id = int(found[0])
    current = runtime.current_run()
    initiated_by = (
        current.id if current is not None and runtime.connection_in_use() is None else None
    )
    reused = session.execute(  # one run per transform and initiating run, as LaminDB keeps it
        select(run.id).where(
            run.transform_id == transform_id,
            run.initiated_by_run_id.is_(None)
            if initiated_by is None
            else run.initiated_by_run_id == initiated_by,
        )
    ).first()
    if reused is not None:
        return int(reused[0])
    values = {
        "uid": base62(16),
        "transform_id": transform_id,
        "started_at": now,
        "_status": "started",
        "initiated_by_run_id": initiated_by,
        **common,
    }
    return int(session.execute(insert(run.__table__).values(**values)).inserted_primary_key[0])


def _rehash_schemas_of(session: Any, feature_ids: set[int]) -> None:
    """Hash again the schemas that have these features (whose uids changed) as members."""
    if not feature_ids:
        return
    from ..curation.schema import rehash  # curation imports the records machinery at its top

    link, schema = registered.SchemaFeature, registered.Schema
    schema_ids = session.scalars(
        select(link.schema_id).where(link.feature_id.in_(sorted(feature_ids))).distinct()
    ).all()
    for schema_id in schema_ids:
        rehash(session.get(schema, schema_id))


def _has_table(conn: runtime.Connection | None, name: str) -> bool:
    if conn is None:
        return False
    known = conn.extras.setdefault("tables", set())
    if not known:
        known.update(inspect(conn.engine).get_table_names())
    return name in known


def _model_of(table: Table) -> type:
    for mapper in registered.Artifact.__mapper__.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    raise InvalidArgument(f"no registry for table {table.name}")


def _relations_to_copy(model: type, mode: str) -> list[Any]:
    """Collections always bring their artifacts; with annotations, labels, schemas and
    feature values come along (not the runs or collections that use the record)."""
    chosen = []
    for rel in inspect(model).relationships:
        if rel.secondary is None or rel.viewonly:
            continue
        members = model is registered.Collection and rel.key == "artifacts"
        if members or (mode == "annotations" and _is_annotation(model, rel.mapper.class_)):
            chosen.append(rel)
    return chosen


def _is_annotation(model: type, target: type) -> bool:
    if getattr(target, "__lk_is_label__", False):
        return model in (
            registered.Artifact,
            registered.Collection,
            registered.Run,
            registered.Record,
        )
    annotations = (registered.Feature, registered.Schema, registered.JsonValue)
    return target in annotations and model is not registered.Feature


def _become_target_record(record: Any, model: type, target_id: int) -> None:
    """The object the user holds turns into the target's record (loaded afresh on access)."""
    source_session = object_session(record)
    if source_session is not None:
        source_session.expunge(record)
    make_transient(record)
    for rel in inspect(model).relationships:
        record.__dict__.pop(rel.key, None)
    with read_session() as session:
        target = session.get(model, target_id)
        for attr in inspect(model).column_attrs:
            record.__dict__[attr.key] = getattr(target, attr.key)
        session.expunge(target)
        make_transient_to_detached(record)
        session.add(record)
