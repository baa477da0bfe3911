"""The scale family: every common operation on registries of N artifacts, both sides.

The registry (``scale_build``) is built once per side, database and N, and kept in
``benchmarks/results/scale-cache`` (``benchlib/scale_runner.py``); every case below runs in a
fresh process against it. ``LAMIN_BENCH_SCALE_N`` says how many artifacts it holds. Writes
remove what they made, so the registry stays as built.

Each timed operation: one call to warm up, then ``reps`` calls on different arguments;
median (and p95 for REST). The ``reads`` process reports its peak RSS.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from ._child import Ctx, import_line, import_ln, main, median, now, p95
from .scale_build import CHUNK, N_LABELS, N_VALUES, build, key_of
from .scale_bulk import BULK_ABOVE, extend


def scale_n() -> int:
    return int(os.environ["LAMIN_BENCH_SCALE_N"])


def reps_for(n: int) -> int:
    return 5 if n >= 100_000 else 10


def timed(fn: Callable[[int], Any], reps: int) -> dict[str, Any]:
    """Median and p95 of `reps` calls fn(1..reps) after one call fn(0) to warm up."""
    fn(0)
    times = []
    for i in range(1, reps + 1):
        t0 = now()
        fn(i)
        times.append(now() - t0)
    return {"median_s": median(times), "p95_s": p95(times), "reps": reps}


def build_case(ctx: Ctx) -> None:
    ln = import_ln(ctx.impl)
    n = scale_n()
    t0 = now()
    if ctx.impl == "lamin_kernel" and n > BULK_ABOVE:  # the first chunk saved, then copied
        ctx.res.update(build(ln, CHUNK, ctx.sandbox / "build_files"))
        extend(ln, n)
        ctx.res["saved_through_api"] = CHUNK
    else:
        ctx.res.update(build(ln, n, ctx.sandbox / "build_files"))
    ctx.res["build_s"] = round(now() - t0, 1)
    ctx.res["n_artifacts"] = ln.Artifact.filter().count()


def _sample(n: int, reps: int, seed: int) -> list[int]:
    """Artifact indices to look up, first versions only (their keys are unique)."""
    rng = random.Random(seed)
    picks = []
    while len(picks) < reps + 1:
        i = rng.randrange(n)
        if i % 10 != 9 and i % 10 != 8:  # 8's key has two versions
            picks.append(i)
    return picks


def _reads(ln: Any, n: int) -> dict[str, Callable[[int], Any]]:
    """name -> operation(call number)."""
    reps = reps_for(n)
    keys = [key_of(i) for i in _sample(n, reps, 1)]
    uids = [ln.Artifact.get(key=k).uid for k in _sample_keys(n, reps)]
    # about 100 keys each: scale/0012/sample123 -> sample12300 ... sample12399
    prefixes = [f"scale/{i // 1000:04d}/sample{i // 100}" for i in _sample(n, reps, 3)]
    labels = [f"label{(3 + k) % N_LABELS}" for k in range(reps + 1)]
    temps = [float((21 + k) % N_VALUES) for k in range(reps + 1)]
    searched = [f"sample{i}" for i in _sample(n, reps, 4)]
    art = ln.Artifact.filter(key=key_of(150)).one()  # an output of the lineage node
    return {
        "get_key": lambda k: ln.Artifact.get(key=keys[k]),
        "get_uid": lambda k: ln.Artifact.get(uids[k]),
        "prefix_dataframe": lambda k: ln.Artifact.filter(
            key__startswith=prefixes[k]
        ).to_dataframe(),
        "label_count": lambda k: ln.Artifact.filter(ulabels__name=labels[k]).count(),
        "label_page": lambda k: ln.Artifact.filter(ulabels__name=labels[k]).to_dataframe(limit=100),
        "feature_count": lambda k: ln.Artifact.filter(temperature=temps[k]).count(),
        "feature_page": lambda k: ln.Artifact.filter(temperature=temps[k]).to_dataframe(limit=100),
        "search_page": lambda k: list(ln.Artifact.search(searched[k])[:20]),
        "registry_dataframe": lambda k: ln.Artifact.to_dataframe(),
        "describe": lambda k: _quiet(lambda: art.describe()),
        "lineage": lambda k: _lineage(ln, art),
    }


def _sample_keys(n: int, reps: int) -> list[str]:
    return [key_of(i) for i in _sample(n, reps, 2)]


def _quiet(fn: Callable[[], Any]) -> Any:
    with redirect_stdout(io.StringIO()):
        return fn()


def _lineage(ln: Any, artifact: Any) -> Any:
    """The lineage graph's data around an artifact (no drawing)."""
    if ln.__name__ == "lamindb":
        from lamindb.models.has_parents import view_lineage

        return view_lineage(artifact, return_graph=True)
    from lamin_kernel.records.lineage import lineage_graph

    return lineage_graph(artifact, direction="both", depth=3)


def reads(ctx: Ctx) -> None:
    """Every read, in one process; its peak RSS is that of a process that ran them all."""
    ln = import_ln(ctx.impl)
    n = scale_n()
    reps = reps_for(n)
    ctx.res["ops"] = {}
    for name, fn in _reads(ln, n).items():
        try:
            ctx.res["ops"][name] = timed(fn, 3 if name == "search_page" else reps)
        except Exception as e:  # noqa: BLE001 - one operation failing must not hide the rest
            ctx.res["ops"][name] = {"error": f"{type(e).__name__}: {str(e)[:200]}"}
    ctx.res["n"] = n


