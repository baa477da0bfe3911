"""Dtypes as people read them: type uids replaced by the names of the types.

`cat[ULabel[2IbCDXCH]]` is stored; `cat[ULabel[Perturbation]]` is what `feature.dtype`
shows and `ULabel[Perturbation]` what describe() prints. A nested Record type reads as its
path from the root type: `Record[Sample[SubSample]]`.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from .dtypes import CatTarget, Dtype, parse_dtype
from .registries import registry_of, type_record


def type_path(record: Any) -> str:
    """'Sample[SubSample]' for a type under another type; its name for a root type."""
    names = [record.name]
    seen = {record.id}
    parent = getattr(record, "type", None)
    while parent is not None and parent.id not in seen:
        seen.add(parent.id)
        names.append(parent.name)
        parent = getattr(parent, "type", None)
    text = names[0]
    for name in names[1:]:
        text = f"{name}[{text}]"
    return text


def _named_target(target: CatTarget) -> CatTarget:
    if target.type_ref is None:
        return target
    try:
        found = type_record(registry_of(target), target.type_ref)
    except InvalidArgument:
        return target
    if found is None:
        return target
    return CatTarget(target.registry, target.field, type_path(found), target.filters)


def _named(dtype: Dtype) -> Dtype:
    if dtype.kind == "list" and dtype.inner is not None:
        return Dtype("list", inner=_named(dtype.inner))
    if dtype.kind == "cat" and dtype.targets:
        return Dtype("cat", targets=tuple(_named_target(t) for t in dtype.targets))
    return dtype


def dtype_with_names(text: str | None) -> str | None:
    """The dtype with type names in place of type uids (cat[ULabel[Perturbation]])."""
    if not text:
        return text
    try:
        return str(_named(parse_dtype(text)))
    except InvalidArgument:
        return text


def display_dtype(text: str | None) -> str:
    """How describe() shows a dtype: cat[ULabel[<uid>]] -> ULabel[Perturbation]."""
    if not text:
        return ""
    try:
        dtype = _named(parse_dtype(text))
    except InvalidArgument:
        return text
    return _shown(dtype)


def _shown(dtype: Dtype) -> str:
    if dtype.kind == "list" and dtype.inner is not None:
        return f"list[{_shown(dtype.inner)}]"
    if dtype.kind == "cat" and dtype.targets:
        return "|".join(str(t) for t in dtype.targets)
    return str(dtype)
