"""The packages a notebook or script imports, with the versions installed now.

Found with ``ast`` (every ``import`` statement, also inside functions and
``try`` blocks; relative imports skipped), mapped from module names to
distributions as ``importlib.metadata.packages_distributions()`` does. The
standard library is left out; so are local modules no distribution provides.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata as metadata
import re
import sys
from collections.abc import Iterable, Sequence

from lamin_kernel.records.source_code import comment_out_magics
from lamin_kernel.tracking import python_cache
from lamin_kernel.tracking.environment import name_and_version, top_level_modules

_IMPORT_LINE = re.compile(r"^(import|from)\s+\w")


def imported_packages(source: str | Sequence[str]) -> dict[str, str]:
    """``{distribution: version}`` for what the code imports, sorted by name.

    ``source`` is Python code, or a notebook's code cells as a list: each cell is
    parsed on its own so a cell with a syntax error does not hide the others.
    """
    cells = [source] if isinstance(source, str) else list(source)
    modules = {name for cell in cells for name in imported_modules(cell)}
    found: dict[str, str] = {}
    for module in sorted(modules):
        for distribution in _distributions_of(module):
            version = _version(distribution)
            if version is not None:
                found[distribution] = version
    return dict(sorted(found.items(), key=_by_name))


def format_imports(packages: dict[str, str]) -> str:
    """``{"pandas": "2.3.3", "anndata": "0.12.19"}`` -> ``"anndata==0.12.19 pandas==2.3.3"``."""
    return " ".join(
        f"{name}=={version}" for name, version in sorted(packages.items(), key=_by_name)
    )


def _by_name(item: tuple[str, str]) -> str:
    return item[0].lower()


def imported_modules(code: str) -> set[str]:
    """Dotted names of the absolute imports in ``code``, standard library excluded.

    IPython lines are commented out first; if the code still does not parse,
    the unindented ``import``/``from`` lines are parsed one by one.
    """
    tree = _parse(comment_out_magics(code))
    if tree is None:
        lines = (line for line in code.splitlines() if _IMPORT_LINE.match(line))
        trees = [t for t in map(_parse, lines) if t is not None]
    else:
        trees = [tree]
    names = {name for t in trees for name in _import_names(t)}
    return {name for name in names if name.partition(".")[0] not in sys.stdlib_module_names}


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _import_names(tree: ast.Module) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@functools.cache
def module_distributions() -> dict[str, tuple[str, ...]]:
    """Top-level module name -> names of the distributions that provide it.

    Cached in the process and on disk until a package is installed (building it takes
    ~0.1 s); call ``module_distributions.cache_clear()`` after installing packages in a
    running process.
    """
    mapping = python_cache.cached("module_distributions", _read_module_distributions)
    return {module: tuple(names) for module, names in mapping.items()}


def _read_module_distributions() -> dict[str, list[str]]:
    """``importlib.metadata.packages_distributions()``, reading only the metadata header and
    the RECORD paths (environment.py)."""
    mapping: dict[str, list[str]] = {}
    for distribution in metadata.distributions():
        name, _ = name_and_version(distribution)
        if not name:
            continue  # a broken install without metadata
        for module in top_level_modules(distribution):
            names = mapping.setdefault(module, [])
            if name not in names:
                names.append(name)
    return mapping


def _distributions_of(dotted: str) -> tuple[str, ...]:
    """The distributions behind an imported module; several only for a shared namespace."""
    top, _, rest = dotted.partition(".")
    candidates = module_distributions().get(top, ())
    if len(candidates) <= 1 or not rest:
        return candidates
    prefix = top + "/" + rest.replace(".", "/")
    owners = tuple(name for name in candidates if _ships(name, prefix))
    return owners or candidates


def _ships(distribution: str, prefix: str) -> bool:
    """Whether a distribution's files include the module path ``prefix`` (``google/protobuf``)."""
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError:
        return False
    return any(str(file).startswith((prefix + "/", prefix + ".")) for file in files)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
