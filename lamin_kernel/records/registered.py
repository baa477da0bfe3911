"""The registry classes the generic layers use, registered from above by `models/`.

`records/`, `query/`, `storage/` and `curation/` sit below the registry classes (`models/`),
yet they save artifacts, read features and link runs. They never import `models`, and they
never look a class up by a string either (that only hides the upward dependency from
import-linter and from type checkers). Instead this module declares one typed slot per
registry class they use; `lamin_kernel/models/__init__.py` fills the slots with `register(...)`
when it is imported, and code below reads `registered.Artifact`, `registered.Feature`, ...
Each slot is typed with a Protocol of what the lower layers use of that class
(`records.registry_protocols`); a unit test checks each registered class has it.

The registries load lazily (`import lamin_kernel` stays cheap): reading a slot that is not
filled yet asks `setup.services.load_registries()` (a hook the package's top registers) to
import them, and raises LookupError naming the slot if it is still empty then.
"""

from __future__ import annotations

from typing import ClassVar

from ..setup import services
from .registry_protocols import (
    ArtifactProtocol,
    ArtifactSchemaProtocol,
    BranchProtocol,
    CollectionArtifactProtocol,
    CollectionProtocol,
    FeatureProtocol,
    JsonValueProtocol,
    MappedTable,
    RunInputArtifactProtocol,
    RunInputCollectionProtocol,
    RunOutputArtifactProtocol,
    RunOutputCollectionProtocol,
    RunProtocol,
    SchemaComponentProtocol,
    SchemaFeatureProtocol,
    SchemaProtocol,
    SpaceProtocol,
    StorageProtocol,
    TransformProtocol,
    TypedRecord,
    UserProtocol,
    ValidationReportProtocol,
)


class RegisteredClasses:
    """One slot per registry class the layers below `models/` use (read as attributes)."""

    Artifact: type[ArtifactProtocol]
    ArtifactSchema: type[ArtifactSchemaProtocol]
    Branch: type[BranchProtocol]
    Collection: type[CollectionProtocol]
    CollectionArtifact: type[CollectionArtifactProtocol]
    Feature: type[FeatureProtocol]
    JsonValue: type[JsonValueProtocol]
    Project: type[TypedRecord]
    Record: type[TypedRecord]
    Reference: type[TypedRecord]
    Run: type[RunProtocol]
    RunInputArtifact: type[RunInputArtifactProtocol]
    RunInputCollection: type[RunInputCollectionProtocol]
    RunOutputArtifact: type[RunOutputArtifactProtocol]
    RunOutputCollection: type[RunOutputCollectionProtocol]
    Schema: type[SchemaProtocol]
    SchemaComponent: type[SchemaComponentProtocol]
    SchemaFeature: type[SchemaFeatureProtocol]
    Space: type[SpaceProtocol]
    Storage: type[StorageProtocol]
    Transform: type[TransformProtocol]
    ULabel: type[TypedRecord]
    User: type[UserProtocol]
    ValidationReport: type[ValidationReportProtocol]

    SLOTS: ClassVar[frozenset[str]]

    def __getattr__(self, name: str) -> type[MappedTable]:
        # only called for a slot that is not filled yet: load the registries once and retry
        if name not in RegisteredClasses.SLOTS:
            raise AttributeError(f"no registry slot named {name}")
        services.load_registries()
        found = self.__dict__.get(name)
        if found is None:
            raise LookupError(
                f"registry class {name} is not registered: lamin_kernel.models registers it"
            )
        return found

    def named(self, name: str) -> type[MappedTable]:
        """The registry class of a slot named by data (a stored registry label, a dtype's
        registry); LookupError for a name that is no slot. Code that knows the class it wants
        reads the attribute instead."""
        if name not in RegisteredClasses.SLOTS:
            raise LookupError(f"no registry class named {name}")
        return getattr(self, name)


RegisteredClasses.SLOTS = frozenset(
    name for name in RegisteredClasses.__annotations__ if name != "SLOTS"
)

registered = RegisteredClasses()


def register(*classes: type) -> None:
    """Fill the slots of these classes (by class name); called by `models` at import."""
    for cls in classes:
        if cls.__name__ not in RegisteredClasses.SLOTS:
            raise ValueError(f"{cls.__name__} has no slot in records.registered")
        setattr(registered, cls.__name__, cls)
