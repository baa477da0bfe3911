"""Errors of the public-ontology layer.

LaminError (lamin_kernel.errors)
├── NoPublicSource   (also a LookupError)  an entity has no offline source
└── TermNotFound     (also a KeyError)     a name or id is not in the loaded release
"""

from __future__ import annotations

from lamin_kernel.errors import LaminError


class NoPublicSource(LaminError, LookupError):
    """No offline public ontology is available for an entity (or organism, source, version)."""


class TermNotFound(LaminError, KeyError):
    """A term asked for by name or id is not in the loaded ontology release."""

    def __str__(self) -> str:
        # KeyError quotes its message; show it as written.
        return str(self.args[0]) if self.args else ""
