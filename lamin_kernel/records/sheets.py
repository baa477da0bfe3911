"""Sheets: the records of a type as a DataFrame with one column per feature, and back.

A record type with a schema is a sheet (LaminDB's "record frame"): its columns are the
schema's features in order; without a schema they are the features the records have, by
name. Each row is a record; the index is the record id (`__lamindb_record_id__`) and two
columns hold its uid and name, unless the schema has an `index` feature: then the records'
names are the index, under that feature's name, and the record columns are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..query.queryset import QuerySet
from .record_features import features_named, pending_values, values_of_records

ENCODED_ID = "__lamindb_record_id__"
ENCODED_UID = "__lamindb_record_uid__"
ENCODED_NAME = "__lamindb_record_name__"
EMPTY_COLUMN_DTYPES = {
    "str": "string",
    "url": "string",
    "path": "string",
    "int": "Int64",
    "num": "float64",
    "float": "float64",
    "bool": "boolean",
    "datetime": "datetime64[ns]",
    "datetime64[ns, UTC]": "datetime64[ns, UTC]",
}


@dataclass(frozen=True)
class SheetLayout:
    """The columns of a sheet (its features in order) and the index feature, if any."""

    features: list[Any]
    index_feature: Any | None


def schema_index(schema: Any) -> Any | None:
    """The index feature of a schema (the key of its rows), if the schema has one."""
    return getattr(schema, "index", None) if schema is not None else None


def index_name(value: Any, feature: Any) -> str:
    """The record name an index value gives: index features are text."""
    if not isinstance(value, str):
        raise TypeError(
            f"the value of index feature '{feature.name}' must be a string, got "
            f"{type(value).__name__} {value!r}"
        )
    return value


def name_from_index(
    record_type: Any, name: Any, features: dict[Any, Any] | None
) -> tuple[Any, dict[Any, Any] | None]:
    """A sheet whose schema has an index feature keeps that feature's value as the record's
    name: (name, the other features) for `Record(type=sheet, features={...})`."""
    schema = record_type.schema if getattr(record_type, "is_type", False) else None
    index_feature = schema_index(schema)
    if index_feature is None or not features:
        return name, features
    rest = dict(features)
    keys = [k for k in rest if getattr(k, "name", k) == index_feature.name]
    if not keys:
        return name, features
    value = index_name(rest.pop(keys[0]), index_feature)
    if name is not None and name != value:
        raise InvalidArgument(
            f"name {name!r} and the value {value!r} of index feature '{index_feature.name}' "
            "differ; a sheet with an index stores the index on the record's name"
        )
    return value, rest


def schema_members(schema: Any) -> list[Any]:
    return list(schema.members) if schema is not None else []


def layout_of(record_type: Any, values: dict[int, dict[str, Any]], wanted: Any) -> SheetLayout:
    """The schema's members (without the index feature), else the features the records have,
    by name; narrowed to `wanted` (names) when given."""
    schema = record_type.schema
    index_feature = schema_index(schema)
    if schema is not None:
        index_id = getattr(index_feature, "id", None)
        features = [f for f in schema_members(schema) if f.id != index_id]
    else:
        features = features_named(sorted({name for row in values.values() for name in row}))
    if wanted is None or wanted is True:
        return SheetLayout(features, index_feature)
    names = [wanted] if isinstance(wanted, str) else [getattr(w, "name", w) for w in wanted]
    by_name = {f.name: f for f in features}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise InvalidArgument(
            f"{unknown} {'is not a feature' if len(unknown) == 1 else 'are not features'} "
            f"of the records of '{record_type.name}'; they have {sorted(by_name)}"
        )
    return SheetLayout([by_name[n] for n in names], index_feature)


def feature_column(feature: Any, cells: list[Any]) -> Any:
    """One column, typed by the feature's dtype: nullable where values are missing,
    categorical for labels, lists and dates as objects, datetimes without time zone unless
    the dtype has one."""
    import pandas as pd

    dtype = feature.dtype or "str"
    present = sum(c is not None for c in cells)
    if present == 0:
        empty = EMPTY_COLUMN_DTYPES.get(dtype)
        if empty is None:
            is_label = dtype.startswith("cat")
            empty = pd.CategoricalDtype() if is_label else "object"
        return pd.Series([None] * len(cells), dtype=empty)
    if dtype.startswith("list") or dtype in ("dict", "date"):
        return pd.Series(cells, dtype="object")
    if any(isinstance(c, set | frozenset | list | tuple) for c in cells):
        return pd.Series(cells, dtype="object")  # several labels in a cell: no categories
    if dtype.startswith("cat"):
        return pd.Series(pd.Categorical(cells))
    complete = present == len(cells)
    if dtype == "int":
        return pd.Series(cells, dtype="int64" if complete else "Int64")
    if dtype == "bool":
        return pd.Series(cells, dtype="bool" if complete else "boolean")
    if dtype in ("float", "num"):
        return pd.Series([float("nan") if c is None else c for c in cells], dtype="float64")
    if dtype == "datetime":
        return pd.Series(pd.to_datetime(cells, utc=True).tz_localize(None))
    if dtype.startswith("datetime64"):
        return pd.Series(pd.to_datetime(cells, utc=True))
    return pd.Series(cells, dtype="object")


def sheet_frame(record_type: Any, records: QuerySet, features: Any = None) -> Any:
    """The DataFrame of these records of a type: a row each, a column per feature."""
    import pandas as pd

    rows = list(records.order_by("id"))
    values = values_of_records(rows)
    layout = layout_of(record_type, values, features)
    df = pd.DataFrame(
        {
            feature.name: feature_column(
                feature, [values.get(r.id, {}).get(feature.name) for r in rows]
            )
            for feature in layout.features
        },
        index=pd.RangeIndex(len(rows)),
    )
    if layout.index_feature is not None:
        df.index = pd.Index([r.name for r in rows], name=layout.index_feature.name)
        return df
    df.index = pd.Index([r.id for r in rows], name=ENCODED_ID)
    df[ENCODED_UID] = [r.uid for r in rows]
    df[ENCODED_NAME] = pd.Series([r.name for r in rows], dtype="object", index=df.index)
    return df


def required_features(schema: Any) -> list[Any]:
    """The features a record needs to join a sheet: the schema's members that are not
    optional (none when minimal_set is off), and the index feature."""
    members = schema_members(schema)
    index_feature = schema_index(schema)
    optionals = getattr(schema, "optionals", None)
    optional_ids = {f.id for f in optionals.get()} if optionals is not None else set()
    required = members if getattr(schema, "minimal_set", True) else []
    required = [f for f in required if f.id not in optional_ids]
    if index_feature is not None and all(f.id != index_feature.id for f in required):
        required.append(index_feature)
    return required


def record_label(record: Any) -> str:
    name = record.__dict__.get("name")
    return f"Record {name!r}" if name is not None else f"Record uid={record.__dict__.get('uid')}"


def check_joins_sheet(record: Any, record_type: Any) -> None:
    """A data record joins a sheet only with the features its schema requires (LaminDB 2.12:
    a blank row is refused when the schema has required features)."""
    if record_type is None or not record_type.is_type or record.__dict__.get("is_type"):
        return
    schema = record_type.schema
    if schema is None:
        return
    required = required_features(schema)
    if not required:
        return
    given = _given_values(record)
    index_feature = schema_index(schema)
    missing = [
        f.name
        for f in required
        if given.get(f.name) is None
        and not (index_feature is not None and f.id == index_feature.id and record.name)
    ]
    if missing:
        rendered = ", ".join(repr(n) for n in missing)
        raise ValidationError(
            f"Cannot set type to {record_type.name!r} on {record_label(record)}: "
            f"missing required features {rendered}"
        )


def _given_values(record: Any) -> dict[str, Any]:
    pending = pending_values(record)
    if pending is not None:
        return pending
    if record.__dict__.get("id") is None:
        return {}
    return values_of_records([record]).get(record.id, {})


def check_sheet_schema(schema: Any) -> None:
    """A sheet's index feature holds its records' names, so it must be text."""
    index_feature = schema_index(schema)
    if index_feature is not None and (index_feature.dtype or "str") != "str":
        raise InvalidArgument(
            f"schema index feature '{index_feature.name}' must have dtype str because it is "
            f"stored on Record.name, not {index_feature.dtype!r}"
        )
