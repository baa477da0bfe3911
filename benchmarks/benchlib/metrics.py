"""The rows of BENCHMARKS.md: which figure of which workload, its unit, and its target."""

from __future__ import annotations

from dataclasses import dataclass

from . import notes
from .families import BOTH, KERNEL_ONLY
from .notes import Note, dig
from .targets import All, AtLeast, AtMost, Faster, OfCopy, Target


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


def value(metric: Metric, step: dict | None) -> float | None:
    v = dig(step, metric.path)
    if not isinstance(v, int | float) or isinstance(v, bool):
        return None
    if metric.per_nominal and step.get("n") and step.get("n_nominal"):
        v = v * step["n_nominal"] / step["n"]
    return float(v)


METRICS: tuple[Metric, ...] = (
    # issue 2: core
    Metric(
        2,
        '`python -c "import X as ln; ln.Artifact.filter().count()"`, median of 7, sides interleaved',
        "import",
        "import_count",
        "import_count.median_s",
        "s",
        target=Faster(4),
    ),
    Metric(
        2, "`import X` alone, median of 7", "import", "import_count", "import_only.median_s", "s"
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
        note=notes.big_file_note,
    ),
    Metric(
        2,
        "`filter(key__startswith=).to_dataframe(limit=None)`: 100 rows of 100,000 artifacts",
        "query",
        "query_large",
        "hundred_rows.median_s",
        "ms",
        target=AtMost(0.010, "ms"),
        note=notes.n_total_note,
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
        note=notes.rows_note("default_limit.rows"),
    ),
    Metric(
        2,
        "anchor: the same with `limit=None`",
        "query",
        "query_small",
        "limit_none.median_s",
        "ms",
        note=notes.rows_note("limit_none.rows"),
    ),
    Metric(
        2,
        "100,000 file artifacts saved with `ln.save(list)`, per artifact",
        "query",
        "bulk",
        "per_artifact_s",
        "ms",
        note=notes.measured_note,
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
        "100,000 ULabels saved in bulk: `ln.save(records)`",
        "labels",
        "bulk_labels",
        "ln_save_s",
        "s",
        target=AtMost(3.0, "s"),
        per_nominal=True,
        note=notes.scaled_note,
    ),
    Metric(
        2,
        "the same with constructing them, `ln.ULabel(name=...)` each (looks up the name), total",
        "labels",
        "bulk_labels",
        "total_s",
        "s",
        per_nominal=True,
        note=notes.scaled_note,
    ),
    Metric(
        2,
        "filter artifacts by label, `to_dataframe()`",
        "labels",
        "labels",
        "filter_by_label_df_median_s",
        "ms",
        note=notes.label_hits_note,
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
        "`ln.track()` + `ln.finish()` in a script, median of 7 runs, sides interleaved",
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
        "CL public ontology ready: `bt.CellType.public().to_dataframe()` (cached, fresh process)",
        "bionty",
        "public_warm",
        "ready_s",
        "s",
        target=AtMost(0.5, "s"),
        note=notes.public_note,
    ),
    Metric(4, "the same, first time (empty cache)", "bionty", "public_cold", "ready_s", "s"),
    Metric(
        4,
        '`.search("gamma-delta T cell")` on that public ontology',
        "bionty",
        "public_warm",
        "search_s",
        "s",
        sub="search",
    ),
    Metric(
        4,
        "validate 60,000 Ensembl gene ids, `bt.Gene.validate`",
        "bionty",
        "genes",
        "validate_registry_s",
        "s",
        target=AtMost(0.5, "s"),
        note=notes.genes_note,
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
        note=notes.from_values_note,
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
        note=notes.typo_note,
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
        note=notes.typo_note,
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
        note=notes.rest_note,
    ),
    Metric(
        6,
        "Lamin sidebar in JupyterLab: tab click to first page of 100,000 artifacts visible, "
        "median of 5 reloads",
        "query",
        "sidebar_first_page",
        "median_s",
        "s",
        target=AtMost(1.0, "s"),
        impls=KERNEL_ONLY,
        note=notes.sidebar_note,
    ),
    # issue 15: JupyterLab pages
    Metric(
        15,
        "Artifact page in the main area: click on a sidebar row to the page fully rendered "
        "(preview, versions, downstream runs), 100,000 artifacts, median of 5",
        "query",
        "artifact_page",
        "median_s",
        "s",
        target=AtMost(0.300, "s"),
        impls=KERNEL_ONLY,
        note=notes.artifact_page_note,
    ),
    Metric(
        15,
        "Live update: a cell's artifact save to its row in the open sidebar table (no "
        "refresh), median of 5",
        "ui",
        "live_update",
        "median_s",
        "s",
        target=AtMost(1.0, "s"),
        impls=KERNEL_ONLY,
        note=notes.live_update_note,
    ),
    Metric(
        15,
        "Lineage page of about 500 nodes: click to laid out on screen and a wheel zoom drawn, "
        "median of 5",
        "ui",
        "lineage_page",
        "interactive_median_s",
        "s",
        target=AtMost(1.0, "s"),
        impls=KERNEL_ONLY,
        note=notes.lineage_page_note,
    ),
    # issue 13: queries by feature value
    Metric(
        13,
        "`filter(f_int=k).to_list()`: about 100 of 100,000 artifacts with 10 features, median of 10",
        "features",
        "queries",
        "int_equal.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_float__gte=x, f_float__lt=y).to_list()`: about 100 artifacts, median of 10",
        "features",
        "queries",
        "float_range.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_str=s).to_list()`: about 100 artifacts, median of 10",
        "features",
        "queries",
        "str_equal.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_date__gte=d, f_date__lt=d + 1 day).to_list()`: about 100 artifacts, median of 10",
        "features",
        "queries",
        "date_range.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_int=k, f_label=label).to_list()`: two features, about 5 artifacts, median of 10",
        "features",
        "queries",
        "int_and_label.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(feature > x, feature < y).to_list()` with a Feature object, median of 10",
        "features",
        "queries",
        "predicate_range.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_label=label)[:100]`: the first 100 of 5,000 artifacts, median of 10",
        "features",
        "queries",
        "label_page.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    Metric(
        13,
        "`filter(f_label=label).count()`: 5,000 artifacts, median of 10",
        "features",
        "queries",
        "label_count.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
        note=notes.n_total_note,
    ),
    # issue 16: cell-level lineage, run diffs
    Metric(
        16,
        "Recording the call site (cell or file and line) of a save in a tracked run, median of 200",
        "cells",
        "cell_recording",
        "per_save_median_s",
        "ms",
        target=AtMost(0.001, "ms"),
        impls=KERNEL_ONLY,
    ),
    Metric(
        16,
        "Recording the call site of a load in a tracked run, median of 200",
        "cells",
        "cell_recording",
        "per_load_median_s",
        "ms",
        target=AtMost(0.001, "ms"),
        impls=KERNEL_ONLY,
    ),
    Metric(
        16,
        "`ln.Run.diff(a, b)`: 500 packages and 100 inputs each, median of 10",
        "cells",
        "run_diff",
        "median_s",
        "ms",
        target=AtMost(0.100, "ms"),
        impls=KERNEL_ONLY,
    ),
    Metric(
        16,
        "`lamin rerun --check` of a tracked script: time added to the script's own run, "
        "medians of 5",
        "cells",
        "rerun_check",
        "added_s",
        "s",
        target=AtMost(2.0, "s"),
        impls=KERNEL_ONLY,
    ),
    Metric(
        16,
        "`lamin rerun --check` of a tracked notebook (fresh kernel through nbclient): time "
        "added to the notebook's own run, medians of 5",
        "cells",
        "rerun_check_notebook",
        "added_s",
        "s",
        target=AtMost(2.0, "s"),
        impls=KERNEL_ONLY,
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
        note=notes.mapped_note,
    ),
    # issues 12 and 19: search
    Metric(
        12,
        "`ULabel.search(text)` first page, worst p95 of 5 texts, 100,000 labels (SQLite)",
        "search",
        "large",
        "worst_p95_s",
        "ms",
        target=AtMost(0.100, "ms"),
        note=notes.search_note(),
    ),
    Metric(
        19,
        '`ULabel.search("sample123")` first page, 10,000 labels (SQLite)',
        "search",
        "small",
        "texts.sample123.median_s",
        "ms",
        note=notes.search_note(),
    ),
    Metric(
        19,
        '`ULabel.search("sample123")` first page, 100,000 labels (SQLite)',
        "search",
        "large",
        "texts.sample123.median_s",
        "ms",
        target=AtMost(0.050, "ms"),
    ),
    Metric(
        19,
        '`ULabel.search("sample123")` first page, 1,000,000 labels (SQLite)',
        "search",
        "huge",
        "texts.sample123.median_s",
        "ms",
        target=AtMost(0.100, "ms"),
        impls=KERNEL_ONLY,
        note=notes.search_note(),
    ),
    Metric(
        19,
        "the same, worst p95 of 5 texts, 1,000,000 labels (SQLite)",
        "search",
        "huge",
        "worst_p95_s",
        "ms",
        target=AtMost(0.100, "ms"),
        impls=KERNEL_ONLY,
    ),
    *(
        Metric(
            19,
            f'`ULabel.search("sample123")` first page, {label} labels (PostgreSQL)',
            "search",
            "postgres",
            f"{size}.texts.sample123.median_s",
            "ms",
            target=target,
            impls=KERNEL_ONLY,
            note=notes.search_note(f"{size}."),
        )
        for size, label, target in (
            ("search_small", "10,000", Target()),
            ("search_large", "100,000", AtMost(0.050, "ms")),
            ("search_huge", "1,000,000", AtMost(0.100, "ms")),
        )
    ),
    Metric(
        19,
        "the same, worst p95 of 5 texts, 1,000,000 labels (PostgreSQL)",
        "search",
        "postgres",
        "search_huge.worst_p95_s",
        "ms",
        target=AtMost(0.100, "ms"),
        impls=KERNEL_ONLY,
    ),
    # issue 19, cold paths and writes (the scale family has its own section)
    Metric(
        19,
        '`import lamin_kernel` + connect + `count()` ÷ `python -c "import sqlmodel"`, same machine',
        "import",
        "import_count",
        "vs_sqlmodel",
        "×",
        target=AtMost(1.2, "×"),
        impls=KERNEL_ONLY,
    ),
    Metric(
        19,
        "`ln.track()` + `ln.finish()` in a script, median of 7 runs, sides interleaved",
        "track",
        "track_finish",
        "track_finish_median_s",
        "s",
        target=Faster(3),
    ),
    Metric(
        19,
        "the same once the registries are defined (LaminDB's import defines them, "
        "lamin_kernel's first use of a registry)",
        "track",
        "track_finish",
        "track_finish_defined_median_s",
        "s",
    ),
    Metric(
        19,
        "the whole tracked script process (import + track + finish)",
        "track",
        "track_finish",
        "process_median_s",
        "s",
        target=Faster(3),
    ),
    *(
        Metric(
            19,
            f"one small DataFrame saved: {shape}, {rows:,} rows, median",
            "dataframes",
            "shapes",
            f"{shape}_{rows}.median_s",
            "ms",
            target=Faster(4),
        )
        for shape in ("numbers", "strings", "mixed")
        for rows in (100, 100_000)
    ),
)

ISSUES = {
    2: "Core: instances, artifacts, queries, labels",
    3: "Tracking",
    4: "Biological ontologies (bionty)",
    5: "Labels, features, schemas and validation",
    6: "JupyterLab: REST API and sidebar",
    7: "Collections: mapped()",
    12: "Resilience: search is bounded",
    13: "LaminDB compatibility: queries by feature value",
    15: "JupyterLab pages, live state, one lineage graph",
    16: "Cell-level lineage, run diffs and reruns",
    19: "Speed at every size (search, cold paths, writes; the scale family below)",
}
