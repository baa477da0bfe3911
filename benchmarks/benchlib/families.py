"""The workload families in run order: what each runs, on which side, with which input data."""

from __future__ import annotations

from dataclasses import dataclass, field

BOTH = ("lamin_kernel", "lamindb")
KERNEL_ONLY = ("lamin_kernel",)


@dataclass(frozen=True)
class Step:
    """One child process: ``workloads.<module> --case <case>``."""

    case: str
    timeout_s: int = 900
    module: str | None = None  # when not the family's module
    impls: tuple[str, ...] = BOTH
    requires: tuple[str, ...] = ()  # earlier cases of the family that must have succeeded


@dataclass(frozen=True)
class Family:
    """Workloads that share one fresh instance per side."""

    name: str
    aliases: tuple[str, ...]
    module: str
    steps: tuple[Step, ...]
    impls: tuple[str, ...] = BOTH
    modules: str | None = None  # `lamin init --modules`
    data: str | None = None  # input file made once per run by workloads._data
    # full-run sizes for LaminDB where the nominal size would take too long (reported as such)
    lamindb_sizes: dict[str, int] = field(default_factory=dict)
    # registries built once and kept between runs (benchlib/scale_runner.py), not fresh ones
    cached_instances: bool = False
    # > 0: the sides run in alternation, this many rounds of one repetition each
    # (benchlib/interleaved.py); 2 in a smoke run
    rounds: int = 0


FAMILIES: tuple[Family, ...] = (
    Family("import", ("a",), "import_count", (Step("import_count", 600),), rounds=7),
    Family("track", ("b",), "track_finish", (Step("track_finish", 600),), rounds=7),
    Family(
        "dataframes",
        ("c",),
        "small_dataframes",
        (Step("small_dataframes", 1200), Step("shapes", 1800)),
    ),
    Family("bigfile", ("d",), "big_file", (Step("big_file", 1200),), data="big_file"),
    # the REST list endpoints and the sidebar's first page need the same 100,000-artifact
    # instance, so they live here
    Family(
        "query",
        ("e", "rest", "sidebar"),
        "query_artifacts",
        (
            Step("seed", 1200),
            Step("query_small", 600, requires=("seed",)),
            Step("bulk", 3600),
            Step("query_large", 600, requires=("bulk",)),
            Step("list_pages", 900, module="rest_api", impls=KERNEL_ONLY, requires=("bulk",)),
            Step(
                "sidebar_first_page",
                900,
                module="sidebar_first_page",
                impls=KERNEL_ONLY,
                requires=("bulk",),
            ),
            Step("artifact_page", 900, module="ui_pages", impls=KERNEL_ONLY, requires=("bulk",)),
        ),
        # LaminDB took 20 min for 100,000 (2026-11-29), so its instance gets 20,000
        lamindb_sizes={"bulk_artifacts": 20_000},
    ),
    # the JupyterLab pages of issue 15 that need an instance of their own
    Family(
        "ui",
        ("pages", "live", "lineage"),
        "ui_pages",
        (Step("live_update", 900), Step("lineage_page", 1200)),
        impls=KERNEL_ONLY,
    ),
    # issue 16: the cost of recording call sites, Run.diff
    Family(
        "cells",
        ("diff",),
        "cells",
        (
            Step("cell_recording", 900),
            Step("run_diff", 900),
            Step("rerun_check", 900),
            Step("rerun_check_notebook", 1200),
        ),
        impls=KERNEL_ONLY,
    ),
    Family(
        "features",
        ("h", "feature_values"),
        "feature_queries",
        (Step("seed", 3600), Step("queries", 900, requires=("seed",))),
        # LaminDB saves about 80 artifacts a second (part e), so its instance gets 20,000
        lamindb_sizes={"feature_artifacts": 20_000},
    ),
    Family(
        "labels",
        ("f",),
        "ulabels",
        (Step("labels", 1800), Step("bulk_labels", 3600)),
        lamindb_sizes={"bulk_labels": 20_000},  # about 3 ms per label
    ),
    Family(
        "validation",
        ("g",),
        "validation",
        (
            Step("anchor", 1200),
            Step("large", 1800, impls=KERNEL_ONLY),
        ),
    ),
    Family(
        "bionty",
        ("ontologies",),
        "ontologies",
        (
            Step("public_cold", 600),
            Step("public_warm", 600),
            Step("genes", 1800),
        ),
        modules="bionty",
    ),
    Family(
        "search",
        ("s",),
        "search",
        (
            Step("small", 1800),
            Step("large", 3600),
            Step("huge", 5400, impls=KERNEL_ONLY),
            Step("postgres", 7200, impls=KERNEL_ONLY),
        ),
    ),
    Family(
        "mapped",
        ("collections",),
        "mapped_rows",
        (
            Step("prepare", 1200),
            Step("iterate", 900, requires=("prepare",)),
        ),
        data="mapped_h5ad",
    ),
    # every common operation at N = 1,000 ... 1,000,000 artifacts, SQLite and PostgreSQL; its
    # steps are chosen by benchlib/scale_runner.py (sizes, databases, cases)
    Family("scale", ("s", "sizes"), "scale", (), cached_instances=True),
)


def select(only: str | None) -> list[Family]:
    """Families named (or lettered) in a comma list; all when ``only`` is empty."""
    if not only:
        return list(FAMILIES)
    wanted = {x.strip() for x in only.split(",") if x.strip()}
    known = {n for f in FAMILIES for n in (f.name, *f.aliases)}
    unknown = wanted - known
    if unknown:
        raise SystemExit(f"unknown part(s) {sorted(unknown)}; choose from {sorted(known)}")
    return [f for f in FAMILIES if wanted & {f.name, *f.aliases}]
