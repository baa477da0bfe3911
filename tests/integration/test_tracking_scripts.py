"""ln.track() and ln.finish() in scripts run as subprocesses, checked in the registry."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.server.records import record_detail
from lamin_kernel.tracking.imports import format_imports


def run_script(folder: Path, name: str, code: str, *args: str) -> subprocess.CompletedProcess:
    script = folder / name
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, script.name, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


TRACK_FINISH = """\
import lamin_kernel as ln
import pandas as pd

ln.track(params={"learning_rate": 0.1})
ln.finish()
"""


def test_script_is_tracked_with_source_params_environment(instance: dict) -> None:
    out = ok(run_script(instance["tmp"], "train.py", TRACK_FINISH, "--epochs", "3"))
    transform = ln.Transform.get(key="train.py")
    run = ln.Run.get(transform_id=transform.id)
    assert (
        f"created Transform('{transform.uid}', key='train.py'), started new Run('{run.uid}')" in out
    )
    assert "script imports: pandas==" in out
    assert f'ln.track("{transform.uid[:12]}")' in out
    assert f"finished Run('{run.uid}')" in out
    assert transform.kind == "script" and transform.uid.endswith("0000")
    assert transform.source_code == TRACK_FINISH and transform.hash
    assert run.params == {"learning_rate": 0.1}
    assert run.cli_args == "--epochs 3"
    assert run.status == "completed" and run.finished_at >= run.started_at
    environment = run.environment
    assert environment.kind == "__lamindb_run__" and environment.description == "requirements.txt"
    assert "pandas==" in Path(str(environment.cache())).read_text()
    assert run.imported_packages["pandas"] == pd.__version__
    assert f"script imports: {format_imports(run.imported_packages)}\n" in out  # as printed
    described = run.describe(return_str=True)
    assert "Imported packages" in described
    assert f"pandas                         {pd.__version__}" in described
    detail = record_detail("Run", run.uid)
    assert detail["record"]["imported_packages"] == run.imported_packages


def test_same_source_same_transform_changed_source_new_version(instance: dict) -> None:
    folder = instance["tmp"]
    ok(run_script(folder, "step.py", TRACK_FINISH))
    ok(run_script(folder, "step.py", TRACK_FINISH))
    first = ln.Transform.get(key="step.py")
    runs = ln.Run.filter(transform_id=first.id)
    assert runs.count() == 2
    assert len({r.environment_id for r in runs}) == 1  # the environment is stored once

    out = ok(run_script(folder, "step.py", TRACK_FINISH + "print('changed')\n"))
    versions = ln.Transform.filter(key="step.py").order_by("id")
    assert [t.uid for t in versions] == [first.uid, first.uid[:12] + "0001"]
    assert [t.is_latest for t in versions] == [False, True]
    assert "(new version)" in out
    assert ln.Transform.get(key="step.py").uid.endswith("0001")  # get() returns the latest


def test_uid_keeps_identity_across_renames(instance: dict) -> None:
    folder = instance["tmp"]
    ok(run_script(folder, "before.py", TRACK_FINISH))
    stem = ln.Transform.get(key="before.py").uid[:12]
    code = TRACK_FINISH.replace("ln.track(", f'ln.track("{stem}", ')
    out = ok(run_script(folder, "after.py", code))
    renamed = ln.Transform.get(key="after.py")
    assert renamed.uid == stem + "0001" and renamed.is_latest
    assert not ln.Transform.get(stem + "0000").is_latest
    assert "recommendation" not in out


def test_uncaught_exception_marks_the_run_failed(instance: dict) -> None:
    code = """\
    import lamin_kernel as ln

    ln.track()

    def load():
        raise ValueError("the input file is empty")

    load()
    """
    result = run_script(instance["tmp"], "crash.py", code)
    assert result.returncode == 1
    assert "ValueError: the input file is empty" in result.stderr  # the user still sees it
    run = ln.Run.get(transform_id=ln.Transform.get(key="crash.py").id)
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith("ValueError: the input file is empty\n  at ")
    assert "crash.py" in run.error and "in load" in run.error


def test_keyboard_interrupt_marks_the_run_aborted(instance: dict) -> None:
    code = "import lamin_kernel as ln\nln.track()\nraise KeyboardInterrupt\n"
    assert run_script(instance["tmp"], "stopped.py", code).returncode != 0
    run = ln.Run.get(transform_id=ln.Transform.get(key="stopped.py").id)
    assert run.status == "aborted" and run.error.startswith("KeyboardInterrupt")


def test_a_script_without_finish_is_finished_at_exit(instance: dict) -> None:
    code = "import lamin_kernel as ln\nln.track()\nprint('done')\n"
    out = ok(run_script(instance["tmp"], "nofinish.py", code))
    transform = ln.Transform.get(key="nofinish.py")
    run = ln.Run.get(transform_id=transform.id)
    assert out.index("done") < out.index("finished Run(")
    assert run.status == "completed" and run.finished_at is not None
    assert transform.source_code == code


def test_console_and_python_c_get_clear_errors(instance: dict) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import lamin_kernel as ln; ln.track()"],
        cwd=instance["tmp"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "lamin_kernel.errors.InvalidArgument" in result.stderr
    assert "ln.track(key='my_analysis.py')" in result.stderr
    result = subprocess.run(
        [sys.executable, "-c", "import lamin_kernel as ln; ln.finish()"],
        capture_output=True,
        text=True,
    )
    assert "lamin_kernel.errors.TrackNotCalled" in result.stderr
    assert "call ln.track() first" in result.stderr


def test_python_c_with_a_key(instance: dict) -> None:
    code = "import lamin_kernel as ln; ln.track(key='adhoc.py'); ln.finish()"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=instance["tmp"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    transform = ln.Transform.get(key="adhoc.py")
    assert transform.kind == "script" and transform.source_code is None


def test_lineage_of_a_script(instance: dict) -> None:
    folder = instance["tmp"]
    ok(
        run_script(
            folder,
            "make.py",
            """\
            import lamin_kernel as ln, pandas as pd
            ln.track()
            ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="raw.parquet").save()
            """,
        )
    )
    ok(
        run_script(
            folder,
            "use.py",
            """\
            import lamin_kernel as ln, pandas as pd
            ln.track()
            df = ln.Artifact.get(key="raw.parquet").load()
            ln.Artifact.from_dataframe(df * 2, key="doubled.parquet").save()
            ln.finish()
            """,
        )
    )
    raw, doubled = ln.Artifact.get(key="raw.parquet"), ln.Artifact.get(key="doubled.parquet")
    assert raw.transform.key == "make.py" and doubled.transform.key == "use.py"
    use_run = doubled.run
    assert [a.uid for a in use_run.input_artifacts] == [raw.uid]
    assert [r.uid for r in raw.input_of_runs] == [use_run.uid]


def test_plan_is_linked_to_the_run(instance: dict) -> None:
    folder = instance["tmp"]
    (folder / ".plans").mkdir()
    (folder / ".plans" / "agent-plan.md").write_text("# Clean the data\n\n1. load\n2. fix\n")
    code = 'import lamin_kernel as ln\nln.track(plan=".plans/agent-plan.md")\nln.finish()\n'
    ok(run_script(folder, "planned.py", code))
    run = ln.Run.get(transform_id=ln.Transform.get(key="planned.py").id)
    plan = run.plan
    assert plan.kind == "plan" and plan.key == ".plans/agent-plan.md"
    assert plan.description == "Clean the data"
    ok(run_script(folder, "planned.py", code))  # the same plan is not stored twice
    assert ln.Artifact.filter(kind="plan").count() == 1


@pytest.mark.backends("postgres-s3")
def test_script_on_postgres_and_s3(instance: dict) -> None:
    ok(run_script(instance["tmp"], "remote.py", TRACK_FINISH))
    run = ln.Run.get(transform_id=ln.Transform.get(key="remote.py").id)
    assert run.status == "completed"
    assert run.environment.path.as_posix().startswith(instance["storage"])
