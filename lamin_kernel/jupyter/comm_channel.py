"""The kernel's side of the ``lamin_kernel`` comm (messages in docs/rest-api.md).

Kernel -> frontend: ``{"type": "status", ...}`` and ``{"type": "save_request", "request_id"}``.
Frontend -> kernel: ``{"type": "saved", "request_id"}``, handled through one table. A reply
is only read between cells (the shell channel is busy while a cell runs), so the kernel
never waits for one; it only remembers that a frontend answered once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import comm

TARGET_NAME = "lamin_kernel"


class CommChannel:
    """One comm to the frontend, opened on the first message and reopened after a close."""

    def __init__(self, create_comm: Callable[..., Any] | None = None) -> None:
        self._create_comm = create_comm
        self._comm: Any = None
        self.frontend_answered = False
        self.saved_requests: set[str] = set()
        self._handlers: dict[str, Callable[[dict[str, Any]], None]] = {"saved": self._on_saved}

    def send(self, data: dict[str, Any]) -> None:
        """Send a message; the first one travels with the comm's opening."""
        if self._comm is None:
            self._comm = self._open(data)
        else:
            self._comm.send(data)

    def request_save(self) -> str:
        """Ask the frontend to save the notebook; returns the request id."""
        request_id = uuid.uuid4().hex
        self.send({"type": "save_request", "request_id": request_id})
        return request_id

    def _open(self, data: dict[str, Any]) -> Any:
        # ipykernel replaces comm.create_comm with its own: look it up at call time
        create = self._create_comm or comm.create_comm
        channel = create(target_name=TARGET_NAME, data=data)
        channel.on_msg(self._on_msg)
        channel.on_close(self._on_close)
        return channel

    def _on_msg(self, message: dict[str, Any]) -> None:
        data = (message.get("content") or {}).get("data") or {}
        handler = self._handlers.get(data.get("type")) if isinstance(data, dict) else None
        if handler is not None:
            handler(data)

    def _on_close(self, _message: dict[str, Any]) -> None:
        self._comm = None  # no frontend target, or the frontend went away: reopen next time

    def _on_saved(self, data: dict[str, Any]) -> None:
        self.frontend_answered = True
        request_id = data.get("request_id")
        if isinstance(request_id, str):
            self.saved_requests.add(request_id)
