"""The current space: where new records of this user go in the connected instance.

`ln.setup.switch(name, space=True)` / `lamin switch --space NAME` set it, as a setting of the
user per instance like the current branch; `ln.track(space=...)` sets it for the process.
"""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import DoesNotExist, InvalidArgument
from ..models import Space
from ..query.q import Q
from ..setup import settings_files
from ..setup.session import connection, current_space_id, forget_space


def resolve_space(value: Any) -> Space:
    """A Space given as a record, a name or a uid."""
    if isinstance(value, Space):
        if value.id is None:
            raise DoesNotExist("Space must be saved.")
        return value
    if not isinstance(value, str):
        raise InvalidArgument(f"a space is named by a string, got {type(value).__name__}")
    found = Space.filter(Q(name=value) | Q(uid=value)).first()
    if found is None:
        known = ", ".join(s.name for s in Space.filter().order_by("id")) or "none"
        raise DoesNotExist(f"Space '{value}' not found (spaces: {known})")
    return found


def current_space() -> Space:
    return Space.get(current_space_id())


def switch_space(value: Any) -> Space:
    """New records of this user go to space `value` from now on (here and in later processes)."""
    space = resolve_space(value)
    slug = connection().settings.slug
    user = settings_files.load_user_settings()
    if space.id == 1:
        user.spaces.pop(slug, None)
    else:
        user.spaces[slug] = space.name
    settings_files.save_user_settings(user)
    forget_space()
    log.success(f"switched to space: {space.name}")
    return space
