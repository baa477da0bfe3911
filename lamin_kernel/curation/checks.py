"""What one validation found: a check per feature, grouped by slot, and the messages it prints.

Plain data (no pandas, no database), so reports, curators and the form share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dtypes import CatTarget

MAX_TERMS_SHOWN = 30
FIX_HINT = "fix typos, remove non-existent values, or save terms via: {owner}.add_new_from('{key}')"
SYNONYM_HINT = "curate synonyms via: {owner}.standardize('{key}')"


@dataclass
class CatResolution:
    """Validated values of one categorical check, by the registry they resolve in."""

    target: CatTarget
    registry: type
    field: str
    type_id: int | None
    in_registry: list[Any] = field(default_factory=list)
    from_public: list[Any] = field(default_factory=list)


@dataclass
class FeatureCheck:
    """The outcome for one feature (or the pseudo-features 'columns' and 'var_index')."""

    name: str
    status: str = "validated"  # validated | not_validated | missing | dtype_mismatch
    n_values: int = 0
    non_validated: list[Any] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    message: str | None = None
    warning_only: bool = False
    feature: Any = None
    resolutions: list[CatResolution] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status != "validated" and not self.warning_only

    @property
    def is_categorical(self) -> bool:
        return bool(self.resolutions) or self.name in ("columns", "var_index")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "n_values": int(self.n_values),
            "non_validated": [str(v) for v in self.non_validated],
            "suggestions": self.suggestions,
            "message": self.message,
            "warning_only": self.warning_only,
        }


@dataclass
class SlotCheck:
    """The checks of one slot ('columns' for a DataFrame; 'obs', 'var.T'... for an AnnData)."""

    slot: str
    schema: Any
    checks: list[FeatureCheck] = field(default_factory=list)
    validated_features: list[Any] = field(default_factory=list)
    identifiers: CatResolution | None = None
    data_dtype: str | None = None
    owner: str = "curator.cat"

    @property
    def failed(self) -> bool:
        return any(c.failed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"slot": self.slot, "features": [c.to_dict() for c in self.checks]}


@dataclass
class ValidationResult:
    """All slots of one validation of one object against one schema."""

    schema: Any
    otype: str
    slots: list[SlotCheck] = field(default_factory=list)
    report: Any = None

    @property
    def passed(self) -> bool:
        return not any(s.failed for s in self.slots)

    def failing(self) -> list[FeatureCheck]:
        return [c for s in self.slots for c in s.checks if c.failed]

    def error_message(self) -> str:
        return "\n".join(c.message or f"feature '{c.name}' failed" for c in self.failing())

    def check(self, key: str, slot: str | None = None) -> tuple[SlotCheck, FeatureCheck]:
        """The check of a feature by name (in a slot, or the only slot that has it)."""
        found = [
            (s, c)
            for s in self.slots
            for c in s.checks
            if c.name == key and (slot is None or s.slot == slot)
        ]
        if not found:
            names = sorted({c.name for s in self.slots for c in s.checks})
            raise KeyError(f"no feature '{key}' was validated; validated keys: {names}")
        return found[0]


def quoted(values: list[Any]) -> str:
    shown = ", ".join(f"'{v}'" for v in values[:MAX_TERMS_SHOWN])
    more = len(values) - MAX_TERMS_SHOWN
    return shown + (f", ... ({more} more)" if more > 0 else "")


def non_validated_message(
    name: str, terms: list[Any], synonyms: dict[str, str], owner: str, slot: str | None
) -> str:
    """LaminDB's two-line message: the terms, then how to fix them."""
    n = len(terms)
    where = f" in slot '{slot}'" if slot else ""
    lines = [
        f"{n} term{'s' if n != 1 else ''} not validated in feature '{name}'{where}: {quoted(terms)}"
    ]
    if synonyms:
        pairs = ", ".join(f"'{k}' → '{v}'" for k, v in list(synonyms.items())[:MAX_TERMS_SHOWN])
        m = len(synonyms)
        lines.append(f"    {m} synonym{'s' if m != 1 else ''} found: {pairs}")
        lines.append("    → " + SYNONYM_HINT.format(owner=owner, key=name))
    if len(synonyms) < n:
        lines.append("    → " + FIX_HINT.format(owner=owner, key=name))
    return "\n".join(lines)
