"""Targets from the issues, each able to say whether lamin_kernel's figure meets it."""

from __future__ import annotations

from dataclasses import dataclass


def fmt(value: float, unit: str) -> str:
    """A figure with its unit, three significant digits (``ms`` and ``s`` take seconds)."""
    if unit == "ms":
        value *= 1000
    if unit in ("rows/s", "MB/s") and value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    elif value >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}"


@dataclass(frozen=True)
class Target:
    """Base: a target that is never judged."""

    def text(self) -> str:
        return ""

    def met(
        self,
        kernel: float | None,
        lamindb: float | None,
        speedup: float | None,
        kernel_step: dict | None,
    ) -> bool | None:
        return None


@dataclass(frozen=True)
class Faster(Target):
    """At least ``times`` faster than LaminDB, side by side."""

    times: float

    def text(self) -> str:
        return f"≥ {self.times:g}× LaminDB"

    def met(self, kernel, lamindb, speedup, kernel_step):  # noqa: ANN001, ANN201
        return None if speedup is None else speedup >= self.times


@dataclass(frozen=True)
class AtMost(Target):
    """lamin_kernel's figure at most ``value`` (seconds for s/ms)."""

    value: float
    unit: str

    def text(self) -> str:
        return f"≤ {fmt(self.value, self.unit)}"

    def met(self, kernel, lamindb, speedup, kernel_step):  # noqa: ANN001, ANN201
        return None if kernel is None else kernel <= self.value


@dataclass(frozen=True)
class AtLeast(Target):
    """lamin_kernel's figure at least ``value``."""

    value: float
    unit: str

    def text(self) -> str:
        return f"≥ {fmt(self.value, self.unit)}"

    def met(self, kernel, lamindb, speedup, kernel_step):  # noqa: ANN001, ANN201
        return None if kernel is None else kernel >= self.value


@dataclass(frozen=True)
class OfCopy(Target):
    """Throughput at least ``fraction`` of a plain ``cp`` of the same file, same run."""

    fraction: float

    def text(self) -> str:
        return f"≥ {self.fraction:.0%} of `cp`"

    def met(self, kernel, lamindb, speedup, kernel_step):  # noqa: ANN001, ANN201
        cp = (kernel_step or {}).get("cp_mb_per_s")
        return None if kernel is None or not cp else kernel >= self.fraction * cp


@dataclass(frozen=True)
class All(Target):
    """Every one of several targets."""

    parts: tuple[Target, ...]

    def text(self) -> str:
        return " and ".join(p.text() for p in self.parts)

    def met(self, kernel, lamindb, speedup, kernel_step):  # noqa: ANN001, ANN201
        results = [p.met(kernel, lamindb, speedup, kernel_step) for p in self.parts]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
