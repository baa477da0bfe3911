"""Rows every instance has: branches (main, archive, trash), the 'all' space, users, storages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from .engine import make_engine
from .uid import base62

DEFAULT_BRANCHES = ((-1, "trash"), (0, "archive"), (1, "main"))


def _now() -> datetime:
    return datetime.now(UTC)


def ensure_defaults(conn: Connection) -> None:
    """Insert the default branches and the 'all' space if missing (idempotent)."""
    if conn.execute(text("SELECT id FROM lk_space WHERE id = 1")).first() is None:
        conn.execute(
            text("INSERT INTO lk_space (id, uid, name, created_at) VALUES (1, :u, 'all', :t)"),
            {"u": "a" * 12, "t": _now()},
        )
    existing = {row[0] for row in conn.execute(text("SELECT id FROM lk_branch"))}
    for branch_id, name in DEFAULT_BRANCHES:
        if branch_id not in existing:
            conn.execute(
                text(
                    "INSERT INTO lk_branch (id, uid, name, status, created_at)"
                    " VALUES (:i, :u, :n, 'standalone', :t)"
                ),
                {"i": branch_id, "u": name.ljust(12, "0")[:12], "n": name, "t": _now()},
            )
    _fix_sequences(conn)


def _fix_sequences(conn: Connection) -> None:
    # PostgreSQL sequences do not move when ids are inserted explicitly.
    if conn.dialect.name != "postgresql":
        return
    for table in ("lk_branch", "lk_space"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
        )


def ensure_user(conn: Connection, handle: str, uid: str, name: str | None) -> int:
    """The id of the user with this handle, inserting the user if new."""
    row = conn.execute(text("SELECT id FROM lk_user WHERE handle = :h"), {"h": handle}).first()
    if row is not None:
        return int(row[0])
    conn.execute(
        text(
            f"INSERT INTO lk_user (uid, handle, name, created_at{_updated_at(conn, 'lk_user')})"
            f" VALUES (:u, :h, :n, :t{_updated_at(conn, 'lk_user', ':t')})"
        ),
        {"u": uid, "h": handle, "n": name, "t": _now()},
    )
    return int(
        conn.execute(text("SELECT id FROM lk_user WHERE handle = :h"), {"h": handle}).one()[0]
    )


def _updated_at(conn: Connection, table: str, value: str = "updated_at") -> str:
    """', updated_at' (or ', <value>') where the table has that column: a database still at
    an older schema (before migration 0013_compat) is bootstrapped before it is upgraded."""
    names = {column["name"] for column in inspect(conn).get_columns(table)}
    return f", {value}" if "updated_at" in names else ""


def ensure_storage(
    conn: Connection,
    root: str,
    type_: str,
    instance_uid: str | None,
    user_id: int,
    region: str | None = None,
) -> int:
    """The id of the storage with this root, inserting it if new."""
    row = conn.execute(text("SELECT id FROM lk_storage WHERE root = :r"), {"r": root}).first()
    if row is not None:
        return int(row[0])
    conn.execute(
        text(
            "INSERT INTO lk_storage (uid, root, type, region, instance_uid, is_locked, created_at"
            f"{_updated_at(conn, 'lk_storage')}, branch_id, created_on_id, space_id, created_by_id)"
            f" VALUES (:u, :r, :ty, :rg, :iu, :f, :t{_updated_at(conn, 'lk_storage', ':t')},"
            " 1, 1, 1, :cb)"
        ),
        {
            "u": base62(12),
            "r": root,
            "ty": type_,
            "rg": region,
            "iu": instance_uid,
            "f": False,
            "t": _now(),
            "cb": user_id,
        },
    )
    return int(
        conn.execute(text("SELECT id FROM lk_storage WHERE root = :r"), {"r": root}).one()[0]
    )


def move_storage_root(conn: Connection, old_root: str, new_root: str, instance_uid: str) -> None:
    """Point the instance's own storage row at its new folder (the folder was moved)."""
    conn.execute(
        text(
            "DELETE FROM lk_storage WHERE root = :new AND id NOT IN "
            "(SELECT DISTINCT storage_id FROM lk_artifact)"
        ),
        {"new": new_root},
    )
    conn.execute(
        text("UPDATE lk_storage SET root = :new WHERE root = :old AND instance_uid = :iu"),
        {"new": new_root, "old": old_root, "iu": instance_uid},
    )


def storage_row(conn: Connection, root: str) -> dict | None:
    """The storage row with this root (id, uid, root, type, region, instance_uid), if any."""
    row = conn.execute(
        text("SELECT id, uid, root, type, region, instance_uid FROM lk_storage WHERE root = :r"),
        {"r": root},
    ).first()
    return None if row is None else dict(row._mapping)


def holds_instance(db_url: str, instance_uid: str) -> bool:
    """Whether the database at `db_url` is the one of the instance `instance_uid` (it has a
    storage managed by that instance); False when it cannot be asked."""
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///") :]).exists():
        return False  # connecting would create an empty file
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT 1 FROM lk_storage WHERE instance_uid = :u"), {"u": instance_uid}
            ).first()
    except Exception:  # noqa: BLE001 - no database, no table, no access: not this instance
        return False
    finally:
        engine.dispose()
    return row is not None
