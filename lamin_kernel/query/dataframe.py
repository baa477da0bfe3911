"""DataFrames of registry rows, built from column values without making ORM objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.types import DateTime

from .. import log
from ..db.statistics import estimated_rows
from ..errors import InvalidArgument
from ..setup.session import read_session

# up to this many rows a registry's default page counts the others exactly (a few ms at most)
COUNT_CAP = 10_000
TRAILING = ("is_locked", "created_at", "updated_at", "branch_id", "created_on_id", "space_id")


def display_columns(model: type) -> list[Any]:
    """Public columns in the tutorial's order: own fields, then bookkeeping, then links."""
    attrs = [a for a in inspect(model).column_attrs if a.key != "id"]
    public = [a for a in attrs if not a.columns[0].name.startswith("_")]

    def is_link(a: Any) -> bool:
        return bool(a.columns[0].foreign_keys) and a.key not in TRAILING

    own = [a for a in public if a.key not in TRAILING and not is_link(a)]
    trailing = [a for name in TRAILING for a in public if a.key == name]
    links = [a for a in public if is_link(a)]
    links.sort(key=lambda a: a.key == "created_by_id")
    return [getattr(model, a.key) for a in own + trailing + links]


def queryset_dataframe(
    qs: Any, limit: int | None, include: Any, announce: bool, features: Any = None
) -> Any:
    """The rows of a QuerySet as a DataFrame indexed by id.

    `features` (as in LaminDB): True or "queryset" adds a column per feature with values
    among the rows, like include="features"; a name or a list of names adds those only.
    """
    import pandas as pd

    model = qs.model
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidArgument(f"limit must be a non-negative integer or None, got {limit!r}")
    selected = qs if limit is None else qs[0:limit]
    columns = display_columns(model)
    names = [c.key for c in columns]
    with read_session() as session:
        rows = session.execute(selected.statement(model.id, *columns)).all()
    # column by column, with the index given: no row-wise object array, no set_index copy
    values = list(zip(*rows, strict=True)) if rows else [()] * (len(names) + 1)
    index = pd.Index(values[0], name="id", dtype="int64")
    df = pd.DataFrame(dict(zip(names, values[1:], strict=True)), index=index)
    for column in columns:
        if isinstance(column.type, DateTime) and column.key in df:
            df[column.key] = pd.to_datetime(df[column.key], utc=True)
    include, feature_names = _with_features(include, features)
    if include:
        df = _add_included(df, model, include)
    if feature_names is not None:
        keep = [c for c in df.columns if c in ("uid", "key") or c in feature_names]
        df = df[[*keep, *(n for n in feature_names if n not in keep and n in df.columns)]]
    if announce and limit is not None and len(df) == limit:
        _announce_total(qs, limit)
    return df


def _announce_total(qs: Any, shown: int) -> None:
    """Say how many records there are besides the page shown: counted up to COUNT_CAP rows,
    estimated past that (the database's statistics) rather than counted by a second scan."""
    from sqlalchemy import func

    model = qs.model
    capped = qs.statement(model.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    with read_session() as session:
        total = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
        estimate = None
        if total > COUNT_CAP and not qs.filters_beyond_visibility():
            estimate = estimated_rows(session.connection(), model.__table__.name)
    if total <= shown:
        return
    name, rest = model.__name__, "pass limit=None for all"
    if total <= COUNT_CAP:
        log.info(f"showing the latest {shown} of {total} {name} records; {rest}")
    elif estimate is not None and estimate > COUNT_CAP:
        log.info(
            f"showing the latest {shown} of about {estimate:,} {name} records (an estimate "
            f"from the database's statistics; .count() counts them); {rest}"
        )
    else:
        log.info(
            f"showing the latest {shown} of more than {COUNT_CAP:,} {name} records "
            f"(.count() counts them); {rest}"
        )


def _with_features(include: Any, features: Any) -> tuple[list[str], list[str] | None]:
    """include as a list, with "features" added when features= asks for any; the feature
    names to keep (None: all of them)."""
    paths = [] if not include else [include] if isinstance(include, str) else list(include)
    if features is None or features is False:
        return paths, None
    if "features" not in paths:
        paths.append("features")
    if features is True or features == "queryset":
        return paths, None
    names = [features] if isinstance(features, str) else [str(f) for f in features]
    return paths, names


def _add_included(df: Any, model: type, include: Any) -> Any:
    paths = [include] if isinstance(include, str) else list(include)
    # A registry may handle some include values itself: the hook returns the new DataFrame,
    # or None for values it does not know (Artifact: include="features").
    hook = getattr(model, "__lk_dataframe_include__", None)
    for path in paths:
        extended = hook(model, df, path) if hook is not None else None
        if extended is not None:
            df = extended
            continue
        parts = path.split("__")
        mapper = inspect(model)
        if len(parts) != 2 or parts[0] not in mapper.relationships:
            raise InvalidArgument(
                f"include='{path}' is not supported: use 'relation__field', e.g. 'ulabels__name'"
            )
        rel = mapper.relationships[parts[0]]
        target = rel.mapper.class_
        if parts[1] not in {a.key for a in inspect(target).column_attrs}:
            raise InvalidArgument(f"include='{path}': {target.__name__} has no field '{parts[1]}'")
        stmt = (
            select(model.id, getattr(target, parts[1]))
            .join(getattr(model, parts[0]))
            .where(model.id.in_(list(df.index)))
        )
        with read_session() as session:
            values: dict[int, set] = {}
            for rid, value in session.execute(stmt):
                values.setdefault(rid, set()).add(value)
        df[path] = [
            values.get(i) if rel.uselist else next(iter(values.get(i, {None}))) for i in df.index
        ]
    return df


def without_record_metadata(frame: Any, model: type, features: Any) -> Any:
    """`to_dataframe(record_metadata=False)`: a features table keeps the name field and the
    feature columns only; any other table has its id as a column, not as the index."""
    if not features:
        return frame.reset_index()
    name_field = getattr(model, "__lk_name_field__", None)
    columns = {a.key for a in inspect(model).column_attrs}
    kept = [c for c in frame.columns if c not in columns or c == name_field]
    if name_field in columns and name_field not in frame.columns:
        frame = frame.assign(**{name_field: _names_by_id(model, name_field, list(frame.index))})
        kept = [name_field, *kept]
    return frame[kept].reset_index(drop=True)


def _names_by_id(model: type, name_field: str, ids: list[Any]) -> list[Any]:
    with read_session() as session:
        rows = session.execute(
            select(model.id, getattr(model, name_field)).where(model.id.in_(ids))
        ).all()
    names = dict(rows)
    return [names.get(i) for i in ids]
