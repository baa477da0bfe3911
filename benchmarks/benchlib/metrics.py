"""The rows of BENCHMARKS.md: which figure of which workload, its unit, and its target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .families import BOTH, KERNEL_ONLY
from .targets import All, AtLeast, AtMost, Faster, OfCopy, Target, fmt

Note = Callable[[dict | None, dict | None], str]


@dataclass(frozen=True)
class Metric:
    """One figure, read from the result of ``family``/``case`` at the dotted ``path``."""

    issue: int
    label: str
    family: str
    case: str
    path: str
    unit: str  # "s" and "ms" hold seconds; "MB/s", "rows/s"
    better: str = "lower"
    target: Target = Target()
    impls: tuple[str, ...] = BOTH
    per_nominal: bool = False  # scale `total` to the nominal count when fewer were measured
    sub: str | None = None  # name of the optional measurement that yields the value
    note: Note | None = None


def dig(step: dict | None, path: str):  # noqa: ANN201
    """``step["a"]["b"]`` for ``"a.b"``, or None."""
    cur = step
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def value(metric: Metric, step: dict | None) -> float | None:
    v = dig(step, metric.path)
    if not isinstance(v, int | float) or isinstance(v, bool):
        return None
    if metric.per_nominal and step.get("n") and step.get("n_nominal"):
        v = v * step["n_nominal"] / step["n"]
    return float(v)


def _scaled(step: dict | None) -> str:
    if step and step.get("n") and step.get("n_nominal") and step["n"] != step["n_nominal"]:
        return f"measured at {step['n']:,}, scaled linearly to {step['n_nominal']:,}"
    return ""


def _side_notes(kernel: dict | None, lamindb: dict | None, fn: Callable[[dict], str]) -> str:
    parts = []
    for name, step in (("lamin_kernel", kernel), ("LaminDB", lamindb)):
        text = fn(step) if step else ""
        if text:
            parts.append(f"{name}: {text}")
    return "; ".join(parts)


def _big_file_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "cp_mb_per_s" not in s:
            return ""
        every = s.get("hash_sees_middle_byte")
        seen = (
            ""
            if every is None
            else (
                ", hash sees every byte"
                if every
                else ", hash misses a changed middle byte (sampled)"
            )
        )
        return (
            f"{s['ratio_to_cp']:.0%} of cp ({fmt(s['cp_mb_per_s'], 'MB/s')}), "
            f"hash {s.get('hash_type')}{seen}"
        )

    return _side_notes(kernel, ldb, one)


def _rows_note(key: str) -> Note:
    return lambda kernel, ldb: _side_notes(
        kernel, ldb, lambda s: f"{dig(s, key)} rows" if dig(s, key) is not None else ""
    )


def _n_total_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(
        kernel, ldb, lambda s: f"{s['n_total']:,} artifacts" if "n_total" in s else ""
    )


def _scaled_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, _scaled)


def _typo_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        raised = s.get("typo_raised_validation_error")
        return (
            ""
            if raised is None
            else ("a typo raises ValidationError" if raised else "a typo was NOT rejected")
        )

    return _side_notes(kernel, ldb, one)


def _genes_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        bits = [f"ids: {s['gene_ids'].split(' (')[0]}"] if s.get("gene_ids") else []
        if "n_validated" in s:
            bits.append(f"{s['n_validated']:,} of {s['n_validate']:,} validated")
        if s.get("registry_filled_by_hand"):
            bits.append("registry filled by hand")
        return ", ".join(bits)

    return _side_notes(kernel, ldb, one)


def _from_values_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, lambda s: s.get("from_values_note", ""))


def _label_hits_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, lambda s: f"{s['hits']} hits" if "hits" in s else "")


def _public_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(
        kernel,
        ldb,
        lambda s: (
            f"{s['n_terms']:,} terms, search → {s.get('search_first')}" if "n_terms" in s else ""
        ),
    )


def _rest_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        reqs = s.get("requests") or {}
        return ", ".join(
            f"{n} {fmt(r['p95_s'], 'ms')}" if "p95_s" in r else f"{n} HTTP {r.get('status')}"
            for n, r in reqs.items()
        )

    return _side_notes(kernel, ldb, one)


def _mapped_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(
        kernel,
        ldb,
        lambda s: (
            f"{s['rows_read']:,} rows of {s['n_obs']:,} x {s['n_vars']:,}"
            if "rows_read" in s
            else ""
        ),
    )


METRICS: tuple[Metric, ...] = (
    # issue 2: core
    Metric(
        2,
        '`python -c "import X as ln; ln.Artifact.filter().count()"`, median of 5',
        "import",
        "import_count",
        "import_count.median_s",
        "s",
        target=Faster(4),
    ),
    Metric(
        2, "`import X` alone, median of 5", "import", "import_count", "import_only.median_s", "s"
    ),
    Metric(
        2,
        "small DataFrame artifact `from_dataframe(df, key=).save()`, median of 200",
        "dataframes",
        "small_dataframes",
        "per_artifact_median_s",
        "ms",
        target=Faster(4),
    ),
    Metric(
        2,
        "small DataFrame artifact, p95 of 200",
        "dataframes",
        "small_dataframes",
        "per_artifact_p95_s",
        "ms",
    ),
    Metric(
        2,
        "1 GB file saved as an artifact (hash + copy)",
        "bigfile",
        "big_file",
        "mb_per_s",
        "MB/s",
        better="higher",
        target=OfCopy(0.9),
        note=_big_file_note,
    ),
    Metric(
        2,
        "`filter(key__startswith=).to_dataframe(limit=None)`: 100 rows of 100,000 artifacts",
        "query",
        "query_large",
        "hundred_rows.median_s",
        "ms",
        target=AtMost(0.010, "ms"),
        note=_n_total_note,
    ),
    Metric(
        2,
        "the same, first call in a fresh process",
        "query",
        "query_large",
        "hundred_rows.first_s",
        "ms",
    ),
    Metric(
        2,
        'anchor: `filter(key__startswith="bench/").to_dataframe()` over 200 artifacts',
        "query",
        "query_small",
        "default_limit.median_s",
        "ms",
        note=_rows_note("default_limit.rows"),
    ),
    Metric(
        2,
        "anchor: the same with `limit=None`",
        "query",
        "query_small",
        "limit_none.median_s",
        "ms",
        note=_rows_note("limit_none.rows"),
    ),
    Metric(
        2,
        "100,000 file artifacts saved with `ln.save(list)`, per artifact",
        "query",
        "bulk",
        "per_artifact_s",
        "ms",
        note=_scaled_note,
    ),
    Metric(
        2,
        "1000 ULabels, one `.save()` each, per label",
        "labels",
        "labels",
        "single_save_per_label_s",
        "ms",
    ),
    Metric(
        2,
        "1000 ULabels with `ln.save(list)`, per label",
        "labels",
        "labels",
        "bulk_save_per_label_s",
        "ms",
        sub="bulk_save",
    ),
    Metric(
        2,
        "100,000 ULabels with `ln.save(list)`, total",
        "labels",
        "bulk_labels",
        "total_s",
        "s",
        target=AtMost(3.0, "s"),
        per_nominal=True,
        note=_scaled_note,
    ),
    Metric(
        2,
        "filter artifacts by label, `to_dataframe()`",
        "labels",
        "labels",
        "filter_by_label_df_median_s",
        "ms",
        note=_label_hits_note,
    ),
    Metric(
        2,
        "filter artifacts by label name, `count()`",
        "labels",
        "labels",
        "filter_by_label_name_count_median_s",
        "ms",
    ),
    # issue 3: tracking
    Metric(
        3,
        "`ln.track()` + `ln.finish()` in a script, median of 3 runs",
        "track",
        "track_finish",
        "track_finish_median_s",
        "s",
        target=Faster(5),
    ),
    Metric(
        3,
        "the same, first run (new transform)",
        "track",
        "track_finish",
        "first_track_finish_s",
        "s",
    ),
    Metric(
        3,
        "the whole script process (import + track + finish)",
        "track",
        "track_finish",
        "process_median_s",
        "s",
    ),
    # issue 4: bionty
    Metric(
        4,
        "CL public ontology ready, `bt.CellType.public()` (cached, fresh process)",
        "bionty",
        "public_warm",
        "public_s",
        "s",
        target=AtMost(0.5, "s"),
        note=_public_note,
    ),
    Metric(4, "the same, first time (empty cache)", "bionty", "public_cold", "public_s", "s"),
    Metric(
        4,
        "validate 60,000 Ensembl gene ids, `bt.Gene.validate`",
        "bionty",
        "genes",
        "validate_registry_s",
        "s",
        target=AtMost(0.5, "s"),
        note=_genes_note,
    ),
    Metric(
        4,
        "`bt.Gene.from_values` of 20,000 genes + `ln.save`",
        "bionty",
        "genes",
        "from_values_total_s",
        "s",
        target=AtMost(3.0, "s"),
        sub="from_values",
        note=_from_values_note,
    ),
    # issue 5: validation
    Metric(
        5,
        "validate 100,000 rows against 1000 labels (`DataFrameCurator.validate()`)",
        "validation",
        "anchor",
        "validate_s",
        "s",
        target=Faster(3),
        note=_typo_note,
    ),
    Metric(
        5,
        "`from_dataframe(df, schema=).save()` of the same",
        "validation",
        "anchor",
        "from_dataframe_schema_save_s",
        "s",
        sub="from_dataframe_schema",
    ),
    Metric(
        5,
        "validate 1,000,000 rows x 3 columns against 100,000 terms",
        "validation",
        "large",
        "validate_s",
        "s",
        target=AtMost(2.0, "s"),
        impls=KERNEL_ONLY,
        note=_typo_note,
    ),
    # issue 6: REST
    Metric(
        6,
        "REST list endpoints, page of 50 of 100,000 artifacts, worst p95",
        "query",
        "list_pages",
        "worst_p95_s",
        "ms",
        target=AtMost(0.050, "ms"),
        impls=KERNEL_ONLY,
        note=_rest_note,
    ),
    # issue 7: collections
    Metric(
        7,
        "`collection.mapped()` shuffled batches of 256, 1,000,000 x 2,000 sparse h5ad",
        "mapped",
        "iterate",
        "rows_per_s",
        "rows/s",
        better="higher",
        target=All((AtLeast(20_000, "rows/s"), Faster(2))),
        note=_mapped_note,
    ),
)

ISSUES = {
    2: "Core: instances, artifacts, queries, labels",
    3: "Tracking",
    4: "Biological ontologies (bionty)",
    5: "Labels, features, schemas and validation",
    6: "JupyterLab REST API",
    7: "Collections: mapped()",
}
