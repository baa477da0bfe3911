"""The features manager as the record machinery (sheets, types) reads it: the values of many
records at once, the values a record will get when it is saved, features by name.

Values are written and checked by `curation/` (the features manager, `feature_attach`);
this module only reads them, so sheets and type checks share one reading of values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..curation.feature_attach import FeaturesPending
from ..curation.feature_keys import resolve_keys
from ..curation.feature_read import ValueReader
from .pending import get_pending


def values_of_records(records: Iterable[Any]) -> dict[int, dict[str, Any]]:
    """{record id: {feature name: value}} for saved records, as get_values() shows them
    (labels by their name field, lists as lists); one read per value table."""
    ids = [r.id for r in records if getattr(r, "id", None) is not None]
    if not ids:
        return {}
    reader = ValueReader.for_owners("Record", ids)
    return {record_id: reader.values_of(record_id) for record_id in ids}


def pending_values(record: Any) -> dict[str, Any] | None:
    """The values given to `Record(features=...)`, by feature name, until it is saved."""
    pending = get_pending(record)
    if not isinstance(pending, FeaturesPending):
        return None
    return {getattr(key, "name", key): value for key, value in pending.values.items()}


def features_named(names: Sequence[str]) -> list[Any]:
    """The features of these names (the least nested one where names repeat), in order."""
    if not names:
        return []
    return [feature for feature, _ in resolve_keys(dict.fromkeys(names), None)]
