"""Validate a DataFrame or an AnnData against a schema, without a Python loop per row.

Columns are matched to features; each column's dtype is checked (or coerced) with pandas'
vectorized type checks; categorical values are reduced to their unique values (categorical
codes or `pd.unique`) and looked up in their registry in one query (or one read of the whole
registry when there are many), so the cost grows with the number of distinct values.
"""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..records.registry import registry_class
from . import reports
from .checks import (
    CatResolution,
    FeatureCheck,
    SlotCheck,
    ValidationResult,
    non_validated_message,
    quoted,
)
from .dtypes import CatTarget, Dtype, parse_dtype
from .registries import (
    features_by_name,
    field_of,
    public_synonyms,
    public_terms,
    registry_of,
    synonym_map,
    type_id_of,
)
from .schema import itype_registry, itype_target, members_of, slots_of
from .suggest import TermCache, suggest

ANNDATA_SLOTS = ("obs", "var", "var.T")


class Context:
    """What one validation run shares: the term cache, resolved type ids, the message owner."""

    def __init__(self, owner: str, slot_label: str | None) -> None:
        self.cache = TermCache()
        self.owner = owner
        self.slot_label = slot_label
        self._types: dict[CatTarget, tuple[type, str, int | None]] = {}

    def resolve(self, target: CatTarget, registry: type | None = None) -> tuple[type, str, Any]:
        if target not in self._types:
            model = registry if registry is not None else registry_of(target)
            self._types[target] = (model, field_of(model, target), type_id_of(model, target))
        return self._types[target]

    def where(self) -> str:
        return f" in slot '{self.slot_label}'" if self.slot_label else ""


# -- entry points ---------------------------------------------------------------------------
def validate_object(obj: Any, otype: str, schema: Any, owner: str = "curator") -> ValidationResult:
    """Check obj against schema; nothing is printed, stored or raised for invalid data."""
    check_schema(schema, otype)
    result = ValidationResult(schema, otype)
    if otype == "DataFrame":
        result.slots.append(validate_frame(obj, schema, "columns", Context(f"{owner}.cat", None)))
        return result
    for slot, component in slots_of(schema).items():
        context = Context(f"{owner}.slots['{slot}'].cat", slot)
        if slot == "obs":
            result.slots.append(validate_frame(obj.obs, component, slot, context))
        elif slot == "var":
            result.slots.append(validate_frame(obj.var, component, slot, context))
        else:
            result.slots.append(
                validate_identifiers(list(obj.var.index), obj.X, component, slot, context)
            )
    return result


def run_validation(obj: Any, otype: str, schema: Any, owner: str = "curator") -> ValidationResult:
    """Validate, print what did not validate, store the report; ValidationError on failure."""
    result = validate_object(obj, otype, schema, owner)
    for slot in result.slots:
        for check in slot.checks:
            if check.status == "not_validated" and check.non_validated and check.message:
                log.warning(check.message)
    result.report = reports.store(result)
    if not result.passed:
        error = ValidationError(result.error_message())
        error.result = result  # type: ignore[attr-defined]
        error.report = result.report  # type: ignore[attr-defined]
        raise error
    return result


def check_schema(schema: Any, otype: str) -> None:
    """The schema is a saved Schema that fits the object's type."""
    if type(schema).__name__ != "Schema":
        raise InvalidArgument(f"schema must be a Schema, got {type(schema).__name__}")
    if schema.id is None:
        raise InvalidArgument("save the schema before validating with it: schema.save()")
    slots = slots_of(schema)
    if otype == "DataFrame" and (slots or schema.otype == "AnnData"):
        raise InvalidArgument(
            f"this schema is for an AnnData (slots: {', '.join(slots) or 'none'}); a DataFrame "
            "has no slots: use Artifact.from_anndata(), or a schema without slots"
        )
    if otype == "AnnData" and not slots:
        raise InvalidArgument(
            "an AnnData needs a composite schema, e.g. "
            "ln.Schema(otype='AnnData', slots={'obs': obs_schema, 'var.T': var_schema})"
        )
    for slot in slots:
        if otype == "AnnData" and slot not in ANNDATA_SLOTS:
            raise InvalidArgument(f"an AnnData has no slot '{slot}'; use {ANNDATA_SLOTS}")


