"""Issue 16 (lamin_kernel only): what recording the call site costs a save or load,
``ln.Run.diff`` of two runs with 500 packages and 100 inputs each, and what ``lamin rerun
--check`` adds to a script's and a notebook's own run time.

Cell recording: a tracked run saves and loads small tables; the functions that record the
call site (``run_links.output_call_site`` + ``run_links.add_outputs`` for a save, the call-site
lookup of ``run_links.add_input`` for a load) are timed where the save and load call them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ._child import Ctx, main, median, now, p95, progress

N_PACKAGES = 500
N_INPUTS = 100


def _timed(module: Any, name: str, into: list[float]) -> None:
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - t0)

    setattr(module, name, wrapper)


def cell_recording(ctx: Ctx) -> None:
    import pandas as pd

    import lamin_kernel as ln
    from lamin_kernel.records import run_links

    n = ctx.size("cell_saves")
    ln.track(transform=ln.Transform(key="bench-cells", kind="pipeline").save())
    site_of_save: list[float] = []
    link_of_save: list[float] = []
    site_of_load: list[float] = []
    _timed(run_links, "output_call_site", site_of_save)
    _timed(run_links, "add_outputs", link_of_save)
    _timed(run_links, "current_call_site", site_of_load)
    saved = []
    for i in range(n):
        df = pd.DataFrame({"i": [i, i + 1]})
        saved.append(ln.Artifact.from_dataframe(df, key=f"bench/cells/{i}.parquet").save())
    ln.finish()
    ln.track(transform=ln.Transform(key="bench-cells-load", kind="pipeline").save())
    for artifact in saved:  # inputs of this second run
        artifact.cache()
    ln.finish()
    per_save = [a + b for a, b in zip(site_of_save, link_of_save, strict=False)]
    ctx.res["n"] = n
    ctx.res["per_save_median_s"] = median(per_save)
    ctx.res["per_save_p95_s"] = p95(per_save)
    ctx.res["per_load_median_s"] = median(site_of_load) if site_of_load else None
    ctx.res["per_load_p95_s"] = p95(site_of_load) if site_of_load else None


def _requirements(folder: Path, name: str, changed: int) -> Path:
    lines = [f"package-{i:03d}=={'2.0' if i < changed else '1.0'}\n" for i in range(N_PACKAGES)]
    path = folder / name
    path.write_text("".join(lines))
    return path


def run_diff(ctx: Ctx) -> None:
    import pandas as pd

    import lamin_kernel as ln
    from lamin_kernel.setup.session import read_session

    progress(f"making 2 runs with {N_INPUTS} inputs and {N_PACKAGES} packages each")
    transform = ln.Transform(key="bench-diff", kind="pipeline").save()
    runs = [ln.Run(transform, params={"lr": 0.1 * (i + 1), "n": 3}).save() for i in range(2)]
    inputs = [
        ln.Artifact.from_dataframe(pd.DataFrame({"i": [i]}), key=f"bench/in/{i}.parquet").save()
        for i in range(N_INPUTS)
    ]
    newer = [
        ln.Artifact.from_dataframe(pd.DataFrame({"i": [i, 0]}), key=f"bench/in/{i}.parquet").save()
        for i in range(N_INPUTS // 2)
    ]
    runs[0].input_artifacts.add(*inputs)
    runs[1].input_artifacts.add(*newer, *inputs[N_INPUTS // 2 :])
    for run, changed in zip(runs, (0, 25), strict=True):
        path = _requirements(ctx.sandbox, f"requirements-{run.uid}.txt", changed)
        env = ln.Artifact(path, description="requirements.txt", kind="__lamindb_run__").save()
        run.environment = env
        run.save()
    uids = [run.uid for run in runs]
    times = []
    for _ in range(ctx.size("diff_reps")):
        with read_session() as session:
            session.expire_all()  # nothing cached from the last diff
        a, b = ln.Run.get(uids[0]), ln.Run.get(uids[1])
        t0 = now()
        diff = ln.Run.diff(a, b)
        times.append(now() - t0)
    ctx.res["n_changed_inputs"] = len(diff["inputs"]["changed"])
    ctx.res["n_changed_packages"] = len(diff["environment"]["changed"])
    ctx.res["median_s"] = median(times)
    ctx.res["p95_s"] = p95(times)


RERUN_SCRIPT = """\
import lamin_kernel as ln
import pandas as pd

