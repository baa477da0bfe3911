"""`ln.DB("owner/name")`: query the registries of another instance of this machine.

`db.Artifact.filter(...)`, `db.Record.get(name=...)`, `db.bionty.CellType.lookup()`: each
attribute is a QuerySet of that instance. Records read this way can be saved into the
connected instance (`record.save()` transfers them with what they refer to).
"""

from __future__ import annotations

from typing import Any

from . import models
from .query.queryset import QuerySet
from .setup import other_instances


class RegistryOfInstance:
    """A registry of another instance: its QuerySet's methods, but no constructor."""

    def __init__(self, model: type, db: DB) -> None:
        self._model = model
        self._db = db

    def _queryset(self) -> QuerySet:
        return QuerySet(self._model, other_instances.open_instance(self._db.slug))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queryset(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"cannot create records through DB('{self._db.slug}').{self._model.__name__}; "
            f"create them with ln.{self._model.__name__}(...).save(using='{self._db.slug}')"
        )

    def __repr__(self) -> str:
        return f"{self._model.__name__} of DB('{self._db.slug}')"


class ModuleOfInstance:
    """`db.bionty`: the registries of a module of another instance."""

    def __init__(self, module: Any, db: DB) -> None:
        self._module = module
        self._db = db

    def __getattr__(self, name: str) -> RegistryOfInstance:
        model = getattr(self._module, name, None)
        if not isinstance(model, type) or not hasattr(model, "__table__"):
            raise AttributeError(f"module has no registry '{name}'")
        return RegistryOfInstance(model, self._db)


class DB:
    """Query any registry of another instance: `ln.DB("owner/name").Artifact.filter(...)`."""

    def __init__(self, instance: str) -> None:
        self.slug = other_instances.resolve(instance)
        other = other_instances.open_instance(self.slug)
        self._modules = set(other.extras["modules"]) if other is not None else None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "bionty":
            return ModuleOfInstance(self._bionty(), self)
        model = getattr(models, name, None)
        if not isinstance(model, type) or not hasattr(model, "__table__"):
            raise AttributeError(
                f"Registry '{name}' not found in lamindb core registries. Use .bionty.{name} "
                "for the registries of bionty."
            )
        return RegistryOfInstance(model, self)

    def _bionty(self) -> Any:
        from . import bionty  # a module of the instance: loaded only when asked for

        modules = self._modules
        if modules is not None and "bionty" not in modules:
            raise AttributeError(f"Schema 'bionty' not available in instance '{self.slug}'.")
        return bionty

    def view(
        self,
        *,
        limit: int = 7,
        modules: str | None = None,
        registries: list[str] | None = None,
        df: Any = None,
    ) -> None:
        """Print the latest rows of every registry of that instance that has any; `modules`
        and `registries` narrow it, `df` prints that DataFrame instead (as `ln.view`)."""
        from .api import print_latest_rows
        from .setup.session import connection

        other = other_instances.open_instance(self.slug)  # None: the connected instance
        conn = other if other is not None else connection()
        print_latest_rows(
            conn,
            set(other.extras["modules"]) if other is not None else set(conn.settings.modules),
            limit=limit,
            modules=modules,
            registries=registries,
            df=df,
        )

    def __repr__(self) -> str:
        return f"DB('{self.slug}')"

    def __dir__(self) -> list[str]:
        names = [n for n in dir(models) if hasattr(getattr(models, n), "__table__")]
        return sorted({*names, "bionty", "view", "slug"})
