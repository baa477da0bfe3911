"""A large lamin_kernel scale registry made from one chunk saved through the public API.

The public save path (``scale_build.build``) fills about 100,000 artifacts in ten minutes on
the shared 2-core machine, so 1,000,000 would take hours. Above ``BULK_ABOVE`` artifacts the
first chunk (``CHUNK`` artifacts, the lineage node with it) is saved exactly as
``scale_build`` saves it, and every further chunk is that chunk's rows written again with the
values ``scale_build`` would have given artifact ``i`` of it:

- ``lk_artifact``: a new id and uid (a random stem; a second version of a key shares the stem
  of the first and counts ``0001``), ``key_of(i)``, ``description_of(i)``, the xxh3 hash and
  size of the file ``sample {i}`` and run ``i % 100`` of the pipelines; everything else
  (storage, branch, space, creator, ``is_latest``, suffix, hash type) is copied;
- ``lk_artifact_ulabel`` and ``lk_artifact_jsonvalue``: the template's links (label
  ``i % 50``, temperature ``i % 100`` do not change when i grows by a chunk) to the new ids.

The database's own triggers and indexes keep the search index (FTS5 / pg_trgm) current, as
for a save. What differs from a user's saves: the stored files of the copied chunks are not
written (nothing in the scale family reads their bytes except ``lamin check``, which is not
run on a bulk-built registry), and the created_at of a chunk is one instant.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .scale_build import CHUNK, N_LINEAGE, N_RUNS, description_of, key_of

BULK_ABOVE = 10_000
_INDEX = re.compile(r"^sample(\d+) from donor")


def _tables(ln: Any) -> tuple[Any, Any, Any]:
    tables = ln.Artifact.metadata.tables
    return tables["lk_artifact"], tables["lk_artifact_ulabel"], tables["lk_artifact_jsonvalue"]


def _template(session: Any, artifact: Any, links: list[Any]) -> tuple[dict, dict, dict]:
    """(i -> artifact row, artifact id -> link rows per table, i % N_RUNS -> run id)."""
    from sqlalchemy import select

    rows: dict[int, dict] = {}
    for row in session.execute(select(artifact)).mappings():
        match = _INDEX.match(row["description"] or "")
        if match and int(match.group(1)) < CHUNK:
            rows[int(match.group(1))] = dict(row)
    ids = {row["id"] for row in rows.values()}
    linked: dict[str, dict[int, list[dict]]] = {}
    for table in links:
        per: dict[int, list[dict]] = {}
        for row in session.execute(select(table)).mappings():
            if row["artifact_id"] in ids:
                per.setdefault(row["artifact_id"], []).append(dict(row))
        linked[table.name] = per
    runs = {i % N_RUNS: row["run_id"] for i, row in rows.items() if i >= 2 * N_LINEAGE}
    return rows, linked, runs


def _file_values(i: int) -> dict[str, Any]:
    from lamin_kernel.storage.hashing import HASH_TYPE, hash_bytes

    data = f"sample {i}\n".encode()
    return {"hash": hash_bytes(data, HASH_TYPE), "size": len(data), "_hash_type": HASH_TYPE}


def _chunk_rows(
    start: int, template: dict[int, dict], runs: dict[int, int], next_id: int
) -> tuple[list[dict], dict[int, int]]:
    """The artifact rows of the chunk beginning at `start` and template id -> new id."""
    from lamin_kernel.db.uid import base62, encode_counter

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out, new_ids, stems = [], {}, {}
    for k in sorted(template):
        row, i = dict(template[k]), start + k
        stem = stems[i - 1] if i % 10 == 9 else base62(16)
        stems[i] = stem
        new_ids[row["id"]] = next_id
        row.update(
            id=next_id,
            uid=stem + encode_counter(1 if i % 10 == 9 else 0),
            key=key_of(i),
            description=description_of(i),
            run_id=runs[i % N_RUNS],
            created_at=now,
            updated_at=now,
            **_file_values(i),
        )
        out.append(row)
        next_id += 1
    return out, new_ids


def _link_rows(linked: dict[int, list[dict]], new_ids: dict[int, int]) -> list[dict]:
    out = []
    for old, rows in linked.items():
        for row in rows:
            copy = {k: v for k, v in row.items() if k != "id"}
            copy["artifact_id"] = new_ids[old]
            out.append(copy)
    return out


def extend(ln: Any, n: int) -> None:
    """Grow a registry holding the first CHUNK artifacts to n, chunk by chunk (one write
    transaction each), then refresh the planner's statistics."""
    from sqlalchemy import func, select, text

    from lamin_kernel.db.statistics import WATCHED_TABLES, analyze
    from lamin_kernel.setup.session import read_session, write_transaction

    from ._child import progress

    artifact, *links = _tables(ln)
    with read_session() as session:
        template, linked, runs = _template(session, artifact, links)
        next_id = int(session.execute(select(func.max(artifact.c.id))).scalar_one()) + 1
    for start in range(CHUNK, n, CHUNK):
        rows, new_ids = _chunk_rows(start, template, runs, next_id)
        next_id += len(rows)
        with write_transaction() as session:
            session.execute(artifact.insert(), rows)
            for table in links:
                session.execute(table.insert(), _link_rows(linked[table.name], new_ids))
        progress(f"copied {start + CHUNK:,} of {n:,} artifacts")
    with write_transaction() as session:
        conn = session.connection()
        if conn.dialect.name == "postgresql":  # ids were given: the sequence goes on after them
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('lk_artifact', 'id'), "
                    "(SELECT max(id) FROM lk_artifact))"
                )
            )
        for table in WATCHED_TABLES + ("lk_artifact_jsonvalue",):
            if conn.dialect.name == "sqlite":
                analyze(conn, table)
            else:
                conn.execute(text(f'ANALYZE "{table}"'))
