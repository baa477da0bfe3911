"""The machinery of the stateful test (`state_machine.py`): hypothesis settings, where the
steps run (`Target`), the model's records, step logging and failure reports."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from hypothesis import HealthCheck, Phase, settings


def hypothesis_settings(ci_examples: int, ci_steps: int) -> settings:
    """CI runs a few short sequences; LAMIN_HYPOTHESIS_PROFILE=long runs ten times as many,
    twice as long, with a random seed."""
    long = os.environ.get("LAMIN_HYPOTHESIS_PROFILE") == "long"
    return settings(
        max_examples=ci_examples * 10 if long else ci_examples,
        stateful_step_count=ci_steps * 2 if long else ci_steps,
        deadline=None,
        derandomize=not long,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        # the instance carries over from one sequence to the next (one long-lived process),
        # so a shrunk replay starts from other state: report the sequence as it failed
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )


@dataclass
class Outcome:
    """What one call in the target gave: a JSON value, or the class name of what it raised."""

    value: Any = None
    error: str | None = None
    detail: str = ""


class Target(Protocol):
    """A process that runs `machine_ops` calls: this one, or a Jupyter kernel."""

    def call(self, operation: str, *args: Any) -> Outcome: ...


class InProcess:
    """Runs each step as code in this process, with the namespace kept between steps."""

    def __init__(self) -> None:
        from tests.reliability import machine_ops

        self.namespace: dict[str, Any] = {"ops": machine_ops}

    def call(self, operation: str, *args: Any) -> Outcome:
        code = f"_result = ops.{operation}(*{args!r})"
        try:
            exec(code, self.namespace)  # noqa: S102 - the same code a kernel cell gets
        except BaseException as error:  # noqa: BLE001 - the machine judges what was raised
            return Outcome(error=type(error).__name__, detail=traceback.format_exc()[-3000:])
        return Outcome(value=self.namespace.pop("_result"))


@dataclass
class Stored:
    key: str
    digest: str
    branch_id: int
    labels: set[str] = field(default_factory=set)

    FIELDS = ("key", "branch_id", "digest", "labels")

    def as_row(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "branch_id": self.branch_id,
            "digest": self.digest,
            "labels": sorted(self.labels),
        }


@dataclass
class Counters:
    """What the machines of one test did, for the report and RELIABILITY.md."""

    steps: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    interrupts_landed: int = 0
    interrupts_missed: int = 0
    orphans_removed: int = 0
    sequences: int = 0
    checks_elsewhere: int = 0
    kills: int = 0
    log: list[str] = field(default_factory=list)  # the steps of the current sequence
    first_failure: str | None = None

    def count(self, rule_name: str) -> None:
        self.steps += 1
        self.by_rule[rule_name] = self.by_rule.get(rule_name, 0) + 1

    def summary(self) -> str:
        rules = ", ".join(f"{name} {n}" for name, n in sorted(self.by_rule.items()))
        return (
            f"{self.sequences} sequences, {self.steps} steps ({rules}); interrupts landed "
            f"{self.interrupts_landed}, finished first {self.interrupts_missed}; "
            f"orphans removed by check --fix {self.orphans_removed}"
        )


INVARIANTS = ("every_row_has_its_bytes", "rows_are_the_model", "session_and_run_answer")


def recorded(step: Callable[..., None]) -> Callable[..., None]:
    """Log a rule or invariant with its arguments; keep the first failure and its sequence.

    A failure can leave the process unusable (that is what this test looks for), so
    hypothesis's replay of it may fail differently: the test reports this first one.
    """

    @functools.wraps(step)
    def run(self: Any, **arguments: Any) -> None:
        shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
        is_invariant = step.__name__ in INVARIANTS
        if not is_invariant:
            self.counters.log.append(f"{step.__name__}({shown})")
        try:
            step(self, **arguments)
        except BaseException as error:
            if self.counters.first_failure is None:
                steps = "\n  ".join(self.counters.log)
                where = f"invariant {step.__name__}" if is_invariant else step.__name__
                self.counters.first_failure = (
                    f"{where} failed: {type(error).__name__}: {error}\nin the sequence:\n  {steps}"
                )
            raise

    return run


@dataclass
class Intended:
    """What an interrupted call may have changed, had it finished."""

    saves: dict[str, set[str]] = field(default_factory=dict)  # key -> digests it saves
    labels: set[str] = field(default_factory=set)
    labelled: dict[str, str] = field(default_factory=dict)  # artifact uid -> label name
    moved: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)


def without_staged(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without staged files: those go when their objects are collected, which
    `check_fix` makes happen and then checks (a collection costs ~0.2 s here)."""
    return {
        "artifacts": snapshot["artifacts"],
        "labels": snapshot["labels"],
        "files": [f for f in snapshot["files"] if f not in snapshot["staged"]],
    }


def model_difference(actual: dict[str, Any], expected: dict[str, Any]) -> str:
    """The rows that differ from the model, for the failure message."""
    lines = [f"not in the database: {uid} {expected[uid]}" for uid in expected.keys() - actual]
    lines += [f"not in the model: {uid} {actual[uid]}" for uid in actual.keys() - expected]
    lines += [
        f"differs: {uid} database {actual[uid]} model {expected[uid]}"
        for uid in actual.keys() & expected.keys()
        if actual[uid] != expected[uid]
    ]
    return "\n".join(lines)