# -- DataFrames -----------------------------------------------------------------------------
def validate_frame(df: Any, schema: Any, slot: str, context: Context) -> SlotCheck:
    """Columns against the schema's features, then each column against its feature."""
    if schema.itype and itype_target(schema.itype).registry != "Feature":
        values = [str(c) for c in df.columns]
        return validate_identifiers(values, df, schema, slot, context)
    result = SlotCheck(slot, schema, owner=context.owner)
    columns = {str(c): c for c in df.columns}
    members = members_of(schema) if schema.n_members else []
    matched, unknown = _match_columns(list(columns), members, schema, result, context)
    if unknown:
        result.checks.insert(0, _unknown_columns(unknown, schema, members, context))
    for name, feature in matched.items():
        result.checks.append(check_column(feature, df[columns[name]], schema, context))
    result.validated_features = list(matched.values())
    return result


def _match_columns(
    columns: list[str], members: list[Any], schema: Any, result: SlotCheck, context: Context
) -> tuple[dict[str, Any], list[str]]:
    """Column name -> Feature, and the columns no feature matches (those that matter)."""
    if not members:
        found = features_by_name(columns)
        return {c: found[c] for c in columns if c in found}, [c for c in columns if c not in found]
    by_name = {f.name: f for f in members}
    if schema.minimal_set:
        for name in (n for n in by_name if n not in columns):
            message = f"column '{name}'{context.where()} is required by the schema but missing"
            result.checks.append(
                FeatureCheck(name, "missing", message=message, feature=by_name[name])
            )
    if schema.ordered_set:
        order = [c for c in columns if c in by_name]
        if order != [n for n in by_name if n in columns]:
            message = f"columns{context.where()} are not in the schema's order: {list(by_name)}"
            result.checks.append(FeatureCheck("columns", "not_validated", message=message))
    extra = [c for c in columns if c not in by_name]
    if extra and schema.flexible:
        found = features_by_name(extra)
        by_name.update(found)
        extra = [c for c in extra if c not in found]
    matched = {c: by_name[c] for c in columns if c in by_name}
    return matched, extra if (schema.flexible or schema.maximal_set) else []


def _unknown_columns(
    unknown: list[str], schema: Any, members: list[Any], context: Context
) -> FeatureCheck:
    feature = registry_class("Feature")
    synonyms = synonym_map(feature, "name", unknown, None)
    choices = context.cache.choices(feature, "name", None)
    check = FeatureCheck("columns", "not_validated", n_values=len(unknown))
    check.non_validated = unknown
    check.synonyms = synonyms
    check.suggestions = suggest(unknown, synonyms, choices)
    check.warning_only = bool(schema.flexible) and not schema.maximal_set
    check.message = non_validated_message(
        "columns", unknown, synonyms, context.owner, context.slot_label
    )
    return check


def check_column(feature: Any, series: Any, schema: Any, context: Context) -> FeatureCheck:
    """One column against its feature: nulls, dtype (or coercion), categorical values."""
    name = feature.name
    check = FeatureCheck(name, feature=feature)
    dtype = parse_dtype(feature.dtype)
    values = series
    if not feature.nullable or dtype.kind in ("list", "dict"):  # else nulls pass unseen
        missing = series.isna()
        n_missing = int(missing.sum())
        if n_missing and not feature.nullable:
            return _mismatch(
                check,
                f"feature '{name}'{context.where()} is not nullable, but {n_missing} "
                f"value{'s are' if n_missing != 1 else ' is'} missing (NaN or None)",
            )
        values = series[~missing] if n_missing else series
    base = dtype
    if dtype.kind == "list":
        if not values.map(lambda v: isinstance(v, list | tuple) or hasattr(v, "tolist")).all():
            return _mismatch(check, f"feature '{name}'{context.where()} expects lists ({dtype})")
        values = values.explode().dropna()
        base = dtype.inner or dtype
    check.n_values = int(len(values))
    if base.kind == "cat":
        if base.targets:
            _check_categorical(check, values, base.targets, context)
        elif infer_kind(values) not in ("string", "empty"):
            _mismatch(check, f"feature '{name}'{context.where()} expects strings (dtype 'cat')")
        return check
    ok, detail = simple_dtype_ok(base.kind, values)
    coerce = feature.coerce if feature.coerce is not None else bool(schema.coerce)
    if not ok and coerce and dtype.kind != "list":
        try:
            coerce_series(base.kind, values)
            ok = True
        except (ValueError, TypeError) as exc:
            detail = f"{detail}; coercion failed: {exc}"
    if not ok:
        _mismatch(check, f"feature '{name}'{context.where()} expects dtype '{dtype}', got {detail}")
    return check


