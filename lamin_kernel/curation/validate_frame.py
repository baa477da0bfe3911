"""A DataFrame (or a dict as a one-row frame) against a schema of features, vectorized.

Columns are matched to the schema's members (or, for flexible schemas, to any registered
feature); required columns that are absent, nulls in non-nullable columns and columns of
the wrong dtype are collected as LaminDB reports them (`COLUMN_NOT_IN_DATAFRAME`,
`SERIES_CONTAINS_NULLS`, `WRONG_DATATYPE`); categorical columns are then checked term by
term (`validate_cat`). Coercion (`feature.coerce`, else `schema.coerce`) accepts values that
convert without loss.
"""

from __future__ import annotations

import ast
from typing import Any

from .checks import FeatureCheck, SchemaErrors, SlotCheck
from .dtypes import TZ_DATETIME, Dtype, parse_dtype
from .registries import features_by_field, features_by_name
from .schema import index_of, itype_feature_type, itype_target, members_of, optional_ids
from .validate_cat import Context, check_categorical, validate_identifiers

NUMERIC_INFERRED = ("integer", "floating", "mixed-integer-float", "decimal", "empty")
ALLOWED_INFERRED = {
    "str": ("string", "empty"),
    "url": ("string", "empty"),
    "path": ("string", "empty"),
    "int": ("integer", "empty"),
    "float": NUMERIC_INFERRED,
    "num": NUMERIC_INFERRED,
    "bool": ("boolean", "empty"),
    "date": ("date", "empty"),
    "datetime": ("datetime", "datetime64", "empty"),
    TZ_DATETIME: ("datetime", "datetime64", "empty"),
}


def validate_frame(df: Any, schema: Any, slot: str, context: Context) -> SlotCheck:
    """Columns against the schema's features, then each column against its feature."""
    if schema.itype and itype_target(schema.itype).registry != "Feature":
        return validate_identifiers([str(c) for c in df.columns], df, schema, slot, context)
    result = SlotCheck(slot, schema, owner=context.owner)
    columns = {str(c): c for c in df.columns}
    members = [m for m in members_of(schema) if m.id != getattr(index_of(schema), "id", None)]
    matched = _match_columns(list(columns), members, schema, result, context)
    for name, feature in matched.items():
        check_column(feature, df[columns[name]], schema, context, result)
    index_feature = index_of(schema)
    if index_feature is not None:
        _check_index(index_feature, df.index, schema, context, result)
        matched = {index_feature.name: index_feature, **matched}
    result.validated_features = list(matched.values())
    return result


def _match_columns(
    columns: list[str], members: list[Any], schema: Any, result: SlotCheck, context: Context
) -> dict[str, Any]:
    """Column name -> Feature; required members that are absent become schema errors."""
    flexible = schema.flexible or not members
    by_name = {f.name: f for f in members}
    if schema.minimal_set and members:
        optional = optional_ids(schema)
        for name, feature in by_name.items():
            if name not in columns and feature.id not in optional:
                result.schema_errors.add(
                    "SCHEMA",
                    "COLUMN_NOT_IN_DATAFRAME",
                    name,
                    "column_in_dataframe",
                    f"column '{name}' not in dataframe. Columns in dataframe: {columns}",
                )
    extra = [c for c in columns if c not in by_name]
    if extra and flexible:
        found = _registered(extra, itype_feature_type(schema))
        by_name.update({k: v for k, v in found.items() if k not in by_name})
        extra = [c for c in extra if c not in found]
    if extra and schema.maximal_set:
        for name in extra:
            result.schema_errors.add(
                "SCHEMA",
                "COLUMN_NOT_IN_SCHEMA",
                name,
                "column_in_schema",
                f"column '{name}' not in DataFrameSchema {list(by_name)}",
            )
    elif extra and flexible:
        unknown = FeatureCheck("columns", "not_validated", n_values=len(extra))
        unknown.non_validated = extra
        unknown.warning_only = True
        unknown.message = context.columns_message(extra)
        result.checks.insert(0, unknown)
    if schema.ordered_set and members:
        order = [c for c in columns if c in by_name and by_name[c] in members]
        if order != [f.name for f in members if f.name in columns]:
            result.schema_errors.add(
                "SCHEMA",
                "COLUMN_NOT_ORDERED",
                None,
                "column_ordered",
                f"columns are not in the order of the schema: {[f.name for f in members]}",
            )
    return {c: by_name[c] for c in columns if c in by_name}


