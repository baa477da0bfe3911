"""Alembic environment: runs migrations on the engine handed over in the config.

Autogenerate compares one module at a time: `config.attributes["module"]` ("core" unless
given) picks the tables it may see — module tables carry the module's prefix (bionty: lkbt_),
so a core migration never picks up a module's tables and the other way round. Search
indexes (FTS5 tables, trigram indexes) and PostgreSQL prefix indexes (`db/prefix_indexes.py`)
are not in the models and never compared.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from lamin_kernel.db.prefix_indexes import is_prefix_index
from lamin_kernel.db.search_index import is_search_index_object
from lamin_kernel.db.unique_names import is_unique_name_index

MODULE_TABLE_PREFIXES = {"bionty": "lkbt_"}

engine = context.config.attributes["engine"]
module = context.config.attributes.get("module", "core")


def belongs_to_module(table_name: str | None) -> bool:
    """Whether a table is part of the module being compared (alembic_version never is)."""
    if table_name is None:
        return True
    prefix = MODULE_TABLE_PREFIXES.get(module)
    if prefix is not None:
        return table_name.startswith(prefix)
    return not any(table_name.startswith(p) for p in MODULE_TABLE_PREFIXES.values())


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    if is_search_index_object(name):  # written by hand in migrations (db/search_index.py)
        return False
    if type_ == "index" and is_prefix_index(name):  # written by hand (db/prefix_indexes.py)
        return False
    if type_ == "index" and is_unique_name_index(name):  # likewise (db/unique_names.py)
        return False
    if type_ == "table":
        return belongs_to_module(name)
    return belongs_to_module(parent_names.get("table_name"))


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    table = obj.name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return belongs_to_module(table)


with engine.connect() as connection:
    # One transaction for all steps: on PostgreSQL a failed step rolls back the whole upgrade.
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("target_metadata"),
        transaction_per_migration=False,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
