"""Instance lifecycle: init, connect, disconnect, delete."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import scoped_session

from .. import log, runtime
from ..db import bootstrap, statistics
from ..db.engine import make_engine, make_session_factory
from ..db.migrate import ensure_modules_current, known_modules
from ..db.uid import base62
from ..errors import InstanceNotSetupError, InvalidArgument
from . import dev_dirs, long_lived, services
from . import settings_files as sf
from .paths import instances_dir
from .storage_lookup import describe_storage
from .storage_roots import (
    claim_root,
    is_remote,
    marker_read,
    marker_write,
    normalize_root,
    refuse_owned_root,
    release_root,
    storage_type,
)

_NAME_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def init(
    storage: str,
    db: str | None = None,
    name: str | None = None,
    modules: list[str] | str | None = None,
    dev_dir: Path | None = None,
) -> sf.InstanceSettings:
    """Create an instance (or connect to the one already in `storage`) and make it current.

    `dev_dir` (`lamin init` passes the current folder) becomes a development directory of
    the instance: processes started inside it use this instance.
    """
    root = normalize_root(storage)
    module_list = _parse_modules(modules)
    existing = marker_read(root)
    if existing is not None and (db is None or _is_instance_db(db, existing)):
        found = sf.InstanceSettings(**existing)
        found.db_url = db or found.db_url  # the marker leaves PostgreSQL URLs out
        settings = _adopt_existing(root, found, db, module_list)
        _mark_dev_dir(dev_dir, settings.slug)
        return settings
    refuse_owned_root(root, existing)
    name = name or _default_name(root, db)
    if not _NAME_RULE.match(name):
        raise InvalidArgument(
            f"instance name '{name}' is not valid: use letters, digits, '-', '_' or '.'"
        )
    user = sf.load_user_settings()
    settings = sf.InstanceSettings(
        name=name,
        owner=user.handle,
        uid=base62(12),
        storage_root=root,
        db_url=db or _default_db_url(root, user.handle, name),
        modules=module_list,
    )
    if settings.slug in sf.list_instances():
        current = sf.load_instance(settings.slug)
        if current.storage_root != root:
            raise InvalidArgument(
                f"an instance '{settings.slug}' already exists with storage "
                f"{current.storage_root}; pick another --name or `lamin delete {name}`"
            )
    claim_root(root, settings)
    try:
        _create_database(settings, user)
    except BaseException:
        release_root(root, settings)
        raise
    sf.save_instance(settings)
    sf.set_current_slug(settings.slug)
    marked = _mark_dev_dir(dev_dir, settings.slug)
    where = f" in {marked}" if marked is not None else ""
    log.success(f"initialized lamindb: {settings.slug}{where}")
    connected = connect(settings.slug, quiet=True)
    services.set_up_modules(module_list)  # their default rows need the defaults above
    return connected


def _create_database(settings: sf.InstanceSettings, user: sf.UserSettings) -> None:
    """The new instance's tables and default rows, its user and its storage."""
    engine = make_engine(settings.db_url)
    try:
        ensure_modules_current(engine, settings.modules)
        with engine.begin() as conn:
            bootstrap.ensure_defaults(conn)
            user_id = bootstrap.ensure_user(conn, user.handle, user.uid, user.name)
            root = settings.storage_root
            bootstrap.ensure_storage(conn, root, storage_type(root), settings.uid, user_id)
    finally:
        engine.dispose()


def _mark_dev_dir(directory: Path | None, slug: str) -> Path | None:
    """Make `directory` a development directory of `slug` ($HOME never is one)."""
    if directory is None or dev_dirs.is_home(directory):
        return None
    return dev_dirs.mark(directory, slug)


def _adopt_existing(
    root: str, found: sf.InstanceSettings, db: str | None, modules: list[str]
) -> sf.InstanceSettings:
    """Connect to the instance a storage root already holds, following it if it was moved.

    Modules asked for that it lacks are added: connect() creates their tables.
    """
    if not found.db_url and db is None:
        raise InvalidArgument(
            f"storage {root} holds instance {found.slug} on PostgreSQL; pass its --db URL"
        )
    moved = found.storage_root != root and not is_remote(root)
    if moved:
        log.info(f"instance {found.slug} moved from {found.storage_root} to {root}")
        found.db_url = f"sqlite:///{Path(root) / '.lamindb' / 'lamin.db'}"
    new_modules = [m for m in modules if m not in found.modules]
    found.modules = sorted({*found.modules, *new_modules})
    old_root, found.storage_root = found.storage_root, root
    sf.save_instance(found)
    log.info(f"storage {root} already holds instance {found.slug}")
    if new_modules:
        log.info(f"adding module(s) {', '.join(new_modules)} to instance {found.slug}")
    settings = connect(found.slug)
    if new_modules and not moved:
        marker_write(root, found)
    if moved:
        engine = runtime.connection().engine  # type: ignore[union-attr]
        with engine.begin() as conn:
            bootstrap.move_storage_root(conn, old_root, root, found.uid)
        marker_write(root, found)
        settings = connect(found.slug, quiet=True)
    services.set_up_modules(new_modules)
    return settings