def _registered(names: list[str], feature_type: Any | None) -> dict[str, Any]:
    """Registered features of these names: of the schema's feature type, if it has one."""
    if feature_type is None:
        return features_by_name(names)
    found = features_by_field("name", names)
    inside = {f.id for f in feature_type.query_features()}
    return {
        name: match[0]
        for name, candidates in found.items()
        if (match := [f for f in candidates if f.id in inside])
    }


def _coerce(feature: Any, schema: Any) -> bool:
    return bool(feature.coerce if feature.coerce is not None else schema.coerce)


def check_column(
    feature: Any, series: Any, schema: Any, context: Context, result: SlotCheck
) -> None:
    """One column: nulls, dtype (or coercion), then categorical terms."""
    name = feature.name
    dtype = parse_dtype(feature.dtype)
    missing = series.isna() if dtype.kind != "list" else series.map(_is_null_cell)
    n_missing = int(missing.sum())
    check = FeatureCheck(name, feature=feature, column=name)
    if n_missing and not feature.nullable:
        cases = str(series[missing]).replace("\n", "")
        message = f"non-nullable series '{name}' contains null values:{cases}"
        result.schema_errors.add("SCHEMA", "SERIES_CONTAINS_NULLS", name, "not_nullable", message)
        _mismatch(check, message, result)
    values = series[~missing] if n_missing else series
    check.n_values = int(len(values))
    errors = SchemaErrors()
    if not dtype_fits(dtype, values, _coerce(feature, schema), name, errors):
        result.schema_errors.extend(errors)
        entry = next(iter(next(iter(errors.groups.values())).values()))[0]
        _mismatch(check, entry["error"], result)
        return
    if check.status != "validated":
        return
    if dtype.is_cat and dtype.cat_targets:
        items = values.explode().dropna() if dtype.kind == "list" else values
        check_categorical(check, items, dtype.cat_targets, context)
    result.checks.append(check)


def _mismatch(check: FeatureCheck, message: str, result: SlotCheck) -> None:
    check.status = "dtype_mismatch"
    check.message = message
    if check not in result.checks:
        result.checks.append(check)


def _is_null_cell(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, float) and value != value


def _dtype_name(dtype: Dtype) -> str:
    if dtype.kind == "cat":
        return "category"
    if str(dtype) == "datetime":
        return "datetime64[ns]"
    return str(dtype)


