"""Which notebook cell is running, for the cell provenance of saves and loads.

Read from the execute request the kernel is answering: JupyterLab puts the cell's id in its
metadata (``cellId``); the code and the execution count come with it. A frontend that sends
no id (nbclient, ``jupyter execute``, older editors) still gets one when the code matches
exactly one code cell of the tracked notebook file as saved; else only the execution count is
known. Everything is computed once per executed cell and remembered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import runtime
from ..records.call_sites import CallSite, cell_source_hash
from ..tracking import state


class CurrentCell:
    """The ``CURRENT_CELL`` hook of one kernel."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self._message_id: str | None = None
        self._cell: CallSite | None = None
        self._notebook_ids = NotebookCellIds()

    def register(self) -> None:
        runtime.add_hook(state.CURRENT_CELL, self)

    def __call__(self) -> CallSite | None:
        parent = self._parent_message()
        if not parent or parent.get("header", {}).get("msg_type") != "execute_request":
            return None
        message_id = parent["header"].get("msg_id")
        if message_id != self._message_id or self._cell is None:
            self._cell = self._describe(parent)
            self._message_id = message_id
        return self._cell

    def _parent_message(self) -> dict[str, Any] | None:
        kernel = getattr(self.shell, "kernel", None)
        get_parent = getattr(kernel, "get_parent", None)
        parent = get_parent("shell") if get_parent is not None else None
        return parent if isinstance(parent, dict) else getattr(self.shell, "parent_header", None)

    def _describe(self, parent: dict[str, Any]) -> CallSite:
        code = (parent.get("content") or {}).get("code")
        metadata = parent.get("metadata") or {}
        cell_id = metadata.get("cellId") if isinstance(metadata, dict) else None
        if not isinstance(code, str):
            code = None
        if not isinstance(cell_id, str) or not cell_id:
            cell_id = None if code is None else self._notebook_ids.find(_tracked_path(), code)
        return CallSite(
            cell_id=cell_id,
            execution_count=None if code is None else self._execution_count(code),
            cell_source_hash=None if code is None else cell_source_hash(code),
        )

    def _execution_count(self, code: str) -> int | None:
        """The running cell's number, ``[n]`` in JupyterLab: IPython stores a cell's input
        under its number before running it (a silent execution is not numbered)."""
        history = getattr(getattr(self.shell, "history_manager", None), "input_hist_raw", None)
        if history and history[-1] == code:
            return len(history) - 1
        return None


def _tracked_path() -> Path | None:
    tracked = state.current()
    return None if tracked is None or tracked.kind != "notebook" else tracked.path


class NotebookCellIds:
    """Cell ids of a notebook file by their source, re-read when the file changes."""

    def __init__(self) -> None:
        self._stamp: tuple[Path, int] | None = None
        self._ids: dict[str, str | None] = {}

    def find(self, path: Path | None, code: str) -> str | None:
        """The id of the one code cell whose source is ``code``; None if none or several."""
        if path is None:
            return None
        try:
            stamp = (path, path.stat().st_mtime_ns)
            if stamp != self._stamp:
                self._ids = _ids_by_source(path)
                self._stamp = stamp
        except (OSError, ValueError):
            return None
        return self._ids.get(code)


def _ids_by_source(path: Path) -> dict[str, str | None]:
    notebook = json.loads(path.read_bytes())
    found: dict[str, str | None] = {}
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        found[text] = None if text in found else cell_id  # the same code twice: ambiguous
    return found