def lookup(ctx: Ctx) -> None:
    """``ln.Artifact.lookup()`` and ``ln.ULabel.lookup()``, in a process of their own."""
    ln = import_ln(ctx.impl)
    ctx.res["ops"] = {
        "ulabel_lookup": timed(lambda k: ln.ULabel.lookup(), 3),
        "artifact_lookup": timed(lambda k: ln.Artifact.lookup(), 1),
    }


def process_start(ctx: Ctx) -> None:
    """``python -c "import ln; ln.Artifact.filter().count()"`` in fresh processes."""
    code = import_line(ctx.impl) + "ln.Artifact.filter().count()\n"
    times = []
    for _ in range(4):
        t0 = now()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(now() - t0)
    ctx.res["ops"] = {"process_start": {"median_s": median(times[1:]), "reps": 3}}


def _new_files(folder: Path, tag: str, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{tag}{i}.txt"
        path.write_text(f"{tag} {i} {os.getpid()}\n")
        paths.append(path)
    return paths


def writes(ctx: Ctx) -> None:
    """Save one, ln.save 1,000, link 1,000 to a label, delete + restore; then clean up."""
    ln = import_ln(ctx.impl)
    folder = ctx.sandbox / "write_files"
    ops: dict[str, Any] = {}
    ctx.res["ops"] = ops
    try:
        ones = _new_files(folder, "one", 11)
        ops["save_one"] = timed(
            lambda k: ln.Artifact(str(ones[k]), key=f"scale_writes/one{k}.txt").save(), 10
        )
        paths = _new_files(folder, "bulk", 1000)
        t0 = now()
        batch = [ln.Artifact(str(p), key=f"scale_writes/bulk/{p.name}") for p in paths]
        t1 = now()
        ln.save(batch)
        t2 = now()
        ops["save_1000"] = {"median_s": round(t2 - t0, 4), "save_only_s": round(t2 - t1, 4)}
        label = ln.ULabel.get(name="label0")
        t0 = now()
        label.artifacts.add(*batch)
        ops["link_1000"] = {"median_s": round(now() - t0, 4)}
        olds = [ln.Artifact.get(key=key_of(i)) for i in (1, 2, 3, 4, 5, 6)]

        def delete_restore(k: int) -> None:
            olds[k].delete()
            olds[k].restore()

        ops["delete_restore"] = timed(delete_restore, 5)
    finally:
        ln.Artifact.filter(key__startswith="scale_writes/").delete(permanent=True)


def save_batch(ctx: Ctx) -> None:
    """``ln.save`` of new small file artifacts (1,000), construction included, on whatever the
    instance holds (run alone on an empty one by ``benchmarks/side_by_side.py``), after a
    first count has connected."""
    ln = import_ln(ctx.impl)
    tag = f"batch{os.getpid()}_"
    paths = _new_files(ctx.sandbox / "batch_files", tag, ctx.size("batch_files"))
    ln.Artifact.filter().count()  # connected, registries defined: not part of the figure
    t0 = now()
    batch = [ln.Artifact(str(p), key=f"save_batch/{p.name}") for p in paths]
    t1 = now()
    ln.save(batch)
    t2 = now()
    ctx.res["ops"] = {
        "save_1000": {"median_s": round(t2 - t0, 4), "reps": 1},
        "construct_1000": {"median_s": round(t1 - t0, 4), "reps": 1},
        "save_only_1000": {"median_s": round(t2 - t1, 4), "reps": 1},
    }
    for path in paths:
        path.unlink()


def check(ctx: Ctx) -> None:
    """``lamin check`` (lamin_kernel): re-hashes every artifact's bytes."""
    t0 = now()
    p = subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "check"], capture_output=True, text=True
    )
    ctx.res["ops"] = {"lamin_check": {"median_s": round(now() - t0, 3), "reps": 1}}
    if p.returncode != 0:
        ctx.res["check_output"] = (p.stdout + p.stderr)[-300:]


def rest(ctx: Ctx) -> None:
    """The REST list page, search page, record page and lineage (lamin_kernel), p95."""
    import lamin_kernel as ln

    from .rest_api import _get, jupyter_server

    n = scale_n()
    reps = 20
    uid = ln.Artifact.get(key=key_of(150)).uid
    base_path = "/lamin/api/registries/Artifact/records?page_size=50"
    requests = {
        "rest_list_page": lambda k: f"{base_path}&page={1 + k % 5}",
        "rest_search_page": lambda k: f"{base_path}&page=1&search=sample{(k * 7919) % n}",
        "rest_record_page": lambda k: f"/lamin/api/registries/Artifact/records/{uid}",
        "rest_lineage": lambda k: f"/lamin/api/lineage/Artifact/{uid}",
    }
    ops: dict[str, Any] = {}
    with jupyter_server(ctx) as base:
        for name, path in requests.items():
            times, status = [], 200
            for k in range(reps + 1):
                t0 = now()
                status, _ = _get(base, path(k))
                times.append(now() - t0)
                if status != 200:
                    break
            ops[name] = (
                {"median_s": median(times[1:]), "p95_s": p95(times[1:]), "reps": reps}
                if status == 200
                else {"error": f"HTTP {status}"}
            )
    ctx.res["ops"] = ops


CASES = {
    "build": build_case,
    "reads": reads,
    "lookup": lookup,
    "process_start": process_start,
    "writes": writes,
    "save_batch": save_batch,
    "check": check,
    "rest": rest,
}

if __name__ == "__main__":
    raise SystemExit(main(CASES))
