"""Feature values of an artifact, by feature name, for the record detail."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .. import models
from ..query.queryset import QuerySet
from .jsonable import jsonable

# link table, label registry, the link's column that points at the label
CATEGORICAL_LINKS = (
    (models.ArtifactULabel, models.ULabel, "ulabel_id"),
    (models.ArtifactRecord, models.Record, "record_id"),
)


def feature_values(record: Any) -> dict[str, Any]:
    """{feature name: value}; several values of one feature come as a list."""
    if not isinstance(record, models.Artifact):
        return {}
    getter = getattr(getattr(record, "features", None), "get_values", None)
    if callable(getter):  # the curation layer's own reading, once it exists
        return jsonable(getter())
    by_feature: dict[int, list[Any]] = defaultdict(list)
    for value in models.JsonValue.filter(artifacts__id=record.id):
        by_feature[value.feature_id].append(value.value)
    for link, label, column in CATEGORICAL_LINKS:
        rows = QuerySet(link).filter(artifact_id=record.id, feature_id__isnull=False).to_list()
        if not rows:
            continue
        names = {r.id: r.name for r in label.filter(id__in=[getattr(row, column) for row in rows])}
        for row in rows:
            if getattr(row, column) in names:
                by_feature[row.feature_id].append(names[getattr(row, column)])
    if not by_feature:
        return {}
    features = {f.id: f.name for f in models.Feature.filter(id__in=list(by_feature))}
    return {
        features[fid]: jsonable(values[0] if len(values) == 1 else values)
        for fid, values in by_feature.items()
        if fid in features
    }
