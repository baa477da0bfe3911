"""One process, two instances: the tracked run belongs to the instance whose database holds
it. After another instance becomes current, `ln.track()` starts a run there, nothing names
the first instance's run, and the first run is current again when its instance is."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.errors import TrackNotCalled
from lamin_kernel.setup import instance as setup_instance
from lamin_kernel.tracking import state as tracking_state


@pytest.fixture
def forget_tracking() -> Iterator[None]:
    yield
    tracking_state.reset()
    runtime.reset()


def second_instance(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Make another instance current (SQLite, or PostgreSQL on the test server); its slug."""
    db_url = None
    if kind == "postgres":
        db_url = request.getfixturevalue("postgres").create_database(
            f"lk_switch_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        )
    settings = setup_instance.init(
        str(tmp_path / "second"), db=db_url, name=f"second-{uuid.uuid4().hex[:6]}"
    )
    return str(settings.slug)


def run_status(uid: str) -> str | None:
    return ln.Run.get(uid).status


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_track_in_the_next_instance_after_finish(
    instance: dict, tmp_path: Path, request: pytest.FixtureRequest, kind: str, forget_tracking: None
) -> None:
    ln.track(key="first_instance.py")
    first_run = ln.context.run.uid
    ln.finish()
    second_instance(kind, tmp_path, request)
    assert ln.context.run is None  # the first instance's run means nothing here
    ln.track(key="second_instance.py")
    run = ln.Run.get(ln.context.run.uid)
    assert run.uid != first_run and run.transform.key == "second_instance.py"
    path = tmp_path / "out.txt"
    path.write_text("saved in the second instance")
    assert ln.Artifact(str(path), key="out.txt").save().run.uid == run.uid
    ln.finish()
    assert run_status(run.uid) == "completed"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_an_unfinished_run_is_left_alone_in_the_other_instance_and_found_again(
    instance: dict, tmp_path: Path, request: pytest.FixtureRequest, kind: str, forget_tracking: None
) -> None:
    """Track in the first instance, switch without finishing: a save in the second instance
    links no run and `ln.finish()` there refuses (touching no row that has the first run's
    id); back in the first instance, `ln.finish()` completes the first run."""
    first_slug = str(instance["settings"].slug)
    ln.track(key="long_script.py")
    first_run = ln.context.run.uid
    second_instance(kind, tmp_path, request)
    path = tmp_path / "untracked.txt"
    path.write_text("saved in the second instance")
    assert ln.Artifact(str(path), key="untracked.txt").save().run is None
    with pytest.raises(TrackNotCalled):
        ln.finish()
    assert ln.Run.filter().count() == 0
    setup_instance.connect(first_slug, quiet=True)
    assert ln.context.run is not None and ln.context.run.uid == first_run
    assert run_status(first_run) == "started"
    ln.finish()
    assert run_status(first_run) == "completed"
