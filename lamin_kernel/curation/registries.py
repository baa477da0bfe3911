"""The registries a categorical dtype names: find them, read their terms, link their records.

Core registries come from `records.registry.registry_class`; bionty ones from
`lamin_kernel.bionty.registry_by_name`, imported through importlib on first use (a plugin:
this layer sits below both). Link tables are found by introspecting the relationships of
Artifact and Schema, so a registry that a module adds links like a core one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, inspect, select

from ..errors import InvalidArgument
from ..records.registry import registry_class
from ..setup.session import connection, end_read, get_session, visible_branch_ids
from .dtypes import CatTarget

LABEL_REGISTRIES = ("ULabel", "Record", "Project", "Reference")
IN_CHUNK = 500
FETCH_ALL_ABOVE = 5000


def bionty_module() -> Any:
    """lamin_kernel.bionty, or a clear error when it cannot be used."""
    try:
        return importlib.import_module("lamin_kernel.bionty")
    except ImportError as exc:
        raise InvalidArgument(f"bionty registries are not available: {exc}") from exc


def registry_of(target: CatTarget) -> type:
    """The registry class a target names; InvalidArgument when there is none."""
    if target.module == "bionty":
        module = bionty_module()
        finder = getattr(module, "registry_by_name", None)
        try:
            found = finder(target.class_name) if finder is not None else None
        except (LookupError, KeyError, AttributeError, InvalidArgument):
            found = None
        if found is None:
            raise InvalidArgument(
                f"dtype names registry '{target.registry}', which does not exist in "
                "lamin_kernel.bionty"
            )
        return found
    if target.module != "core" or target.registry not in LABEL_REGISTRIES:
        raise InvalidArgument(
            f"dtype names registry '{target.registry}', which does not exist; categorical "
            f"features use {', '.join(LABEL_REGISTRIES)} or bionty.<Registry>"
        )
    return registry_class(target.registry)


def field_of(model: type, target: CatTarget) -> str:
    """The field whose values the target validates (its name field unless it names one)."""
    field = target.field or getattr(model, "__lk_name_field__", None) or "name"
    if field not in {a.key for a in inspect(model).column_attrs}:
        raise InvalidArgument(f"{model.__name__} has no field '{field}' (dtype {target})")
    return field


def type_id_of(model: type, target: CatTarget) -> int | None:
    """The id of the type record in ULabel[TypeName]; InvalidArgument if it does not exist."""
    if target.type_name is None:
        return None
    if "is_type" not in {a.key for a in inspect(model).column_attrs}:
        raise InvalidArgument(f"{model.__name__} has no types; cannot use {target}")
    session = get_session()
    try:
        found = session.execute(
            select(model.id).where(
                model.name == target.type_name,
                model.is_type.is_(True),
                model.branch_id.in_(visible_branch_ids()),
            )
        ).first()
    finally:
        end_read(session)
    if found is None:
        raise InvalidArgument(
            f"no {model.__name__} type named '{target.type_name}'; create it with "
            f"ln.{model.__name__}(name='{target.type_name}', is_type=True).save()"
        )
    return int(found[0])


def _columns(model: type) -> set[str]:
    return {a.key for a in inspect(model).column_attrs}


def visible(model: type, type_id: int | None = None) -> list[Any]:
    """Conditions for records users see as valid values: visible branch, not a type, of type."""
    columns = _columns(model)
    conditions = []
    if "branch_id" in columns:
        conditions.append(model.branch_id.in_(visible_branch_ids()))
    if "is_type" in columns:
        conditions.append(model.is_type.is_(False))
    if type_id is not None:
        conditions.append(model.type_id == type_id)
    return conditions


def present_terms(model: type, field: str, values: list[Any], type_id: int | None) -> set[Any]:
    """Which of `values` the registry holds in `field` (few values: IN queries; many: all)."""
    column = getattr(model, field)
    session = get_session()
    try:
        core = session.connection()  # plain rows: no ORM loading for many values
        if len(values) > FETCH_ALL_ABOVE:
            stmt = select(column).where(*visible(model, type_id))
            return {row[0] for row in core.execute(stmt).fetchall()}
        found: set[Any] = set()
        for i in range(0, len(values), IN_CHUNK):
            chunk = values[i : i + IN_CHUNK]
            stmt = select(column).where(column.in_(chunk), *visible(model, type_id))
            found.update(row[0] for row in core.execute(stmt).fetchall())
        return found
    finally:
        end_read(session)


def all_terms(model: type, field: str, type_id: int | None) -> list[str]:
    """Every value of `field` in the registry (for suggestions)."""
    session = get_session()
    try:
        stmt = select(getattr(model, field)).where(*visible(model, type_id))
        return [v for v in session.execute(stmt).scalars() if isinstance(v, str)]
    finally:
        end_read(session)


def synonym_map(model: type, field: str, terms: list[str], type_id: int | None) -> dict[str, str]:
    """Term -> canonical value, by case-insensitive match or the registry's `synonyms`."""
    if not terms:
        return {}
    wanted = {t.lower(): t for t in terms if isinstance(t, str)}
    column = getattr(model, field)
    has_synonyms = "synonyms" in _columns(model)
    columns = [column, model.synonyms] if has_synonyms else [column]
    session = get_session()
    try:
        rows = session.execute(select(*columns).where(*visible(model, type_id))).all()
    finally:
        end_read(session)
    found: dict[str, str] = {}
    for row in rows:
        canonical = row[0]
        names = [canonical] + (row[1].split("|") if has_synonyms and row[1] else [])
        for name in names:
            term = wanted.get(str(name).strip().lower())
            if term is not None and term != canonical and term not in found:
                found[term] = canonical
    return found


