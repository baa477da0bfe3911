"""Changes a curator makes to its data and registries: rename terms, make new records."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..records.registered import registered
from .checks import FeatureCheck, SlotCheck
from .slots import slot_data


def slot_frame(obj: Any, otype: str, slot: str) -> Any:
    """The DataFrame a slot's columns live in (the object, adata.obs, a modality's var...)."""
    if otype == "DataFrame" and slot == "columns":
        return obj
    data = slot_data(obj, otype, slot, f"{otype}Curator")
    return data.frame if data.kind == "identifiers" else data.data


def replace_terms(obj: Any, otype: str, slot: str, key: str, mapping: dict[Any, Any]) -> None:
    """Rename values of a column (or column names, or the var index) in place, vectorized."""
    mapping = {k: v for k, v in mapping.items() if k != v}
    if not mapping:
        return
    frame = slot_frame(obj, otype, slot)
    if key == "columns" and slot in ("var.T", "var") and otype == "AnnData":
        obj.var_names = list(rename_values(obj.var_names.to_series(), mapping))
    elif key == "columns" or (key == "var_index" and otype == "DataFrame"):
        frame.rename(columns=mapping, inplace=True)
    elif key == "var_index":
        obj.var_names = list(rename_values(obj.var_names.to_series(), mapping))
    elif key == "index":
        frame.index = rename_values(frame.index.to_series(), mapping).values
    elif isinstance(frame, dict):
        frame[key] = mapping.get(frame[key], frame[key])
    else:
        frame[key] = rename_values(frame[key], mapping)


def rename_values(series: Any, mapping: dict[Any, Any]) -> Any:
    """A Series with values renamed; categoricals keep their codes (categories merge)."""
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        renamed = [mapping.get(c, c) for c in series.cat.categories]
        unique = list(dict.fromkeys(renamed))
        position = {c: i for i, c in enumerate(unique)}
        remap = np.array([position[c] for c in renamed] + [-1])
        codes = remap[series.cat.codes.to_numpy()]
        values = pd.Categorical.from_codes(codes, categories=unique)
        return pd.Series(values, index=series.index, name=series.name)
    mapped = series.map(mapping)
    return mapped.where(mapped.notna(), series)


def infer_dtype(series: Any) -> str:
    """A feature dtype for a column: categorical -> cat[ULabel], numbers, bools, strings..."""
    import pandas as pd
    from pandas.api import types as pt

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "cat[ULabel]"
    if pt.is_bool_dtype(dtype):
        return "bool"
    if pt.is_integer_dtype(dtype):
        return "int"
    if pt.is_float_dtype(dtype):
        return "float"
    if pt.is_datetime64_any_dtype(dtype):
        return "datetime"
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if (
        inferred in ("mixed", "unknown-array")
        and series.dropna().map(lambda v: isinstance(v, list | tuple) or hasattr(v, "tolist")).all()
    ):
        return "list[str]"
    return {"integer": "int", "floating": "float", "boolean": "bool", "date": "date"}.get(
        inferred, "str"
    )


def new_records(
    slot: SlotCheck, check: FeatureCheck, terms: list[Any], frame: Any, **kwargs: Any
) -> list[Any]:
    """Unsaved records for terms: features for 'columns', else records of the registry."""
    if check.name == "columns" and slot.identifiers is None:
        feature = registered.Feature
        return [feature(name=str(t), dtype=infer_dtype(frame[t]), **kwargs) for t in terms]
    if not check.resolutions:
        raise InvalidArgument(f"'{check.name}' has no registry to add terms to")
    resolution = check.resolutions[0]
    model, field = resolution.registry, resolution.field
    extra = dict(kwargs)
    if resolution.type_id is not None:
        extra.setdefault("type", model.get(resolution.type_id))
    return [model(**{field: t}, **extra) for t in terms]
