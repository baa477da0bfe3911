"""Checks of track()'s arguments, and the pure helpers of runs and the startup file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamin_kernel.errors import InvalidArgument
from lamin_kernel.tracking import startup_file, target
from lamin_kernel.tracking.detect import RunningCode
from lamin_kernel.tracking.runs import check_params, error_summary, format_duration


def test_uids() -> None:
    assert target.check_uid(None) is None
    assert target.check_uid("WXuJYxPdVbM1") == "WXuJYxPdVbM1"
    assert target.check_uid("WXuJYxPdVbM10000") == "WXuJYxPdVbM1"
    for bad in ("short", "WXuJYxPdVbM1000", "WXuJYxPd-bM1", 12):
        with pytest.raises(InvalidArgument, match="uid"):
            target.check_uid(bad)  # type: ignore[arg-type]


def test_keys() -> None:
    assert target.check_key("a.py") == "a.py"
    for bad in ("", "  ", 3):
        with pytest.raises(InvalidArgument, match="key"):
            target.check_key(bad)  # type: ignore[arg-type]


def test_console_without_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: None)
    with pytest.raises(InvalidArgument, match=r"key='my_analysis.py'"):
        target.resolve_target(None, None)
    assert target.resolve_target("x.ipynb", None) == target.Target(
        "notebook", "x.ipynb", None, "argument"
    )
    assert target.resolve_target(None, "WXuJYxPdVbM1").key is None


def test_detected_file_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    running = RunningCode("notebook", tmp_path / "a.ipynb", "session")
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: running)
    assert target.resolve_target(None, None).key == "a.ipynb"
    assert target.resolve_target("b.ipynb", None).key == "b.ipynb"


def test_params() -> None:
    assert check_params(None) is None
    assert check_params({"a": [1, {"b": None}]}) == {"a": [1, {"b": None}]}
    with pytest.raises(InvalidArgument, match="dict"):
        check_params([1])
    with pytest.raises(InvalidArgument, match="JSON"):
        check_params({"a": object()})


def test_error_summary_names_the_error_and_where() -> None:
    try:
        raise ValueError("bad value")
    except ValueError as exc:
        summary = error_summary(exc)
    assert summary.startswith("ValueError: bad value\n  at ")
    assert "test_error_summary_names_the_error_and_where" in summary


def test_durations() -> None:
    assert [format_duration(s) for s in (0.2, 42, 185, 7260)] == ["0s", "42s", "3m 5s", "2h 1m"]


def test_startup_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipy"))
    path = startup_file.install_startup_file()
    assert path == tmp_path / "ipy" / "profile_default" / "startup" / "00-lamin-kernel-autotrack.py"
    compile(path.read_text(), str(path), "exec")
    startup_file.remove_startup_file()
    startup_file.remove_startup_file()
    assert not path.exists()
