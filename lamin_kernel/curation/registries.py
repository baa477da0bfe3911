"""The registries a categorical dtype names: find them, scope them, read their terms.

Core registries come from the typed slots of `records.registered`; bionty ones from
`lamin_kernel.bionty.registry_by_name`, which the package's top registers as bionty's
registry finder (`setup.services`: this layer sits below bionty). A `Scope` is what a categorical target allows: the registry,
the field values are matched on, the type records must have (`ULabel[<type>]`) and the
`cat_filters` (`Artifact[schema__uid=...]`) as SQL conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, inspect, select

from ..errors import InvalidArgument
from ..query.lookups import build_condition
from ..records.registered import registered
from ..records.type_tree import typed_ids
from ..setup import services
from ..setup.session import connection, read_session, visible_branch_ids
from .dtypes import CatTarget

LABEL_REGISTRIES = ("ULabel", "Record", "Project", "Reference")
VALUE_REGISTRIES = (*LABEL_REGISTRIES, "User", "Artifact", "Run", "Collection", "Transform")
IN_CHUNK = 500
FETCH_ALL_ABOVE = 5000


def bionty_registry_finder() -> Callable[[str], type]:
    """How to find a bionty registry by class name (loads the module), or a clear error."""
    try:
        finder = services.module_registry_finder("bionty")
    except ImportError as exc:
        raise InvalidArgument(f"bionty registries are not available: {exc}") from exc
    if finder is None:
        raise InvalidArgument("bionty registries are not available in this installation")
    return finder


def load_modules() -> None:
    """Import the registry modules the connected instance has (their links register then)."""
    modules = connection().extras.get("modules") or []
    if "bionty" in modules:
        bionty_registry_finder()


def registry_of(target: CatTarget) -> type:
    """The registry class a target names; InvalidArgument when there is none."""
    if target.module == "bionty":
        finder = bionty_registry_finder()
        try:
            found = finder(target.class_name)
        except (LookupError, KeyError, AttributeError, InvalidArgument):
            found = None
        if found is None:
            raise InvalidArgument(
                f"dtype names registry '{target.registry}', which does not exist in "
                "lamin_kernel.bionty"
            )
        return found
    if target.module != "core" or target.registry not in VALUE_REGISTRIES:
        raise InvalidArgument(
            f"'{target.registry}' is an invalid dtype, has to be registry, e.g. ULabel or "
            "bionty.CellType"
        )
    return registered.named(target.registry)  # a dtype names it


def label_of(model: type) -> str:
    module = getattr(model, "__lk_module__", "core")
    return model.__name__ if module == "core" else f"{module}.{model.__name__}"


def name_field(model: type) -> str:
    return getattr(model, "__lk_name_field__", None) or "name"


def columns_of(model: type) -> set[str]:
    return {a.key for a in inspect(model).column_attrs}


def field_of(model: type, target: CatTarget) -> str:
    """The field whose values the target validates (its name field unless it names one)."""
    field_name = target.field or name_field(model)
    if field_name not in columns_of(model):
        raise InvalidArgument(f"{model.__name__} has no field '{field_name}' (dtype {target})")
    return field_name


def type_record(model: type, reference: str) -> Any | None:
    """The type record a dtype names, by uid (as stored) or by name (as older dtypes wrote)."""
    if "is_type" not in columns_of(model):
        raise InvalidArgument(f"{model.__name__} has no types; cannot use {reference}")
    with read_session() as session:
        base = select(model).where(model.is_type.is_(True))
        found = session.scalars(base.where(model.uid == reference).limit(1)).first()
        if found is None:
            found = session.scalars(
                base.where(model.name == reference, model.branch_id.in_(visible_branch_ids()))
                .order_by(model.id)
                .limit(1)
            ).first()
        return found


def type_id_of(model: type, target: CatTarget) -> int | None:
    """The id of the type record in ULabel[<type>]; InvalidArgument if it does not exist."""
    if target.type_ref is None:
        return None
    found = type_record(model, target.type_ref)
    if found is None:
        raise InvalidArgument(
            f"no {model.__name__} type '{target.type_ref}'; create it with "
            f"ln.{model.__name__}(name='{target.type_ref}', is_type=True).save()"
        )
    return int(found.id)


@dataclass(frozen=True)
class Scope:
    """The records a categorical target accepts, and the field values are matched on."""

    model: type
    field: str
    type_id: int | None = None
    filters: tuple[tuple[str, str], ...] = ()
    target: CatTarget | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return label_of(self.model)

    def conditions(self) -> list[Any]:
        """SQL conditions for the records users see as valid values of this target."""
        columns = columns_of(self.model)
        found = []
        if "branch_id" in columns:
            found.append(self.model.branch_id.in_(visible_branch_ids()))
        if "is_type" in columns:
            found.append(self.model.is_type.is_(False))
        if self.type_id is not None:  # records of the type and of its sub-types (sheets)
            found.append(self.model.id.in_(typed_ids(self.model, [self.type_id], None)))
        for key, value in self.filters:
            found.append(build_condition(self.model, key, _filter_value(value)))
        return found

    def holds_type(self, type_id: int | None) -> bool:
        """Whether records of this type id are valid values: the scope's type or a type
        under it (a sheet of a `Record[Type]`)."""
        if self.type_id is None or type_id == self.type_id:
            return True
        if type_id is None:
            return False
        under = typed_ids(self.model, [self.type_id], None).subquery()
        (column,) = under.c
        with read_session() as session:
            return session.execute(select(column).where(column == type_id)).first() is not None


def _filter_value(value: str) -> Any:
    return {"True": True, "False": False}.get(value, value)


def scope_of(target: CatTarget, model: type | None = None) -> Scope:
    """The scope of a target (the model may be given for identifier slots)."""
    model = model if model is not None else registry_of(target)
    return Scope(model, field_of(model, target), type_id_of(model, target), target.filters, target)


def plain_scope(model: type, field_name: str | None = None) -> Scope:
    return Scope(model, field_name or name_field(model))


def present_terms(scope: Scope, values: list[Any]) -> set[Any]:
    """Which of `values` the scope holds in its field (few values: IN queries; many: all)."""
    column = getattr(scope.model, scope.field)
    with read_session() as session:
        core = session.connection()  # plain rows: no ORM loading for many values
        if len(values) > FETCH_ALL_ABOVE:
            stmt = select(column).where(*scope.conditions())
            return {row[0] for row in core.execute(stmt).fetchall()}
        found: set[Any] = set()
        for i in range(0, len(values), IN_CHUNK):
            chunk = values[i : i + IN_CHUNK]
            stmt = select(column).where(column.in_(chunk), *scope.conditions())
            found.update(row[0] for row in core.execute(stmt).fetchall())
        return found


def all_terms(scope: Scope) -> list[str]:
    """Every value of the scope's field (for suggestions and messages)."""
    with read_session() as session:
        stmt = select(getattr(scope.model, scope.field)).where(*scope.conditions())
        return [v for v in session.execute(stmt).scalars() if isinstance(v, str)]


