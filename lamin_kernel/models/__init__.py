"""The registries: SQLModel tables with the methods users call."""

from .artifact import Artifact
from .base import SQLRecord
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
from .collection import Collection
from .core import Branch, Space, Storage, User
from .features import Feature, JsonValue, Schema
from .has_type import HasParents, HasType
from .label_links import ProjectParent, RecordParent, RunInputRecord, ULabelParent
from .labels import Project, Record, Reference, ULabel
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
    RunInputArtifact,
    RunInputCollection,
    RunOutputArtifact,
    RunOutputCollection,
    RunULabel,
    SchemaComponent,
    SchemaFeature,
)
from .reports import ValidationReport
from .tracked_relations import add_tracked_relations
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
    RecordRecord,
    RecordRun,
    RecordULabel,
    RecordUser,
    RunArtifact,
    RunJsonValue,
    RunRecord,
)

add_tracked_relations(
    (Artifact, Block, Collection, Feature, JsonValue, Project, Record, Reference, Run, Schema)
    + (Storage, Transform, ULabel, ValidationReport, Branch, Space)
)

__all__ = [
    "Artifact",
    "ArtifactArtifact",
    "ArtifactRun",
    "ArtifactUser",
    "CollectionJsonValue",
    "CollectionRecord",
    "RecordArtifact",
    "RecordCollection",
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
