"""`bt.models`: the bionty registries, their base class and link tables, by LaminDB's names.

bt.models.BioRecord, bt.models.Source, bt.models.CellType, ...
bt.models.ArtifactCellType, bt.models.CellTypeParent, bt.models.SchemaGene, ...
"""

from .base import BioRecord
from .links import ARTIFACT_LINKS, PARENT_LINKS, SchemaGene
from .registry import REGISTRIES

_LINKS = {
    **{model.__name__: model for model in ARTIFACT_LINKS.values()},
    **{model.__name__: model for model in PARENT_LINKS.values()},
}
globals().update(REGISTRIES)
globals().update(_LINKS)

__all__ = ["BioRecord", "SchemaGene", *REGISTRIES, *_LINKS]
