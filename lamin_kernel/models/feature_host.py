"""What registries that carry feature values share: `.features`, queries and columns by feature."""

from typing import Any, ClassVar

from ..curation import feature_frames, feature_query
from ..curation.feature_manager import FeatureManager


class HasFeatures:
    """Mixed into Artifact, Run, Record and Collection."""

    # names that are not fields are looked up as features: filter(temperature__gt=20)
    __lk_filter_resolver__: ClassVar[Any] = staticmethod(feature_query.feature_condition)
    # to_dataframe(include="features") / features=True: one column per feature
    __lk_dataframe_include__: ClassVar[Any] = staticmethod(feature_frames.include_features)

    @property
    def features(self) -> FeatureManager:
        """Feature values: .add_values({...}), .set_values, .get_values(), .remove_values()."""
        return FeatureManager(self)