def synonym_map(scope: Scope, terms: list[str]) -> dict[str, str]:
    """Term -> canonical value, by case-insensitive match or the registry's `synonyms`."""
    if not terms:
        return {}
    wanted = {t.lower(): t for t in terms if isinstance(t, str)}
    column = getattr(scope.model, scope.field)
    has_synonyms = "synonyms" in columns_of(scope.model)
    columns = [column, scope.model.synonyms] if has_synonyms else [column]
    with read_session() as session:
        rows = session.execute(select(*columns).where(*scope.conditions())).all()
    found: dict[str, str] = {}
    for row in rows:
        canonical = row[0]
        names = [canonical] + (row[1].split("|") if has_synonyms and row[1] else [])
        for name in names:
            term = wanted.get(str(name).strip().lower())
            if term is not None and term != canonical and term not in found:
                found[term] = canonical
    return found


def public_synonyms(model: type, field_name: str, terms: list[Any]) -> dict[str, str]:
    """Term -> standard value by a bionty registry's own standardize (public synonyms too)."""
    standardize = getattr(model, "standardize", None)
    strings = [t for t in terms if isinstance(t, str)]
    if getattr(model, "__lk_module__", "core") != "bionty" or standardize is None or not strings:
        return {}
    try:
        standard = list(standardize(strings, field=field_name, mute=True))
    except Exception:  # a registry without a public source still validates; no synonyms then
        return {}
    return {t: s for t, s in zip(strings, standard, strict=False) if isinstance(s, str) and s != t}


def records_by_values(scope: Scope, values: Iterable[Any]) -> list[Any]:
    """Visible records of the scope whose field is one of values, in the order of values."""
    values = list(dict.fromkeys(values))
    column = getattr(scope.model, scope.field)
    found: dict[Any, Any] = {}
    with read_session() as session:
        for i in range(0, len(values), IN_CHUNK):
            stmt = select(scope.model).where(
                column.in_(values[i : i + IN_CHUNK]), *scope.conditions()
            )
            for record in session.scalars(stmt):
                found.setdefault(getattr(record, scope.field), record)
    return [found[v] for v in values if v in found]