def _mismatch(check: FeatureCheck, message: str) -> FeatureCheck:
    check.status = "dtype_mismatch"
    check.message = message
    return check


def infer_kind(values: Any) -> str:
    """pandas' inferred kind of the values (of the categories, for categoricals)."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories)
    if not pd.api.types.is_object_dtype(values.dtype):
        return str(values.dtype)
    return pd.api.types.infer_dtype(values, skipna=True)


NUMERIC_INFERRED = ("integer", "floating", "mixed-integer-float", "decimal", "empty")
ALLOWED_INFERRED = {
    "str": ("string", "empty"),
    "int": ("integer", "empty"),
    "float": NUMERIC_INFERRED,
    "num": NUMERIC_INFERRED,
    "bool": ("boolean", "empty"),
    "date": ("date", "datetime", "datetime64", "empty"),
    "datetime": ("datetime", "datetime64", "empty"),
}


def simple_dtype_ok(kind: str, values: Any) -> tuple[bool, str]:
    """Whether values fit a non-categorical kind, and what they are when they do not."""
    import pandas as pd
    from pandas.api import types as pt

    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return simple_dtype_ok(kind, pd.Series(values.cat.categories))
    if kind == "dict":
        ok = pt.is_object_dtype(dtype) and all(isinstance(v, dict) for v in values)
        return ok, "values that are not all dicts"
    if not pt.is_object_dtype(dtype):
        is_bool = pt.is_bool_dtype(dtype)
        ok = {
            "str": pt.is_string_dtype(dtype),
            "int": pt.is_integer_dtype(dtype) and not is_bool,
            "float": pt.is_numeric_dtype(dtype) and not is_bool,
            "num": pt.is_numeric_dtype(dtype) and not is_bool,
            "bool": is_bool,
            "date": pt.is_datetime64_any_dtype(dtype),
            "datetime": pt.is_datetime64_any_dtype(dtype),
        }.get(kind, False)
        return ok, f"{dtype} values{_examples(values)}"
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return inferred in ALLOWED_INFERRED.get(kind, ()), f"{inferred} values{_examples(values)}"


def _examples(values: Any) -> str:
    head = list(values.head(3))
    return f" (e.g. {quoted(head)})" if head else ""


def coerce_series(kind: str, values: Any) -> Any:
    """values converted to kind; ValueError when they cannot be."""
    import pandas as pd

    if kind in ("int", "float", "num"):
        numbers = pd.to_numeric(values, errors="raise")
        if kind == "int" and not (numbers.dropna() % 1 == 0).all():
            raise ValueError("some values are not whole numbers")
        return numbers.astype(float) if kind == "float" else numbers
    if kind in ("date", "datetime"):
        return pd.to_datetime(values, errors="raise")
    if kind == "str":
        return values.astype(str)
    raise ValueError(f"cannot coerce to {kind}")


# -- categorical values ---------------------------------------------------------------------
def unique_values(values: Any) -> list[Any]:
    """Distinct non-null values: from categorical codes when categorical, else pd.unique."""
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories))
        return values.cat.categories[np.flatnonzero(counts)].tolist()
    return [v for v in pd.unique(values) if v is not None and v == v]


def _check_categorical(
    check: FeatureCheck,
    values: Any,
    targets: tuple[CatTarget, ...],
    context: Context,
    registry: type | None = None,
) -> None:
    remaining = unique_values(values)
    check.n_values = len(remaining)
    for target in targets:
        model, field, type_id = context.resolve(target, registry)
        present = context.cache.present(model, field, type_id, remaining)
        if present.issuperset(remaining):  # the common case, checked in C
            in_registry, rest = remaining, []
        else:
            in_registry = [v for v in remaining if v in present]
            rest = [v for v in remaining if v not in present]
        public = public_terms(model, field, rest) if rest and type_id is None else set()
        resolution = CatResolution(target, model, field, type_id, in_registry)
        resolution.from_public = [v for v in rest if v in public]
        check.resolutions.append(resolution)
        remaining = [v for v in rest if v not in public]
    if not remaining:
        return
    first = check.resolutions[0]
    check.status = "not_validated"
    check.non_validated = remaining
    check.synonyms = synonym_map(first.registry, first.field, remaining, first.type_id)
    if len(check.synonyms) < len(remaining) and first.type_id is None:
        unmapped = [t for t in remaining if t not in check.synonyms]
        check.synonyms |= public_synonyms(first.registry, first.field, unmapped)
    choices = context.cache.choices(first.registry, first.field, first.type_id)
    check.suggestions = suggest(remaining, check.synonyms, choices)
    check.message = non_validated_message(
        check.name, remaining, check.synonyms, context.owner, context.slot_label
    )


# -- identifiers (var.T: the var index against a registry, and the matrix dtype) -------------
def validate_identifiers(
    values: list[Any], matrix: Any, schema: Any, slot: str, context: Context
) -> SlotCheck:
    """Identifiers (genes in var.T, or DataFrame columns) against the schema's itype."""
    import pandas as pd

    result = SlotCheck(slot, schema, owner=context.owner)
    target = itype_target(schema.itype)
    registry = itype_registry(schema.itype)
    check = FeatureCheck("var_index")
    _check_categorical(check, pd.Series(values, dtype=object), (target,), context, registry)
    result.checks.append(check)
    result.identifiers = check.resolutions[0] if check.resolutions else None
    _check_members(result, values, schema, registry, target, context)
    kinds = matrix_kinds(matrix)
    result.data_dtype = "num" if kinds and set(kinds) <= set("iuf") else None
    if schema.dtype and kinds:
        _check_matrix(result, parse_dtype(schema.dtype), kinds, context)
    return result


