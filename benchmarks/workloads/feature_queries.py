"""Queries by feature value over 100,000 artifacts with 10 features each (issue 13).

seed: N tiny file artifacts (``ln.save(list)``), 10 features (int, float, num, str, date,
bool, a second float and str, two label features), and their values as each
implementation stores them: one JsonValue per distinct value of a feature, linked to the
artifacts, and label links with the feature; rows are written with ``ln.save(list)`` of the
implementation's own link records (annotating 100,000 artifacts one by one would take hours
on both sides and is not what is measured).

queries: each query a different value per repetition, about 100 matching artifacts
(fetched as records), a count over 1/20 of the artifacts, and a first page of 100.
"""

from __future__ import annotations

import datetime as dt
import random

from ._child import Ctx, import_ln, main, median, now, progress, write_small_files

PREFIX = "fq/"
N_INT = 1000  # distinct values of f_int: 100 artifacts each at 100,000
N_STR = 1000
N_DAYS = 1000
N_LABELS = 20
CHUNK = 50_000
JSON_FEATURES = ("f_int", "f_float", "f_num", "f_str", "f_date", "f_bool", "f_float2", "f_str2")
START = dt.date(2020, 1, 1)


def _values(i: int) -> dict[str, object]:
    """The JSON values of artifact i (deterministic)."""
    rng = random.Random(i)
    return {
        "f_int": i % N_INT,
        "f_float": round(rng.uniform(0, 100), 4),
        "f_num": i % 500,
        "f_str": f"s{i % N_STR:04d}",
        "f_date": (START + dt.timedelta(days=i % N_DAYS)).isoformat(),
        "f_bool": i % 2 == 0,
        "f_float2": round(rng.uniform(0, 1), 3),
        "f_str2": f"t{i % 50}",
    }


def _features(ln) -> dict:  # noqa: ANN001
    dtypes = {
        "f_int": int,
        "f_float": float,
        "f_num": "num",
        "f_str": str,
        "f_date": dt.date,
        "f_bool": bool,
        "f_float2": float,
        "f_str2": str,
    }
    found = {name: ln.Feature(name=name, dtype=dtype).save() for name, dtype in dtypes.items()}
    found["f_label"] = ln.Feature(name="f_label", dtype=ln.ULabel).save()
    found["f_label2"] = ln.Feature(name="f_label2", dtype=ln.ULabel).save()
    return found


def _save_chunks(ln, records: list, what: str) -> None:  # noqa: ANN001
    for start in range(0, len(records), CHUNK):
        ln.save(records[start : start + CHUNK])
        progress(f"saved {min(start + CHUNK, len(records)):,} of {len(records):,} {what}")


def seed(ctx: Ctx) -> None:
    ln = import_ln(ctx.impl)
    n = ctx.size("feature_artifacts")
    t0 = now()
    paths = write_small_files(ctx.sandbox / "fq_files", n, prefix="annotated")
    artifacts = [ln.Artifact(str(p), key=f"{PREFIX}{i:06d}.txt") for i, p in enumerate(paths)]
    ln.save(artifacts)
    t1 = now()
    features = _features(ln)
    json_value = ln.models.JsonValue
    values = [_values(i) for i in range(n)]
    by_value: dict[tuple[str, object], object] = {}
    for name in JSON_FEATURES:
        for v in dict.fromkeys(row[name] for row in values):
            by_value[(name, v)] = json_value(feature=features[name], value=v)
    _save_chunks(ln, list(by_value.values()), "JSON values")
    links = [
        ln.models.ArtifactJsonValue(artifact_id=a.id, jsonvalue_id=by_value[(name, row[name])].id)
        for a, row in zip(artifacts, values, strict=True)
        for name in JSON_FEATURES
    ]
    _save_chunks(ln, links, "value links")
    labels = [ln.ULabel(name=f"L{j:02d}") for j in range(N_LABELS)]
    ln.save(labels)
    labels = [ln.ULabel.get(name=f"L{j:02d}") for j in range(N_LABELS)]
    label_links = [
        ln.models.ArtifactULabel(
            artifact_id=a.id,
            ulabel_id=labels[(i + k) % N_LABELS].id,
            feature_id=features[name].id,
        )
        for i, a in enumerate(artifacts)
        for k, name in enumerate(("f_label", "f_label2"))
    ]
    _save_chunks(ln, label_links, "label links")
    ctx.res.update(
        n=n,
        n_nominal=ctx.nominal("feature_artifacts"),
        artifacts_s=round(t1 - t0, 3),
        values_s=round(now() - t1, 3),
        n_json_values=len(by_value),
        n_links=len(links) + len(label_links),
    )


def _timed(fn, reps: int) -> dict:  # noqa: ANN001
    times, result = [], None
    for i in range(reps + 1):
        t0 = now()
        result = fn(i)
        times.append(now() - t0)
    rows = result if isinstance(result, int) else len(result)
    return {"rows": rows, "first_s": round(times[0], 5), "median_s": median(times[1:])}


def queries(ctx: Ctx) -> None:
    ln = import_ln(ctx.impl)
    reps = ctx.size("query_reps")
    n = ln.Artifact.filter(key__startswith=PREFIX).count()
    qs = ln.Artifact.filter
    width = 100.0 * 100 / n  # f_float is uniform in [0, 100): about 100 artifacts
    ctx.res["n_total"] = n
    ctx.res["int_equal"] = _timed(lambda i: qs(f_int=(i * 37) % N_INT).to_list(), reps)
    ctx.res["float_range"] = _timed(
        lambda i: qs(f_float__gte=i * 7.0, f_float__lt=i * 7.0 + width).to_list(), reps
    )
    ctx.res["str_equal"] = _timed(lambda i: qs(f_str=f"s{(i * 91) % N_STR:04d}").to_list(), reps)
    ctx.res["date_range"] = _timed(
        lambda i: qs(
            f_date__gte=(START + dt.timedelta(days=i * 17)).isoformat(),
            f_date__lt=(START + dt.timedelta(days=i * 17 + 1)).isoformat(),
        ).to_list(),
        reps,
    )
    ctx.res["label_count"] = _timed(lambda i: qs(f_label=f"L{i % N_LABELS:02d}").count(), reps)
    ctx.res["label_page"] = _timed(lambda i: list(qs(f_label=f"L{i % N_LABELS:02d}")[:100]), reps)
    ctx.res["int_and_label"] = _timed(
        lambda i: qs(f_int=(i * 53) % N_INT, f_label=f"L{(i * 53) % N_LABELS:02d}").to_list(),
        reps,
    )
    feature = ln.Feature.get(name="f_float")
    ctx.res["predicate_range"] = _timed(
        lambda i: qs(feature > 100 - width * (i + 1), feature < 100 - width * i).to_list(), reps
    )


if __name__ == "__main__":
    raise SystemExit(main({"seed": seed, "queries": queries}))
