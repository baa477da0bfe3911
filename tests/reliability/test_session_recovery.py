"""One failed call never poisons a long-lived process (issue 12, "Found" 1).

In a tracked process a save fails (a constraint, a NUL character, Ctrl+C in the middle of
``ln.save(list)``, or an interrupt that lands after the database committed); then the next
``artifact.save()``, a query and ``ln.finish()`` work, the run is completed, and no
committed row is ever without its bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

import lamin_kernel as ln
from lamin_kernel.setup.session import connection
from lamin_kernel.tracking import state as tracking_state
from tests.reliability.invariants import assert_every_row_has_its_bytes, assert_session_answers

BACKENDS = ("sqlite-local", "postgres-local")


@contextmanager
def tracked(key: str) -> Iterator[None]:
    ln.track(key=key)
    try:
        yield
    finally:
        if not tracking_state.current().finished:
            ln.finish()
        tracking_state.reset()  # later tests in this process start untracked


def frame(i: int) -> pd.DataFrame:
    return pd.DataFrame({"i": [i], "text": [f"row {i}"]})


def the_process_goes_on(key: str) -> None:
    """The next artifact.save(), a query and ln.finish() work; the run counts the output."""
    artifact = ln.Artifact.from_dataframe(frame(10_000), key=key).save()
    assert ln.Artifact.get(key=key).uid == artifact.uid
    assert Path(str(artifact.path)).exists()
    assert artifact.id in tracking_state.current().outputs
    run_id = tracking_state.current().run.id
    ln.finish()
    assert ln.Run.get(run_id).status == "completed"
    assert_every_row_has_its_bytes()
    assert_session_answers()


def refuse_label_named(name: str) -> None:
    """A constraint in the database that refuses ULabels of this name (the kernel does not
    know of it: the database is what fails)."""
    with connection().engine.begin() as db:
        if db.dialect.name == "sqlite":
            db.exec_driver_sql(
                f"CREATE TRIGGER refuse_label BEFORE INSERT ON lk_ulabel WHEN NEW.name = '{name}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END"
            )
        else:
            db.exec_driver_sql(
                f"ALTER TABLE lk_ulabel ADD CONSTRAINT refuse_label CHECK (name <> '{name}')"
            )


@pytest.mark.backends(*BACKENDS)
def test_a_failed_storage_save_does_not_poison_the_tracked_process(instance: dict) -> None:
    with tracked("poisoned_by_storage.py"):
        before = ln.Artifact.from_dataframe(frame(1), key="before.parquet").save()
        try:  # the call of the report; it may be refused or return the storage
            ln.Storage(root=str(instance["storage"])).save()
        except ln.errors.LaminError:
            pass
        ln.ULabel(name="first").save()
        refuse_label_named("second")
        with pytest.raises(ln.errors.IntegrityError):  # a constraint of the database
            ln.ULabel(name="second").save()
        the_process_goes_on("after_storage.parquet")
    assert Path(str(before.path)).exists()


@pytest.mark.backends(*BACKENDS)
def test_a_nul_character_in_a_bulk_save_writes_nothing_and_poisons_nothing(
    instance: dict,
) -> None:
    with tracked("poisoned_by_nul.py"):
        with pytest.raises(ln.errors.InvalidArgument, match="NUL"):
            ln.save([ln.ULabel(name="ok"), ln.ULabel(name="bad\x00")])
        assert ln.ULabel.filter(name="ok").count() == 0
        the_process_goes_on("after_nul.parquet")


class Interrupted:
    """Raise KeyboardInterrupt once, the n-th time a SQL statement of a kind is sent."""

    def __init__(self, verb: str, nth: int = 1) -> None:
        self.verb, self.left = verb, nth

    def __call__(self, _conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if self.left > 0 and statement.lstrip().upper().startswith(self.verb):
            self.left -= 1
            if self.left == 0:
                raise KeyboardInterrupt


def interrupt_statement(verb: str, nth: int = 1) -> Callable[[], Callable[[], None]]:
    def install() -> Callable[[], None]:
        engine = connection().engine
        listener = Interrupted(verb, nth)
        event.listen(engine, "before_cursor_execute", listener)
        return lambda: event.remove(engine, "before_cursor_execute", listener)

    return install


def interrupt_before_commit() -> Callable[[], None]:
    """An interrupt delivered just before the database is asked to commit."""
    engine = connection().engine
    fired = []

    def listener(_conn: object) -> None:
        if not fired:
            fired.append(True)
            raise KeyboardInterrupt

    event.listen(engine, "commit", listener)
    return lambda: event.remove(engine, "commit", listener)


def interrupt_after_commit() -> Callable[[], None]:
    """An interrupt delivered after the database committed, while the session finishes."""
    fired = []

    def listener(_session: Session) -> None:
        if not fired:
            fired.append(True)
            raise KeyboardInterrupt

    event.listen(Session, "after_commit", listener)
    return lambda: event.remove(Session, "after_commit", listener)


INTERRUPTS = {
    "while inserting rows": interrupt_statement("INSERT"),
    "at the second insert": interrupt_statement("INSERT", 2),
    "before committing": interrupt_before_commit,
    "after the database committed": interrupt_after_commit,
}


@pytest.mark.backends(*BACKENDS)
@pytest.mark.parametrize("moment", list(INTERRUPTS))
def test_ctrl_c_during_a_bulk_save_loses_nothing(instance: dict, moment: str) -> None:
    with tracked(f"interrupted_{moment.replace(' ', '_')}.py"):
        ln.Artifact.from_dataframe(frame(0), key="first.parquet").save()
        artifacts = [
            ln.Artifact.from_dataframe(frame(i), key=f"batch/{i}.parquet") for i in range(1, 30)
        ]
        artifacts[5] = ln.Artifact.from_dataframe(frame(1000), key="first.parquet")  # a version
        remove = INTERRUPTS[moment]()
        try:
            with pytest.raises(KeyboardInterrupt):
                ln.save(artifacts)
        finally:
            remove()
        assert_every_row_has_its_bytes()
        saved = ln.Artifact.filter(key__startswith="batch/").count()
        assert saved in (0, 28)  # one transaction: all or nothing
        if saved == 0:  # not committed: the same objects save on a second try
            ln.save(artifacts)
        assert ln.Artifact.filter(key__startswith="batch/").count() == 28
        assert ln.Artifact.filter(key="first.parquet", is_latest=True).count() == 1
        the_process_goes_on(f"after_{moment.replace(' ', '_')}.parquet")
