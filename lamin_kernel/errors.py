"""Errors raised by lamin_kernel; every user-facing failure is one of these.

The tree::

    LaminError
    ├── InvalidArgument            a value passed in is not acceptable (also a ValueError)
    │   ├── FieldValidationError   an unknown field or lookup in a query or constructor
    │   └── InvalidKey             an artifact key breaks a key rule
    ├── ValidationError            data did not pass its schema (curation)
    ├── DoesNotExist               get() found nothing
    ├── MultipleResultsFound       get() or one() found more than one record
    ├── IntegrityError             a write would break a uniqueness or reference rule
    ├── InstanceNotSetupError      no instance is connected, or the instance cannot be used
    ├── TrackNotCalled             an operation needs ln.track() first
    ├── NotebookNotSaved           the notebook on disk is older than what ran
    ├── StorageError               bytes could not be written, read or found
    ├── UnsupportedObject          an object of a type we cannot store or load
    ├── NoPublicSource             an ontology has no offline public source (also a LookupError)
    └── TermNotFound               a term is not in the loaded ontology release (also a KeyError)

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


class ValidationError(LaminError):
    """Data did not pass its schema."""


class DoesNotExist(LaminError):
    """A query that must find one record found none."""


class MultipleResultsFound(LaminError):
    """A query that must find one record found several."""


class IntegrityError(LaminError):
    """A write would break a uniqueness or reference rule."""


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


class NoPublicSource(LaminError, LookupError):
    """No offline public ontology is available for an entity (or organism, source, version)."""


class TermNotFound(LaminError, KeyError):
    """A term asked for by name or id is not in the loaded ontology release."""

    def __str__(self) -> str:
        # KeyError quotes its message; show it as written.
        return str(self.args[0]) if self.args else ""


__all__ = [
    "LaminError",
    "InvalidArgument",
    "FieldValidationError",
    "InvalidKey",
    "ValidationError",
    "DoesNotExist",
    "MultipleResultsFound",
    "IntegrityError",
    "InstanceNotSetupError",
    "TrackNotCalled",
    "NotebookNotSaved",
    "StorageError",
    "UnsupportedObject",
    "NoPublicSource",
    "TermNotFound",
]
