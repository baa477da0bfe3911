"""What must hold after any step, whatever failed before: checked through the public API."""

from __future__ import annotations

from typing import Any

import lamin_kernel as ln
from lamin_kernel.records.integrity import check_instance


def assert_every_row_has_its_bytes() -> Any:
    """Every artifact row (any branch) has its bytes, and they match its hash."""
    report = check_instance(fix=False)
    assert report.missing == [], report.lines()
    assert report.altered == [], report.lines()
    return report


def assert_session_answers() -> None:
    """The thread's session takes the next query and the next write."""
    n = ln.ULabel.filter().count()
    probe = ln.ULabel(name=f"probe {n}").save()
    assert ln.ULabel.get(probe.uid).name == probe.name
    probe.delete(permanent=True)