def public_synonyms(model: type, field: str, terms: list[Any]) -> dict[str, str]:
    """Term -> standard value by a bionty registry's own standardize (public synonyms too)."""
    standardize = getattr(model, "standardize", None)
    strings = [t for t in terms if isinstance(t, str)]
    if getattr(model, "__lk_module__", "core") != "bionty" or standardize is None or not strings:
        return {}
    try:
        standard = list(standardize(strings, field=field, mute=True))
    except Exception:  # a registry without a public source still validates; no synonyms then
        return {}
    return {t: s for t, s in zip(strings, standard, strict=False) if isinstance(s, str) and s != t}


def records_by_values(
    model: type, field: str, values: Iterable[Any], type_id: int | None
) -> list[Any]:
    """Visible records whose field is one of values, in the order of values."""
    values = list(dict.fromkeys(values))
    column = getattr(model, field)
    found: dict[Any, Any] = {}
    session = get_session()
    try:
        for i in range(0, len(values), IN_CHUNK):
            stmt = select(model).where(
                column.in_(values[i : i + IN_CHUNK]), *visible(model, type_id)
            )
            for record in session.scalars(stmt):
                found.setdefault(getattr(record, field), record)
    finally:
        end_read(session)
    return [found[v] for v in values if v in found]


def public_terms(model: type, field: str, values: list[Any]) -> set[Any]:
    """Which values the registry's public ontology knows (bionty registries only)."""
    ontology = public_ontology(model)
    if ontology is None or not values:
        return set()
    try:
        ok = ontology.validate(values, field=field)
    except Exception:  # a field the public table lacks: nothing validates there
        return set()
    return {v for v, good in zip(values, ok, strict=True) if good}


def public_ontology(model: type) -> Any | None:
    opener = getattr(model, "public", None)
    if getattr(model, "__lk_module__", "core") != "bionty" or opener is None:
        return None
    try:
        return opener()
    except Exception:  # no offline source for this entity (CellMarker, Pathway)
        return None


def create_from_public(model: type, field: str, values: list[Any]) -> list[Any]:
    """Unsaved records for values of the public ontology (the registry's from_values)."""
    if not values:
        return []
    records = model.from_values(values, field=field)
    return list(records)


@dataclass
class LinkSpec:
    """A link table and the names of its columns: owner, target and (optional) feature."""

    table: Table
    owner_column: str
    target_column: str
    feature_column: str | None


def link_spec(owner: type, target: type) -> LinkSpec | None:
    """The many-to-many link between owner and target registries, if owner has one."""
    for rel in inspect(owner).relationships:
        if rel.mapper.class_ is not target or rel.secondary is None or rel.viewonly:
            continue
        owner_column = rel.synchronize_pairs[0][1].name
        target_column = rel.secondary_synchronize_pairs[0][1].name
        has_feature = "feature_id" in rel.secondary.c
        return LinkSpec(
            rel.secondary, owner_column, target_column, "feature_id" if has_feature else None
        )
    return None


def relation_name(owner: type, target: type) -> str | None:
    """The attribute of owner that lists target records (artifact.cell_types)."""
    for rel in inspect(owner).relationships:
        if rel.mapper.class_ is target and rel.secondary is not None and not rel.viewonly:
            return rel.key
    return None


def module_available(model: type) -> bool:
    """Whether the connected instance has the tables of the registry's module."""
    module = getattr(model, "__lk_module__", "core")
    if module == "core":
        return True
    modules = connection().extras.get("modules")
    return modules is None or module in modules


def label_registries(owner: type) -> list[type]:
    """Registries whose records link to owner with a feature (ULabel, bionty...), of modules
    the instance has."""
    result = []
    for rel in inspect(owner).relationships:
        linked = rel.secondary is not None and "feature_id" in rel.secondary.c
        if linked and module_available(rel.mapper.class_):
            result.append(rel.mapper.class_)
    return result


def artifact_model() -> type:
    return registry_class("Artifact")


def features_by_name(names: Iterable[str]) -> dict[str, Any]:
    """Visible Feature records (not types) by name, for the names that have one."""
    feature = registry_class("Feature")
    wanted = [n for n in dict.fromkeys(names) if isinstance(n, str)]
    found: dict[str, Any] = {}
    session = get_session()
    try:
        for i in range(0, len(wanted), IN_CHUNK):
            stmt = (
                select(feature)
                .where(feature.name.in_(wanted[i : i + IN_CHUNK]), *visible(feature))
                .order_by(feature.id)
            )
            for record in session.scalars(stmt):
                found.setdefault(record.name, record)
    finally:
        end_read(session)
    return found
