"""The registries: SQLModel tables with the methods users call."""

from ..setup.long_lived import freeze_defined as _freeze_defined
from ..setup.long_lived import gc_paused as _gc_paused

# defining the registries makes ~10^5 long-lived objects: no cyclic collection meanwhile
# (`import lamin_kernel.models` directly, from the CLI, the server or tracking, included)
with _gc_paused():
    from ..curation.feature_manager import FeatureManager
    from ..query.queryset import QuerySet
    from ..records.artifact_prepare import LazyArtifact
    from ..records.inspect_result import InspectResult
    from ..records.label_manager import LabelManager
    from ..records.record_list import SQLRecordList
    from ..records.registered import register
    from ..records.related import RelatedManager
    from .artifact import Artifact
    from .base import BaseSQLRecord, IsVersioned, SQLRecord
    from .base import LinkQueries as IsLink
    from .base import RegistryMeta as Registry
    from .blocks import (
        ArtifactBlock,
        Block,
        BranchBlock,
        CollectionBlock,
        FeatureBlock,
        ProjectBlock,
        RecordBlock,
        RunBlock,
        SchemaBlock,
        SpaceBlock,
        TransformBlock,
        ULabelBlock,
    )
    from .branch_links import BRANCH_LINKS, BlockProject
    from .can_curate import CanCurate, HasAbbr, HasSynonyms
    from .collection import Collection
    from .core import Branch, Space, Storage, User
    from .features import Feature, JsonValue, Schema
    from .features import JsonValue as FeatureValue  # LaminDB's older name of JsonValue
    from .has_type import HasEmoji, HasParents, HasType
    from .label_links import ProjectParent, RecordParent, RunInputRecord, ULabelParent
    from .labels import Project, Record, Reference, ULabel
    from .link_columns import fill_link_defaults
    from .links import (
        ArtifactJsonValue,
        ArtifactProject,
        ArtifactRecord,
        ArtifactReference,
        ArtifactSchema,
        ArtifactULabel,
        CollectionArtifact,
        CollectionProject,
        CollectionULabel,
        FeatureProject,
        RunInputArtifact,
        RunInputCollection,
        RunOutputArtifact,
        RunOutputCollection,
        RunULabel,
        SchemaComponent,
        SchemaFeature,
        SchemaProject,
    )
    from .project_links import (
        CollectionReference,
        ProjectRecord,
        ProjectUser,
        ReferenceRecord,
        RunProject,
        TransformProject,
        TransformRecord,
        TransformReference,
        TransformTransform,
        TransformULabel,
        ULabelProject,
        add_project_links,
    )
    from .reports import ValidationReport
    from .tracked_relations import add_foreign_key_relations, add_tracked_relations
    from .transform import Run, Transform
    from .value_links import (
        ArtifactArtifact,
        ArtifactRun,
        ArtifactUser,
        CollectionJsonValue,
        CollectionRecord,
        RecordArtifact,
        RecordCollection,
        RecordJson,
        RecordProject,
        RecordRecord,
        RecordReference,
        RecordRun,
        RecordTransform,
        RecordULabel,
        RecordUser,
        RunArtifact,
        RunJsonValue,
        RunRecord,
    )
    from .value_relations import add_value_relations

    add_tracked_relations(
        (Artifact, Block, Collection, Feature, JsonValue, Project, Record, Reference, Run, Schema)
        + (Storage, Transform, ULabel, ValidationReport, Branch, Space)
        + (ArtifactBlock, BranchBlock, CollectionBlock, FeatureBlock, ProjectBlock, RecordBlock)
        + (RunBlock, SchemaBlock, SpaceBlock, TransformBlock, ULabelBlock)
    )
    add_value_relations(
        {
            cls.__name__: cls
            for cls in (Artifact, Collection, Feature, JsonValue, Project, Record, Reference, Run)
            + (Transform, ULabel, User, ArtifactArtifact, ArtifactRun, ArtifactUser, RunArtifact)
            + (RunRecord, CollectionRecord, RunJsonValue, RecordJson, RecordArtifact)
            + (RecordCollection, RecordProject, RecordRecord, RecordReference, RecordRun)
            + (RecordTransform, RecordULabel, RecordUser)
        }
    )
    add_project_links(
        {
            cls.__name__: cls
            for cls in (Collection, Project, Record, Reference, Run, Transform, ULabel, User)
        }
    )
    add_project_links(
        {cls.__name__: cls for cls in (Block, Branch, Project, Reference, ULabel, User)},
        BRANCH_LINKS,
    )
    # every link row: who made it and in which run, and the rows it joins as relations
    _links = [c for c in IsLink.__subclasses__() if c.__module__.startswith(f"{__name__}.")]
    for _link in _links:
        fill_link_defaults(_link)
    add_foreign_key_relations(_links, renamed={"ArtifactRun.value_id": "run"})
    # the classes records/ and curation/ use, in their typed slots (records/registered.py)
    register(Artifact, ArtifactSchema, Branch, Collection, CollectionArtifact, Feature, JsonValue)
    register(Project, Record, Reference, Run, RunInputArtifact, RunInputCollection)
    register(RunOutputArtifact, RunOutputCollection, Schema, SchemaComponent, SchemaFeature, Space)
    register(Storage, Transform, ULabel, User, ValidationReport)
    _freeze_defined()  # they live as long as the process: no collection should walk them

