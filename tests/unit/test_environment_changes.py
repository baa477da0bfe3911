"""What `lamin rerun` lists before running: packages that differ from a run's stored ones."""

from __future__ import annotations

from types import SimpleNamespace

from lamin_kernel.cli.runs import environment_report
from lamin_kernel.records.environment_diff import changes_since_run


def test_a_run_with_only_imported_packages_lists_no_added_packages() -> None:
    run = SimpleNamespace(environment=None, imported_packages={"numpy": "1.0", "Gone_Pkg": "2"})
    changes = changes_since_run(run, {"NumPy": "2.0", "pandas": "2.2", "gone-pkg": "2"})
    assert changes["recorded"] == "imported"
    assert changes["added"] == {} and changes["removed"] == {}
    assert changes["changed"] == {"NumPy": ["1.0", "2.0"]} and changes["n_same"] == 1
    assert environment_report("R1", changes).splitlines() == [
        "packages that differ from the imported packages of run R1 (1 changed, 0 added, 0 removed):",
        "  ~ NumPy: 1.0 → 2.0",
    ]


def test_a_run_without_packages_cannot_be_compared() -> None:
    changes = changes_since_run(SimpleNamespace(environment=None), {"pandas": "2.2"})
    assert changes == {"recorded": None, "added": {}, "removed": {}, "changed": {}, "n_same": 0}
    assert "stored no environment" in environment_report("R1", changes)
