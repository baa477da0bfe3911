"""Process-wide options users set through `ln.settings`, read by the layers that act on them.

`creation.search_names` (look for a saved record with the same name when constructing one),
`annotation.n_max_records`, `track_run_inputs` (link loaded artifacts and collections as
inputs of the tracked run) and `verify_reads` (hash every artifact read from storage, not
only reads whose size or modification time differ from the row). They live here, low in the stack, so `records/` can read them
without importing the public `ln.settings` object.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CreationSettings:
    """How records are created (LaminDB's `ln.settings.creation`)."""

    search_names: bool = True
    """Look for a saved record with the same name and return it instead of a duplicate."""
    artifact_skip_size_hash: bool = False
    """Accepted for LaminDB code; local and S3 files are always hashed here."""
    artifact_silence_missing_run_warning: bool = False
    """Do not warn when an artifact is made while no run is tracked."""


@dataclass
class AnnotationSettings:
    """How many records automated annotation links at most, per feature or schema."""

    n_max_records: int = 1000


@dataclass
class ProcessOptions:
    creation: CreationSettings
    annotation: AnnotationSettings
    track_run_inputs: bool = True
    verify_reads: bool = False


options = ProcessOptions(creation=CreationSettings(), annotation=AnnotationSettings())
"""The options of this process (tests reset them with `reset()`)."""


def reset() -> None:
    """Back to the defaults."""
    options.creation = CreationSettings()
    options.annotation = AnnotationSettings()
    options.track_run_inputs = True
    options.verify_reads = False
