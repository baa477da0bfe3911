"""Upward dependencies hidden as strings are still upward dependencies (DESIGN.md, lessons).

`models/` and the layers below it (`records/`, `curation/`, `query/`, `storage/`, `setup/`,
`db/`, the bottom modules) reach a class of a higher layer only through a typed registration
point (`records.registered`, `setup.services`), never by a name looked up at run time: no
`importlib.import_module`, no `__import__`, no lookup of a class by name in SQLAlchemy's
registry, no `getattr(module, "Artifact")`, no `sys.modules["lamin_kernel.x"]`. An AST scan
of their sources keeps it so.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

import pytest

import lamin_kernel
from lamin_kernel.records.registered import RegisteredClasses, register, registered

PACKAGE = Path(lamin_kernel.__file__).parent
# the layers of pyproject.toml's import-linter contract, top first; the scan covers `models`
# and everything below it
LAYERS = (
    ("jupyter", "server", "cli"),
    ("tracking", "bionty", "branches", "examples", "integrations"),
    ("models",),
    ("records", "query", "storage", "curation"),
    ("setup",),
    ("db",),
    ("errors", "types", "runtime", "log"),
)
SCANNED_LAYERS = LAYERS[2:]
# names of the functions that look a class up by a string (the old `registry_class` and
# `mapped_class`, or their like)
LOOKUP_FUNCTIONS = {"import_module", "__import__", "registry_class", "mapped_class"}
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*$")


def higher_module_pattern(layer: int) -> re.Pattern[str]:
    """Strings naming a module of a layer above LAYERS[layer] ("lamin_kernel.models...")."""
    higher = [name for above in LAYERS[:layer] for name in above]
    return re.compile(rf"lamin_kernel\.({'|'.join(higher)})\b")


def layer_modules(names: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for name in names:
        if (PACKAGE / f"{name}.py").exists():
            found.append(PACKAGE / f"{name}.py")
        else:
            found += [p for p in (PACKAGE / name).rglob("*.py") if "migrations" not in p.parts]
    return sorted(found)


def test_the_layers_are_those_import_linter_checks() -> None:
    pyproject = PACKAGE.parent / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("not a checkout")
    (contract,) = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]["contracts"]
    declared = [
        tuple(part.strip().removeprefix("lamin_kernel.") for part in re.split(r"[|:]", layer))
        for layer in contract["layers"]
    ]
    assert declared == list(LAYERS)


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _string_args(call: ast.Call) -> list[str]:
    values = [*call.args, *(k.value for k in call.keywords)]
    return [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]


def string_lookups(
    source: str, higher_module: re.Pattern[str] = higher_module_pattern(len(LAYERS) - 1)
) -> list[tuple[int, str]]:
    """(line, what) of every run-time lookup by name in a module's source (a string naming
    a module matches `higher_module`: by default a module of any layer above the bottom)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "importlib":
            for alias in node.names:
                if alias.name == "import_module":
                    found.append((node.lineno, "from importlib import import_module"))
        elif isinstance(node, ast.Call):
            name = _called_name(node)
            if name in LOOKUP_FUNCTIONS:
                found.append((node.lineno, f"{name}(...)"))
            elif name == "getattr" and len(node.args) >= 2:
                attribute = node.args[1]
                if (
                    isinstance(attribute, ast.Constant)
                    and isinstance(attribute.value, str)
                    and CLASS_NAME.match(attribute.value)
                ):
                    found.append((node.lineno, f'getattr(..., "{attribute.value}")'))
            for text in _string_args(node):
                if higher_module.search(text):
                    found.append((node.lineno, f"{name}({text!r})"))
        elif isinstance(node, ast.Subscript):
            key = node.slice
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and higher_module.search(key.value)
            ):
                found.append((node.lineno, f"[{key.value!r}]"))
    return found


def test_the_scan_finds_each_kind_of_string_lookup() -> None:
    source = """
import importlib
from importlib import import_module
import sys

a = importlib.import_module("lamin_kernel.models")
b = __import__("lamin_kernel.models")
c = registry_class("Artifact")
d = mapped_class("Storage")
e = getattr(models, "Artifact")
f = sys.modules["lamin_kernel.bionty"]
g = sys.modules.get("lamin_kernel.models.artifact")
"""
    lines = sorted({line for line, _ in string_lookups(source)})
    assert lines == [3, 6, 7, 8, 9, 10, 11, 12]


def test_the_scan_leaves_plain_code_alone() -> None:
    source = '''
"""Mentions lamin_kernel.models and registry_class("X") in prose only."""
from importlib import resources
from importlib.metadata import version
import importlib.util

x = getattr(record, "uid", None)
y = importlib.util.find_spec("anndata")
z = registered.Artifact
'''
    assert string_lookups(source) == []


