"""Part e: ``filter(...).to_dataframe()`` over 200 artifacts (anchor) and 100 rows of 100,000."""

from __future__ import annotations

from ._child import Ctx, import_ln, main, median, now, progress, random_frame, write_small_files

BULK_PREFIX = "bulk/"


def seed(ctx: Ctx) -> None:
    """200 small DataFrame artifacts under ``bench/`` (the anchor's instance for this part)."""
    ln = import_ln(ctx.impl)
    n = ctx.size("query_seed_dataframes")
    for i in range(n):
        ln.Artifact.from_dataframe(random_frame(i, 100), key=f"bench/df_{i:04d}.parquet").save()
    ctx.res["n_seeded"] = n


def _timed_calls(fn, reps: int) -> dict:  # noqa: ANN001
    times, rows = [], None
    for i in range(reps + 1):
        t0 = now()
        rows = len(fn(i))
        times.append(now() - t0)
    return {"rows": rows, "first_s": round(times[0], 4), "median_s": median(times[1:])}


def query_small(ctx: Ctx) -> None:
    """The anchor's part e: default ``to_dataframe()`` and ``limit=None`` over 200 rows."""
    ln = import_ln(ctx.impl)
    reps = ctx.size("query_reps")
    qs = ln.Artifact.filter
    ctx.res["default_limit"] = _timed_calls(
        lambda _i: qs(key__startswith="bench/").to_dataframe(), reps
    )
    ctx.res["limit_none"] = _timed_calls(
        lambda _i: qs(key__startswith="bench/").to_dataframe(limit=None), reps
    )
    t0 = now()
    ctx.res["count"] = qs(key__startswith="bench/").count()
    ctx.res["count_s"] = round(now() - t0, 5)


def bulk(ctx: Ctx) -> None:
    """Many tiny file artifacts keyed ``bulk/000000.txt``... saved with one ``ln.save(list)``."""
    ln = import_ln(ctx.impl)
    n = ctx.size("bulk_artifacts")
    if not hasattr(ln, "save"):
        raise NotImplementedError("ln.save(list_of_artifacts) is not available")
    t0 = now()
    paths = write_small_files(ctx.sandbox / "bulk_files", n)
    ctx.res["write_files_s"] = round(now() - t0, 3)
    t0 = now()
    artifacts = []
    for i, p in enumerate(paths):
        artifacts.append(ln.Artifact(str(p), key=f"{BULK_PREFIX}{i:06d}.txt"))
        if (i + 1) % max(1, n // 10) == 0:
            progress(f"constructed {i + 1:,} of {n:,} artifacts in {now() - t0:.1f} s")
    t1 = now()
    ln.save(artifacts)
    t2 = now()
    ctx.res.update(
        n=n,
        n_nominal=ctx.nominal("bulk_artifacts"),
        construct_s=round(t1 - t0, 3),
        ln_save_s=round(t2 - t1, 3),
        total_s=round(t2 - t0, 3),
        per_artifact_s=round((t2 - t0) / n, 7),
        n_in_db=ln.Artifact.filter(key__startswith=BULK_PREFIX).count(),
    )


def query_large(ctx: Ctx) -> None:
    """100 rows selected by key prefix from the bulk artifacts, a different prefix each call."""
    ln = import_ln(ctx.impl)
    reps = ctx.size("query_reps")
    n = ln.Artifact.filter(key__startswith=BULK_PREFIX).count()
    blocks = max(1, n // 100)
    prefixes = [f"{BULK_PREFIX}{(i * 37) % blocks:04d}" for i in range(reps + 1)]
    ctx.res["n_total"] = ln.Artifact.filter().count()
    ctx.res["hundred_rows"] = _timed_calls(
        lambda i: ln.Artifact.filter(key__startswith=prefixes[i]).to_dataframe(limit=None), reps
    )
    t0 = now()
    ctx.res["count_100"] = ln.Artifact.filter(key__startswith=prefixes[0]).count()
    ctx.res["count_100_s"] = round(now() - t0, 5)


if __name__ == "__main__":
    raise SystemExit(
        main({"seed": seed, "query_small": query_small, "bulk": bulk, "query_large": query_large})
    )
