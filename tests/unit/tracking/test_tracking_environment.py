"""The environment text: complete, sorted, deterministic and fast."""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import time
from pathlib import Path

from lamin_kernel.tracking.environment import environment_text, installed_distributions

REPO = Path(__file__).resolve().parents[3]


def test_lists_installed_distributions() -> None:
    text = environment_text()
    lines = text.splitlines()
    assert text.endswith("\n")
    assert f"pytest=={metadata.version('pytest')}" in lines
    assert f"nbformat=={metadata.version('nbformat')}" in lines
    assert lines == sorted(lines, key=lambda line: line.split("==")[0].lower().replace("_", "-"))
    assert len(lines) == len({line.split("==")[0].lower() for line in lines})


def test_same_environment_same_text_across_processes() -> None:
    code = "from lamin_kernel.tracking.environment import environment_text; print(environment_text(), end='')"
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert other == environment_text()


def test_fast() -> None:
    start = time.perf_counter()
    installed_distributions()
    elapsed = time.perf_counter() - start
    print(f"environment_text: {elapsed:.3f} s for {len(installed_distributions())} distributions")
    assert installed_distributions()  # the figure is printed; timings are not asserted


def test_same_answers_as_importlib_metadata() -> None:
    """The header and RECORD readers give what importlib.metadata's full parse gives, for
    every distribution installed here."""
    from lamin_kernel.tracking.imports import _read_module_distributions

    expected: dict[str, tuple[str, str]] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            key = name.lower().replace("_", "-").replace(".", "-")
            expected.setdefault(key, (name, distribution.version))
    assert installed_distributions() == dict(expected[k] for k in sorted(expected))
    modules = {
        module: [n for n in dict.fromkeys(names) if n]
        for module, names in metadata.packages_distributions().items()
    }
    assert _read_module_distributions() == {m: names for m, names in modules.items() if names}


def test_reads_header_and_record_of_a_wheel_install(tmp_path: Path) -> None:
    """Only the header's Name and Version count (not a 'Name:' line in the description);
    without top_level.txt the modules come from RECORD's .py paths, quoted ones included."""
    from lamin_kernel.tracking.environment import name_and_version, top_level_modules

    info = tmp_path / "demo_pkg-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.2\nSummary: s\n\n"
        "Name: not-this\nVersion: 9\n"
    )
    (info / "RECORD").write_text(
        "demo_pkg/__init__.py,sha256=x,1\n"
        '"odd,name/a.py",sha256=y,2\n'
        "single_module.py,,\n"
        "demo_pkg-1.2.dist-info/METADATA,,\n"
        "../../bin/tool,,\n"
    )
    distribution = metadata.PathDistribution(info)
    assert name_and_version(distribution) == ("demo-pkg", "1.2")
    assert set(top_level_modules(distribution)) == {"demo_pkg", "odd,name", "single_module"}
    (info / "top_level.txt").write_text("declared\n")
    assert list(top_level_modules(distribution)) == ["declared"]
