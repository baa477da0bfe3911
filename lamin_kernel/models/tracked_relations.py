"""`record.branch`, `.created_on`, `.space`, `.created_by` and `.run` on every registry that
has the column behind them, as LaminDB's records have.

SQLModel cannot inherit relationships from a mixin, so they are added to the mapped classes
once they exist (`add_tracked_relations`, called where the registries are defined). They are
read-only: the constructors take `branch=` and `space=` and store the ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import inspect
from sqlalchemy.orm import relationship

# relation -> (column, target registry)
TRACKED = {
    "branch": ("branch_id", "Branch"),
    "created_on": ("created_on_id", "Branch"),
    "space": ("space_id", "Space"),
    "created_by": ("created_by_id", "User"),
    "run": ("run_id", "Run"),
}


def add_tracked_relations(models: Iterable[type]) -> None:
    """Give each registry the tracked relations it has a column for and lacks."""
    for model in models:
        mapper = inspect(model)
        table = model.__table__
        for name, (column, target) in TRACKED.items():
            if column not in table.c or name in mapper.attrs or model.__name__ == target == "Run":
                continue
            mapper.add_property(
                name, relationship(target, foreign_keys=[table.c[column]], viewonly=True)
            )


def add_foreign_key_relations(links: Iterable[type], renamed: dict[str, str] | None = None) -> None:
    """Give each link class a read-only relation per foreign key it lacks one for, named
    after the column (`project_id` -> `link.project`, `created_by_id` -> `link.created_by`),
    as LaminDB's link rows have; `renamed` maps "<Class>.<column>" to another name."""
    from sqlmodel.main import default_registry

    by_table = {mapper.local_table: mapper.class_ for mapper in default_registry.mappers}
    for link in links:
        mapper = inspect(link)
        for column in link.__table__.c:  # type: ignore[attr-defined]
            keys = list(column.foreign_keys)
            if len(keys) != 1 or not column.name.endswith("_id"):
                continue
            name = (renamed or {}).get(f"{link.__name__}.{column.name}", column.name[:-3])
            target = by_table.get(keys[0].column.table)
            if target is None or name in mapper.attrs or hasattr(link, name):
                continue
            mapper.add_property(name, relationship(target, foreign_keys=[column], viewonly=True))
