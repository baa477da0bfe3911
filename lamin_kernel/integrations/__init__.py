"""Integrations (`ln.integrations`): curate datasets described by other metadata standards.

artifact = ln.integrations.curate_from_croissant("dataset_metadata.json")
"""

from __future__ import annotations

from .croissant import curate_from_croissant

__all__ = ["curate_from_croissant"]
