"""%load_ext lamin_kernel and %lamin in an in-process IPython shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import lamin_kernel as ln
from lamin_kernel.tracking import environment_store, state, target


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: None)
    environment_store.forget()
    ip = InteractiveShell.instance()
    ip.extension_manager.load_extension("lamin_kernel")
    yield ip
    state.reset()
    InteractiveShell.clear_instance()


def lamin(ip: Any, line: str, capsys: pytest.CaptureFixture) -> str:
    ip.run_line_magic("lamin", line)
    return capsys.readouterr().out


def test_status_track_finish(instance: dict, shell: Any, capsys: pytest.CaptureFixture) -> None:
    assert "not tracked" in lamin(shell, "status", capsys)
    out = lamin(shell, "track --key magic.py", capsys)
    assert "created Transform(" in out and "key='magic.py'" in out
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="m.parquet").save()
    status = lamin(shell, "status", capsys)
    assert "key='magic.py'" in status and "outputs (1): m.parquet" in status
    assert "inputs: none" in status
    assert "finished Run(" in lamin(shell, "finish", capsys)
    run = ln.Run.get(transform_id=ln.Transform.get(key="magic.py").id)
    assert run.status == "completed"


def test_track_with_a_uid(instance: dict, shell: Any, capsys: pytest.CaptureFixture) -> None:
    lamin(shell, "track --key first.py", capsys)
    stem = ln.context.transform.uid[:12]
    lamin(shell, f"track {stem} --key renamed.py", capsys)
    assert ln.context.transform.uid == stem + "0001"
    assert ln.Run.get(transform_id=ln.Transform.get(key="first.py").id).status == "aborted"


def test_errors_are_one_clear_line(
    instance: dict, shell: Any, capsys: pytest.CaptureFixture
) -> None:
    assert lamin(shell, "finish", capsys).startswith("✗ ln.finish() ends the run")
    assert "invalid choice" in lamin(shell, "nonsense", capsys)
    assert "key='my_analysis.py'" in lamin(shell, "track", capsys)
    assert "no artifact or transform has the key 'nothing'" in lamin(
        shell, "lineage nothing", capsys
    )


def test_save_view_lineage(
    instance: dict, shell: Any, capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch
) -> None:
    script = tmp_path / "saved.py"
    script.write_text("print('saved')\n")
    assert "saved source of Transform(" in lamin(shell, f"save {script}", capsys)
    assert ln.Transform.get(key="saved.py").source_code == "print('saved')\n"
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="viewed.parquet").save()
    assert "viewed.parquet" in lamin(shell, "view", capsys)
    monkeypatch.chdir(tmp_path)
    shell.run_line_magic("lamin", "lineage viewed.parquet")  # a figure or a file, per lineage
    assert "✗" not in capsys.readouterr().out


def test_terminal_shell_gets_magics_but_no_kernel_hooks(shell: Any) -> None:
    from lamin_kernel import runtime
    from lamin_kernel.jupyter import extension

    assert "lamin" in shell.magics_manager.magics["line"]
    assert extension.front_end(shell) is None
    assert runtime.hooks(state.BEFORE_FINISH) == []
