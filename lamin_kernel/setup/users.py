"""Local users: `ln.setup.login(handle)` / `logout()`; there is no hub and no API key.

A user is a handle with a uid. Logging in as a handle seen before on this machine takes back
its uid, name and preferences (kept in `users/<handle>.json`), so records keep one creator;
logging out returns to the anonymous user.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from .. import log, runtime
from ..db.uid import base62
from ..errors import InvalidArgument
from .paths import settings_dir, write_private
from .settings_files import UserSettings, load_user_settings, save_user_settings

ANONYMOUS = "anonymous"
_HANDLE_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")


def _profile_path(handle: str):  # noqa: ANN202 - a Path
    return settings_dir() / "users" / f"{handle}.json"


def _remember(user: UserSettings) -> None:
    if user.handle != ANONYMOUS:
        write_private(_profile_path(user.handle), json.dumps(asdict(user), indent=2))


def _profile(handle: str) -> UserSettings | None:
    path = _profile_path(handle)
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    known = UserSettings.__dataclass_fields__
    return UserSettings(**{k: v for k, v in data.items() if k in known})


def login(user: str | None = None, *, name: str | None = None, **_: object) -> UserSettings:
    """Work as user `user` (a handle) from now on, in this and later processes."""
    if user is None:
        raise InvalidArgument("pass a handle to log in as, e.g. ln.setup.login('alice')")
    if not isinstance(user, str) or not _HANDLE_RULE.match(user) or user == ANONYMOUS:
        raise InvalidArgument(
            f"handle {user!r} is not valid: start with a letter or digit, then use letters, "
            "digits, '-', '_' or '.' (at most 30 characters)"
        )
    current = load_user_settings()
    _remember(current)
    if current.handle == user:
        chosen = current
    else:
        chosen = _profile(user) or UserSettings(handle=user, uid=base62(8))
        chosen.auto_track, chosen.openlineage = current.auto_track, current.openlineage
    if chosen.uid == UserSettings().uid:
        chosen.uid = base62(8)
    chosen.name = name or chosen.name
    save_user_settings(chosen)
    _remember(chosen)
    _forget_connection_user()
    log.success(f"logged in as {user}")
    return chosen


def logout() -> None:
    """Work as the anonymous user again (the profile is kept for the next login)."""
    current = load_user_settings()
    if current.handle == ANONYMOUS:
        log.info("already logged out")
        return
    _remember(current)
    anonymous = UserSettings(auto_track=current.auto_track, openlineage=current.openlineage)
    save_user_settings(anonymous)
    _forget_connection_user()
    log.success("logged out")


def _forget_connection_user() -> None:
    """The connected process creates records as the new user after it reconnects."""
    runtime.reset_connection()
