"""What every workload child shares: the import switch, sizes, timing helpers, result output.

A workload module is run as ``python -m workloads.<name> --impl lamindb|lamin_kernel
--case CASE --sandbox DIR [--smoke]`` in a fresh process whose LAMIN_SETTINGS_DIR, HOME
and instance folder belong to that sandbox alone. It prints one line
``BENCH_RESULT {json}``; errors are caught here and reported, never raised.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

RESULT_TAG = "BENCH_RESULT "
IMPLS = ("lamin_kernel", "lamindb")

# Errors that mean "this API is not there (yet)" rather than "this API is broken".
MISSING_API_ERRORS: tuple[type[BaseException], ...] = (
    ImportError,
    AttributeError,
    NotImplementedError,
)

# name -> (full, smoke); LAMIN_BENCH_<NAME>=N overrides one (run.py does so for LaminDB where
# a full size would take too long: benchlib/families.py, `lamindb_sizes`).
SIZES: dict[str, tuple[int, int]] = {
    "import_reps": (5, 3),
    "track_reps": (3, 2),
    "small_dataframes": (200, 10),
    "small_dataframe_rows": (100, 100),
    "shape_small_reps": (20, 3),
    "shape_large_reps": (5, 2),
    "big_file_mb": (1024, 20),
    "cp_reps": (5, 2),
    "big_file_reps": (3, 2),
    "query_seed_dataframes": (200, 10),
    "bulk_artifacts": (100_000, 2_000),
    "feature_artifacts": (100_000, 2_000),
    "query_reps": (10, 5),
    "labels": (1000, 50),
    "bulk_labels": (100_000, 2_000),
    "label_link_artifacts": (200, 20),
    "valid_rows": (100_000, 1_000),
    "valid_labels": (1000, 20),
    "big_valid_rows": (1_000_000, 10_000),
    "big_valid_terms": (100_000, 1_000),
    "genes_from_values": (20_000, 500),
    "genes_validate": (60_000, 1_500),
    "rest_reps": (40, 10),
    "mapped_rows": (1_000_000, 20_000),
    "mapped_genes": (2_000, 200),
    "mapped_batches": (200, 20),
    "search_small": (10_000, 1_000),
    "search_large": (100_000, 5_000),
    "search_huge": (1_000_000, 10_000),
    "search_reps": (30, 5),
    "cell_saves": (200, 20),
    "batch_files": (1000, 100),
    "diff_reps": (10, 3),
    "rerun_reps": (5, 2),
}


@dataclass
class Ctx:
    """The arguments of one child run."""

    impl: str
    case: str
    sandbox: Path
    smoke: bool
    data: Path | None
    res: dict[str, Any] = field(default_factory=dict)

    def size(self, name: str) -> int:
        return size(name, self.smoke)

    def nominal(self, name: str) -> int:
        return nominal_size(name, self.smoke)


def nominal_size(name: str, smoke: bool) -> int:
    """The size the figures are reported for (full or smoke)."""
    full, small = SIZES[name]
    return small if smoke else full


def size(name: str, smoke: bool) -> int:
    """The size measured; ``LAMIN_BENCH_<NAME>`` in the environment overrides the nominal one."""
    env = os.environ.get(f"LAMIN_BENCH_{name.upper()}")
    return int(env) if env else nominal_size(name, smoke)


# ---------------------------------------------------------------------------------------
# the only place where the two implementations differ
# ---------------------------------------------------------------------------------------
def import_line(impl: str) -> str:
    """Source lines that import the implementation as ``ln`` (for generated scripts)."""
    if impl == "lamindb":
        # offline: lamindb asks the hub whether the instance is registered there; the
        # anchor script sets this private flag right after import (see its docstring)
        return "import lamindb as ln\nln.setup.settings.instance._is_on_hub = False\n"
    return "import lamin_kernel as ln\n"


def import_ln(impl: str) -> ModuleType:
    """Import the implementation under test as ``ln``."""
    if impl == "lamindb":
        import lamindb as ln

        ln.setup.settings.instance._is_on_hub = False
        return ln
    import lamin_kernel as ln

    return ln


def import_bt(impl: str) -> ModuleType:
    """Import the bionty module of the implementation as ``bt``."""
    if impl == "lamindb":
        import bionty as bt

        return bt
    import lamin_kernel.bionty as bt

    return bt


# ---------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------
def now() -> float:
    return time.perf_counter()


def progress(message: str) -> None:
    """A progress line in the child's log (stderr)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(xs: list[float]) -> float:
    return round(statistics.median(xs), 6)


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return round(s[min(len(s) - 1, int(0.95 * len(s)))], 6)


