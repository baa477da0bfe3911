"""The scale family's run: registries built once and kept, measured side by side at each N.

A registry is kept in ``<cache>/<impl>-<db>-<N>-<version>/`` (settings, home, storage; on
PostgreSQL a database of the cluster in ``<cache>/postgres``). The cache is
``$LAMIN_BENCH_SCALE_CACHE`` when set (keep it outside the checkout: a 1,000,000-artifact
registry is gigabytes and takes an hour to build), else ``benchmarks/results/scale-cache``.
The version names what the data depends on: the build's own version and, for LaminDB, its
release. lamin_kernel's migrations are not part of it: a kept registry is upgraded when it is
opened, as a user's instance is. A registry whose version differs is removed and built again;
``LAMIN_BENCH_SCALE_REBUILD=1`` rebuilds them all.

Sizes: N = 1,000 by default (``make bench``, ``--smoke``, CI); larger ones only when asked for,
``--scale-sizes 10000,100000,1000000`` (or ``LAMIN_BENCH_SCALE_SIZES``). LaminDB is measured up
to 100,000 (its build of 100,000 takes about 10 minutes); lamin_kernel to 1,000,000.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from . import children, pg_cluster, sandbox

BUILD_VERSION = "1"
SIZES = (1_000, 10_000, 100_000, 1_000_000)  # what --scale-sizes accepts
DEFAULT_SIZES = (1_000,)
LAMINDB_MAX = 100_000
BACKENDS = ("sqlite", "postgres")
KERNEL_CASES = ("process_start", "reads", "lookup", "writes", "rest", "check")
LAMINDB_CASES = ("process_start", "reads", "lookup", "writes")


def parse_sizes(text: str) -> list[int]:
    """``"10000,100000"`` (``_`` and ``k``/``M`` suffixes allowed: ``10k,1M``) as sizes."""
    out = []
    for part in (x.strip().lower().replace("_", "") for x in text.split(",")):
        if part:
            scale = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
            out.append(int(part.rstrip("km")) * scale)
    return out


def sizes(requested: str | None, impl: str) -> list[int]:
    """The sizes to measure: those requested (``--scale-sizes``, else the environment's
    ``LAMIN_BENCH_SCALE_SIZES``), else the default; LaminDB up to ``LAMINDB_MAX``."""
    text = requested or os.environ.get("LAMIN_BENCH_SCALE_SIZES")
    chosen = parse_sizes(text) if text else list(DEFAULT_SIZES)
    return [n for n in chosen if impl == "lamin_kernel" or n <= LAMINDB_MAX]


def cache_root(results: Path) -> Path:
    env = os.environ.get("LAMIN_BENCH_SCALE_CACHE")
    return Path(env) if env else results / "scale-cache"


def backends() -> list[str]:
    env = os.environ.get("LAMIN_BENCH_SCALE_BACKENDS")
    return [b for b in (env.split(",") if env else BACKENDS) if b in BACKENDS]


def version_key(impl: str, repo: Path, python: Path) -> str:
    """What a built registry depends on, hashed."""
    if impl == "lamin_kernel":
        basis = "lamin_kernel"  # its migrations upgrade a kept registry when it is opened
    else:
        basis = subprocess.run(
            [str(python), "-c", "import lamindb; print(lamindb.__version__)"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    return hashlib.sha1(f"{BUILD_VERSION}:{basis}".encode()).hexdigest()[:10]


class ScaleRun:
    """One side of the family: its registries and the results of their cases."""

    def __init__(self, impl: str, python: Path, repo: Path, results: Path, logs: Path) -> None:
        self.impl, self.python, self.repo, self.logs = impl, python, repo, logs
        self.cache = cache_root(results)
        self.key = version_key(impl, repo, python)
        self.path = [repo / "benchmarks", repo] if impl == "lamin_kernel" else [repo / "benchmarks"]
        self.cluster: pg_cluster.Cluster | None = None

    def folder(self, db: str, n: int) -> Path:
        return self.cache / f"{self.impl}-{db}-{n}-{self.key}"

    def database(self, n: int) -> str:
        return f"scale_{self.impl}_{n}_{self.key}"

    def drop_stale(self, db: str, n: int) -> None:
        """Registries of this side, database and N built by another version."""
        for old in self.cache.glob(f"{self.impl}-{db}-{n}-*"):
            if old != self.folder(db, n):
                shutil.rmtree(old, ignore_errors=True)

    def ensure_built(self, db: str, n: int, log: Callable[[str], None]) -> dict:
        folder = self.folder(db, n)
        done = folder / "built.json"
        if done.exists() and os.environ.get("LAMIN_BENCH_SCALE_REBUILD") != "1":
            return json.loads(done.read_text())
        self.drop_stale(db, n)
        shutil.rmtree(folder, ignore_errors=True)
        box = sandbox.at(folder, self.python, self.path)
        url = self.cluster.create_database(self.database(n)) if db == "postgres" else None
        init = sandbox.init_instance(box, self.impl, None, db=url)
        if init["status"] != "ok":
            return {"status": init["status"], "error": init.get("error", "")}
        log(f"scale      building {self.impl} {db} N={n:,} ...")
        result = self._case(box, "build", n, timeout_s=6 * 3600)
        if result.get("status") == "ok":
            done.write_text(json.dumps(result))
        return result

    def _case(self, box: sandbox.Sandbox, case: str, n: int, timeout_s: int) -> dict:
        db = "postgres" if "postgres" in box.root.name else "sqlite"
        return children.run_case(
            box,
            self.impl,
            "scale",
            case,
            smoke=False,
            data=None,
            timeout_s=timeout_s,
            log_path=self.logs / f"scale-{self.impl}-{db}-{case}-{n}.log",
            extra_env={"LAMIN_BENCH_SCALE_N": str(n)},
        )

    def measure(self, db: str, n: int, log: Callable[[str], None]) -> dict[str, dict]:
        steps: dict[str, dict] = {}
        built = self.ensure_built(db, n, log)
        steps[f"{db}/{n}/build"] = built
        if built.get("status") != "ok":
            return steps
        box = sandbox.at(self.folder(db, n), self.python, self.path)
        cases = KERNEL_CASES if self.impl == "lamin_kernel" else LAMINDB_CASES
        if "saved_through_api" in built:  # copied rows have no stored files to re-hash
            cases = tuple(c for c in cases if c != "check")
        for case in cases:
            result = self._case(box, case, n, timeout_s=3 * 3600)
            steps[f"{db}/{n}/{case}"] = result
            log(
                f"scale      {db:<8} N={n:<9,} {case:<14} {self.impl:<12} "
                f"{result.get('status'):<8} {result.get('wall_s', 0):7.1f} s "
                f"{result.get('error', '')[:80]}"
            )
        return steps


def run_side(
    impl: str,
    python: Path,
    repo: Path,
    results: Path,
    logs: Path,
    requested_sizes: str | None,
    log: Callable,
) -> dict:
    """Measure one side at every database and size; the family's result for that side."""
    side_run = ScaleRun(impl, python, repo, results, logs)
    side: dict = {"init": {"status": "ok"}, "steps": {}, "version_key": side_run.key}
    try:
        for db in backends():
            if db == "postgres" and side_run.cluster is None:
                side_run.cluster = pg_cluster.start(side_run.cache / "postgres")
            for n in sizes(requested_sizes, impl):
                side["steps"].update(side_run.measure(db, n, log))
    finally:
        if side_run.cluster is not None:
            side_run.cluster.stop()
    return side


if __name__ == "__main__":  # pragma: no cover - a helper for looking at a cached registry
    print(version_key(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
