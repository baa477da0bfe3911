"""The state machine of `state_machine.py` driven in a real Jupyter kernel (issue 12, Tests (b)).

The test starts one kernel and sends every step as cell code; the kernel lives through all
the sequences, as a notebook's kernel lives through a day's work. Besides the interrupts the
kernel sends itself at a chosen call, one rule presses the real stop button
(`interrupt_kernel`) while a bulk save runs, wherever that lands.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import rule

from tests.reliability.digests import content_digest
from tests.reliability.machine_support import Counters, Intended, Outcome, recorded
from tests.reliability.state_machine import CONTENTS, FILE_KEYS, machine_for, run_machine

REPO = Path(__file__).resolve().parents[2]
RESULT_MARK = "@@machine-result@@"


class KernelTarget:
    """Runs each step as a cell in one kernel; the result comes back as a printed JSON line."""

    def __init__(self, client: Any, manager: Any) -> None:
        self.client, self.manager = client, manager

    def call(self, operation: str, *args: Any) -> Outcome:
        code = (
            f"_result = ops.{operation}(*{args!r})\nprint({RESULT_MARK!r} + _json.dumps(_result))"
        )
        return self.run_cell(code)

    def run_cell(self, code: str, on_busy: Any = None) -> Outcome:
        lines: list[str] = []

        def output(message: dict) -> None:
            if message["msg_type"] == "stream":
                lines.extend(message["content"]["text"].splitlines())
            elif on_busy and message["content"].get("execution_state") == "busy":
                on_busy()

        reply = self.client.execute_interactive(code, timeout=300, output_hook=output)
        if reply["content"]["status"] != "ok":
            trace = "\n".join(reply["content"].get("traceback", []))
            return Outcome(
                error=reply["content"].get("ename", "unknown error"),
                detail=re.sub(r"\x1b\[[0-9;]*m", "", trace)[-3000:],
            )
        results = [line[len(RESULT_MARK) :] for line in lines if line.startswith(RESULT_MARK)]
        return Outcome(value=json.loads(results[-1]) if results else None)


@pytest.fixture
def kernel(instance: dict) -> Iterator[KernelTarget]:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "LAMIN_VERBOSITY": "warning"}
    manager, client = start_new_kernel(kernel_name="python3", env=env, cwd=str(REPO))
    target = KernelTarget(client, manager)
    setup = target.run_cell(
        "import json as _json\nfrom tests.reliability import machine_ops as ops\n"
        f"print({RESULT_MARK!r} + _json.dumps(1))"
    )
    assert setup.value == 1, setup
    try:
        yield target
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def stop_button_rule(machine_class: type) -> type:
    """The machine with one more rule: the stop button pressed during a bulk save."""

    @rule(contents=st.lists(CONTENTS, min_size=3, max_size=12), key=st.sampled_from(FILE_KEYS))
    @recorded
    def stop_button(self: Any, contents: list[bytes], key: str) -> None:
        paths = [self.write_file(c + bytes([i])) for i, c in enumerate(contents)]
        keys = [key] * len(paths)
        code = f"_result = ops.save_bulk(*{([str(p) for p in paths], keys)!r})"
        self.target.run_cell(code, on_busy=self.target.manager.interrupt_kernel)
        self.reconcile(Intended(saves={key: {content_digest(p) for p in paths}}))
        self.counters.count("stop_button")

    return type(machine_class.__name__ + "_kernel", (machine_class,), {"stop_button": stop_button})


@pytest.mark.slow
def test_nothing_lost_in_a_long_lived_kernel(
    instance: dict, kernel: KernelTarget, tmp_path: Path
) -> None:
    counters = Counters()
    machine = stop_button_rule(machine_for(kernel, tmp_path, counters))
    run_machine(machine, ci_examples=2, ci_steps=12)
    assert counters.steps > 0, counters.summary()
