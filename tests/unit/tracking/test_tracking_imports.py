"""Imported packages: found with ast, mapped to installed distributions, stdlib left out."""

from __future__ import annotations

import importlib.metadata as metadata

import pytest

from lamin_kernel.tracking.imports import (
    format_imports,
    imported_modules,
    imported_packages,
    module_distributions,
)


def test_script_imports_map_to_distributions() -> None:
    source = (
        "import os, sys\n"
        "import yaml\n"
        "from nbformat import v4\n"
        "import jupyter_client.session as s\n"
        "from . import sibling\n"
        "import my_local_module\n"
        "def f():\n"
        "    import zmq\n"
    )
    assert imported_packages(source) == {
        "jupyter_client": metadata.version("jupyter_client"),
        "nbformat": metadata.version("nbformat"),
        "PyYAML": metadata.version("PyYAML"),
        "pyzmq": metadata.version("pyzmq"),
    }


def test_stdlib_and_relative_imports_are_not_modules() -> None:
    code = "import json\nfrom collections import abc\nfrom .x import y\nfrom __future__ import annotations"
    assert imported_modules(code) == set()


def test_notebook_cells_with_magics_and_syntax_errors() -> None:
    cells = [
        "%load_ext autoreload\n!pip install nothing\nimport nbformat",
        "import traitlets\nthis is not python",  # broken cell: its import lines still count
        "%%bash\nimport yaml",  # a shell cell imports nothing
        "def f(:\n    import zmq",  # indented imports in a broken cell are not guessed
    ]
    assert set(imported_packages(cells)) == {"nbformat", "traitlets"}


def test_namespace_package_resolved_by_submodule() -> None:
    providers = module_distributions().get("testing", ())
    if len(providers) < 2 or "anndata" not in providers:
        pytest.skip("needs anndata and another distribution sharing the 'testing' namespace")
    assert list(imported_packages("import testing.anndata")) == ["anndata"]


def test_format_imports_sorted() -> None:
    assert format_imports({"pandas": "2.3.3", "anndata": "0.12.19", "Bokeh": "3"}) == (
        "anndata==0.12.19 Bokeh==3 pandas==2.3.3"
    )
    assert format_imports({}) == ""
