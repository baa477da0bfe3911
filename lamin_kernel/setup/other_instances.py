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
