"""Feature values given when a record is made: `ln.Artifact(path, features={...})`,
`ln.Record(name=..., features={...})`.

The values are checked when the record is constructed (a bad value raises there, before
any bytes or rows are written) and written right after the record's own row on save().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument, ValidationError
from ..records.pending import clear_pending, get_pending, set_pending
from ..records.persist import save_record
from .feature_keys import resolve_keys
from .feature_manager import FeatureManager, check_against_schema
from .schema import members_of
from .value_checks import plan_values, raise_failure


@dataclass
class FeaturesPending:
    """Values to write once the record is saved (after whatever else its save does)."""

    inner: Any | None
    values: dict[Any, Any]
    schema: Any

    def save(self, record: Any) -> None:
        clear_pending(record)
        if self.inner is not None:
            set_pending(record, self.inner)
        save_record(record)
        clear_pending(record)
        FeatureManager(record).update_values(self.values, schema=self.schema)


def check_on_creation(record: Any, values: dict[Any, Any], schema: Any) -> None:
    """Refuse values that would not validate, before the record is saved."""
    members = members_of(schema) if schema is not None else []
    pairs = resolve_keys(values, None, members or None)
    if schema is not None:
        check_against_schema(record, values, schema, members)
    plan = plan_values(type(record).__name__, pairs)
    raise_failure(record, pairs, plan)


def on_save(record: Any, values: Any, schema: Any = None) -> None:
    """Attach feature values to be written when `record` is saved."""
    if values is None:
        if schema is not None and _is_external(record, schema) and members_of(schema):
            raise ValidationError(
                "Schema defines features but no feature values were provided. Pass "
                "features={...} to validate external metadata, or use "
                "Artifact.from_dataframe() to validate dataset content."
            )
        return
    if not isinstance(values, dict):
        raise InvalidArgument(f"features must be a dict, got {type(values).__name__}")
    external = schema if schema is not None and _is_external(record, schema) else None
    check_on_creation(record, values, external)
    if external is not None and "schema_id" in type(record).__table__.c:
        record.schema_id = external.id
    set_pending(record, FeaturesPending(get_pending(record), dict(values), external))


def _is_external(record: Any, schema: Any) -> bool:
    """A schema on a record that is not a dataset (a file, a record) validates its features."""
    return getattr(record, "otype", None) is None
