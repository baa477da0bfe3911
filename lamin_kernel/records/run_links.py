"""A tracked run's input and output links, written with the call site of the load or save.

Inputs: ``lk_run_input_artifact`` / ``lk_run_input_collection`` (``run.input_artifacts``), one
row per run and record; the first load keeps its call site. Outputs: ``lk_run_output_*``, one
row for each record a run created, in the transaction that inserts the record, or recreated
(the same content again: the existing record is returned and linked, as LaminDB's
``recreating_runs``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from sqlalchemy import insert, select

from .. import runtime
from ..setup.session import read_session, write_transaction
from .call_sites import CALL_SITE_COLUMNS, CallSite, current_call_site
from .registered import registered
from .registry_protocols import RegistryRow

RUN_FILE_KIND = "__lamindb_run__"
Kind = Literal["artifact", "collection"]
_LINKS: dict[tuple[Kind, str], Callable[[], type[RegistryRow]]] = {
    ("artifact", "input"): lambda: registered.RunInputArtifact,
    ("collection", "input"): lambda: registered.RunInputCollection,
    ("artifact", "output"): lambda: registered.RunOutputArtifact,
    ("collection", "output"): lambda: registered.RunOutputCollection,
}


def read_rows(statement: Any) -> list[Any]:
    """The rows of one SELECT, in a read transaction that ends at once."""
    with read_session() as session:
        return list(session.execute(statement).all())


def link_model(kind: Kind, direction: Literal["input", "output"]) -> Any:
    return _LINKS[(kind, direction)]()


def add_input(kind: Kind, run_id: int, record_id: int) -> None:
    """Link a record as an input of a run (once), with the call site of this load."""
    link = link_model(kind, "input")
    column = getattr(link, f"{kind}_id")
    site = current_call_site() or CallSite()
    with write_transaction() as session:
        exists = session.execute(
            select(link.id).where(link.run_id == run_id, column == record_id)
        ).first()
        if exists is None:  # through the ORM: tracking counts inputs on its insert event
            session.add(link(run_id=run_id, **{f"{kind}_id": record_id}, **site.link_values()))


def output_call_site() -> CallSite | None:
    """Asked before a save's transaction: where the save was called, if a run is current."""
    if runtime.current_run() is None or runtime.connection_in_use() is not None:
        return None
    return current_call_site() or CallSite()


def add_outputs(session: Any, kind: Kind, records: Sequence[Any], site: CallSite | None) -> None:
    """Output links of the just-inserted records that the current run made (not run files)."""
    run = runtime.current_run()
    if site is None or run is None:
        return
    values = site.link_values()
    rows = [
        {"run_id": run.id, f"{kind}_id": record.id, **values}
        for record in records
        if record.id is not None
        and record.__dict__.get("run_id") == run.id
        and record.__dict__.get("kind") != RUN_FILE_KIND
    ]
    if rows:
        session.execute(insert(link_model(kind, "output")), rows)


def add_recreated(kind: Kind, record: Any) -> None:
    """A tracked run made a record that exists already (same content, returned by the hash
    lookup): link it as that run's output too, unless the run made or loaded it itself."""
    run = runtime.current_run()
    if run is None or runtime.connection_in_use() is not None or record.id is None:
        return
    if record.__dict__.get("run_id") == run.id or run.id is None:
        return
    column = f"{kind}_id"
    site = current_call_site() or CallSite()
    with write_transaction() as session:
        for direction in ("input", "output"):
            link = link_model(kind, direction)  # type: ignore[arg-type]
            found = session.execute(
                select(link.id).where(link.run_id == run.id, getattr(link, column) == record.id)
            ).first()
            if found is not None:
                return
        session.execute(
            insert(link_model(kind, "output")),
            [{"run_id": run.id, column: record.id, **site.link_values()}],
        )


def call_site_of(link: Any) -> dict[str, Any]:
    """The call-site columns of a link row as a dict."""
    return {name: getattr(link, name) for name in CALL_SITE_COLUMNS}