def scope_source(scope: Scope) -> Any | None:
    """The ontology source a `cat_filters={"source": ...}` scope names, else None."""
    uid = dict(scope.filters).get("source__uid")
    if uid is None or getattr(scope.model, "__lk_module__", "core") != "bionty":
        return None
    source = registry_of(CatTarget("bionty.Source"))
    with read_session() as session:
        return session.scalars(select(source).where(source.uid == uid).limit(1)).first()


def public_terms(
    model: type, field_name: str, values: list[Any], source: Any | None = None
) -> set[Any]:
    """Which values the registry's public ontology (of `source`, if given) knows."""
    ontology = public_ontology(model, source)
    if ontology is None or not values:
        return set()
    try:
        ok = ontology.validate(values, field=field_name)
    except Exception:  # a field the public table lacks: nothing validates there
        return set()
    return {v for v, good in zip(values, ok, strict=True) if good}


def public_ontology(model: type, source: Any | None = None) -> Any | None:
    opener = getattr(model, "public", None)
    if getattr(model, "__lk_module__", "core") != "bionty" or opener is None:
        return None
    try:
        return opener(source=source) if source is not None else opener()
    except Exception:  # no offline source for this entity (CellMarker, Pathway)
        return None


@dataclass
class LinkSpec:
    """A link table and the names of its columns: owner, target and (optional) feature."""

    table: Table
    owner_column: str
    target_column: str
    feature_column: str | None


def link_spec(owner: type, target: type) -> LinkSpec | None:
    """The many-to-many relationship between owner and target registries, if owner has one."""
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


def module_available(model: type) -> bool:
    """Whether the connected instance has the tables of the registry's module."""
    module = getattr(model, "__lk_module__", "core")
    if module == "core":
        return True
    modules = connection().extras.get("modules")
    return modules is None or module in modules


def artifact_model() -> type:
    return registered.Artifact


def features_by_field(field_name: str, values: list[Any]) -> dict[Any, list[Any]]:
    """Visible features (not types) whose field is one of values, root features first.

    The ids are selected through Core and the records taken from the session where it holds
    them already: a query by feature name costs one small SELECT.
    """
    feature = registered.Feature
    column = getattr(feature, field_name, None)
    if column is None:
        raise InvalidArgument(f"Feature has no field '{field_name}'")
    wanted = list(dict.fromkeys(values))
    rows: list[tuple[int, Any]] = []
    with read_session() as session:
        for i in range(0, len(wanted), IN_CHUNK):
            stmt = (
                select(feature.id, column)
                .where(column.in_(wanted[i : i + IN_CHUNK]), *plain_scope(feature).conditions())
                .order_by(feature.type_id.is_not(None), feature.id)
            )
            rows.extend(session.execute(stmt).all())
        records = _records_by_id(session, feature, [r[0] for r in rows])
    found: dict[Any, list[Any]] = {}
    for record_id, value in rows:
        found.setdefault(value, []).append(records[record_id])
    return found


def _records_by_id(session: Any, model: type, ids: list[int]) -> dict[int, Any]:
    """Records by id: those the session holds already, the others in one query."""
    mapper = inspect(model)
    held = {i: session.identity_map.get(mapper.identity_key_from_primary_key([i])) for i in ids}
    found = {i: r for i, r in held.items() if r is not None}
    missing = [i for i in ids if i not in found]
    for i in range(0, len(missing), IN_CHUNK):
        stmt = select(model).where(model.id.in_(missing[i : i + IN_CHUNK]))
        found.update({r.id: r for r in session.scalars(stmt)})
    return found


@dataclass(frozen=True)
class FeatureRow:
    """What a query by feature needs of a feature, read without making an ORM object."""

    id: int
    name: str
    dtype: str | None
    type_id: int | None


def feature_row(name: str) -> FeatureRow | None:
    """The visible feature of this name (one without a type first), as a plain row."""
    feature = registered.Feature
    stmt = (
        select(feature.id, feature.name, feature.dtype, feature.type_id)
        .where(feature.name == name, *plain_scope(feature).conditions())
        .order_by(feature.type_id.is_not(None), feature.id)
        .limit(1)
    )
    with read_session() as session:
        row = session.execute(stmt).first()
    return FeatureRow(*row) if row is not None else None


def features_by_name(names: Iterable[str]) -> dict[str, Any]:
    """Visible Feature records (not types) by name, for the names that have one.

    Where a name is used by several features (under different feature types), the one
    without a type wins, as a name at the root of the hierarchy is what users mean.
    """
    wanted = [n for n in names if isinstance(n, str)]
    return {name: found[0] for name, found in features_by_field("name", wanted).items()}