OFFLINE_MARKERS = (
    "Could not connect",
    "Name or service not known",
    "URLError",
    "ConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def status_of(e: BaseException) -> str:
    """``unavailable`` (API missing), ``offline`` (needs the internet) or ``error``."""
    if isinstance(e, MISSING_API_ERRORS):
        return "unavailable"
    chain, seen = [], set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain.append(f"{type(e).__name__}: {e}")
        e = e.__cause__ or e.__context__
    text = " ".join(chain)
    return "offline" if any(m in text for m in OFFLINE_MARKERS) else "error"


_EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*)?(Error|Exception|Exit|Interrupt|Warning)\b")


def error_line(text: str) -> str:
    """The exception line of a traceback in ``text`` (else its last non-empty line)."""
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    for line in reversed(lines):
        if _EXC_LINE.match(line):
            return line[:300]
    return lines[-1][:300] if lines else ""


def short_error(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {text}"[:300]


@contextmanager
def optional(res: dict[str, Any], name: str) -> Iterator[None]:
    """Run a sub-measurement; on error record ``res["errors"][name]`` and go on."""
    try:
        yield
    except Exception as e:  # noqa: BLE001
        res.setdefault("errors", {})[name] = {"status": status_of(e), "error": short_error(e)}


def try_track(ln: ModuleType, res: dict[str, Any]) -> bool:
    """Call ``ln.track()`` when the implementation has it; record whether it ran."""
    try:
        ln.track()
        res["tracked"] = True
    except Exception as e:  # noqa: BLE001
        res["tracked"] = False
        res["track_error"] = short_error(e)
    return res["tracked"]


def try_finish(ln: ModuleType, res: dict[str, Any]) -> None:
    if res.get("tracked"):
        with optional(res, "finish"):
            ln.finish()


def random_frame(i: int, rows: int):  # noqa: ANN201 - pandas is imported lazily
    """A small DataFrame with different content for every ``i`` (as the anchor's part c)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(i)
    return pd.DataFrame(
        {
            "i": np.arange(rows) + i * rows,
            "x": rng.random(rows),
            "s": [f"s{i}_{j}" for j in range(rows)],
        }
    )


def write_small_files(folder: Path, n: int, prefix: str = "content") -> list[Path]:
    """``n`` tiny files with distinct content (distinct hashes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"{i:06d}.txt"
        p.write_bytes(f"{prefix} {i}\n".encode())
        paths.append(p)
    return paths


# ---------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------
def main(cases: dict[str, Callable[[Ctx], None]]) -> int:
    """Parse the child's arguments, run one case, print its result line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", choices=IMPLS, required=True)
    ap.add_argument("--case", choices=sorted(cases), required=True)
    ap.add_argument("--sandbox", required=True)
    ap.add_argument("--data")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    ctx = Ctx(
        args.impl, args.case, Path(args.sandbox), args.smoke, Path(args.data) if args.data else None
    )
    ctx.res["load_avg_1m_at_start"] = round(os.getloadavg()[0], 2)
    t0 = now()
    try:
        cases[args.case](ctx)
        ctx.res.setdefault("status", "ok")
    except Exception as e:  # noqa: BLE001
        ctx.res["status"] = status_of(e)
        ctx.res["error"] = short_error(e)
        ctx.res["traceback"] = traceback.format_exc().strip().splitlines()[-8:]
    ctx.res["child_s"] = round(now() - t0, 3)
    ctx.res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.flush()
    print(RESULT_TAG + json.dumps(ctx.res, default=str), flush=True)
    return 0
