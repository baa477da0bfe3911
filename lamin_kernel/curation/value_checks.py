"""Checking feature values before they are written, with the messages LaminDB prints.

`plan_values` turns {Feature: value} into rows to write (JSON values and label links) or into
one ValidationError that lists every problem; nothing is written when there is a problem.
Dtype problems are reported in the JSON layout of LaminDB's (pandera's) schema errors, so
code that searches them for `WRONG_DATATYPE` or "column 'x' not in dataframe" keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..records.registered import registered
from .checks import SchemaErrors, quoted
from .dtype_values import check_value
from .dtypes import Dtype, is_registry, parse_dtype, registry_label
from .feature_values import value_link
from .registries import Scope, all_terms, records_by_values, scope_of, type_record
from .value_links import ValueLink

PANDAS_NAMES = {bool: "bool", int: "int64", float: "float64"}


def missing_columns(errors: SchemaErrors, missing: list[str], present: list[str]) -> None:
    for name in missing:
        errors.add(
            "SCHEMA",
            "COLUMN_NOT_IN_DATAFRAME",
            name,
            "column_in_dataframe",
            f"column '{name}' not in dataframe. Columns in dataframe: {present}",
        )


def wrong_dtype(errors: SchemaErrors, name: str, dtype: str, got: str) -> None:
    errors.add(
        "SCHEMA",
        "WRONG_DATATYPE",
        name,
        f"dtype('{dtype}')",
        f"expected series '{name}' to have type {dtype}, got {got}",
    )


def series_dtype_name(value: Any) -> str:
    """The pandas dtype a one-value column of `value` would have."""
    return PANDAS_NAMES.get(type(value), "object")


@dataclass
class WritePlan:
    """Rows to write for validated values."""

    json: list[tuple[Any, Dtype, list[Any]]] = field(default_factory=list)
    links: list[tuple[ValueLink, list[int], int]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # terms that did not validate
    schema_errors: SchemaErrors = field(default_factory=SchemaErrors)

    @property
    def failed(self) -> bool:
        return bool(self.messages or self.schema_errors)


def is_empty(value: Any) -> bool:
    """None, NaN and empty containers add nothing."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, list | tuple | set | dict) and not value


def plan_values(owner: str, pairs: list[tuple[Any, Any]]) -> WritePlan:
    """Check (feature, value) pairs and collect the rows they become."""
    plan = WritePlan()
    for feature, value in pairs:
        if is_empty(value):
            continue
        dtype = parse_dtype(feature.dtype)
        if dtype.is_cat and dtype.cat_targets:
            _plan_labels(owner, plan, feature, dtype, value)
        else:
            _plan_json(plan, feature, dtype, value)
    return plan


def _plan_json(plan: WritePlan, feature: Any, dtype: Dtype, value: Any) -> None:
    coerce = bool(feature.coerce)
    if dtype.kind == "list" and not isinstance(value, list | tuple):
        plan.schema_errors.add(
            "DATA",
            "DATAFRAME_CHECK",
            feature.name,
            f"Column '{feature.name}' failed dtype check for '{dtype}': got object",
            f"Column '{feature.name}' failed series or dataframe validator 0: <Check "
            f"check_function: Column '{feature.name}' failed dtype check for '{dtype}': got "
            "object>",
        )
        return
    items = list(value) if isinstance(value, set) and dtype.kind != "list" else [value]
    checked = []
    for item in items:
        try:
            checked.append(check_value(dtype, item, coerce=coerce))
        except ValueError:
            wrong_dtype(plan.schema_errors, feature.name, str(dtype), series_dtype_name(item))
            return
    plan.json.append((feature, dtype, checked))


def _as_items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):  # QuerySet
        return list(value)
    if type(value).__name__ in ("Series", "Index", "ndarray", "Categorical"):
        return list(value)
    return [value]


def _plan_labels(owner: str, plan: WritePlan, feature: Any, dtype: Dtype, value: Any) -> None:
    items = [v for v in _as_items(value) if not is_empty(v)]
    if any(isinstance(v, int | float) and not isinstance(v, bool) for v in items):
        raise TypeError(
            "Type mismatch: identifiers are 'numeric' but field_values are 'str/categorical'."
        )
    found: dict[int, tuple[ValueLink, list[int]]] = {}
    names = []
    for item in items:
        if is_registry(type(item)):
            _plan_record(owner, plan, feature, dtype, item, found)
        else:
            names.append(item)
    scopes = [scope_of(t) for t in dtype.cat_targets]
    for scope in scopes:
        if not names:
            break
        records = records_by_values(scope, names)
        link = _link(owner, scope.model, plan, feature)
        if link is not None and records:
            found.setdefault(id(link), (link, []))[1].extend(r.id for r in records)
        known = {getattr(r, scope.field) for r in records}
        names = [n for n in names if n not in known]
    if names:
        plan.messages.append(not_validated_message(feature.name, names, scopes[0], None))
    for link, ids in found.values():
        plan.links.append((link, ids, feature.id))