def test_no_module_of_models_or_below_looks_up_a_higher_one_by_name() -> None:
    offenders = []
    scanned = []
    for layer, names in enumerate(LAYERS):
        if names not in SCANNED_LAYERS:
            continue
        pattern = higher_module_pattern(layer)
        for path in layer_modules(names):
            scanned.append(path)
            offenders += [
                f"{path.relative_to(PACKAGE)}:{line}: {what}"
                for line, what in string_lookups(path.read_text(), pattern)
            ]
    # the scan reaches every scanned layer
    assert {PACKAGE / "records" / "registered.py", PACKAGE / "models" / "artifact.py"} <= set(
        scanned
    )
    assert PACKAGE / "runtime.py" in scanned
    assert offenders == [], "use a typed registration point (records.registered, setup.services)"


def class_name_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, what) of every test of a class's `__name__` against a registry class's name
    (`type(x).__name__ == "Artifact"`, `model.__name__ in ("Run", ...)`): a class compared by
    name is a class looked up by name; `isinstance(x, registered.Artifact)` says the same."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(isinstance(side, ast.Attribute) and side.attr == "__name__" for side in sides):
            continue
        names: list[str] = []
        for side in sides:
            if isinstance(side, ast.Constant) and isinstance(side.value, str):
                names.append(side.value)
            elif isinstance(side, (ast.Tuple, ast.List, ast.Set)):
                names += [
                    e.value
                    for e in side.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
        found += [
            (node.lineno, f"__name__ compared with {name!r}")
            for name in sorted(set(names) & RegisteredClasses.SLOTS)[:1]
        ]
    return found


def test_the_name_comparison_scan_finds_registry_names_only() -> None:
    source = """
a = type(x).__name__ == "Artifact"
b = model.__name__ != "Run"
c = cls.__name__ in ("Feature", "Schema")
d = type(v).__name__ == "RangeIndex"
e = __name__ == "__main__"
f = x.name == "Artifact"
"""
    assert [line for line, _ in class_name_comparisons(source)] == [2, 3, 4]


def test_no_module_of_models_or_below_compares_a_class_name_with_a_registry() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for names in SCANNED_LAYERS
        for path in layer_modules(names)
        for line, what in class_name_comparisons(path.read_text())
        # a relationship declared by its target's name, inside the registries' own layer
        if not (path.name == "tracked_relations.py" and "'Run'" in what)
    ]
    assert offenders == [], "compare classes, not names: isinstance(x, registered.Artifact)"


def protocol_members(protocol: type) -> set[str]:
    """The attributes and methods a Protocol declares (its own and its bases')."""
    found: set[str] = set()
    for base in protocol.__mro__:
        if base in (typing.Protocol, typing.Generic, object):
            continue
        found |= set(base.__dict__.get("__annotations__", {}))
        found |= {key for key in vars(base) if not key.startswith("_")}
    return found


def test_every_slot_is_filled_by_the_class_of_its_name() -> None:
    for name in sorted(RegisteredClasses.SLOTS):
        cls = getattr(registered, name)
        assert cls.__name__ == name
        assert hasattr(cls, "__table__")
        assert registered.named(name) is cls


def test_every_registered_class_has_what_its_protocol_declares() -> None:
    hints = typing.get_type_hints(RegisteredClasses)
    missing = {}
    for name in sorted(RegisteredClasses.SLOTS):
        (protocol,) = typing.get_args(hints[name])  # type[SomeProtocol]
        members = protocol_members(protocol)
        assert {"__table__", "id"} <= members
        lacking = sorted(m for m in members if not hasattr(getattr(registered, name), m))
        if lacking:
            missing[name] = lacking
    assert missing == {}


def test_a_name_that_is_no_slot_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="no registry class named Organism"):
        registered.named("Organism")
    with pytest.raises(AttributeError, match="no registry slot named Organsim"):
        registered.Organsim  # noqa: B018


def test_register_refuses_a_class_without_a_slot() -> None:
    class Unslotted:
        pass

    with pytest.raises(ValueError, match="Unslotted has no slot"):
        register(Unslotted)
    assert not hasattr(registered, "Unslotted")


def test_reading_a_slot_loads_the_registries_on_first_use(tmp_path: Path) -> None:
    code = (
        "import sys; from lamin_kernel.records.registered import registered; "
        "before = 'lamin_kernel.models' in sys.modules; "
        "print(before, registered.Storage.__module__)"
    )
    env = {"LAMIN_SETTINGS_DIR": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["False", "lamin_kernel.models.core"]


def test_a_slot_still_empty_after_loading_is_a_clear_lookup_error() -> None:
    empty = RegisteredClasses()  # slots nobody registers into: loading does not fill them
    with pytest.raises(LookupError, match="registry class Artifact is not registered"):
        empty.Artifact  # noqa: B018
    assert registered.Artifact.__name__ == "Artifact"  # the package's own slots are filled
