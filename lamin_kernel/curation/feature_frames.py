"""Feature values as DataFrame columns: `to_dataframe(include="features")`, `features=[...]`."""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import InvalidArgument
from .feature_keys import is_feature, resolve_keys
from .feature_read import ValueReader


def feature_columns(model: type, df: Any, features: Any) -> Any:
    """df (rows of `model` indexed by id) with uid, key and one column per feature.

    features=True (or include="features"): every feature with a value among the rows;
    a list of names or Feature objects: those features, in that order.
    """
    reader = ValueReader.for_owners(model.__name__, list(df.index))
    if features is True:
        chosen = _with_values(reader)
        names = [f.name for f in chosen]
        log.info(f"queried for all feature values of {len(names)} features: {names}")
    else:
        items = [features] if isinstance(features, str) or is_feature(features) else features
        if not isinstance(items, list | tuple):
            raise InvalidArgument("features= takes True or a list of feature names")
        chosen = [f for f, _ in resolve_keys({k: None for k in items}, None)]
    leading = [c for c in ("uid", "key", "name") if c in df.columns]
    out = df[leading].copy()
    for feature in chosen:
        out[feature.name] = [reader.cell(i, feature) for i in df.index]
    return out


def _with_values(reader: ValueReader) -> list[Any]:
    """Features that have values among the rows, oldest first."""
    labelled: dict[int, bool] = {}
    for per_owner in reader.values.values():
        for feature_id, stored in per_owner.items():
            labelled[feature_id] = labelled.get(feature_id, False) or stored.is_label
    features = [reader.features[f] for f in labelled if f in reader.features]
    return sorted(features, key=lambda f: f.id)


def include_features(model: type, df: Any, spec: Any) -> Any:
    """The DataFrame builder's hook: include="features" or features=True|[names]; None for
    other include values."""
    if spec == "features" or spec is True:
        return feature_columns(model, df, True)
    if isinstance(spec, str) and not isinstance(spec, bool):
        return None
    return feature_columns(model, df, spec)
