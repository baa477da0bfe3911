"""Errors raised by lamin_kernel; every user-facing failure is one of these.

The tree::

    LaminError
    ├── InvalidArgument            a value passed in is not acceptable (also a ValueError)
    │   ├── FieldValidationError   an unknown field or lookup in a query or constructor
    │   ├── InvalidKey             an artifact key breaks a key rule
    │   └── BranchAlreadyExists    `switch(name, create=True)` for a name that is taken
    ├── ValidationError            data did not pass its schema (curation)
    ├── MultipleResultsFound       get() or one() found more than one record
    │                              (alias MultipleObjectsReturned)
    ├── IntegrityError             a write would break a uniqueness or reference rule
    ├── InconsistentKey            a key disagrees with the record it revises or its path
    ├── UnknownStorageLocation     a path lies in no registered storage location
    ├── NoStorageLocationForSpace  a space has no storage location to write to
    ├── NoWriteAccess              the storage or record belongs to another instance
    ├── StorageAlreadyManaged      a storage root is owned by another instance (init refuses it)
    ├── MissingContextUID          tracking needs a uid the user did not give
    ├── UpdateContext              tracking settings need an update
    ├── BlobHashNotFound           a source blob is in neither git nor storage
    ├── FileNotInDevDir            a path lies outside the development directory
    ├── InstanceNotSetupError      no instance is connected, or the instance cannot be used
    ├── TrackNotCalled             an operation needs ln.track() first
    ├── NotebookNotSaved           the notebook on disk is older than what ran
    ├── StorageError               bytes could not be written, read or found
    ├── UnsupportedObject          an object of a type we cannot store or load
    ├── DoesNotExist               get() found nothing (alias ObjectDoesNotExist)
    │   └── TermNotFound           a term is not in the loaded ontology release (also a KeyError)
    ├── NoPublicSource             an ontology has no offline public source (also a LookupError)
    └── OrganismNotSet             a bionty registry needs an organism and none was given or set

Messages say what was wrong and what to do next.
"""

from __future__ import annotations


class LaminError(Exception):
    """Base class of every error lamin_kernel raises on purpose."""


class InvalidArgument(LaminError, ValueError):
    """A value passed in is not acceptable."""


class FieldValidationError(InvalidArgument):
    """An unknown field or lookup in a query or a record constructor."""


class InvalidKey(InvalidArgument):
    """An artifact or collection key breaks a key rule."""


class BranchAlreadyExists(InvalidArgument):
    """A branch of this name exists already."""


class ValidationError(LaminError):
    """Data did not pass its schema."""


class DoesNotExist(LaminError):
    """A query that must find one record found none."""


ObjectDoesNotExist = DoesNotExist  # LaminDB's (Django's) name for the same error


class MultipleResultsFound(LaminError):
    """A query that must find one record found several."""


class IntegrityError(LaminError):
    """A write would break a uniqueness or reference rule."""


class InconsistentKey(LaminError):
    """A key disagrees with the record it revises or with the path it was given."""


class UnknownStorageLocation(LaminError):
    """A path lies in no storage location registered in this instance."""


class NoStorageLocationForSpace(LaminError):
    """A space has no storage location to write to."""


class NoWriteAccess(LaminError):
    """The storage location or record belongs to another instance (or to none)."""


class StorageAlreadyManaged(LaminError):
    """A storage root is marked as owned by another instance; a new instance cannot own it."""


class MissingContextUID(LaminError):
    """Tracking needs a uid that the user did not give."""


class UpdateContext(LaminError):
    """Tracking settings need an update."""


class BlobHashNotFound(LaminError):
    """A source blob was found neither in git nor in storage."""


class FileNotInDevDir(LaminError):
    """A path lies outside the configured development directory."""


class InstanceNotSetupError(LaminError):
    """No instance is connected, or the configured one cannot be used."""


class TrackNotCalled(LaminError):
    """An operation needs ln.track() first."""


class NotebookNotSaved(LaminError):
    """The notebook file on disk is older than what was executed."""


class StorageError(LaminError):
    """Bytes could not be written, read or found in storage."""


class UnsupportedObject(InvalidArgument):
    """An object of a type that cannot be stored or loaded."""


class NoPublicSource(LaminError, LookupError, ValueError):
    """No offline public ontology is available for an entity (or organism, source, version).

    Also a ValueError, which LaminDB raises when a registry has no source."""


class TermNotFound(DoesNotExist, KeyError):
    """A term asked for by name or id is not in the loaded ontology release (a DoesNotExist,
    as LaminDB's from_source() raises)."""

    def __str__(self) -> str:
        # KeyError quotes its message; show it as written.
        return str(self.args[0]) if self.args else ""


MultipleObjectsReturned = MultipleResultsFound  # LaminDB's (Django's) name for it


class OrganismNotSet(LaminError, ValueError):
    """A bionty registry needs an organism (Gene, Protein, ...): pass organism= or set
    bt.settings.organism."""


__all__ = [
    "LaminError",
    "InvalidArgument",
    "FieldValidationError",
    "InvalidKey",
    "ValidationError",
    "DoesNotExist",
    "ObjectDoesNotExist",
    "BranchAlreadyExists",
    "MultipleResultsFound",
    "MultipleObjectsReturned",
    "IntegrityError",
    "InconsistentKey",
    "UnknownStorageLocation",
    "NoStorageLocationForSpace",
    "NoWriteAccess",
    "StorageAlreadyManaged",
    "MissingContextUID",
    "UpdateContext",
    "BlobHashNotFound",
    "FileNotInDevDir",
    "InstanceNotSetupError",
    "TrackNotCalled",
    "NotebookNotSaved",
    "StorageError",
    "UnsupportedObject",
    "NoPublicSource",
    "TermNotFound",
    "OrganismNotSet",
]
