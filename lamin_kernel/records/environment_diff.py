"""The Python packages of runs, and how two runs' environments differ.

A run's environment is the `requirements.txt`-like artifact `ln.track()` stores
(`name==version` per line, sorted); runs without one fall back to the packages their code
imported (`run.imported_packages`).
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..storage.paths import filesystem
from .artifact_access import stored_location

MAX_ENVIRONMENT_BYTES = 4 << 20


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
    environment = getattr(run, "environment", None)
    if environment is not None:
        try:
            fs, inner = filesystem(stored_location(environment))
            with fs.open(inner, "rb") as handle:
                data = handle.read(MAX_ENVIRONMENT_BYTES)
            return parse_requirements(data.decode("utf-8", errors="replace"))
        except OSError:
            pass
    return dict(getattr(run, "imported_packages", None) or {})


def environment_diff(run: Any, other: Any) -> dict[str, Any]:
    """Packages added, removed and changed from `run` to `other`.

    ``{"run", "other", "added": {name: version}, "removed": {name: version},
    "changed": {name: [version in run, version in other]}, "n_same": int}``
    """
    for record in (run, other):
        if type(record).__name__ != "Run" or getattr(record, "id", None) is None:
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
