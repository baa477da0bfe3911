"""Detection from a given namespace and environment; kernels and servers are in tests/notebooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamin_kernel.tracking import jupyter_sessions
from lamin_kernel.tracking.detect import RunningCode, detect_running_code


@pytest.fixture(autouse=True)
def no_session_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)


def test_session_name_that_exists(tmp_path: Path) -> None:
    nb = tmp_path / "a.ipynb"
    nb.write_text("{}")
    found = detect_running_code({"__session__": str(nb)})
    assert found == RunningCode("notebook", nb, "session")


def test_session_name_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = tmp_path / "b.ipynb"
    nb.write_text("{}")
    monkeypatch.setenv("JPY_SESSION_NAME", str(nb))
    # a process that is not the kernel only inherited the variable: it is not the notebook
    assert detect_running_code({}) != RunningCode("notebook", nb, "session")
    connection_file = tmp_path / "kernel-1234.json"
    monkeypatch.setattr(jupyter_sessions, "current_connection_file", lambda: connection_file)
    monkeypatch.setattr(jupyter_sessions, "find_notebook_path", lambda kernel_id: None)
    assert detect_running_code({}) == RunningCode("notebook", nb, "session")


def test_relative_session_name_read_against_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a kernel there is no server to ask: the server started us in the notebook's folder."""
    (tmp_path / "sub").mkdir()
    nb = tmp_path / "sub" / "demo.ipynb"
    nb.write_text("{}")
    monkeypatch.chdir(tmp_path / "sub")
    found = detect_running_code({"__session__": "sub/demo.ipynb"})
    assert found == RunningCode("notebook", nb, "session")


def test_stale_absolute_session_name_is_kept(tmp_path: Path) -> None:
    gone = tmp_path / "renamed-away.ipynb"
    assert detect_running_code({"__session__": str(gone)}) == RunningCode(
        "notebook", gone, "session"
    )


def test_session_of_a_python_file_is_a_script(tmp_path: Path) -> None:
    script = tmp_path / "job.py"
    script.write_text("")
    assert detect_running_code({"__session__": str(script)}) == RunningCode(
        "script", script, "session"
    )


def test_console_session_is_not_a_notebook(tmp_path: Path) -> None:
    found = detect_running_code({"__session__": str(tmp_path / "console-1-3f2a")})
    assert found is None or found.source == "main_file"  # under pytest: pytest's __main__


def test_vscode_notebook(tmp_path: Path) -> None:
    nb = tmp_path / "v.ipynb"
    found = detect_running_code({"__vsc_ipynb_file__": str(nb)})
    assert found == RunningCode("notebook", nb, "vscode")


def test_session_wins_over_vscode(tmp_path: Path) -> None:
    nb = tmp_path / "s.ipynb"
    nb.write_text("{}")
    found = detect_running_code({"__session__": str(nb), "__vsc_ipynb_file__": "/x/v.ipynb"})
    assert found is not None and found.source == "session"


def test_under_pytest_the_main_file_is_a_script() -> None:
    """Nothing notebook-like in the namespace: falls through to ``__main__.__file__``."""
    found = detect_running_code({})
    assert found is None or (found.kind == "script" and found.source == "main_file")
