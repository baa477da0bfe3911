"""Instances opened besides the connected one: `ln.DB("other")`, `save(using="other")`.

Each gets its own engine and sessions, tagged with the instance's slug, so that a record
loaded from it can tell where it lives (`connection_of(record)`). Code runs against such an
instance inside `using_instance(...)`: the session, the current user, branch and default
storage all follow (`runtime.using_connection`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import object_session

from .. import runtime
from ..errors import InstanceNotSetupError
from . import settings_files as sf
from .instance import open_connection
from .session import connection

SLUG_KEY = "lamin_slug"


def resolve(name_or_slug: str) -> str:
    """The slug of a known instance ('owner/name' or a name of one)."""
    if not isinstance(name_or_slug, str) or not name_or_slug.strip():
        raise InstanceNotSetupError(f"not an instance name: {name_or_slug!r}")
    return sf.resolve_slug(name_or_slug.strip())


def open_instance(name_or_slug: str) -> runtime.Connection | None:
    """The connection to another instance, opened once per process; None when it is the
    connected instance itself."""
    slug = resolve(name_or_slug)
    connection()  # connected first: the instance of this process
    current = runtime.default_connection()
    if current is not None and slug == current.settings.slug:
        return None
    opened = runtime.other_connection(slug)
    if opened is not None:
        return opened
    settings = sf.load_instance(slug)
    opened, _ = open_connection(settings, {SLUG_KEY: slug})
    runtime.set_other_connection(slug, opened)
    return opened


@contextmanager
def using_instance(name_or_slug: str | None) -> Iterator[runtime.Connection | None]:
    """Run a block against another instance (None or the connected one: no change)."""
    if name_or_slug is None:
        yield None
        return
    other = open_instance(name_or_slug)
    if other is None:
        yield None
        return
    with runtime.using_connection(other):
        yield other


def connection_of(record: Any) -> runtime.Connection | None:
    """The other instance a record was loaded from or saved into; None for the connected
    one (and for records not in any session yet)."""
    session = object_session(record)
    slug = session.info.get(SLUG_KEY) if session is not None else None
    if slug is None:
        return None
    other = runtime.other_connection(slug)
    current = runtime.default_connection()
    if other is None or (current is not None and current.settings.slug == slug):
        return None
    return other


def source_of(record: Any) -> runtime.Connection | None:
    """The instance a record was read from, when it is not the instance in use (then
    saving it means transferring it); None for new records and records of that instance."""
    session = object_session(record)
    if session is None:
        return None
    slug = session.info.get(SLUG_KEY)
    if slug is not None:
        source = runtime.other_connection(slug)
    else:
        default = runtime.default_connection()
        is_default = default is not None and session is default.session_factory()
        source = default if is_default else None
    target = runtime.connection()
    if source is None or target is None or source.settings.slug == target.settings.slug:
        return None
    return source


def slug_of(record: Any) -> str:
    """The slug of the instance a record lives in."""
    other = connection_of(record)
    return (other or connection()).settings.slug


def instance_of_arguments(args: tuple, kwargs: dict[str, Any]) -> runtime.Connection | None:
    """The other instance that records passed to a constructor live in (one level into lists,
    tuples and dicts): `ln.Record(name=..., type=remote_type)` is built against it."""
    if not runtime.has_other_connections():
        return None
    for value in (*args, *kwargs.values()):
        items = value if isinstance(value, list | tuple) else [value]
        if isinstance(value, dict):
            items = [*value.keys(), *value.values()]
        for item in items:
            candidates = item if isinstance(item, list | tuple) else [item]
            for candidate in candidates:
                if hasattr(candidate, "_sa_instance_state"):
                    found = connection_of(candidate)
                    if found is not None:
                        return found
    return None


class InInstance:
    """A helper object (a record's features manager, say) whose calls run against the
    instance its record lives in."""

    def __init__(self, target: Any, conn: runtime.Connection) -> None:
        self._target = target
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        with runtime.using_connection(self._conn):
            value = getattr(self._target, name)
        if not callable(value):
            return value

        def in_instance(*args: Any, **kwargs: Any) -> Any:
            with runtime.using_connection(self._conn):
                return value(*args, **kwargs)

        return in_instance

    def __getitem__(self, key: Any) -> Any:
        with runtime.using_connection(self._conn):
            return self._target[key]

    def __repr__(self) -> str:
        with runtime.using_connection(self._conn):
            return repr(self._target)


def bound_to_instance_of(record: Any, target: Any) -> Any:
    """`target` as is for records of the instance in use, else wrapped in InInstance."""
    conn = connection_of(record)
    return target if conn is None else InInstance(target, conn)