def _check_members(
    result: SlotCheck,
    values: list[Any],
    schema: Any,
    registry: type,
    target: CatTarget,
    context: Context,
) -> None:
    members = members_of(schema) if schema.n_members else []
    if not members:
        return
    field = field_of(registry, target)
    expected = [getattr(m, field) for m in members]
    present = set(values)
    missing = [v for v in expected if v not in present]
    if missing and schema.minimal_set:
        message = f"{len(missing)} identifiers{context.where()} required by the schema are missing: {quoted(missing)}"
        result.checks.append(FeatureCheck("var_index", "missing", message=message))
    extra = [v for v in values if v not in set(expected)]
    if extra and schema.maximal_set:
        message = (
            f"{len(extra)} identifiers{context.where()} are not in the schema: {quoted(extra)}"
        )
        result.checks.append(FeatureCheck("var_index", "not_validated", message=message))


def matrix_kinds(matrix: Any) -> list[str]:
    """numpy kind characters of a matrix (an array, a sparse matrix or a DataFrame)."""
    if matrix is None:
        return []
    dtypes = getattr(matrix, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "tolist"):
        return sorted({getattr(d, "kind", "O") for d in dtypes.tolist()})
    dtype = getattr(matrix, "dtype", None)
    return [dtype.kind] if dtype is not None else []


def _check_matrix(result: SlotCheck, dtype: Dtype, kinds: list[str], context: Context) -> None:
    allowed = {"int": "iu", "float": "fiu", "num": "fiu", "bool": "b", "str": "OUS"}.get(dtype.kind)
    if allowed is None or all(k in allowed for k in kinds):
        return
    found = ", ".join(sorted(kinds))
    message = (
        f"the data matrix{context.where()} has values of numpy kind '{found}', but the schema "
        f"expects dtype '{dtype}'"
    )
    result.checks.append(FeatureCheck("X", "dtype_mismatch", message=message))
