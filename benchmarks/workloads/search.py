"""Search: the first page of ``ln.ULabel.search(text)`` on 10,000, 100,000 and 1,000,000 labels.

Labels are named ``sample<i>`` and described ``<organ> tissue from donor <i % 500>``. Each
step grows the registry to its size and times five texts: the issue's ``sample123`` (exact,
prefix and substring matches), a word of the descriptions, a typo, 200 characters that match
nothing, and two characters. Median and p95 of SEARCH_REPS calls, after one untimed call.

The registries are built in the fastest way each side has, which is not what is compared:
lamin_kernel with ``ln.save(list)`` (``creation.search_names`` off: the names are new),
LaminDB with one INSERT per row through Django's connection (its ``ULabel(...)``
constructor takes several ms a label here). lamin_kernel
alone goes on to 1,000,000 labels, and repeats the sizes on a PostgreSQL server of its own.
"""

from __future__ import annotations

import random
import shutil
import string
from typing import Any

from ._child import Ctx, import_ln, main, median, now, p95, progress

ORGANS = ("liver", "lung", "kidney", "brain", "heart", "skin", "blood", "bone marrow")
CHUNK = 50_000
TEXTS = {
    "sample123": "sample123",
    "description word": "kidney tissue",
    "typo": "smaple123",
    "200 characters, no match": "".join(
        random.Random(12).choice(string.ascii_lowercase + " ") for _ in range(200)
    ),
    "two characters": "e1",
}


def _row(i: int) -> tuple[str, str]:
    return f"sample{i}", f"{ORGANS[i % len(ORGANS)]} tissue from donor {i % 500}"


def _add_kernel_labels(ln: Any, start: int, stop: int) -> None:
    ln.settings.creation.search_names = False  # new names: no same-name lookup per label
    for begin in range(start, stop, CHUNK):
        end = min(stop, begin + CHUNK)
        ln.save([ln.ULabel(name=n, description=d) for n, d in map(_row, range(begin, end))])
        progress(f"{end:,} labels")


def _add_lamindb_labels(ln: Any, start: int, stop: int) -> None:
    from django.db import connection, transaction

    user_id = ln.setup.settings.user.id
    sql = (
        "INSERT INTO lamindb_ulabel (uid, name, description, created_by_id) VALUES (%s, %s, %s, %s)"
    )
    for begin in range(start, stop, CHUNK):
        end = min(stop, begin + CHUNK)
        rows = [(f"{i:08x}", *_row(i), user_id) for i in range(begin, end)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        progress(f"{end:,} labels")


def grow(ln: Any, impl: str, n: int) -> float:
    """Add labels until there are `n`; returns the seconds it took."""
    have = ln.ULabel.filter().count()
    t0 = now()
    if have < n:
        (_add_kernel_labels if impl == "lamin_kernel" else _add_lamindb_labels)(ln, have, n)
    return round(now() - t0, 2)


def time_searches(ln: Any, reps: int) -> dict[str, dict]:
    """Median and p95 of the first page of each text."""
    out = {}
    for name, text in TEXTS.items():
        times, first = [], None
        for _ in range(reps + 1):
            t0 = now()
            page = list(ln.ULabel.search(text))
            times.append(now() - t0)
            first = first or [getattr(r, "name", None) for r in page[:3]]
        out[name] = {
            "first_s": round(times[0], 5),
            "median_s": median(times[1:]),
            "p95_s": p95(times[1:]),
            "rows": len(page),
            "top": first,
        }
    return out


def _measure(ctx: Ctx, ln: Any, size_name: str) -> dict:
    n = ctx.size(size_name)
    build_s = grow(ln, ctx.impl, n)
    texts = time_searches(ln, ctx.size("search_reps"))
    return {
        "n": n,
        "build_s": build_s,
        "texts": texts,
        "worst_p95_s": max(t["p95_s"] for t in texts.values()),
    }


def small(ctx: Ctx) -> None:
    ctx.res.update(_measure(ctx, import_ln(ctx.impl), "search_small"))


def large(ctx: Ctx) -> None:
    ctx.res.update(_measure(ctx, import_ln(ctx.impl), "search_large"))


def huge(ctx: Ctx) -> None:
    ctx.res.update(_measure(ctx, import_ln(ctx.impl), "search_huge"))


def postgres(ctx: Ctx) -> None:
    """The three sizes again, on a PostgreSQL cluster started for this step (lamin_kernel)."""
    from lamin_kernel.setup import instance
    from tests.support.servers import start_postgres

    ln = import_ln(ctx.impl)
    server = start_postgres()
    try:
        db = server.create_database("lk_search_bench")
        instance.init(str(ctx.sandbox / "pg_instance"), db=db, name="search-pg")
        for size_name in ("search_small", "search_large", "search_huge"):
            ctx.res[size_name] = _measure(ctx, ln, size_name)
            progress(f"postgres {size_name}: worst p95 {ctx.res[size_name]['worst_p95_s']} s")
    finally:
        server.stop()
        shutil.rmtree(ctx.sandbox / "pg_instance", ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main({"small": small, "large": large, "huge": huge, "postgres": postgres}))
