"""Part g: validate a DataFrame's categorical columns against ULabels through a Schema."""

from __future__ import annotations

from ._child import Ctx, import_ln, main, now, optional, try_finish, try_track


def _frame(columns: list[str], terms: list[str], rows: int, seed: int = 0):  # noqa: ANN202
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    data = {c: pd.Categorical(rng.choice(terms, size=rows), categories=terms) for c in columns}
    data["bench_value"] = rng.random(rows)
    return pd.DataFrame(data)


def _with_typo(df, column: str):  # noqa: ANN001, ANN202
    bad = df.copy()
    bad[column] = bad[column].cat.add_categories(["cat_typo"])
    bad.loc[len(bad) // 2, column] = "cat_typo"
    return bad


def _validate(ln, df, schema) -> float:  # noqa: ANN001
    t0 = now()
    ln.curators.DataFrameCurator(df, schema).validate()
    return round(now() - t0, 4)


def _rejects(ln, df, schema) -> tuple[bool, float]:  # noqa: ANN001
    t0 = now()
    try:
        ln.curators.DataFrameCurator(df, schema).validate()
    except ln.errors.ValidationError:
        return True, round(now() - t0, 4)
    return False, round(now() - t0, 4)


def anchor(ctx: Ctx) -> None:
    """The anchor's part g: 100,000 rows against 1000 labels."""
    ln = import_ln(ctx.impl)
    rows, n_labels = ctx.size("valid_rows"), ctx.size("valid_labels")
    try_track(ln, ctx.res)
    terms = [f"cat_{i:04d}" for i in range(n_labels)]
    t0 = now()
    ln.save([ln.ULabel(name=t) for t in terms])
    ctx.res["create_labels_s"] = round(now() - t0, 4)
    f_cat = ln.Feature(name="bench_cat", dtype=ln.ULabel).save()
    f_val = ln.Feature(name="bench_value", dtype=float).save()
    schema = ln.Schema(name="bench_schema", features=[f_cat, f_val]).save()
    df = _frame(["bench_cat"], terms, rows)
    ctx.res.update(rows=rows, n_labels=n_labels, validate_s=_validate(ln, df, schema))
    raised, t = _rejects(ln, _with_typo(df, "bench_cat"), schema)
    ctx.res.update(typo_raised_validation_error=raised, validate_typo_s=t)
    with optional(ctx.res, "from_dataframe_schema"):
        t0 = now()
        a = ln.Artifact.from_dataframe(df, key="bench/validated.parquet", schema=schema).save()
        ctx.res["from_dataframe_schema_save_s"] = round(now() - t0, 4)
        ctx.res["linked_ulabels"] = a.ulabels.count()
    with optional(ctx.res, "from_dataframe_plain"):
        df2 = df.copy()
        df2["bench_value"] = df2["bench_value"] + 1.0
        t0 = now()
        ln.Artifact.from_dataframe(df2, key="bench/unvalidated.parquet").save()
        ctx.res["from_dataframe_plain_save_s"] = round(now() - t0, 4)
    try_finish(ln, ctx.res)


def large(ctx: Ctx) -> None:
    """1,000,000 rows x 3 categorical columns against a 100,000-term registry."""
    ln = import_ln(ctx.impl)
    rows, n_terms = ctx.size("big_valid_rows"), ctx.size("big_valid_terms")
    terms = [f"term_{i:06d}" for i in range(n_terms)]
    t0 = now()
    ln.save([ln.ULabel(name=t) for t in terms])
    ctx.res["create_terms_s"] = round(now() - t0, 4)
    columns = ["cat_a", "cat_b", "cat_c"]
    features = [ln.Feature(name=c, dtype=ln.ULabel).save() for c in columns]
    features.append(ln.Feature(name="bench_value", dtype=float).save())
    schema = ln.Schema(name="bench_schema_large", features=features).save()
    df = _frame(columns, terms, rows, seed=1)
    ctx.res.update(
        rows=rows, n_terms=n_terms, columns=len(columns), validate_s=_validate(ln, df, schema)
    )
    raised, t = _rejects(ln, _with_typo(df, "cat_b"), schema)
    ctx.res.update(typo_raised_validation_error=raised, validate_typo_s=t)


if __name__ == "__main__":
    raise SystemExit(main({"anchor": anchor, "large": large}))