def _is_dict_value(value: Any) -> bool:
    """A dict, or a string that is a Python dict literal (as LaminDB reads dict columns)."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return False
    return isinstance(value, dict)


# dtypes LaminDB checks with a check function: a DATA error "failed dtype check", no hint
CHECKED_KINDS = ("str", "num", "bool", "path", "url")


def dtype_fits(dtype: Dtype, values: Any, coerce: bool, name: str, errors: SchemaErrors) -> bool:
    """Whether a column's values fit the dtype; an error in LaminDB's layout when they do not:
    a failed dtype check (DATAFRAME_CHECK) for str, num, bool, path, url and lists, a
    WRONG_DATATYPE for the other dtypes, and both for dict."""
    if dtype.kind == "list":
        ok = bool(values.map(lambda v: isinstance(v, list | tuple) or hasattr(v, "tolist")).all())
    else:
        ok = _fits(dtype, values, coerce)
    if ok:
        return True
    if dtype.kind == "list" or dtype.kind in CHECKED_KINDS:
        check = f"Column '{name}' failed dtype check for '{dtype}': got {values.dtype}"
        _failed_check(errors, name, check, "check_function")
    elif dtype.kind == "dict":
        if str(values.dtype) != "object":
            _wrong_datatype(errors, name, "object", values.dtype)
        check = "Non-null values must be dicts or strings representing dicts"
        _failed_check(errors, name, check, "<lambda>")
    else:
        _wrong_datatype(errors, name, _dtype_name(dtype), values.dtype)
    return False


def _failed_check(errors: SchemaErrors, name: str, check: str, function: str) -> None:
    error = f"Column '{name}' failed series or dataframe validator 0: <Check {function}: {check}>"
    errors.add("DATA", "DATAFRAME_CHECK", name, check, error)


def _wrong_datatype(errors: SchemaErrors, name: str | None, expected: str, got: Any) -> None:
    error = f"expected series '{name}' to have type {expected}, got {got}"
    errors.add("SCHEMA", "WRONG_DATATYPE", name, f"dtype('{expected}')", error)


def _fits(dtype: Dtype, values: Any, coerce: bool) -> bool:
    import pandas as pd
    from pandas.api import types as pt

    kind = dtype.kind
    if isinstance(values.dtype, pd.CategoricalDtype):
        if kind == "cat" or kind in ("str", "url", "path"):
            return True
        values = pd.Series(values.cat.categories)
    if kind == "cat":
        # string columns pass without coerce, as in LaminDB 2.2 (the tutorial's); 2.12 wants
        # the category dtype unless coerce=True (docs/compatibility.md)
        return pt.is_string_dtype(values.dtype) or (
            pt.is_object_dtype(values.dtype)
            and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
        )
    if kind in ("dict", "object"):
        return kind == "object" or all(_is_dict_value(v) for v in values.dropna())
    if not pt.is_object_dtype(values.dtype) and not pt.is_string_dtype(values.dtype):
        return _numpy_fits(kind, values, coerce)
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ALLOWED_INFERRED.get(kind, ()):
        return True
    return coerce and _coerces(kind, values)


def _numpy_fits(kind: str, values: Any, coerce: bool) -> bool:
    from pandas.api import types as pt

    dtype = values.dtype
    is_bool = pt.is_bool_dtype(dtype)
    if kind == "int":
        return (pt.is_integer_dtype(dtype) and not is_bool) or (
            coerce and pt.is_float_dtype(dtype) and bool((values.dropna() % 1 == 0).all())
        )
    if kind == "float":
        return pt.is_float_dtype(dtype) or (coerce and pt.is_numeric_dtype(dtype) and not is_bool)
    if kind == "num":
        return pt.is_numeric_dtype(dtype) and not is_bool
    if kind == "bool":
        return is_bool
    if kind == "datetime":
        return pt.is_datetime64_dtype(dtype) or (coerce and pt.is_datetime64_any_dtype(dtype))
    if kind == TZ_DATETIME:
        return getattr(dtype, "tz", None) is not None
    if kind == "date":
        return coerce and pt.is_datetime64_any_dtype(dtype)
    if kind in ("str", "url", "path"):
        return pt.is_string_dtype(dtype)
    return False


def _coerces(kind: str, values: Any) -> bool:
    """Whether object values convert to `kind` without loss."""
    import pandas as pd

    try:
        if kind in ("int", "float", "num"):
            numbers = pd.to_numeric(values, errors="raise")
            return kind != "int" or bool((numbers.dropna() % 1 == 0).all())
        if kind in ("date", "datetime", TZ_DATETIME):
            pd.to_datetime(values, errors="raise")
            return True
        if kind in ("str", "url", "path"):
            return True
    except (ValueError, TypeError):
        return False
    return False


def _check_index(
    feature: Any, index: Any, schema: Any, context: Context, result: SlotCheck
) -> None:
    """The DataFrame's index against the schema's index feature."""
    import pandas as pd

    dtype = parse_dtype(feature.dtype)
    values = pd.Series(list(index), dtype=object if index.dtype == object else index.dtype)
    if not dtype.is_cat and not _fits(dtype, values, _coerce(feature, schema)):
        if dtype.kind == "str":  # LaminDB checks a str index with a function, else its dtype
            check = "expected series 'None' to have type str"
            error = f"Index '{index.name}' failed series or dataframe validator 0: <Check "
            error += f"check_pandera_str: {check}>"
            result.schema_errors.add("DATA", "DATAFRAME_CHECK", None, check, error)
        else:
            _wrong_datatype(result.schema_errors, None, _dtype_name(dtype), values.dtype)
        return
    if dtype.is_cat and dtype.cat_targets:
        check = FeatureCheck("index", feature=feature, column="index", n_values=len(values))
        check_categorical(check, values.dropna(), dtype.cat_targets, context)
        result.checks.append(check)