ln.track()
df = ln.Artifact.get(key="bench/rerun/in.parquet").load()
ln.Artifact.from_dataframe(df * 2, key="bench/rerun/out.parquet").save()
ln.finish()
"""


def rerun_check(ctx: Ctx) -> None:
    """The script run as a tracked subprocess (its own time), then ``rerun(check=True)``:
    the difference is what the check adds (input checks, the environment comparison, the
    dry run's captured outputs and their comparison; nothing is written)."""
    import subprocess
    import sys

    import pandas as pd

    import lamin_kernel as ln
    from lamin_kernel.tracking.rerun import rerun

    df = pd.DataFrame({"a": range(1000)})
    ln.Artifact.from_dataframe(df, key="bench/rerun/in.parquet").save()
    script = ctx.sandbox / "bench_rerun.py"
    script.write_text(RERUN_SCRIPT)
    own, checks = [], []
    for _ in range(ctx.size("rerun_reps")):
        t0 = now()
        done = subprocess.run([sys.executable, script.name], cwd=ctx.sandbox, capture_output=True)
        own.append(now() - t0)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode()[-500:])
    run = ln.Run.filter(transform__key="bench_rerun.py").order_by("id").first()
    for _ in range(ctx.size("rerun_reps")):
        t0 = now()
        result = rerun(run.uid, check=True)
        checks.append(now() - t0)
        assert result.reproduced
    ctx.res["own_median_s"] = median(own)
    ctx.res["check_median_s"] = median(checks)
    ctx.res["added_s"] = round(median(checks) - median(own), 4)


RERUN_CELLS = (
    "import lamin_kernel as ln\nln.track()",
    "df = ln.Artifact.get(key='bench/rerun/nb_in.parquet').load()",
    "ln.Artifact.from_dataframe(df * 2, key='bench/rerun/nb_out.parquet').save()",
    "ln.finish()",
)


def _run_notebook(path: Path) -> None:
    """Execute a notebook in a fresh kernel (nbclient), tracked as in JupyterLab."""
    import os

    import nbformat

    from lamin_kernel.tracking.notebook_client import cell_id_client

    notebook = nbformat.read(path, as_version=4)
    env = {**os.environ, "JPY_SESSION_NAME": str(path)}
    resources = {"metadata": {"path": str(path.parent)}}
    cell_id_client(notebook, kernel_name="python3", resources=resources).execute(env=env)


def rerun_check_notebook(ctx: Ctx) -> None:
    """A notebook executed through nbclient in a fresh kernel (its own time, kernel start
    included, as ``lamin rerun`` runs it), then ``rerun(check=True)`` of its first run: the
    difference is what the check adds (the notebook rebuilt from the report, input checks, the
    environment comparison, the captured outputs and their comparison)."""
    import nbformat
    import pandas as pd

    import lamin_kernel as ln
    from lamin_kernel.tracking.rerun import rerun

    df = pd.DataFrame({"a": range(1000, 2000)})  # not the script case's table (same hash)
    ln.Artifact.from_dataframe(df, key="bench/rerun/nb_in.parquet").save()
    path = ctx.sandbox / "bench_rerun.ipynb"
    v4 = nbformat.v4
    notebook = v4.new_notebook()
    notebook.cells = [v4.new_markdown_cell("# Rerun benchmark")]
    notebook.cells += [v4.new_code_cell(source) for source in RERUN_CELLS]
    nbformat.write(notebook, path)
    own, checks = [], []
    for _ in range(ctx.size("rerun_reps")):
        t0 = now()
        _run_notebook(path)
        own.append(now() - t0)
    run = ln.Run.filter(transform__key="bench_rerun.ipynb").order_by("id").first()
    for _ in range(ctx.size("rerun_reps")):
        t0 = now()
        result = rerun(run.uid, check=True)
        checks.append(now() - t0)
        assert result.reproduced, [(c.label, c.status) for c in result.checks]
    ctx.res["own_median_s"] = median(own)
    ctx.res["check_median_s"] = median(checks)
    ctx.res["added_s"] = round(median(checks) - median(own), 4)


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                "cell_recording": cell_recording,
                "run_diff": run_diff,
                "rerun_check": rerun_check,
                "rerun_check_notebook": rerun_check_notebook,
            }
        )
    )
