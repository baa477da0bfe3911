"""Parents of bionty records: saving a term's ancestors and their links (walks and drawings:
`records/parents.py`, through `models.has_type.HasParents`).

A record made from a public source remembers its term (PendingAncestors). When it is saved —
by record.save() or ln.save([...]) — its ancestors are saved too, in bulk, and every
parent link among them is written, so the whole chain up to the root is in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached

from .. import log
from ..query.queryset import QuerySet
from ..records import persist
from ..records.can_curate import IN_CHUNK, WHOLE_COLUMN
from ..records.pending import clear_pending
from ..setup.session import read_session, write_transaction
from .links import PARENT_LINKS

if TYPE_CHECKING:
    from .terms import RecordFactory

ALL_BRANCHES = {"branch_id__gte": -1}


@dataclass
class PendingAncestors:
    """The work left for saving a record made from a public term: its ancestors and links."""

    factory: RecordFactory
    term_id: str

    def save(self, record: Any) -> None:
        save_with_ancestors(record, self.factory, self.term_id)


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


def find_ids(model: type, term_ids: list[str]) -> dict[str, int]:
    """term id -> record id, for the terms that are records (in any branch).

    Many terms: one read of the registry's (term, id) pairs instead of IN queries.
    """
    id_field = model.__lk_id_field__
    found: dict[str, int] = {}
    with read_session() as session:
        if len(term_ids) >= WHOLE_COLUMN:
            wanted = set(term_ids)
            stmt = (
                QuerySet(model).filter(**ALL_BRANCHES).statement(getattr(model, id_field), model.id)
            )
            return {term: rid for term, rid in session.execute(stmt) if term in wanted}
        for chunk in _chunks(term_ids):
            qs = QuerySet(model).filter(**ALL_BRANCHES, **{f"{id_field}__in": chunk})
            stmt = qs.statement(getattr(model, id_field), model.id)
            found.update({term: rid for term, rid in session.execute(stmt)})
    return found


def save_with_ancestors(record: Any, factory: RecordFactory, term_id: str) -> None:
    """Save a record (or adopt the row its term already has), then its ancestors and links."""
    clear_pending(record)
    model = type(record)
    existing = find_ids(model, [term_id])
    if record.id is None and term_id in existing:
        adopt(record, existing[term_id])
    else:
        persist.save_record(record)
    ontology = factory.ontology
    closure = (
        [term_id, *sorted(ontology.ancestors(term_id))]
        if term_id in ontology.table.index
        else [term_id]
    )
    ids = find_ids(model, closure)
    missing = [t for t in closure if t not in ids]
    if missing:
        created = factory.build_frame(ontology.terms(missing), pending=False)
        persist.save_records(created)
        ids.update({getattr(r, model.__lk_id_field__): r.id for r in created})
        log.info(f"saved {len(created)} parent records of {model.__name__} '{term_id}'")
    parents = ontology.terms(closure)["parents"]
    edges = {(ids[c], ids[p]) for c, ps in parents.items() for p in ps if c in ids and p in ids}
    link_parents(model, edges)
    state = sa_inspect(record)
    if state.session is not None and state.persistent:
        state.session.expire(record, ["parents", "children"])


def adopt(record: Any, record_id: int) -> None:
    """Make an unsaved record stand for the registry's row `record_id` (same term, saved earlier)."""
    model = type(record)
    with read_session() as session:
        row = session.get(model, record_id, populate_existing=True)
        for attr in sa_inspect(model).column_attrs:
            setattr(record, attr.key, getattr(row, attr.key))
        session.expunge(row)
        make_transient_to_detached(record)
        session.add(record)


def link_parents(model: type, edges: set[tuple[int, int]]) -> None:
    """Write the (child id, parent id) links that are not there yet."""
    if not edges:
        return
    link = PARENT_LINKS[model.__name__]
    with write_transaction() as session:
        present: set[tuple[int, int]] = set()
        for chunk in _chunks(sorted({c for c, _ in edges})):
            stmt = select(link.child_id, link.parent_id).where(link.child_id.in_(chunk))
            present.update((c, p) for c, p in session.execute(stmt))
        session.add_all([link(child_id=c, parent_id=p) for c, p in sorted(edges - present)])
