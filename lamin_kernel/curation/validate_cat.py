"""Categorical terms and identifiers against their registries, one query per distinct set.

Values are reduced to their distinct values (categorical codes or `pd.unique`) and looked up
in their scope (registry, field, type, filters) in one query, or one read of the whole
registry when there are many; terms a public ontology knows are valid too (the records are
created when the dataset is saved). Terms that remain get LaminDB's message.
"""

from __future__ import annotations

from typing import Any

from .. import log
from .checks import CatResolution, FeatureCheck, SlotCheck
from .dtypes import CatTarget
from .registries import (
    Scope,
    plain_scope,
    public_synonyms,
    public_terms,
    registry_of,
    scope_of,
    scope_source,
    synonym_map,
)
from .schema import itype_registry, itype_target, members_of
from .suggest import TermCache, suggest
from .value_checks import not_validated_message


class Context:
    """What one validation run shares: the term cache, resolved scopes, the message owner."""

    def __init__(self, owner: str, slot_label: str | None) -> None:
        self.cache = TermCache()
        self.owner = owner
        self.slot_label = slot_label
        self._scopes: dict[tuple[CatTarget, Any], Scope] = {}

    def resolve(self, target: CatTarget, registry: type | None = None) -> Scope:
        key = (target, registry)
        if key not in self._scopes:
            self._scopes[key] = scope_of(target, registry)
        return self._scopes[key]

    def where(self) -> str:
        return f" in slot '{self.slot_label}'" if self.slot_label else ""

    def columns_message(self, columns: list[Any]) -> str:
        feature = plain_scope(registry_of_feature())
        return not_validated_message("columns", columns, feature, self.slot_label)


def registry_of_feature() -> type:
    from ..records.registered import registered

    return registered.Feature


def unique_values(values: Any) -> list[Any]:
    """Distinct non-null values: from categorical codes when categorical, else pd.unique."""
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories))
        return values.cat.categories[np.flatnonzero(counts)].tolist()
    return [v for v in pd.unique(values) if v is not None and v == v]


def check_categorical(
    check: FeatureCheck,
    values: Any,
    targets: tuple[CatTarget, ...],
    context: Context,
    registry: type | None = None,
) -> None:
    """Resolve the distinct values in each target in turn; the rest did not validate."""
    remaining = unique_values(values)
    check.n_values = len(remaining)
    for target in targets:
        scope = context.resolve(target, registry)
        present = context.cache.present(scope, remaining)
        if present.issuperset(remaining):  # the common case, checked in C
            in_registry, rest = remaining, []
        else:
            in_registry = [v for v in remaining if v in present]
            rest = [v for v in remaining if v not in present]
        source = scope_source(scope) if rest else None
        public = (
            public_terms(scope.model, scope.field, rest, source)
            if rest and scope.type_id is None and (source is not None or not scope.filters)
            else set()
        )
        resolution = CatResolution(
            target, scope.model, scope.field, scope.type_id, in_registry, scope=scope
        )
        resolution.source = source
        resolution.from_public = [v for v in rest if v in public]
        check.resolutions.append(resolution)
        remaining = [v for v in rest if v not in public]
    if remaining:
        _not_validated(check, remaining, context)


def _not_validated(check: FeatureCheck, remaining: list[Any], context: Context) -> None:
    first = check.resolutions[0].scope
    check.status = "not_validated"
    check.non_validated = remaining
    check.synonyms = synonym_map(first, [r for r in remaining if isinstance(r, str)])
    if len(check.synonyms) < len(remaining) and first.type_id is None:
        unmapped = [t for t in remaining if t not in check.synonyms]
        check.synonyms |= public_synonyms(first.model, first.field, unmapped)
    check.suggestions = suggest(remaining, check.synonyms, context.cache.choices(first))
    check.message = not_validated_message(
        check.name, remaining, first, context.slot_label, check.synonyms
    )


def validate_identifiers(
    values: list[Any], matrix: Any, schema: Any, slot: str, context: Context, legacy: bool = False
) -> SlotCheck:
    """Identifiers (genes in var.T, or DataFrame columns) against the schema's itype."""
    import pandas as pd

    result = SlotCheck(slot, schema, owner=context.owner)
    target = itype_target(schema.itype)
    registry = itype_registry(schema.itype)
    if legacy:
        log.warning(
            "auto-transposed `var` for backward compat, please indicate transposition in the "
            f"schema definition by calling out `.T`: slots={{'var.T': itype={_itype_code(schema.itype)}}}"
        )
    check = FeatureCheck("var_index" if legacy else "columns")
    check_categorical(check, pd.Series(values, dtype=object), (target,), context, registry)
    result.checks.append(check)
    result.identifiers = check.resolutions[0] if check.resolutions else None
    _check_members(
        result, values, schema, check.resolutions[0].scope if check.resolutions else None
    )
    kinds = matrix_kinds(matrix)
    result.data_dtype = "num" if kinds and set(kinds) <= set("iuf") else None
    if schema.dtype and kinds:
        _check_matrix(result, schema.dtype, kinds)
    return result


def _itype_code(itype: str) -> str:
    return "bt." + itype[len("bionty.") :] if itype.startswith("bionty.") else f"ln.{itype}"


def _check_members(result: SlotCheck, values: list[Any], schema: Any, scope: Scope | None) -> None:
    members = members_of(schema) if schema.n_members else []
    if not members or scope is None:
        return
    expected = [getattr(m, scope.field) for m in members]
    present = set(values)
    missing = [v for v in expected if v not in present]
    if missing and schema.minimal_set:
        for name in missing:
            result.schema_errors.add(
                "SCHEMA",
                "COLUMN_NOT_IN_DATAFRAME",
                str(name),
                "column_in_dataframe",
                f"column '{name}' not in dataframe. Columns in dataframe: {list(values)}",
            )
    extra = [v for v in values if v not in set(expected)]
    if extra and schema.maximal_set:
        for name in extra:
            result.schema_errors.add(
                "SCHEMA",
                "COLUMN_NOT_IN_SCHEMA",
                str(name),
                "column_in_schema",
                f"column '{name}' not in DataFrameSchema {expected}",
            )


def matrix_kinds(matrix: Any) -> list[str]:
    """numpy kind characters of a matrix (an array, a sparse matrix or a DataFrame)."""
    if matrix is None:
        return []
    dtypes = getattr(matrix, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "tolist"):
        return sorted({getattr(d, "kind", "O") for d in dtypes.tolist()})
    dtype = getattr(matrix, "dtype", None)
    return [dtype.kind] if dtype is not None else []


def _check_matrix(result: SlotCheck, dtype: str, kinds: list[str]) -> None:
    allowed = {"int": "iu", "float": "fiu", "num": "fiu", "bool": "b", "str": "OUS"}.get(dtype)
    if allowed is None or all(k in allowed for k in kinds):
        return
    found = ", ".join(sorted(kinds))
    result.schema_errors.add(
        "SCHEMA",
        "WRONG_DATATYPE",
        "X",
        f"dtype('{dtype}')",
        f"expected series 'X' to have type {dtype}, got numpy kind '{found}'",
    )


__all__ = ["Context", "check_categorical", "registry_of", "validate_identifiers"]
