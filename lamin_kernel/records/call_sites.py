"""Where in the user's code an artifact or collection was saved or loaded: the call site.

A notebook's call site is its cell (the id JupyterLab sends, the execution count, a hash of
the cell's source at that moment, the line inside the cell); a script's is the file and line
of the call. The run's input and output links store it (``lk_run_input_*``,
``lk_run_output_*``). Tracking knows the running cell or script and registers one provider
here; without one (no tracked run, a plain ``Run`` made by hand) nothing is recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

CELL_HASH_LENGTH = 16
MAX_FILE_LENGTH = 1024


@dataclass(frozen=True)
class CallSite:
    """The cell or the file and line that made the call; every field may be unknown."""

    cell_id: str | None = None
    execution_count: int | None = None
    cell_source_hash: str | None = None
    call_file: str | None = None
    call_line: int | None = None

    def link_values(self) -> dict[str, Any]:
        """The columns of a run's input or output link."""
        values = asdict(self)
        if values["call_file"] is not None:
            values["call_file"] = values["call_file"][-MAX_FILE_LENGTH:]
        return values


CallSiteProvider = Callable[[], CallSite | None]
CALL_SITE_COLUMNS = tuple(CallSite.__dataclass_fields__)

_provider: CallSiteProvider | None = None


def register_call_site_provider(provider: CallSiteProvider | None) -> None:
    """Who knows the running cell or script (``tracking`` registers itself; None removes)."""
    global _provider
    _provider = provider


def current_call_site() -> CallSite | None:
    """The call site of the save or load being recorded; None when nobody can tell.

    A failing provider never fails the save or load that asked: the link is stored without it.
    """
    if _provider is None:
        return None
    try:
        return _provider()
    except Exception:
        return None


def cell_source_hash(source: str) -> str:
    """The hash a cell's source is compared by: the first 16 hex digits of its SHA-256.

    The JupyterLab extension computes the same (``cells/hash.ts``) to tell whether a cell
    changed since it saved or loaded an artifact.
    """
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:CELL_HASH_LENGTH]