def connect(name_or_slug: str | None = None, *, quiet: bool = False) -> sf.InstanceSettings:
    """Connect this process to an instance and make it the current one for later processes."""
    slug = sf.resolve_slug(name_or_slug) if name_or_slug else sf.current_slug()
    if slug is None:
        raise InstanceNotSetupError(
            "no instance is set up; create one with: lamin init --storage ./mydata"
        )
    settings = sf.load_instance(slug)
    _refuse_lamindb_instance(settings)
    disconnect()
    conn_state, migrated = open_connection(settings)
    runtime.set_connection(conn_state)
    long_lived.freeze_after_setup()
    if sf.current_slug() != slug:
        sf.set_current_slug(slug)
    if migrated:
        log.info(f"migrated the database of {slug} to the current schema")
    if not quiet:
        log.info(f"connected lamindb: {slug}")
    return settings


def open_connection(
    settings: sf.InstanceSettings, session_info: dict | None = None
) -> tuple[runtime.Connection, bool]:
    """Open an instance's database: migrate it, make sure of its user and storage rows.

    Returns the connection (not made current) and whether a migration ran. `session_info`
    tags the sessions it makes (other instances carry their slug).
    """
    engine = make_engine(settings.db_url)
    try:
        migration = ensure_modules_current(engine, settings.modules)
        # the database decides: a module another machine added is there for everyone
        settings.modules = sorted(migration.modules)
        user = sf.load_user_settings()
        root = settings.storage_root
        with engine.begin() as conn:
            bootstrap.ensure_defaults(conn)
            user_id = bootstrap.ensure_user(conn, user.handle, user.uid, user.name)
            storage_id = bootstrap.ensure_storage(
                conn, root, storage_type(root), settings.uid, user_id
            )
            storage = describe_storage(conn, root, settings.uid)
            statistics.refresh_if_stale(conn)
    except Exception as exc:  # the database is unreachable or broken
        engine.dispose()
        raise InstanceNotSetupError(f"cannot open the database of {settings.slug}: {exc}") from exc
    factory = make_session_factory(engine)
    if session_info:
        factory.configure(info=session_info)
    opened = runtime.Connection(
        settings=settings,
        engine=engine,
        session_factory=scoped_session(factory),
        extras={
            "user_id": user_id,
            "storage_id": storage_id,
            "storage_root": root,
            "storage": storage,
            "modules": sorted(migration.modules),
        },
    )
    return opened, migration.migrated


def disconnect() -> None:
    """Close this process's connection (the current-instance setting stays)."""
    runtime.reset_connection()


def connect_from_terminal(name_or_slug: str, here: bool = False) -> sf.InstanceSettings:
    """`lamin connect`: the instance later processes use, here (`--here`) or everywhere.

    Inside another instance's development directory the global setting would have no
    effect there, so this is refused, as LaminDB does.
    """
    slug = sf.resolve_slug(name_or_slug)
    marked = dev_dirs.nearest_marked()
    if not here and marked is not None and marked[1] != slug and sf.known(marked[1]):
        raise InvalidArgument(
            f"You're trying to connect within the dev-dir of instance {marked[1]} "
            f"({marked[0]}). Either cd into another directory or run: lamin disconnect --here"
        )
    if here:
        folder = dev_dirs.mark(Path.cwd(), slug)
        settings = connect(slug, quiet=True)
        log.success(f"connected database {slug} to {folder}")
        return settings
    return connect(slug)


