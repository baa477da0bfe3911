"""Cell provenance for people: which cells saved or loaded an artifact, and what each cell of
a notebook's latest run saved or loaded.

``artifact_cell_sites(record)`` answers "saved by cell [7] of analysis.ipynb in run …" and
"loaded by …" for an artifact or collection; ``notebook_cells(path)`` gives the cells of the
latest run of the notebook at ``path`` (or of a given run) with their inputs and outputs, as
JupyterLab's cell badges show them. Both are plain reads a notebook user can call too; the
server adds only where the notebook file lies in its root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from ..errors import InvalidArgument
from .call_sites import CALL_SITE_COLUMNS
from .provenance import describe_site, run_cells
from .registered import registered
from .run_links import link_model, read_rows
from .staleness import kind_of
from .transform_create import key_for_path

MAX_LOADED_BY = 50
Direction = Literal["input", "output"]


def _kind_of(record: Any) -> Literal["artifact", "collection"]:
    kind = kind_of(record)
    if kind is not None:
        return kind
    raise InvalidArgument(f"cell sites exist for artifacts and collections, not {record!r}")


def _site_rows(kind: str, direction: Direction, record_id: int, limit: int) -> list[Any]:
    link = link_model(kind, direction)  # type: ignore[arg-type]
    run, transform = registered.Run, registered.Transform
    statement = (
        select(
            link,
            run.uid,
            run.started_at,
            run.report_id,
            transform.uid,
            transform.key,
            transform.kind,
        )
        .join(run, run.id == link.run_id)
        .join(transform, transform.id == run.transform_id)
        .where(getattr(link, f"{kind}_id") == record_id)
        .order_by(link.run_id.desc())
        .limit(limit)
    )
    return read_rows(statement)


def _site(row: Any) -> dict[str, Any]:
    link, run_uid, started_at, report_id, transform_uid, key, transform_kind = row
    site: dict[str, Any] = {name: getattr(link, name) for name in CALL_SITE_COLUMNS}
    site.update(
        run={"uid": run_uid, "started_at": started_at, "has_report": report_id is not None},
        transform={"uid": transform_uid, "key": key, "kind": transform_kind},
    )
    site["text"] = describe_site(site)
    return site


def artifact_cell_sites(record: Any, limit: int = MAX_LOADED_BY) -> dict[str, Any]:
    """Where an artifact or collection was saved and where it was loaded, newest run first.

    ``{"saved_by": site | None, "loaded_by": [site]}``; a site is the call site (``cell_id``,
    ``execution_count``, ``cell_source_hash``, ``call_file``, ``call_line``) with its
    ``run`` (``uid``, ``started_at``, ``has_report``), ``transform`` (``uid``, ``key``,
    ``kind``) and ``text`` ("cell [7] of analysis.ipynb"). ``saved_by`` is the site of the
    run that created the record (``record.run``); a run that saved the same content again
    is not it. ``loaded_by`` holds at most ``limit`` sites.
    """
    kind = _kind_of(record)
    if record.id is None:
        return {"saved_by": None, "loaded_by": []}
    saved_by = None
    if record.run_id is not None:
        for row in _site_rows(kind, "output", record.id, limit=MAX_LOADED_BY):
            if row[0].run_id == record.run_id:
                saved_by = _site(row)
                break
    loaded_by = [_site(row) for row in _site_rows(kind, "input", record.id, limit=limit)]
    return {"saved_by": saved_by, "loaded_by": loaded_by}


def notebook_keys(path: Path) -> list[str]:
    """The transform keys a notebook file may be tracked under: its path in the development
    directory (what ``ln.track()`` uses), and its file name."""
    keys = [key_for_path(path)]
    return keys if path.name in keys else [*keys, path.name]


def latest_notebook_run(path: str | Path) -> Any | None:
    """The newest run of any version of the notebook's transform, or None if never tracked."""
    run, transform = registered.Run, registered.Transform
    keys = notebook_keys(Path(path))
    statement = (
        select(run.id)
        .join(transform, transform.id == run.transform_id)
        .where(transform.key.in_(keys), transform.kind == "notebook")
        .order_by(run.started_at.desc(), run.id.desc())
        .limit(1)
    )
    rows = read_rows(statement)
    return run.filter(id=rows[0][0]).one() if rows else None


def _run_header(run_id: int) -> dict[str, Any]:
    run, transform = registered.Run, registered.Transform
    statement = (
        select(run.uid, run.started_at, run.finished_at, transform.uid, transform.key)
        .join(transform, transform.id == run.transform_id)
        .where(run.id == run_id)
    )
    run_uid, started_at, finished_at, transform_uid, key = read_rows(statement)[0]
    return {
        "run": {"uid": run_uid, "started_at": started_at, "finished_at": finished_at},
        "transform": {"uid": transform_uid, "key": key},
    }


def notebook_cells(path: str | Path | None = None, run: Any | None = None) -> dict[str, Any]:
    """What each cell of a notebook's run saved and loaded: the given ``run``, else the
    latest run of the notebook at ``path``.

    ``{"run": {"uid", "started_at", "finished_at"} | None, "transform": {"uid", "key"} |
    None, "cells": run_cells(run)}``; without a run (never tracked) ``cells`` is empty.
    """
    if run is None:
        if path is None:
            raise InvalidArgument("notebook_cells() needs a notebook path or a run")
        run = latest_notebook_run(path)
    if run is None or run.id is None:
        return {"run": None, "transform": None, "cells": []}
    return {**_run_header(run.id), "cells": run_cells(run)}
