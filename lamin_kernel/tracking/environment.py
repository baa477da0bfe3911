"""The Python environment of a run, as text that hashes the same for the same environment.

One ``name==version`` line per installed distribution, sorted case-insensitively,
like ``pip freeze`` but read with ``importlib.metadata`` in-process (~0.06 s for
200 distributions; no subprocess). Only the first of several installations of
one name counts, the one ``import`` would find.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re

_NAME_SEPARATORS = re.compile(r"[-_.]+")


def installed_distributions() -> dict[str, str]:
    """``{name: version}`` of the distributions visible on ``sys.path``, sorted by name."""
    found: dict[str, tuple[str, str]] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if not name:
            continue  # a broken install without metadata
        found.setdefault(_canonical(name), (name, distribution.version))
    return dict(found[key] for key in sorted(found))


def environment_text() -> str:
    """``name==version`` lines, sorted, newline-terminated: identical environments, identical text."""
    return "".join(f"{name}=={version}\n" for name, version in installed_distributions().items())


def _canonical(name: str) -> str:
    """PEP 503 normalization: ``Jupyter_Server`` and ``jupyter-server`` are one distribution."""
    return _NAME_SEPARATORS.sub("-", name).lower()
