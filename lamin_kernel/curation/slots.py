"""Which part of a dataset each slot of a composite schema validates.

    DataFrame    columns (the frame itself), attrs, attrs:<key>[:<key>...]
    AnnData      obs, var.T (var names as identifiers), var (legacy: the same), uns, uns:<key>
    MuData       obs, uns..., <modality>:obs, <modality>:var.T, <modality>:uns:<key>
    SpatialData  attrs, attrs:<key>, tables:<table>:obs, tables:<table>:var.T

A slot resolves to a DataFrame (its columns are features), a dict (its keys are features) or
identifiers (a var index checked against a registry such as genes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument

ALLOWED = {
    "DataFrame": "Must be 'attrs'.",
    "AnnData": "Must be 'obs', 'var', 'var.T', 'uns' or 'uns:<key>'.",
    "MuData": "Must be 'obs', 'uns', '<modality>:obs', '<modality>:var.T' or '<modality>:uns:<key>'.",
    "SpatialData": "Must be 'attrs', 'attrs:<key>' or 'tables:<table>:obs|var.T'.",
}


@dataclass
class SlotData:
    """What a slot points at: a frame, a dict or identifiers with their matrix."""

    slot: str
    kind: str  # "frame" | "dict" | "identifiers"
    data: Any
    matrix: Any = None
    legacy_var: bool = False
    frame: Any = None  # for 'var': adata.var, validated as a frame when the schema has features


def _keys_path(container: Any, keys: list[str], root: str, slot: str) -> Any:
    """container[k1][k2]... with LaminDB's message when a key is missing."""
    current = container
    path = root
    for key in keys:
        if not isinstance(current, dict):
            raise InvalidArgument(
                f"Schema slot '{slot}' requires keys {root}"
                + "".join(f"['{k}']" for k in keys)
                + f" but key '{key}' not found. Available keys at this level: none (not a dict)."
            )
        if key not in current:
            available = ", ".join(f"'{k}'" for k in current) or "none"
            raise InvalidArgument(
                f"Schema slot '{slot}' requires keys {root}"
                + "".join(f"['{k}']" for k in keys)
                + f" but key '{key}' not found. Available keys at this level: {available}."
            )
        current = current[key]
        path += f"['{key}']"
    return current


def _unsupported(otype: str, curator: str, slot: str) -> InvalidArgument:
    return InvalidArgument(
        f"Slot '{slot}' is not supported for {curator}. {ALLOWED.get(otype, '')}".rstrip()
    )


def _anndata_slot(adata: Any, slot: str, curator: str) -> SlotData:
    if slot == "obs":
        return SlotData(slot, "frame", adata.obs)
    if slot in ("var.T", "var"):
        return SlotData(
            slot,
            "identifiers",
            list(adata.var.index),
            adata.X,
            legacy_var=slot == "var",
            frame=adata.var,
        )
    if slot == "uns":
        return SlotData(slot, "dict", dict(adata.uns))
    if slot.startswith("uns:"):
        keys = slot.split(":")[1:]
        return SlotData(slot, "dict", _keys_path(dict(adata.uns), keys, "uns", slot))
    raise _unsupported("AnnData", curator, slot)


def _dataframe_slot(df: Any, slot: str, curator: str) -> SlotData:
    if slot == "attrs":
        return SlotData(slot, "dict", dict(df.attrs))
    if slot.startswith("attrs:"):
        keys = slot.split(":")[1:]
        return SlotData(slot, "dict", _keys_path(dict(df.attrs), keys, "attrs", slot))
    raise _unsupported("DataFrame", curator, slot)


def _mudata_slot(mdata: Any, slot: str, curator: str) -> SlotData:
    if slot == "obs":
        return SlotData(slot, "frame", mdata.obs)
    if slot == "uns" or slot.startswith("uns:"):
        keys = slot.split(":")[1:]
        return SlotData(slot, "dict", _keys_path(dict(mdata.uns), keys, "uns", slot))
    modality, _, rest = slot.partition(":")
    if modality not in getattr(mdata, "mod", {}):
        raise _unsupported("MuData", curator, slot)
    return _anndata_slot(mdata.mod[modality], rest, curator)


def _spatialdata_slot(sdata: Any, slot: str, curator: str) -> SlotData:
    if slot == "attrs" or slot.startswith("attrs:"):
        keys = slot.split(":")[1:]
        return SlotData(slot, "dict", _keys_path(dict(sdata.attrs), keys, "attrs", slot))
    parts = slot.split(":")
    if len(parts) == 3 and parts[0] == "tables" and parts[1] in sdata.tables:
        return _anndata_slot(sdata.tables[parts[1]], parts[2], curator)
    raise _unsupported("SpatialData", curator, slot)


RESOLVERS = {
    "DataFrame": _dataframe_slot,
    "AnnData": _anndata_slot,
    "MuData": _mudata_slot,
    "SpatialData": _spatialdata_slot,
}


def slot_data(obj: Any, otype: str, slot: str, curator: str) -> SlotData:
    """The part of `obj` that `slot` validates; InvalidArgument naming valid slots."""
    resolver = RESOLVERS.get(otype)
    if resolver is None:
        raise InvalidArgument(f"{curator} does not support slots")
    return resolver(obj, slot, curator)


def dict_frame(values: dict[str, Any]) -> Any:
    """A one-row DataFrame of a dict's values (lists and dicts stay single cells)."""
    import pandas as pd

    return pd.DataFrame(
        {k: pd.Series([v], dtype=object if _nested(v) else None) for k, v in values.items()}
    )


def _nested(value: Any) -> bool:
    return isinstance(value, list | tuple | dict | set)