__all__ = [
    "BaseSQLRecord",
    "IsVersioned",
    "BlockProject",
    "HasEmoji",
    "FeatureProject",
    "FeatureValue",
    "SchemaProject",
    "CollectionReference",
    "ProjectUser",
    "ReferenceRecord",
    "TransformRecord",
    "TransformReference",
    "TransformULabel",
    "ProjectRecord",
    "RunProject",
    "TransformProject",
    "TransformTransform",
    "ULabelProject",
    "CanCurate",
    "FeatureManager",
    "HasAbbr",
    "HasSynonyms",
    "InspectResult",
    "IsLink",
    "LabelManager",
    "LazyArtifact",
    "QuerySet",
    "Registry",
    "RelatedManager",
    "SQLRecordList",
    "Artifact",
    "ArtifactArtifact",
    "ArtifactRun",
    "ArtifactUser",
    "CollectionJsonValue",
    "CollectionRecord",
    "RecordArtifact",
    "RecordCollection",
    "RecordProject",
    "RecordReference",
    "RecordTransform",
    "RecordJson",
    "RecordRecord",
    "RecordRun",
    "RecordULabel",
    "RecordUser",
    "RunArtifact",
    "RunJsonValue",
    "RunRecord",
    "ArtifactBlock",
    "Block",
    "BranchBlock",
    "CollectionBlock",
    "FeatureBlock",
    "HasParents",
    "HasType",
    "ProjectBlock",
    "ProjectParent",
    "RecordBlock",
    "RecordParent",
    "RunBlock",
    "RunInputRecord",
    "SchemaBlock",
    "SpaceBlock",
    "TransformBlock",
    "ULabelBlock",
    "ULabelParent",
    "ArtifactJsonValue",
    "ArtifactProject",
    "ArtifactRecord",
    "ArtifactReference",
    "ArtifactSchema",
    "ArtifactULabel",
    "Branch",
    "Collection",
    "CollectionArtifact",
    "CollectionProject",
    "CollectionULabel",
    "Feature",
    "JsonValue",
    "Project",
    "Record",
    "Reference",
    "Run",
    "RunInputArtifact",
    "RunInputCollection",
    "RunOutputArtifact",
    "RunOutputCollection",
    "RunULabel",
    "SQLRecord",
    "Schema",
    "SchemaComponent",
    "SchemaFeature",
    "Space",
    "Storage",
    "Transform",
    "ULabel",
    "User",
    "ValidationReport",
]
