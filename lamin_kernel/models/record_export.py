"""Exports of records: a type's records (or a QuerySet of records of one type) as a DataFrame
or a csv artifact, with the lineage LaminDB keeps for it.

Reading a sheet inside a tracked run makes the type and its records inputs of that run. An
export to an artifact is its own run of the function `__lamindb_record_export__` (initiated
by the tracked run, if any), whose inputs are the type and the exported records.
"""

from datetime import UTC, datetime
from typing import Any

from .. import log, runtime
from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..records import sheets
from ..records.record_batch import RecordBatch, check_frame
from .artifact import Artifact
from .base import class_or_instance_method
from .can_curate import strict_classmethod
from .features import Schema
from .transform import Run, Transform

EXPORT_TRANSFORM_UID = "v6KpQx9mRt2B0000"
EXPORT_TRANSFORM_KEY = "__lamindb_record_export__"
MAX_LINKED_INPUTS = 1000


def export_transform() -> Transform:
    """The one transform export runs belong to (an older one found by key takes its uid)."""
    found = QuerySet(Transform).filter(uid=EXPORT_TRANSFORM_UID).first()
    if found is None:
        found = (
            QuerySet(Transform)
            .filter(key=EXPORT_TRANSFORM_KEY, kind="function")
            .order_by("created_at")
            .first()
        )
        if found is not None:
            found.uid = EXPORT_TRANSFORM_UID
            found.save()
    if found is None:
        found = Transform(key=EXPORT_TRANSFORM_KEY, kind="function")
        found.uid = EXPORT_TRANSFORM_UID
        found.save()
    return found


def start_export_run(record_type: Any | None) -> Run:
    run = Run(transform=export_transform())
    run.status = "started"
    run.started_at = datetime.now(UTC)
    run.initiated_by_run_id = getattr(runtime.current_run(), "id", None)
    if record_type is not None:
        run.space_id = record_type.space_id
    return run.save()


def finish_export_run(run: Run) -> None:
    run.finished_at = datetime.now(UTC)
    run.status = "completed"
    run.save()


def input_run(is_run_input: Any) -> Run | None:
    """The run that reads the records: the one given, else the tracked run (False: none)."""
    if isinstance(is_run_input, Run):
        return is_run_input
    if is_run_input is False:
        return None
    if is_run_input not in (None, True):
        raise InvalidArgument(f"is_run_input takes a bool or a Run, got {is_run_input!r}")
    return runtime.current_run()


def link_inputs(run: Run | None, record_type: Any, records: QuerySet, individual: bool) -> None:
    """The type (and the exported records) become inputs of the run, unless the run made
    them."""
    if run is None:
        return
    linked = [] if record_type.run_id == run.id else [record_type]
    if individual:
        # not records.exclude(run_id=...): records without a run must stay in
        rows = [r for r in records.order_by("id") if r.run_id != run.id]
        if len(rows) > MAX_LINKED_INPUTS:
            log.warning(f"linking only the first {MAX_LINKED_INPUTS} records as run inputs")
            rows = rows[:MAX_LINKED_INPUTS]
        linked += rows
    if linked:
        run.input_records.add(*linked)


def type_records(record_type: Any, recurse: bool) -> QuerySet:
    if not record_type.is_type:
        raise TypeError(
            "to_dataframe() can only be called on the class or on record type instance."
        )
    return record_type.query_records() if recurse else record_type.records


def check_include(include: Any) -> None:
    if include not in (None, "features") and not (
        isinstance(include, list) and include == ["features"]
    ):
        raise InvalidArgument(f"a sheet's to_dataframe() includes 'features', got {include!r}")


def type_dataframe(
    record_type: Any,
    recurse: bool = False,
    is_run_input: Any = None,
    link_individual_inputs: bool = True,
    use_export_run: bool = False,
    **kwargs: Any,
) -> Any:
    """record_type.to_dataframe(): its records, a column per feature (see records/sheets).

    The records (and the type) become inputs of the tracked run, or, with use_export_run,
    of an export run of their own."""
    unknown = set(kwargs) - {"features", "include"}
    if unknown:
        raise InvalidArgument(f"to_dataframe() of a record type got unknown {sorted(unknown)}")
    check_include(kwargs.get("include"))
    records = type_records(record_type, recurse)
    df = sheets.sheet_frame(record_type, records, kwargs.get("features"))
    run = start_export_run(record_type) if use_export_run else input_run(is_run_input)
    link_inputs(run, record_type, records, link_individual_inputs)
    if use_export_run and run is not None:
        finish_export_run(run)
    return df


def to_artifact(
    record_type: Any, records: QuerySet, key: str, description: str, options: dict[str, Any]
) -> Artifact:
    """Write records of a type as csv into a new artifact made by its own export run."""
    run = start_export_run(record_type)
    df = sheets.sheet_frame(record_type, records, options.get("features"))
    link_inputs(run, record_type, records, options.get("link_individual_inputs", True))
    schema = record_type.schema
    with_index = sheets.schema_index(schema) is not None
    artifact = Artifact.from_dataframe(
        df,
        key=key,
        description=description,
        schema=schema,
        run=run,
        space_id=record_type.space_id,
        csv_kwargs={"index": with_index},
    ).save()
    finish_export_run(run)
    return artifact


def export_key(key: str | None, suffix: str | None, stem: str) -> str:
    if key is not None and suffix is not None:
        raise InvalidArgument("Only one of key or suffix can be passed.")
    return key if key is not None else f"{stem}{suffix or '.csv'}"


