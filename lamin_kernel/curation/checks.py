"""What one validation found: a check per feature, grouped by slot, and the messages it prints.

Plain data (no pandas, no database), so reports, curators and the form share it. Dtype and
column problems are collected as LaminDB reports them (a JSON layout of pandera's schema
errors); categorical terms that did not validate get LaminDB's two-part message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .dtypes import CatTarget

MAX_TERMS_SHOWN = 30
COERCE_HINT = (
    "   ▶ Hint: Consider setting `feature.coerce = True` to attempt coercing values during "
    "validation to the required dtype."
)


@dataclass
class SchemaErrors:
    """Problems grouped as pandera groups them: {"SCHEMA": {"WRONG_DATATYPE": [...]}}."""

    groups: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def add(self, scope: str, kind: str, column: str | None, check: str, error: str) -> None:
        entry = {"schema": None, "column": column, "check": check, "error": error}
        self.groups.setdefault(scope, {}).setdefault(kind, []).append(entry)

    def extend(self, other: SchemaErrors) -> None:
        for scope, kinds in other.groups.items():
            for kind, entries in kinds.items():
                self.groups.setdefault(scope, {}).setdefault(kind, []).extend(entries)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def has_dtype_errors(self) -> bool:
        return any("WRONG_DATATYPE" in kinds for kinds in self.groups.values())

    def text(self) -> str:
        body = json.dumps(self.groups, indent=4, ensure_ascii=False)
        return body + (COERCE_HINT if self.has_dtype_errors else "")


@dataclass
class CatResolution:
    """Validated values of one categorical check, by the registry they resolve in."""

    target: CatTarget
    registry: type
    field: str
    type_id: int | None
    in_registry: list[Any] = field(default_factory=list)
    from_public: list[Any] = field(default_factory=list)
    scope: Any = None  # registries.Scope
    source: Any = None  # the ontology source public terms came from (cat_filters)


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
    column: str | None = None  # the column (or 'index') the values come from

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
    schema_errors: SchemaErrors = field(default_factory=SchemaErrors)
    values: dict[str, Any] | None = None  # a dict slot's values (attrs, uns)

    @property
    def failed(self) -> bool:
        return bool(self.schema_errors) or any(c.failed for c in self.checks)

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
        """LaminDB's message: the schema errors if there are any, else the terms."""
        errors = SchemaErrors()
        for slot in self.slots:
            errors.extend(slot.schema_errors)
        if errors:
            return errors.text()
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
