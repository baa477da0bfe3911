"""Ctrl+C anywhere in a save or a query returns every pooled connection it took.

The interrupt is a real SIGINT at the n-th call of a function of the package or of
SQLAlchemy, swept over every call of the operation. The exceptions are kept, as a notebook
kernel keeps the last traceback (and with it every frame that held a connection): a
connection that is not handed back then stays checked out for as long as the kernel
lives, and a few dozen interrupts exhaust the pool.
"""

from __future__ import annotations

import itertools
import signal
import sys
from collections.abc import Callable
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.setup.session import connection
from tests.reliability.machine_ops import InterruptAtCall, watched_prefixes
from tests.support.call_counts import calls_made

_names = itertools.count()


def checked_out() -> int:
    return int(connection().engine.pool.checkedout())


def caused_by_ctrl_c(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def interrupted_at(nth: int, action: Callable[[], Any], kept: list[BaseException]) -> bool:
    """Run `action` with Ctrl+C at its n-th watched call; the exception is kept."""
    hook = InterruptAtCall(nth, watched_prefixes("sqlalchemy"))
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sys.setprofile(hook)
        action()
    except BaseException as exc:  # noqa: BLE001 - kept, whatever it is (see `sweep`)
        kept.append(exc)
        return True
    finally:
        sys.setprofile(None)
        signal.signal(signal.SIGINT, previous)
    return hook.fired


def save_label() -> None:
    ln.ULabel(name=f"label {next(_names)}").save()


def update_label() -> None:
    label = ln.ULabel.get(name="kept")
    label.description = f"description {next(_names)}"
    label.save()


def query() -> None:
    ln.ULabel.filter(name__startswith="label").count()
    ln.ULabel.filter(name="kept").first()


# update_label is not swept here yet: an interrupted update of a held record still leaves
# connections checked out (see RELIABILITY.md, Not guaranteed)
OPERATIONS = {"save_label": save_label, "query": query}


def sweep(action: Callable[[], Any]) -> tuple[list[int], list[str]]:
    """Ctrl+C at each call of `action` in turn: the calls after which connections stayed
    checked out, and the errors that were not the interrupt (a call that failed because an
    earlier interrupt left the session broken)."""
    total = calls_made(action, watched_prefixes("sqlalchemy"))
    kept: list[BaseException] = []
    leaked, broken = [], []
    for nth in range(1, total + 1):
        if not interrupted_at(nth, action, kept):
            break
        if not caused_by_ctrl_c(kept[-1]):
            broken.append(f"call {nth}: {type(kept[-1]).__name__}: {kept[-1]}")
        if checked_out():
            leaked.append(nth)
    assert len(kept) > total // 2
    return leaked, broken


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_ctrl_c_at_any_call_returns_every_pooled_connection(instance: dict, operation: str) -> None:
    """After each interrupted call no connection stays checked out, and the next call works."""
    if instance["backend"] == "postgres-local" and operation == "save_label":
        # found by the final run of session 5 (RELIABILITY.md, Not guaranteed): the sweep over
        # a label save on PostgreSQL still fails; not strict, as it was seen passing once
        pytest.xfail("open: Ctrl+C swept over a label save on PostgreSQL (RELIABILITY.md)")
    action = OPERATIONS[operation]
    ln.ULabel(name="kept").save()
    action()
    assert checked_out() == 0
    leaked, _ = sweep(action)
    assert leaked == [], f"connections left checked out after the interrupt at calls {leaked}"
    action()  # the session answers the next call
    assert checked_out() == 0


@pytest.mark.xfail(
    strict=True,
    reason="Ctrl+C inside SQLAlchemy's own rollback of a failed flush (Transaction.rollback "
    "called from SessionTransaction.rollback in Session._flush) leaves an object state "
    "half-removed from the identity map; the next save fails with AttributeError/"
    "AssertionError inside SQLAlchemy (see RELIABILITY.md, Not guaranteed)",
)
def test_every_save_after_an_interrupted_one_fails_only_by_its_own_interrupt(
    instance: dict,
) -> None:
    """Ctrl+C at each call of saving a label in turn: no save fails for any other reason."""
    save_label()
    _, broken = sweep(save_label)
    assert broken == []
