"""`import lamin_kernel` is cheap and does no I/O."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = (
    "pandas",
    "anndata",
    "pyarrow",
    "IPython",
    "ipywidgets",
    "jupyter_server",
    "nbconvert",
    "plotly",
    "sqlalchemy",
    "sqlmodel",
    "numpy",
)


def test_import_loads_no_heavy_module(tmp_path) -> None:
    code = (
        "import sys, json; import lamin_kernel as ln; "
        "print(json.dumps(sorted(m for m in sys.modules)))"
    )
    env = {"LAMIN_SETTINGS_DIR": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(json.loads(out.stdout))
    heavy = [m for m in HEAVY if m in loaded or any(x.startswith(m + ".") for x in loaded)]
    assert heavy == []
    assert not (tmp_path / "nowhere").exists()  # nothing read or written at import


# what the first query of a script must not pay for: data and notebook libraries, the other
# database's dialect, and the package's own machinery for validation, tracking, bionty and
# the Jupyter front end (each loaded when first used)
HEAVY_FOR_FIRST_COUNT = (
    "pandas",
    "numpy",
    "pyarrow",
    "anndata",
    "IPython",
    "ipywidgets",
    "jupyter_server",
    "jupyter_client",
    "nbconvert",
    "nbformat",
    "plotly",
    "rapidfuzz",
    "requests",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
    "lamin_kernel.curation.curators",
    "lamin_kernel.curation.annotate",
    "lamin_kernel.curation.validate",
    "lamin_kernel.tracking",
    "lamin_kernel.bionty",
    "lamin_kernel.jupyter",
    "lamin_kernel.server",
)


def test_first_count_loads_no_heavy_module(instance) -> None:
    """A fresh process that connects and counts artifacts (the cold path of issue 19) loads
    the registries and the SQLite dialect only."""
    code = (
        "import sys, json; import lamin_kernel as ln; n = ln.Artifact.filter().count(); "
        "print(json.dumps([n, sorted(sys.modules)]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=instance["tmp"],
        env=dict(os.environ),
        check=True,
    )
    count, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert count == 0
    loaded = set(modules)
    assert "lamin_kernel.models.artifact" in loaded  # the count did define the registries
    heavy = [
        m
        for m in HEAVY_FOR_FIRST_COUNT
        if m in loaded or any(x.startswith(m + ".") for x in loaded)
    ]
    assert heavy == []


def test_collector_is_on_again_after_the_registries_load() -> None:
    """The registries are defined with the cyclic collector paused; it is on again afterwards,
    also when it was on before a failed import, and stays off when the caller had it off."""
    code = (
        "import gc, json; import lamin_kernel.models; on_after_load = gc.isenabled()\n"
        "from lamin_kernel.setup.long_lived import gc_paused\n"
        "try:\n"
        "    with gc_paused():\n"
        "        raise ImportError('a registry failed')\n"
        "except ImportError:\n"
        "    pass\n"
        "on_after_failure = gc.isenabled()\n"
        "gc.disable()\n"
        "with gc_paused():\n"
        "    pass\n"
        "print(json.dumps([on_after_load, on_after_failure, gc.isenabled()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True, True, False]


def test_registries_build_no_validation_schema_when_defined() -> None:
    """Table models are constructed without pydantic validation, so defining the registries
    builds no validator (`defer_build`); one is built when first asked for, and validates."""
    code = (
        "import json; from sqlmodel import SQLModel; import lamin_kernel.models as m\n"
        "def walk(c):\n"
        "    for s in c.__subclasses__():\n"
        "        yield s\n"
        "        yield from walk(s)\n"
        "built = sorted({c.__name__ for c in walk(SQLModel) if c.__pydantic_complete__})\n"
        "row = m.ArtifactULabel.model_validate({'artifact_id': '1', 'ulabel_id': 2})\n"
        "print(json.dumps([built, row.artifact_id]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert out.returncode == 0, out.stderr
    built, artifact_id = json.loads(out.stdout.strip().splitlines()[-1])
    assert built == []
    assert artifact_id == 1  # validated (coerced) once built
