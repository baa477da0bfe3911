"""The Python environment of a run, as text that hashes the same for the same environment.

One ``name==version`` line per installed distribution, sorted case-insensitively,
like ``pip freeze`` but read in-process (no subprocess). Only the first of several
installations of one name counts, the one ``import`` would find.

Both this and the module -> distribution map (``imports.py``) read only what they need:
the ``Name``/``Version`` header lines of each distribution's metadata (``importlib.metadata``
parses the whole file with the email parser, twice for name and version) and the first
path component of each ``RECORD`` line (it builds a path object per installed file). For
~200 distributions that is 0.1 s instead of ~0.7 s, paid once per environment
(``python_cache``), but on the first ``track()`` after every install.
"""

from __future__ import annotations

import csv
import importlib.metadata as metadata
import re
from collections.abc import Iterable

_NAME_SEPARATORS = re.compile(r"[-_.]+")


def installed_distributions() -> dict[str, str]:
    """``{name: version}`` of the distributions visible on ``sys.path``, sorted by name."""
    found: dict[str, tuple[str, str]] = {}
    for distribution in metadata.distributions():
        name, version = name_and_version(distribution)
        if not name or version is None:
            continue  # a broken install without metadata
        found.setdefault(_canonical(name), (name, version))
    return dict(found[key] for key in sorted(found))


def name_and_version(distribution: metadata.Distribution) -> tuple[str | None, str | None]:
    """The ``Name`` and ``Version`` fields of a distribution's metadata header."""
    text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break  # the header ends at the first blank line; the description follows
        key, sep, value = line.partition(":")
        if sep and not line[0].isspace() and key.lower() in ("name", "version"):
            fields.setdefault(key.lower(), value.strip())
    return fields.get("name"), fields.get("version")


def top_level_modules(distribution: metadata.Distribution) -> Iterable[str]:
    """The top-level import names a distribution provides: ``top_level.txt`` when it has one,
    else inferred from its installed ``.py`` files (as ``packages_distributions()`` does)."""
    declared = (distribution.read_text("top_level.txt") or "").split()
    if declared:
        return declared
    record = distribution.read_text("RECORD")
    if record is None:  # not a wheel install: importlib reads its other file lists
        paths: Iterable[str] = (str(file) for file in distribution.files or ())
    else:
        paths = (row[0] for row in csv.reader(record.splitlines()) if row)
    return _tops_of(paths)


def _tops_of(paths: Iterable[str]) -> set[str]:
    tops = set()
    for path in paths:
        if not path.endswith(".py") or path.endswith("/.py") or path == ".py":
            continue
        first, sep, _ = path.lstrip("/").partition("/")
        tops.add(first if sep else first[: -len(".py")])
    return tops


def environment_text() -> str:
    """``name==version`` lines, sorted, newline-terminated: identical environments, identical text."""
    return "".join(f"{name}=={version}\n" for name, version in installed_distributions().items())


def _canonical(name: str) -> str:
    """PEP 503 normalization: ``Jupyter_Server`` and ``jupyter-server`` are one distribution."""
    return _NAME_SEPARATORS.sub("-", name).lower()
