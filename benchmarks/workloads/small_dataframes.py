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


def shaped_frame(shape: str, rows: int, i: int):  # noqa: ANN201 - pandas is imported lazily
    """Numbers (an int and two float columns), strings (three), or mixed (one of each and a
    category); different content for every i."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(i)
    numbers = {"i": np.arange(rows) + i * rows, "x": rng.random(rows), "y": rng.random(rows)}
    strings = {f"s{k}": [f"v{i}_{k}_{j}" for j in range(rows)] for k in range(3)}
    if shape == "numbers":
        return pd.DataFrame(numbers)
    if shape == "strings":
        return pd.DataFrame(strings)
    kinds = pd.Categorical(rng.choice(["a", "b", "c"], rows))
    return pd.DataFrame({"i": numbers["i"], "x": numbers["x"], "s": strings["s0"], "k": kinds})


def shapes(ctx: Ctx) -> None:
    """One small DataFrame saved, per shape (numbers, strings, mixed) and size (100 and
    100,000 rows): median of several, each with its own content (issue 19)."""
    ln = import_ln(ctx.impl)
    for shape in ("numbers", "strings", "mixed"):
        for rows, count in (
            (100, ctx.size("shape_small_reps")),
            (100_000, ctx.size("shape_large_reps")),
        ):
            frames = [shaped_frame(shape, rows, k) for k in range(count + 1)]
            times = []
            for k, df in enumerate(frames):
                t0 = now()
                ln.Artifact.from_dataframe(df, key=f"shapes/{shape}_{rows}_{k}.parquet").save()
                times.append(now() - t0)
            ctx.res[f"{shape}_{rows}"] = {
                "median_s": median(times[1:]),
                "first_s": round(times[0], 4),
            }


if __name__ == "__main__":
    raise SystemExit(main({"small_dataframes": small_dataframes, "shapes": shapes}))
