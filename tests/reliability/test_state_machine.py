"""Random sequences of saves, versions, deletes, restores, labels, failing calls, interrupts and
`check --fix` in this one long-lived process, on SQLite and PostgreSQL: nothing is lost, the
session answers the next call and the tracked run stays usable (issue 12, Tests (a)).

The machine and its invariants are in `state_machine.py`. CI runs short derandomised
sequences; `LAMIN_HYPOTHESIS_PROFILE=long` runs ten times as many, twice as long.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lamin_kernel import runtime
from tests.reliability.machine_support import Counters, InProcess
from tests.reliability.state_machine import machine_for, run_machine


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_nothing_lost_in_one_long_lived_process(instance: dict) -> None:
    counters = Counters()
    machine = machine_for(InProcess(), Path(instance["tmp"]), counters)
    try:
        run_machine(machine, ci_examples=4, ci_steps=15)
    finally:
        runtime.reset()
    assert counters.steps > 0 and counters.interrupts_landed > 0, counters.summary()
