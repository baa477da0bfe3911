"""The registries: SQLModel tables with the methods users call."""

from .artifact import Artifact
from .base import SQLRecord
from .collection import Collection
from .core import Branch, Space, Storage, User
from .features import Feature, JsonValue, Schema
from .labels import Project, Record, Reference, ULabel
from .links import (
    ArtifactJsonValue,
    ArtifactProject,
    ArtifactRecord,
    ArtifactReference,
    ArtifactSchema,
    ArtifactULabel,
    CollectionArtifact,
    CollectionULabel,
    RunInputArtifact,
    RunInputCollection,
    RunULabel,
    SchemaComponent,
    SchemaFeature,
)
from .reports import ValidationReport
from .transform import Run, Transform

__all__ = [
    "Artifact",
    "ArtifactJsonValue",
    "ArtifactProject",
    "ArtifactRecord",
    "ArtifactReference",
    "ArtifactSchema",
    "ArtifactULabel",
    "Branch",
    "Collection",
    "CollectionArtifact",
    "CollectionULabel",
    "Feature",
    "JsonValue",
    "Project",
    "Record",
    "Reference",
    "Run",
    "RunInputArtifact",
    "RunInputCollection",
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
