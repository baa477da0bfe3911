"""The functions of `ln.setup`, with LaminDB's names and arguments.

`init`, `connect`, `disconnect` and `delete` manage instances (`instance.py` does the work);
`login`/`logout` switch the local user; `switch` and `merge` hand branch work to the
registered branch service (see `services.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import log
from ..errors import InvalidArgument
from . import instance, services
from . import settings_files as sf
from .users import login, logout

DEFAULT_STORAGE = "./storage"

__all__ = [
    "close",
    "connect",
    "delete",
    "disconnect",
    "init",
    "login",
    "logout",
    "merge",
    "switch",
]


def init(
    *,
    storage: str | Path = DEFAULT_STORAGE,
    name: str | None = None,
    db: str | None = None,
    modules: str | list[str] | None = None,
    **kwargs: Any,
) -> None:
    """Create an instance and make the current folder its development directory.

    Without `storage`, the data go to `./storage` and the instance is named after the
    current folder, as `git init` names nothing but works here.
    """
    _refuse_unknown(kwargs, "init")
    if name is None and str(storage) == DEFAULT_STORAGE and db is None:
        name = Path.cwd().resolve().name.lower()
    instance.init(str(storage), db=db, name=name, modules=modules, dev_dir=Path.cwd())


def connect(instance_name: str | None = None, **kwargs: Any) -> None:
    """Connect this process to an instance (by name or owner/name) and make it current."""
    slug = kwargs.pop("instance", instance_name)
    _refuse_unknown(kwargs, "connect")
    instance.connect(slug)


def disconnect(mute: bool = False, here: bool = False) -> None:
    """Forget the current instance, as LaminDB's: the global setting is cleared and this
    process's connection closed; `here=True` removes the nearest development directory's
    marker instead. `mute=True` prints nothing."""
    with log.muted(mute):
        instance.disconnect_from_terminal(here=here)


close = disconnect  # LaminDB's older name


def delete(slug: str, force: bool = False, require_empty: bool = True) -> int | None:
    """Delete an instance: its database (SQLite) and settings; stored files stay.

    Without `force`, asks for confirmation on the terminal and returns -1 when refused.
    """
    del require_empty  # artifacts' files are never removed by deleting the instance
    if not force:
        answer = input(f"Are you sure you want to delete instance {slug}? (y/n) ")
        if answer.strip().lower() not in {"y", "yes"}:
            return -1
    instance.delete(slug, force=True)
    return None


def switch(target: Any, *, space: bool = False, create: bool = False) -> None:
    """Work on branch `target` (a name, uid or Branch) from now on; `create=True` makes it.

    With `space=True`, new records go to space `target` from now on.
    """
    if space:
        if create:
            raise InvalidArgument("create=True makes branches; create a space with ln.Space()")
        services.branch_service().switch_space(target)
        return
    services.branch_service().switch(target, create=create)


def merge(branch: Any, *, target: Any = None) -> None:
    """Merge `branch` (a name, uid or Branch) into `target` (default: the current branch)."""
    services.branch_service().merge(branch, target=target)


def _refuse_unknown(kwargs: dict[str, Any], function: str) -> None:
    if kwargs:
        raise InvalidArgument(
            f"ln.setup.{function}() got unexpected argument(s): {', '.join(sorted(kwargs))}"
        )


def current_slug() -> str | None:
    """The slug of the instance this process uses by default, if any."""
    return sf.current_slug()
