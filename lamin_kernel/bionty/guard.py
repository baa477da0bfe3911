"""Refuse bionty queries on an instance that lacks the bionty module, with a message saying how.

`import lamin_kernel.bionty` defines its tables in every process, but only instances made or
extended with `--modules bionty` have them. A listener on every ORM execution checks
statements that touch a bionty table (`lkbt_*`) when the connected instance lacks the module:

- queries of bionty records, and core queries that filter by them
  (`ln.Artifact.filter(cell_types=...)`), raise InstanceNotSetupError saying how to add it;
- reads that start from a link table (a core record's labels, as describe() and the curators
  collect them) and lazy loads (artifact.cell_types) come back empty: nothing can be linked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import Join, Select, Subquery, TableClause

from .. import runtime
from ..errors import InstanceNotSetupError
from ..setup.session import connection

MODULE = "bionty"
TABLE_PREFIX = "lkbt_"
LINK_PREFIXES = ("lkbt_artifact_", "lkbt_schema_")


def instance_has_module(conn: runtime.Connection) -> bool | None:
    """Whether the connected instance has the bionty tables; None when unknown."""
    modules = conn.extras.get("modules")
    return None if modules is None else MODULE in modules


def missing_module_message(conn: runtime.Connection) -> str:
    settings = conn.settings
    return (
        f"instance {settings.slug} was set up without the bionty module, so it has no bionty "
        f"registries; add them with: lamin init --storage {settings.storage_root} --modules bionty"
    )


def require_module() -> None:
    """Raise InstanceNotSetupError unless the connected instance has the bionty module."""
    conn = connection()
    if instance_has_module(conn) is False:
        raise InstanceNotSetupError(missing_module_message(conn))


def mentions_bionty(statement: Any) -> bool:
    """Whether a statement reads or writes a bionty table anywhere (joins, EXISTS, ...)."""
    for element in visitors.iterate(statement):
        if isinstance(element, TableClause) and element.name.startswith(TABLE_PREFIX):
            return True
    return False


def root_table(statement: Any) -> str | None:
    """The table a SELECT starts from: its first FROM, through joins and subqueries."""
    node: Any = statement
    for _ in range(20):
        if isinstance(node, Select):
            froms = node.get_final_froms()
            node = froms[0] if froms else None
        elif isinstance(node, Join):
            node = node.left
        elif isinstance(node, Subquery):
            node = node.element
        elif isinstance(node, TableClause):
            return node.name
        else:
            return None
    return None


def _empty_result() -> IteratorResult:
    return IteratorResult(SimpleResultMetaData(["row"]), iter([]))


def _check_execute(state: ORMExecuteState) -> Any:
    conn = runtime.connection()
    if conn is None or instance_has_module(conn) is not False:
        return None
    if not mentions_bionty(state.statement):
        return None
    root = root_table(state.statement) if state.is_select else None
    if state.is_relationship_load or (root or "").startswith(LINK_PREFIXES):
        return _empty_result()
    raise InstanceNotSetupError(missing_module_message(conn))


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _check_execute):
        event.listen(Session, "do_orm_execute", _check_execute)
