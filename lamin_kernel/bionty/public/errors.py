"""Errors of the public-ontology layer; they live in ln.errors and are re-exported here."""

from __future__ import annotations

from lamin_kernel.errors import NoPublicSource, TermNotFound

__all__ = ["NoPublicSource", "TermNotFound"]
