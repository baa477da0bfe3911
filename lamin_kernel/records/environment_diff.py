"""The Python packages of runs, and how two runs' environments differ.

A run's environment is the `requirements.txt`-like artifact `ln.track()` stores
(`name==version` per line, sorted); runs without one fall back to the packages their code
imported (`run.imported_packages`).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InvalidArgument
from ..storage.paths import filesystem
from .artifact_access import stored_location
from .registered import registered

MAX_ENVIRONMENT_BYTES = 4 << 20
_NAME_SEPARATORS = re.compile(r"[-_.]+")


def parse_requirements(text: str) -> dict[str, str]:
    """{name: version} of `name==version` lines; other lines (comments, URLs) keep their text."""
    packages: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        packages[name.strip()] = version.strip() if sep else ""
    return packages


def environment_packages(run: Any) -> dict[str, str]:
    """{distribution: version} of the run's environment; {} when nothing was recorded."""
    return _stored_packages(run) or dict(getattr(run, "imported_packages", None) or {})


def _stored_packages(run: Any) -> dict[str, str]:
    """The run's stored environment file as {distribution: version}; {} without one."""
    environment = getattr(run, "environment", None)
    if environment is not None:
        try:
            fs, inner = filesystem(stored_location(environment))
            with fs.open(inner, "rb") as handle:
                data = handle.read(MAX_ENVIRONMENT_BYTES)
            return parse_requirements(data.decode("utf-8", errors="replace"))
        except OSError:
            pass
    return {}


def environment_diff(run: Any, other: Any) -> dict[str, Any]:
    """Packages added, removed and changed from `run` to `other`.

    ``{"run", "other", "added": {name: version}, "removed": {name: version},
    "changed": {name: [version in run, version in other]}, "n_same": int}``
    """
    for record in (run, other):
        if not isinstance(record, registered.Run) or getattr(record, "id", None) is None:
            raise InvalidArgument("environment_diff() compares two saved runs")
    before, after = environment_packages(run), environment_packages(other)
    changed = {
        name: [before[name], after[name]]
        for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    }
    return {
        "run": run.uid,
        "other": other.uid,
        "added": {n: after[n] for n in sorted(after.keys() - before.keys())},
        "removed": {n: before[n] for n in sorted(before.keys() - after.keys())},
        "changed": changed,
        "n_same": len(before.keys() & after.keys()) - len(changed),
    }


def _canonical(name: str) -> str:
    """PEP 503: ``Jupyter_Server`` and ``jupyter-server`` name one distribution."""
    return _NAME_SEPARATORS.sub("-", name).lower()


def changes_since_run(run: Any, current: dict[str, str]) -> dict[str, Any]:
    """Packages added, removed and changed from the run's stored environment to ``current``.

    ``recorded`` says what the run stored: ``"environment"`` (every installed distribution),
    ``"imported"`` (only what its code imported: nothing counts as added then) or ``None``
    (nothing to compare with: the lists are empty). Names compare PEP 503-normalized.
    """
    stored = _stored_packages(run)
    recorded = "environment" if stored else None
    if not stored and getattr(run, "imported_packages", None):
        stored, recorded = dict(run.imported_packages), "imported"
    before = {_canonical(n): (n, v) for n, v in stored.items()}
    after = {_canonical(n): (n, v) for n, v in current.items()}
    common = sorted(before.keys() & after.keys())
    changed = {
        after[k][0]: [before[k][1], after[k][1]] for k in common if before[k][1] != after[k][1]
    }
    added = (
        {}
        if recorded != "environment"
        else dict(after[k] for k in sorted(after.keys() - before.keys()))
    )
    return {
        "recorded": recorded,
        "added": added,
        "removed": dict(before[k] for k in sorted(before.keys() - after.keys())),
        "changed": changed,
        "n_same": len(common) - len(changed),
    }
