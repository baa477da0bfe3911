"""`bt.core`: keep the Source registry in step with the installed public sources."""

from .sources import sync_public_sources

__all__ = ["sync_public_sources"]
