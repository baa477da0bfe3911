"""`lamin save`, `lamin load` and the tracking settings, through the real `lamin` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

import lamin_kernel as ln
from lamin_kernel.setup import settings_files

LAMIN = str(Path(sys.executable).with_name("lamin"))


def lamin(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([LAMIN, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def executed_notebook(path: Path, code: str = "print('hello')") -> Path:
    v4 = nbformat.v4
    nb = v4.new_notebook()
    cell = v4.new_code_cell(code, execution_count=1)
    cell.outputs = [v4.new_output("stream", name="stdout", text="hello-output\n")]
    nb.cells = [v4.new_markdown_cell("# Exploration"), cell]
    nbformat.write(nb, path)
    return path


def test_save_script_then_a_changed_one(instance: dict) -> None:
    script = instance["tmp"] / "clean.py"
    script.write_text("print('v1')\n")
    out = ok(lamin("save", str(script)))
    transform = ln.Transform.get(key="clean.py")
    assert f"saved source of Transform('{transform.uid}', key='clean.py')" in out
    assert transform.source_code == "print('v1')\n" and transform.kind == "script"
    ok(lamin("save", str(script)))  # unchanged: same transform
    script.write_text("print('v2')\n")
    ok(lamin("save", str(script)))
    versions = ln.Transform.filter(key="clean.py").order_by("id")
    assert [t.source_code for t in versions] == ["print('v1')\n", "print('v2')\n"]
    assert versions[1].uid == transform.uid[:12] + "0001" and versions[1].is_latest


def test_save_script_found_by_the_uid_in_its_track_call(instance: dict) -> None:
    first = instance["tmp"] / "first.py"
    first.write_text("import lamin_kernel as ln\nln.track()\n")
    ok(lamin("save", str(first)))
    stem = ln.Transform.get(key="first.py").uid[:12]
    renamed = instance["tmp"] / "renamed.py"
    renamed.write_text(f'import lamin_kernel as ln\nln.track("{stem}")\n')
    ok(lamin("save", str(renamed)))
    assert ln.Transform.get(stem).key == "renamed.py"


def test_save_notebook_with_outputs_stores_a_report(instance: dict) -> None:
    notebook = executed_notebook(instance["tmp"] / "explore.ipynb")
    out = ok(lamin("save", str(notebook)))
    transform = ln.Transform.get(key="explore.ipynb")
    run = ln.Run.get(transform_id=transform.id)
    assert transform.kind == "notebook" and transform.description == "Exploration"
    assert transform.source_code == "print('hello')\n"
    assert "hello-output" in Path(str(run.report.cache())).read_text()
    assert f"saved report of Run('{run.uid}')" in out
    assert run.finished_at is not None


def test_save_plan_on_the_current_branch(instance: dict) -> None:
    plan = instance["tmp"] / "my-agent-plan.md"
    plan.write_text("# Curate the immuno data\n- step 1\n")
    out = ok(lamin("save", str(plan)))
    artifact = ln.Artifact.get(key=".plans/my-agent-plan.md")
    assert artifact.kind == "plan" and artifact.branch_id == 1
    assert "on branch 'main'" in out


def test_save_refuses_other_files(instance: dict) -> None:
    data = instance["tmp"] / "data.csv"
    data.write_text("a\n1\n")
    result = lamin("save", str(data))
    assert (
        result.returncode == 1
        and "script (.py), a notebook (.ipynb) or a plan (.md)" in result.stderr
    )
    assert "no such file" in lamin("save", str(instance["tmp"] / "missing.py")).stderr


def test_load_writes_the_latest_source(instance: dict, tmp_path: Path) -> None:
    script = instance["tmp"] / "model.py"
    script.write_text("print('model v1')\n")
    ok(lamin("save", str(script)))
    script.write_text("print('model v2')\n")
    ok(lamin("save", str(script)))
    folder = tmp_path / "checkout"
    folder.mkdir()
    out = ok(lamin("load", "model.py", cwd=folder))
    assert (folder / "model.py").read_text() == "print('model v2')\n"
    assert "wrote the source of Transform(" in out
    stem = ln.Transform.get(key="model.py").uid[:12]
    ok(lamin("load", stem + "0000", "-o", str(folder / "old.py")))
    assert (folder / "old.py").read_text() == "print('model v1')\n"
    (folder / "model.py").write_text("local edits\n")
    assert "exists and differs" in lamin("load", stem, cwd=folder).stderr
    ok(lamin("load", stem, "--force", cwd=folder))
    assert "no transform" in lamin("load", "nothing.py").stderr


def test_load_a_notebook_gives_back_the_notebook(instance: dict, tmp_path: Path) -> None:
    notebook = executed_notebook(instance["tmp"] / "nb.ipynb")
    ok(lamin("save", str(notebook)))
    ok(lamin("load", "nb.ipynb", cwd=tmp_path))
    assert (tmp_path / "nb.ipynb").read_bytes() == notebook.read_bytes()


def test_settings_auto_track_and_openlineage(instance: dict, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    startup = tmp_path / "ipython" / "profile_default" / "startup" / "00-lamin-kernel-autotrack.py"
    out = ok(lamin("settings", "set", "auto-track", "true"))
    assert startup.is_file() and str(startup) in out
    assert settings_files.load_user_settings().auto_track is True
    ok(lamin("settings", "set", "auto-track", "false"))
    assert not startup.exists() and settings_files.load_user_settings().auto_track is False
    assert lamin("settings", "set", "auto-track", "maybe").returncode == 1

    ok(lamin("settings", "set", "openlineage", str(tmp_path / "ol.jsonl")))
    assert settings_files.load_user_settings().openlineage == {"file": str(tmp_path / "ol.jsonl")}
    ok(lamin("settings", "set", "openlineage", "http://127.0.0.1:5000"))
    assert settings_files.load_user_settings().openlineage == {"url": "http://127.0.0.1:5000"}
    ok(lamin("settings", "set", "openlineage", "off"))
    assert settings_files.load_user_settings().openlineage == {}
    assert "settable: auto-track, openlineage" in lamin("settings", "set", "color", "x").stderr
