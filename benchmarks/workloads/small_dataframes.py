"""Part c: 200 small DataFrame artifacts, ``Artifact.from_dataframe(df, key=...).save()`` each."""

from __future__ import annotations

from ._child import Ctx, import_ln, main, median, now, p95, random_frame, try_finish, try_track


def small_dataframes(ctx: Ctx) -> None:
    ln = import_ln(ctx.impl)
    n, rows = ctx.size("small_dataframes"), ctx.size("small_dataframe_rows")
    try_track(ln, ctx.res)
    frames = [random_frame(i, rows) for i in range(n)]
    create, save = [], []
    t_all = now()
    for i, df in enumerate(frames):
        t0 = now()
        artifact = ln.Artifact.from_dataframe(df, key=f"bench/df_{i:04d}.parquet")
        t1 = now()
        artifact.save()
        t2 = now()
        create.append(t1 - t0)
        save.append(t2 - t1)
    total = now() - t_all
    per = [c + s for c, s in zip(create, save, strict=True)]
    ctx.res.update(
        n_artifacts=n,
        rows_each=rows,
        total_s=round(total, 4),
        per_artifact_median_s=median(per),
        per_artifact_p95_s=p95(per),
        per_artifact_first_s=round(per[0], 4),
        per_artifact_mean_s=round(total / n, 6),
        create_median_s=median(create),
        save_median_s=median(save),
        n_in_db=ln.Artifact.filter(key__startswith="bench/df_").count(),
    )
    try_finish(ln, ctx.res)


if __name__ == "__main__":
    raise SystemExit(main({"small_dataframes": small_dataframes}))