def type_to_artifact(
    record_type: Any,
    key: str | None = None,
    suffix: str | None = None,
    link_individual_inputs: bool = True,
    features: Any = None,
) -> Artifact:
    """record_type.to_artifact(): the sheet as a csv artifact."""
    records = type_records(record_type, recurse=False)
    key = export_key(key, suffix, f"lamindb_record_exports/{record_type.name}")
    note = f": {record_type.description}" if record_type.description is not None else ""
    description = f"Export of record type {record_type.uid}{note}"
    options = {"features": features, "link_individual_inputs": link_individual_inputs}
    return to_artifact(record_type, records, key, description, options)


class RecordQuerySet(QuerySet):
    """Records, with what LaminDB's record sets add: sheet-style DataFrames and exports."""

    def single_type(self) -> Any | None:
        """The type all selected records share, if they share one."""
        type_ids = {row for row in self.order_by("id").values_list("type_id", flat=True)}
        if len(type_ids) != 1 or None in type_ids:
            return None
        return QuerySet(self.model, self._db).get(id=type_ids.pop())

    def to_dataframe(  # type: ignore[override]
        self,
        limit: int | None = None,
        include: Any = None,
        features: Any = None,
        order_by: str | None = None,
        announce: bool = False,
        *,
        is_run_input: Any = None,
        link_individual_inputs: bool = True,
        record_metadata: bool = True,
    ) -> Any:
        """As any QuerySet's; with include="features" and records of one type, the sheet of
        those records (and they become inputs of the tracked run)."""
        wants_features = include == "features" or (
            isinstance(include, list) and "features" in include
        )
        record_type = self.single_type() if wants_features else None
        if record_type is None:
            if wants_features:
                log.warning(
                    "falling back to a generic Record export: the records are not all of one type"
                )
            return super().to_dataframe(
                limit, include, features, order_by, announce, record_metadata=record_metadata
            )
        records = self if limit is None else self.filter(id__in=self.values_list("id")[:limit])
        with self._in_db():  # the sheet of another instance's records is read there
            df = sheets.sheet_frame(record_type, records, features)
        if self._db is None:  # records of another instance are no inputs of this run
            link_inputs(input_run(is_run_input), record_type, records, link_individual_inputs)
        return df

    def to_artifact(
        self,
        key: str | None = None,
        suffix: str | None = None,
        link_individual_inputs: bool = True,
        features: Any = None,
    ) -> Artifact:
        """The selected records (of one type) as a csv artifact made by an export run."""
        record_type = self.single_type()
        if record_type is None:
            raise InvalidArgument(
                "to_artifact() exports records of one type; these have several or none"
            )
        key = export_key(key, suffix, f"record_exports/{record_type.name}_subset")
        description = f"Export of {record_type.name} subset"
        options = {"features": features, "link_individual_inputs": link_individual_inputs}
        return to_artifact(record_type, self, key, description, options)


# the type that types made by from_dataframe(type=<name>) nest under, and the schema type
# of their inferred schemas: LaminDB's uids, so instances agree on them
IMPORTS_UID = "W3WdiFRZTvTJajNp"
SCHEMA_IMPORTS_UID = "DGZkj4yhGWMJE5fu"


def _imports_record(model: type, uid: str, **fields: Any) -> Any:
    found = QuerySet(model).filter(uid=uid).one_or_none()
    if found is None:
        found = model(name="Imports", is_type=True, **fields)
        found.uid = uid
        found.save()
    return found


def import_type(model: type, df: Any, name: str) -> Any:
    """A new type `name` under 'Imports' whose schema is inferred from the DataFrame."""
    imports = _imports_record(model, IMPORTS_UID)
    if QuerySet(model).filter(name=name, is_type=True, type_id=imports.id).exists():
        raise InvalidArgument(
            f"type '{name}' already exists under 'Imports', please pass it as a Record object "
            "to reuse."
        )
    schema_type = _imports_record(Schema, SCHEMA_IMPORTS_UID)
    schema = Schema.from_dataframe(df, name=name)
    if schema is None:
        raise InvalidArgument(
            "Could not infer a schema from dataframe columns. Ensure dataframe columns map to "
            "existing Features, or pass an existing Record type object."
        )
    schema.type = schema_type
    schema.save()
    return model(name=name, is_type=True, type=imports, schema=schema).save()


class RecordSheets:
    """What Record adds for sheets: a type's records as a DataFrame or an artifact, and
    records made from a DataFrame's rows (mixed into Record)."""

    @class_or_instance_method
    def to_dataframe(target: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """On the class, the latest records (as every registry); on a type, its sheet: a row
        per record, a column per feature of its schema (or of its records)."""
        if isinstance(target, type):
            return super().to_dataframe(*args, **kwargs)  # type: ignore[misc]
        return type_dataframe(target, *args, **kwargs)

    df = to_dataframe

    def to_artifact(
        self,
        key: str | None = None,
        suffix: str | None = None,
        link_individual_inputs: bool = True,
        features: Any = None,
    ) -> Artifact:
        """The sheet of this type as a csv artifact, made by an export run whose inputs are
        the type and its records (key `lamindb_record_exports/<name>.csv` by default)."""
        return type_to_artifact(self, key, suffix, link_individual_inputs, features)

    @strict_classmethod
    def from_dataframe(
        cls, df: Any, *, type: Any, name_field: str = sheets.ENCODED_NAME
    ) -> RecordBatch:
        """The rows of a DataFrame as records of `type` (a type, or the name of a new type
        under 'Imports' whose schema is inferred from the columns); `.save()` saves them."""
        check_frame(df)
        record_type = import_type(cls, df, type) if isinstance(type, str) else type
        return RecordBatch(cls, df, record_type, name_field)