def disconnect_from_terminal(here: bool = False) -> None:
    """`lamin disconnect`: forget the current instance (`--here`: the cwd's dev-dir marker)."""
    if here:
        marked = dev_dirs.nearest_marked()
        if marked is None:
            log.info("the current folder is not a development directory")
            return
        dev_dirs.unmark(marked[0])
        log.success(f"disconnected {marked[1]} from {marked[0]}")
        return
    slug = sf.global_slug()
    sf.clear_global_slug()
    disconnect()
    log.success(f"disconnected {slug}" if slug else "no instance was current")


def delete(name_or_slug: str, *, force: bool = False, confirm: bool = True) -> None:
    """Delete an instance's settings and, for local instances, its database file."""
    slug = sf.resolve_slug(name_or_slug)
    settings = sf.load_instance(slug)
    if not force and confirm:
        raise InvalidArgument(f"deleting {slug} needs confirmation: pass force=True or --force")
    conn = runtime.connection()
    if conn is not None and conn.settings.slug == slug:
        disconnect()
    if settings.dialect == "sqlite":
        db_path = Path(settings.db_url.split("sqlite:///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        if not is_remote(settings.storage_root):
            marker = Path(settings.storage_root) / ".lamindb" / "lamin_kernel_instance.json"
            marker.unlink(missing_ok=True)
    sf.delete_instance_file(slug)
    marked = dev_dirs.nearest_marked()
    if marked is not None and marked[1] == slug:
        dev_dirs.unmark(marked[0], slug)
    log.success(f"deleted instance {slug}")


def _is_instance_db(db: str, marker: dict) -> bool:
    """Whether `db` is the database of the instance a storage marker names: a URL it is
    known by here, or (PostgreSQL markers leave the URL out) a database that holds it."""
    return db in _db_urls_of(marker) or (
        not marker.get("db_url") and bootstrap.holds_instance(db, str(marker.get("uid")))
    )


def _db_urls_of(marker: dict) -> set[str]:
    """The database URLs an instance recorded in a storage marker is known by on this machine."""
    urls = {marker["db_url"]}
    slug = f"{marker['owner']}/{marker['name']}"
    if slug in sf.list_instances():
        urls.add(sf.load_instance(slug).db_url)
    return urls


def _parse_modules(modules: list[str] | str | None) -> list[str]:
    if modules is None:
        return []
    items = modules.split(",") if isinstance(modules, str) else list(modules)
    known = set(known_modules())
    parsed = [m.strip() for m in items if m.strip()]
    unknown = [m for m in parsed if m not in known]
    if unknown:
        raise InvalidArgument(f"unknown module(s) {unknown}; available: {sorted(known)}")
    return parsed


def _default_name(root: str, db: str | None) -> str:
    if db:
        return db.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return root.rstrip("/").rsplit("/", 1)[-1].replace("s3://", "")


def _default_db_url(root: str, owner: str, name: str) -> str:
    if is_remote(root):
        path = instances_dir() / f"{owner}--{name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        log.info(f"the registry of {owner}/{name} is a SQLite file local to this machine: {path}")
        return f"sqlite:///{path}"
    folder = Path(root) / ".lamindb"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'lamin.db'}"


def _refuse_lamindb_instance(settings: sf.InstanceSettings) -> None:
    if settings.dialect != "sqlite" or is_remote(settings.storage_root):
        return
    root = Path(settings.storage_root)
    if not (root / ".lamindb" / "lamin.db").exists() and any(root.glob("*.lndb")):
        raise InstanceNotSetupError(
            f"{root} holds a LaminDB instance, which lamin_kernel does not open; "
            "create a new one with: lamin init --storage OTHER_DIR"
        )


def describe_instance() -> dict:
    """What `lamin info` prints, as a dict."""
    conn = runtime.connection()
    settings = conn.settings if conn is not None else sf.load_instance(sf.current_slug() or "")
    marked = dev_dirs.nearest_marked()
    info = {
        "instance": settings.slug,
        "branch": sf.load_user_settings().branches.get(settings.slug, "main"),
        "space": sf.load_user_settings().spaces.get(settings.slug, "all"),
        "dev_dir": marked[0] if marked is not None and marked[1] == settings.slug else None,
        "storage": settings.storage_root,
        "db": settings.db_url
        if settings.dialect == "sqlite"
        else sf.hide_password(settings.db_url),
        "modules": settings.modules,
        "user": sf.load_user_settings().handle,
        "settings_dir": str(instances_dir().parent),
    }
    if is_remote(settings.storage_root) and settings.dialect == "sqlite":
        info["note"] = (
            "the registry (SQLite) is local to this machine; teams use --db postgresql://"
        )
    return info
