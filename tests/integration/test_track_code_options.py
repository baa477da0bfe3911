"""ln.track()'s arguments about the code itself: source_code/key/kind (code given as text),
path (the file to track), entrypoint, pypackages, stream_tracking and expected_param_types."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Literal

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.tracking import state, streams


@pytest.fixture(autouse=True)
def no_tracked_run():
    yield
    streams.stop()
    runtime.set_current_run(None, None)
    state.set_current(None)


def run_script(path: Path, code: str) -> subprocess.CompletedProcess:
    path.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(path)], cwd=path.parent, capture_output=True, text=True, timeout=120
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def test_code_given_as_text_is_a_function_transform_versioned_by_that_text(
    instance: dict,
) -> None:
    code = "def fit(x):\n    return x + 1\n"
    ln.track(source_code=code, key="fit_model")
    first = ln.context.transform
    assert first.kind == "function" and first.key == "fit_model"
    assert first.source_code == code and first.hash
    ln.finish()
    assert ln.Run.get(transform_id=first.id).status == "completed"

    ln.track(source_code=code, key="fit_model")  # the same text: the same transform
    assert ln.context.transform.uid == first.uid
    ln.track(source_code=code + "# tuned\n", key="fit_model")  # changed: its next version
    newer = ln.context.transform
    assert newer.uid[:12] == first.uid[:12] and newer.uid.endswith("0001")
    assert newer.source_code.endswith("# tuned\n")

    ln.track(source_code="steps = 3\n", key="nightly", kind="pipeline")
    assert ln.context.transform.kind == "pipeline"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"source_code": "x = 1\n"}, "key cannot be None when source_code"),
        ({"source_code": "x = 1\n", "key": "k", "path": "k.py"}, "path cannot be passed"),
        ({"source_code": "x = 1\n", "key": "k", "kind": "macro"}, "kind must be one of"),
        ({"source_code": "", "key": "k"}, "source_code must be a non-empty string"),
        ({"key": "k", "stream_tracking": "yes"}, "stream_tracking must be True, False or None"),
        ({"key": "k", "path": "/no/such/file.py"}, "is not a file"),
    ],
)
def test_impossible_code_options_are_refused_before_anything_is_written(
    instance: dict, arguments: dict, message: str
) -> None:
    with pytest.raises(ln.errors.InvalidArgument, match=message):
        ln.track(**arguments)
    assert ln.Run.filter().count() == 0 and ln.Transform.filter().count() == 0


def test_path_names_the_file_to_track_instead_of_the_running_one(
    instance: dict, tmp_path: Path
) -> None:
    other = tmp_path / "prepare.py"
    other.write_text("print('prepared')\n")
    runner = f"""\
        import lamin_kernel as ln
        ln.track(path={str(other)!r})
        ln.finish()
        """
    ok(run_script(tmp_path / "runner.py", runner))
    transform = ln.Transform.get(key="prepare.py")
    assert transform.kind == "script"
    assert transform.source_code == "print('prepared')\n"
    assert ln.Transform.filter(key="runner.py").count() == 0
    assert ln.Run.get(transform_id=transform.id).status == "completed"


def test_entrypoint_is_kept_on_the_run_and_announced(instance: dict, tmp_path: Path) -> None:
    out = ok(
        run_script(
            tmp_path / "cli.py",
            """\
            import lamin_kernel as ln
            ln.track(entrypoint="cli.main")
            """,
        )
    )
    run = ln.Run.get(transform__key="cli.py")
    assert run.entrypoint == "cli.main"
    assert f"started new Run('{run.uid}', entrypoint='cli.main')" in out


@pytest.mark.parametrize("pypackages", [None, False])
def test_pypackages_false_leaves_the_imports_uninferred(
    instance: dict, tmp_path: Path, pypackages: bool | None
) -> None:
    out = ok(
        run_script(
            tmp_path / "imports.py",
            f"""\
            import pandas
            import lamin_kernel as ln
            ln.track(pypackages={pypackages!r})
            """,
        )
    )
    run = ln.Run.get(transform__key="imports.py")
    if pypackages is False:
        assert run.imported_packages is None and "script imports" not in out
    else:
        assert "pandas" in run.imported_packages and "script imports: pandas==" in out


STREAMS = """\
import sys
import lamin_kernel as ln
ln.track(stream_tracking={flag})
print("hello from stdout")
print("careful on stderr", file=sys.stderr)
{ending}
"""


@pytest.mark.parametrize("ending", ["ln.finish()", "", "raise RuntimeError('boom')"])
def test_stream_tracking_keeps_what_the_script_printed_as_the_runs_report(
    instance: dict, tmp_path: Path, ending: str
) -> None:
    result = run_script(tmp_path / "noisy.py", STREAMS.format(flag=True, ending=ending))
    assert "hello from stdout" in result.stdout  # the terminal still sees it
    assert "careful on stderr" in result.stderr
    run = ln.Run.get(transform__key="noisy.py")
    report = run.report
    assert report is not None and report.kind == "__lamindb_run__" and report.suffix == ".txt"
    text = Path(str(report.cache())).read_text()
    assert "hello from stdout" in text and "careful on stderr" in text
    assert f"Run('{run.uid}')" in text  # track()'s own messages are in the log
    if "raise" in ending:
        assert run.status == "failed" and "RuntimeError: boom" in text
    else:
        assert run.status == "completed"
    assert not streams.log_path(run.uid).exists()  # the temporary log is gone


@pytest.mark.parametrize("flag", [None, False])
def test_without_stream_tracking_the_script_has_no_log_report(
    instance: dict, tmp_path: Path, flag: bool | None
) -> None:
    ok(run_script(tmp_path / "quiet.py", STREAMS.format(flag=flag, ending="")))
    assert ln.Run.get(transform__key="quiet.py").report_id is None


def test_params_are_checked_against_their_expected_types(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    dataset = ln.ULabel(name="dataset-a").save()
    ln.track(
        source_code="def train(): ...\n",
        key="train",
        params={
            "epochs": 3,
            "rate": 3,  # an int where a float is expected: left out
            "mode": "fast",
            "layers": (64, 32),
            "label": dataset,
            "comment": "untyped params stay as they are",
            "skipped": None,
        },
        expected_param_types={
            "epochs": int,
            "rate": float,
            "mode": Literal["fast", "slow"],
            "layers": tuple[int, ...],
            "label": ln.ULabel,
            "skipped": str | None,
        },
    )
    assert ln.context.run.params == {
        "epochs": 3,
        "mode": "fast",
        "layers": [64, 32],
        "label": f"ULabel[{dataset.uid}]",
        "comment": "untyped params stay as they are",
    }
    assert "skipping param rate: value 3 does not match annotation" in capsys.readouterr().out


def test_expected_param_types_must_map_names_to_types(instance: dict) -> None:
    with pytest.raises(ln.errors.InvalidArgument, match="expected_param_types maps param"):
        ln.track(source_code="x\n", key="k", params={"a": 1}, expected_param_types=[int])
    assert ln.Run.filter().count() == 0
