"""A scale registry: N small file artifacts with labels, feature values, runs and versions.

Both sides are built through their public API, the way a user with a growing registry fills
it, in chunks of 10,000 artifacts (files written, ``ln.save``, files removed):

- artifact i is the file ``sample{i}`` keyed ``scale/<i // 1000>/sample{i}.txt`` and described
  ``sample{i} from donor {i % 500}``; every tenth (i % 10 == 9) is instead a new version of the
  key before it;
- it is linked to ULabel ``label{i % 50}`` (``label.artifacts.add``), carries the feature
  value ``temperature = i % 100`` (one JsonValue per value, linked with
  ``value.artifacts.add``) and was made by run ``i % 100`` of ten pipelines;
- the first 100 artifacts are the inputs of the run ``lineage_node.py``, and 100 further
  artifacts are its outputs: the node whose lineage is drawn has 100 neighbours on each side.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ._child import now, progress

N_LABELS = 50
N_RUNS = 100
N_VALUES = 100
N_LINEAGE = 100
CHUNK = 10_000


def key_of(i: int) -> str:
    """The key of artifact i: a new version of the key before it for every tenth."""
    j = i - 1 if i % 10 == 9 else i
    return f"scale/{j // 1000:04d}/sample{j}.txt"


def description_of(i: int) -> str:
    return f"sample{i} from donor {i % 500}"


def _setup_records(ln: Any) -> dict[str, Any]:
    labels = [ln.ULabel(name=f"label{i}") for i in range(N_LABELS)]
    ln.save(labels)
    feature = ln.Feature(name="temperature", dtype=float).save()
    transforms = [ln.Transform(key=f"pipeline{i}.py", kind="pipeline").save() for i in range(10)]
    runs = [ln.Run(transform=transforms[i % 10]).save() for i in range(N_RUNS)]
    node = ln.Run(transform=ln.Transform(key="lineage_node.py", kind="pipeline").save()).save()
    return {"labels": labels, "feature": feature, "runs": runs, "node": node}


def _write_files(folder: Path, start: int, stop: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, stop):
        path = folder / f"sample{i}.txt"
        path.write_text(f"sample {i}\n")
        paths.append(path)
    return paths


def _artifacts(
    ln: Any, made: dict, paths: list[Path], start: int, versions: bool
) -> list[tuple[int, Any]]:
    """(i, artifact) for the first versions of the chunk, or for its new versions."""
    out = []
    for i, path in enumerate(paths, start):
        if (i % 10 == 9) != versions:
            continue
        in_node = N_LINEAGE <= i < 2 * N_LINEAGE
        run = made["node"] if in_node else made["runs"][i % N_RUNS]
        artifact = ln.Artifact(str(path), key=key_of(i), description=description_of(i), run=run)
        out.append((i, artifact))
    return out


def _link_values(ln: Any, made: dict, artifacts: list[tuple[int, Any]]) -> None:
    """Each label and each temperature value linked to its artifacts of this chunk."""
    values = made.setdefault("values", {})
    by_label: dict[int, list] = {}
    by_value: dict[int, list] = {}
    for i, artifact in artifacts:
        by_label.setdefault(i % N_LABELS, []).append(artifact)
        t = i % N_VALUES
        if t not in values:  # the first artifact of each value makes its JsonValue
            artifact.features.add_values({"temperature": float(t)})
            # by its link: a JSON column compared with a number fails on PostgreSQL (see BENCHMARKS)
            values[t] = ln.models.JsonValue.filter(
                feature=made["feature"], artifacts=artifact
            ).one()
            continue
        by_value.setdefault(t, []).append(artifact)
    for j, group in by_label.items():
        made["labels"][j].artifacts.add(*group)
    for t, group in by_value.items():
        values[t].artifacts.add(*group)


def build(ln: Any, n: int, folder: Path) -> dict[str, Any]:
    """Fill the (empty) instance; returns the seconds each part took."""
    times = {"setup_s": 0.0, "files_s": 0.0, "save_s": 0.0, "links_s": 0.0}
    t0 = now()
    made = _setup_records(ln)
    times["setup_s"] += now() - t0
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        t0 = now()
        paths = _write_files(folder / f"{start // CHUNK:04d}", start, stop)
        t1 = now()
        firsts = _artifacts(ln, made, paths, start, versions=False)
        ln.save([a for _, a in firsts])
        newer = _artifacts(ln, made, paths, start, versions=True)
        ln.save([a for _, a in newer])  # after the first versions: they revise those
        t2 = now()
        _link_values(ln, made, sorted(firsts + newer, key=lambda pair: pair[0]))
        if start == 0:
            made["node"].input_artifacts.add(*[a for i, a in firsts + newer if i < N_LINEAGE])
        t3 = now()
        shutil.rmtree(folder / f"{start // CHUNK:04d}", ignore_errors=True)
        times["files_s"] += t1 - t0
        times["save_s"] += t2 - t1
        times["links_s"] += t3 - t2
        progress(f"built {stop:,} of {n:,} artifacts")
    return {k: round(v, 2) for k, v in times.items()}
