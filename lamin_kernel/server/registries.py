"""Which registries the API serves and, per registry, the fields it may filter and sort on.

Only whitelisted names ever reach a query: the registry classes below, their public
columns (JSON columns excluded: they do not compare in SQL) and a few relation paths
(`ulabels__name`, `run__uid`, ...) to other served registries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.types import JSON, Boolean, DateTime, Float, Integer, Numeric

from .. import models
from ..errors import DoesNotExist
from ..query.counting import bounded_count
from ..query.dataframe import display_columns
from ..records.orm_internals import mapped_classes
from ..records.run_links import RUN_FILE_KIND
from ..setup.session import read_session
from .instance import ensure_connected

CORE_REGISTRIES = (
    "Artifact",
    "Collection",
    "Transform",
    "Run",
    "ULabel",
    "Record",
    "Project",
    "Reference",
    "Feature",
    "Schema",
    "Storage",
    "User",
    "Branch",
    "Space",
)


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str  # int, float, bool, datetime, str, json
    relation: str | None = None


@dataclass
class RegistrySpec:
    """A served registry: its class, module, public columns and filterable relation paths."""

    model: type
    module: str
    columns: list[FieldInfo] = field(default_factory=list)
    relations: list[FieldInfo] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model.__name__

    def column(self, name: str) -> FieldInfo | None:
        return next((f for f in self.columns if f.name == name), None)

    def filterable(self, name: str) -> FieldInfo | None:
        found = self.column(name) or next((f for f in self.relations if f.name == name), None)
        return found if found is not None and found.type != "json" else None

    def sortable(self, name: str) -> FieldInfo | None:
        found = self.column(name)
        return found if found is not None and found.type != "json" else None


def type_name(sql_type: Any) -> str:
    for cls, name in (
        (Boolean, "bool"),
        (Integer, "int"),
        (Float, "float"),
        (Numeric, "float"),
        (DateTime, "datetime"),
        (JSON, "json"),
    ):
        if isinstance(sql_type, cls):
            return name
    return "str"


def _bionty_classes() -> dict[str, type]:
    try:
        importlib.import_module("lamin_kernel.bionty")
    except ImportError:
        return {}
    found = {
        cls.__name__: cls
        for cls in mapped_classes()
        if getattr(cls, "__lk_module__", "core") == "bionty" and "uid" in cls.__table__.c
    }
    return dict(sorted(found.items()))


def served_classes() -> dict[str, type]:
    """name -> class: the core registries, and bionty's when the instance has the module."""
    classes = {name: getattr(models, name) for name in CORE_REGISTRIES}
    if "bionty" in ensure_connected().settings.modules:
        classes.update({k: v for k, v in _bionty_classes().items() if k not in classes})
    return classes


def _class_by_table(classes: dict[str, type]) -> dict[str, str]:
    return {cls.__table__.name: name for name, cls in classes.items()}


def _columns(model: type, by_table: dict[str, str]) -> list[FieldInfo]:
    fields = [FieldInfo("id", "int")]
    for attr in display_columns(model):
        column = inspect(model).columns[attr.key]
        target = next(iter(column.foreign_keys), None)
        relation = by_table.get(target.column.table.name) if target is not None else None
        fields.append(FieldInfo(attr.key, type_name(column.type), relation))
    return fields


def _relation_paths(model: type, classes: dict[str, type]) -> list[FieldInfo]:
    mapper = inspect(model)
    paths: dict[str, type] = {rel.key: rel.mapper.class_ for rel in mapper.relationships}
    for alias, target_path in getattr(model, "__lk_aliases__", {}).items():
        target: Any = model
        for part in target_path.split("__"):
            relationships = inspect(target).relationships
            if part not in relationships:  # an alias of a column (Feature.dtype_as_str)
                target = None
                break
            target = relationships[part].mapper.class_
        if target is not None:
            paths[alias] = target
    fields = []
    for path, target in sorted(paths.items()):
        if classes.get(target.__name__) is not target:
            continue
        for name in dict.fromkeys(["uid", getattr(target, "__lk_name_field__", None) or "uid"]):
            column = inspect(target).columns[name]
            fields.append(FieldInfo(f"{path}__{name}", type_name(column.type), target.__name__))
    return fields


@lru_cache(maxsize=64)
def _spec(model: type, served: tuple[tuple[str, type], ...]) -> RegistrySpec:
    classes = dict(served)
    return RegistrySpec(
        model=model,
        module=getattr(model, "__lk_module__", "core"),
        columns=_columns(model, _class_by_table(classes)),
        relations=_relation_paths(model, classes),
    )


def registry_spec(name: str) -> RegistrySpec:
    """The spec of a served registry; DoesNotExist (404) for any other name."""
    classes = served_classes()
    model = classes.get(name)
    if model is None:
        raise DoesNotExist(f"unknown registry '{name}'; served: {', '.join(sorted(classes))}")
    return _spec(model, tuple(sorted(classes.items())))


# Feature dtype -> filter value type; dict and list features are not filterable
FEATURE_TYPES = {"int": "int", "float": "float", "num": "float", "bool": "bool", "str": "str"}
FEATURE_TYPES |= {"date": "str", "datetime": "str", "cat": "str"}


def feature_type(dtype: str | None) -> str | None:
    """'cat[ULabel]' -> 'str', 'num' -> 'float', 'dict' -> None (not filterable)."""
    return FEATURE_TYPES.get((dtype or "").split("[", 1)[0])


def feature_fields(spec: RegistrySpec, limit: int = 200) -> list[FieldInfo]:
    """Features the records of this registry can be filtered by (artifacts only)."""
    if getattr(spec.model, "__lk_filter_resolver__", None) is None:
        return []
    taken = {f.name for f in spec.columns + spec.relations}
    features = models.Feature.filter(is_type=False).order_by("name")[:limit]
    return [
        FieldInfo(
            f.name, "str" if (f.dtype or "").startswith("cat") else f.dtype or "str", "Feature"
        )
        for f in features
        if f.name not in taken
    ]


def list_registries() -> dict[str, Any]:
    """GET registries: name, module, record count and fields of each served registry; a count
    past COUNT_CAP is the database's estimate (`count_exact` false), not a count of every row."""
    answer = []
    with read_session():  # one read transaction for every registry, not one per query
        for name in served_classes():
            spec = registry_spec(name)
            count = bounded_count(spec.model.filter())
            fields = spec.columns + spec.relations + feature_fields(spec)
            entry = {
                "name": name,
                "module": spec.module,
                "count": count.value,
                "count_exact": count.exact,
                "fields": [vars(f) for f in fields],
            }
            if name == "Artifact":  # tables hide them unless asked: their count says how many
                entry["run_files"] = spec.model.filter(kind=RUN_FILE_KIND).count()
            answer.append(entry)
    return {"registries": answer}
