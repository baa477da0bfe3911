"""What registries that carry feature values share: `.features`, queries and columns by feature."""

from typing import Any, ClassVar

from ..curation import feature_frames, feature_query
from ..curation.feature_manager import FeatureManager
from ..curation.value_links import link_for
from ..query.queryset import QuerySet
from ..setup.other_instances import bound_to_instance_of


class HasFeatures:
    """Mixed into Artifact, Run, Record and Collection."""

    # names that are not fields are looked up as features: filter(temperature__gt=20)
    __lk_filter_resolver__: ClassVar[Any] = staticmethod(feature_query.feature_condition)
    # to_dataframe(include="features") / features=True: one column per feature
    __lk_dataframe_include__: ClassVar[Any] = staticmethod(feature_frames.include_features)

    @property
    def features(self) -> FeatureManager:
        """Feature values: .add_values({...}), .set_values, .get_values(), .remove_values().

        For a record read from another instance (ln.DB), they are that instance's values.
        """
        return bound_to_instance_of(self, FeatureManager(self))

    def _links(self, target: str) -> QuerySet:
        link = link_for(type(self).__name__, target)
        if link is None or link.model is None:
            raise AttributeError(f"{type(self).__name__} has no links to {target}")
        return QuerySet(link.model).filter(**{link.owner_column: self.id})

    @property
    def links_record(self) -> QuerySet:
        """The links to Record values, each with `.record` and `.feature`."""
        return self._links("Record")

    @property
    def links_ulabel(self) -> QuerySet:
        """The links to ULabel values, each with `.ulabel` and `.feature`."""
        return self._links("ULabel")
