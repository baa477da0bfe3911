"""Part f: ULabels saved one by one and in bulk; artifacts filtered by label."""

from __future__ import annotations

from ._child import (
    Ctx,
    import_ln,
    main,
    median,
    now,
    optional,
    try_finish,
    try_track,
    write_small_files,
)

FILTER_REPS = 20


def labels(ctx: Ctx) -> None:
    """The anchor's part f: 1000 ``.save()`` calls, 1000 via ``ln.save(list)``, label filters."""
    ln = import_ln(ctx.impl)
    n = ctx.size("labels")
    try_track(ln, ctx.res)
    t0 = now()
    single = [ln.ULabel(name=f"label_{i:04d}").save() for i in range(n)]
    t_single = now() - t0
    ctx.res.update(
        n_labels=n,
        single_save_total_s=round(t_single, 4),
        single_save_per_label_s=round(t_single / n, 6),
    )
    with optional(ctx.res, "bulk_save"):
        t0 = now()
        ln.save([ln.ULabel(name=f"bulk_{i:04d}") for i in range(n)])
        t_bulk = now() - t0
        ctx.res.update(
            bulk_save_total_s=round(t_bulk, 4), bulk_save_per_label_s=round(t_bulk / n, 6)
        )

    n_art = ctx.size("label_link_artifacts")
    paths = write_small_files(ctx.sandbox / "label_files", n_art, prefix="labelled")
    arts = [ln.Artifact(str(p), key=f"labelled/{i:04d}.txt").save() for i, p in enumerate(paths)]
    t0 = now()
    for i, a in enumerate(arts):
        a.ulabels.add(single[i % 10])  # 10 labels, n_art / 10 artifacts each
    ctx.res["link_per_artifact_s"] = round((now() - t0) / n_art, 6)

    get, by_label, by_name_count = [], [], []
    hits = None
    for _ in range(FILTER_REPS + 1):
        t0 = now()
        label = ln.ULabel.get(name="label_0007")
        t1 = now()
        hits = len(ln.Artifact.filter(ulabels=label).to_dataframe())
        t2 = now()
        ln.Artifact.filter(ulabels__name="label_0003").count()
        t3 = now()
        get.append(t1 - t0)
        by_label.append(t2 - t1)
        by_name_count.append(t3 - t2)
    ctx.res.update(
        get_label_median_s=median(get[1:]),
        filter_by_label_df_median_s=median(by_label[1:]),
        filter_by_label_name_count_median_s=median(by_name_count[1:]),
        hits=hits,
        expected_hits=n_art // 10,
    )
    try_finish(ln, ctx.res)


def bulk_labels(ctx: Ctx) -> None:
    """100,000 ULabels created and saved with one ``ln.save(list)``."""
    ln = import_ln(ctx.impl)
    n = ctx.size("bulk_labels")
    t0 = now()
    records = [ln.ULabel(name=f"many_{i:06d}") for i in range(n)]
    t1 = now()
    ln.save(records)
    t2 = now()
    ctx.res.update(
        n=n,
        n_nominal=ctx.nominal("bulk_labels"),
        construct_s=round(t1 - t0, 4),
        ln_save_s=round(t2 - t1, 4),
        total_s=round(t2 - t0, 4),
        per_label_s=round((t2 - t0) / n, 7),
        n_in_db=ln.ULabel.filter(name__startswith="many_").count(),
    )


if __name__ == "__main__":
    raise SystemExit(main({"labels": labels, "bulk_labels": bulk_labels}))
