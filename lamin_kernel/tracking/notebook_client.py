"""An nbclient ``NotebookClient`` that sends each cell's id as JupyterLab does.

JupyterLab puts the id of the cell it runs into the execute request's metadata
(``{"cellId": ...}``); nbclient sends none. Reruns and tests execute notebooks through this
client, so their runs record the same cell ids as runs made in JupyterLab. nbclient is
imported on use only (it is heavy and optional for scripts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def cell_id_client(
    notebook: Any, before_cell: Callable[[], None] | None = None, **kwargs: Any
) -> Any:
    """A ``NotebookClient`` for ``notebook`` whose execute requests carry ``cellId``;
    ``before_cell`` is called before each cell (an exception there stops the notebook)."""
    from nbclient import NotebookClient

    sender = _CellIdSender(before_cell)
    client = NotebookClient(notebook, on_cell_execute=sender.before_cell, **kwargs)
    sender.client = client
    return client


class _CellIdSender:
    """Adds the cell's id to the next execute request the client's session builds."""

    def __init__(self, before_cell: Callable[[], None] | None = None) -> None:
        self.before = before_cell
        self.client: Any = None
        self.cell_id: str | None = None
        self._patched: Any = None

    def before_cell(self, cell: Any, cell_index: int) -> None:
        if self.before is not None:
            self.before()
        self.cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        session = self.client.kc.session
        if self._patched is not session:
            original = session.msg
            session.msg = lambda *args, **kwargs: self._message(original, *args, **kwargs)
            self._patched = session

    def _message(self, original: Any, msg_type: str, *args: Any, **kwargs: Any) -> Any:
        if msg_type == "execute_request" and self.cell_id is not None:
            # Session.msg(msg_type, content=None, parent=None, header=None, metadata=None)
            if len(args) >= 4:
                args = (*args[:3], {**(args[3] or {}), "cellId": self.cell_id}, *args[4:])
            else:
                kwargs["metadata"] = {**(kwargs.get("metadata") or {}), "cellId": self.cell_id}
            self.cell_id = None
        return original(msg_type, *args, **kwargs)
