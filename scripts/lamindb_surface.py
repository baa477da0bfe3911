"""Measure LaminDB's public API surface: names and parameter names, nothing else.

Run with the Python of a venv that has LaminDB installed (here LaminDB 2.12.1):

    /work/lamindb-venv/bin/python scripts/lamindb_surface.py tests/compat/lamindb_2_12_surface.json

It makes a throwaway instance in a temporary folder (its own HOME and LAMIN_SETTINGS_DIR, so
no settings of the user are read or written), imports lamindb there and writes a JSON file:

- "modules": for `lamindb`, `lamindb.models`, `lamindb.errors`, `lamindb.curators`,
  `lamindb.integrations` and `lamindb.setup`, each public name with its kind ("class",
  "function", "module", "object") and, for functions, its parameters;
- "classes": for each public class of those modules (exceptions aside, they are names only),
  each public attribute with its kind ("method", "classmethod", "staticmethod", "property",
  "field", "relation", "attribute", "class") and, for callables, its parameters;
  A name that cannot be loaded in that venv (an optional dependency missing) is
  "unavailable";
- "objects": the public attributes of `ln.settings` and `ln.setup.settings` (and of the
  settings objects they hold: `creation`, `instance`, `storage`, `user`), with kinds.

A parameter is `[name, kind]`, kind one of "positional_only", "positional_or_keyword",
"var_positional", "keyword_only", "var_keyword"; `self`/`cls` are left out. Only API facts
(names and signatures) are recorded: no code and no docstrings.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

MODULES = (
    "lamindb",
    "lamindb.models",
    "lamindb.errors",
    "lamindb.curators",
    "lamindb.integrations",
    "lamindb.setup",
)
CHILD_FLAG = "LAMIN_SURFACE_CHILD"


def parameters(func: Any) -> list[list[str]] | None:
    """[[name, kind], ...] of a callable, without self/cls; None if it has no signature."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    kinds = {
        inspect.Parameter.POSITIONAL_ONLY: "positional_only",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
        inspect.Parameter.VAR_POSITIONAL: "var_positional",
        inspect.Parameter.KEYWORD_ONLY: "keyword_only",
        inspect.Parameter.VAR_KEYWORD: "var_keyword",
    }
    return [
        [p.name, kinds[p.kind]]
        for p in signature.parameters.values()
        if p.name not in ("self", "cls")
    ]


def public_names(module: Any) -> list[str]:
    names = set(getattr(module, "__all__", ())) | {n for n in dir(module) if n[:1] != "_"}
    return sorted(n for n in names if n[:1] != "_" and n != "TYPE_CHECKING")


def module_entry(value: Any) -> dict[str, Any]:
    if inspect.ismodule(value):
        return {"kind": "module"}
    if inspect.isclass(value):
        return {"kind": "class"}
    if callable(value):
        return {"kind": "function", "parameters": parameters(value)}
    return {"kind": "object"}


def member_kind(cls: type, name: str) -> tuple[str, Any]:
    """The kind of `cls.name` as declared on the class (or a base), and the raw attribute."""
    for base in cls.__mro__:
        if name in vars(base):
            raw = vars(base)[name]
            break
    else:
        return "attribute", getattr(cls, name, None)
    if isinstance(raw, classmethod):
        return "classmethod", raw.__func__
    if isinstance(raw, staticmethod):
        return "staticmethod", raw.__func__
    if isinstance(raw, property):
        return "property", raw
    if inspect.isfunction(raw):
        return "method", raw
    if inspect.isclass(raw):
        return "class", raw
    descriptor = type(raw).__name__
    if "Descriptor" in descriptor and ("Related" in descriptor or "ManyToMany" in descriptor):
        return "relation", raw
    if descriptor in ("DeferredAttribute", "ForeignKeyDeferredAttribute"):
        return "field", raw
    return "attribute", raw


def members_of(cls: type, own_only: bool) -> dict[str, dict[str, Any]]:
    """The public members of a class (own_only: leave out what only object/type give)."""
    members: dict[str, dict[str, Any]] = {}
    for name in sorted(n for n in dir(cls) if n[:1] != "_"):
        bases = [base for base in cls.__mro__ if base.__module__ != "builtins"]
        if own_only and all(name not in vars(base) for base in bases):
            continue
        kind, raw = member_kind(cls, name)
        entry: dict[str, Any] = {"kind": kind}
        if kind in ("method", "classmethod", "staticmethod"):
            entry["parameters"] = parameters(raw)
        members[name] = entry
    return members


def class_members(cls: type) -> dict[str, dict[str, Any]]:
    return members_of(cls, own_only=True)


def object_members(obj: Any) -> dict[str, dict[str, Any]]:
    return members_of(type(obj), own_only=False)


def measure() -> dict[str, Any]:
    import importlib

    import lamindb as ln

    surface: dict[str, Any] = {"lamindb_version": ln.__version__, "modules": {}, "classes": {}}
    classes: dict[str, type] = {}
    for module_name in MODULES:
        module = (
            ln.setup if module_name == "lamindb.setup" else importlib.import_module(module_name)
        )
        entries = {}
        for name in public_names(module):
            try:
                value = getattr(module, name)
            except (AttributeError, ImportError):  # an optional dependency is not installed
                entries[name] = {"kind": "unavailable"}
                continue
            entries[name] = module_entry(value)
            if (
                inspect.isclass(value)
                and not issubclass(value, BaseException)
                and module_name != "lamindb.setup"
            ):
                classes.setdefault(name, value)
        surface["modules"][module_name] = entries
    surface["classes"] = {name: class_members(cls) for name, cls in sorted(classes.items())}
    surface["objects"] = {
        "settings": object_members(ln.settings),
        "settings.creation": object_members(ln.settings.creation),
        "setup.settings": object_members(ln.setup.settings),
        "setup.settings.instance": object_members(ln.setup.settings.instance),
        "setup.settings.storage": object_members(ln.setup.settings.storage),
        "setup.settings.user": object_members(ln.setup.settings.user),
    }
    return surface


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "lamindb_surface.json").resolve()
    if os.environ.get(CHILD_FLAG):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(measure(), indent=1, sort_keys=True) + "\n")
        return
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp, "home")
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "LAMIN_SETTINGS_DIR": str(home), CHILD_FLAG: "1"}
        lamin = Path(sys.executable).with_name("lamin")
        subprocess.run(
            [str(lamin), "init", "--storage", f"{tmp}/storage"],
            env=env,
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        subprocess.run([sys.executable, __file__, str(out)], env=env, cwd=tmp, check=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