def _link(owner: str, model: type, plan: WritePlan, feature: Any) -> ValueLink | None:
    link = value_link(owner, model)
    if link is None:
        plan.messages.append(
            f"{owner} records cannot hold values of {registry_label(model)} "
            f"(feature '{feature.name}')"
        )
    return link


def _plan_record(
    owner: str,
    plan: WritePlan,
    feature: Any,
    dtype: Dtype,
    record: Any,
    found: dict[int, tuple[ValueLink, list[int]]],
) -> None:
    model = type(record)
    if getattr(record, "id", None) is None:
        shown = getattr(record, model.__lk_name_field__ or "uid", None) or record.uid
        plan.messages.append(f"{model.__name__} {shown} is not saved.")
        return
    for target in dtype.cat_targets:
        scope = scope_of(target)
        if scope.model is not model:
            continue
        if not scope.holds_type(getattr(record, "type_id", None)):
            continue
        link = _link(owner, model, plan, feature)
        if link is not None:
            found.setdefault(id(link), (link, []))[1].append(record.id)
        return
    plan.messages.append(
        f"{model.__name__} '{getattr(record, 'name', record.uid)}' is not a valid value of "
        f"feature '{feature.name}' (dtype '{display_text(dtype)}')"
    )


def display_text(dtype: Dtype) -> str:
    from .dtype_display import display_dtype

    return display_dtype(str(dtype))


def creation_hint(scope: Scope, terms: list[Any]) -> str:
    """How LaminDB tells users to create the missing records."""
    module = getattr(scope.model, "__lk_module__", "core")
    if module == "bionty":
        return (
            f"  objects = bionty.{scope.model.__name__}.from_values({list(terms)!r}, "
            f"field='{scope.field}').save()"
        )
    prefix = "ln." if scope.model is registered.Record else ""
    return (
        f"  objects = {prefix}{scope.model.__name__}.from_values({list(terms)!r}, "
        f"field='{scope.field}', create=True).save()"
    )


def not_validated_message(
    name: str,
    terms: list[Any],
    scope: Scope,
    slot: str | None,
    synonyms: dict[str, str] | None = None,
) -> str:
    """'1 term not validated in feature ...', synonyms found, how to fix the others, and the
    valid values of a type: LaminDB's message."""
    n = len(terms)
    where = f" in slot '{slot}'" if slot else ""
    what = "columns" if name == "columns" else f"feature '{name}'"
    text = f"{n} term{'s' if n != 1 else ''} not validated in {what}{where}: {quoted(terms)}\n"
    synonyms = synonyms or {}
    if synonyms:
        m = len(synonyms)
        pairs = ", ".join(f'"{k}" → "{v}"' for k, v in synonyms.items())
        prefix = f".slots['{slot}']" if slot else ""
        text += (
            f"    {m} synonym{'s' if m != 1 else ''} found: {pairs}\n"
            f'    → curate synonyms via: curator{prefix}.cat.standardize("{name}")'
        )
    remaining = [t for t in terms if t not in synonyms]
    if remaining:
        if synonyms:
            text += "\n    for remaining terms:\n"
        text += (
            "    → fix typos, remove non-existent values, or create objects via:\n\n"
            + creation_hint(scope, remaining)
        )
        if scope.type_id is not None:
            type_rec = type_record(scope.model, scope.target.type_ref) if scope.target else None
            type_name = getattr(type_rec, "name", scope.type_id)
            text += (
                f"\n    → a valid label for subtype '{type_name}' has to be one of "
                f"{all_terms(scope)}"
            )
    return text.rstrip("\n")


def failure_message(host: Any, pairs: list[tuple[Any, Any]], plan: WritePlan) -> str:
    """LaminDB 2.12's "Failed to add features on ..." message for a failed plan."""
    shown = ", ".join(
        f"'{f.name}' ({f.dtype})={v!r}" if f.dtype else f"'{f.name}'={v!r}" for f, v in pairs
    )
    uid = getattr(host, "uid", None)
    head = f"Failed to add features on {type(host).__name__} (uid={uid}): {shown}. "
    parts = list(plan.messages)
    if plan.schema_errors:
        parts.append(plan.schema_errors.text())
    return head + "\n".join(parts)


def raise_failure(host: Any, pairs: list[tuple[Any, Any]], plan: WritePlan) -> None:
    if plan.failed:
        raise ValidationError(failure_message(host, pairs, plan))
