"""Entry points: the public ontology of an entity, or one imported from an OBO file."""

from __future__ import annotations

from pathlib import Path

from lamin_kernel.bionty.public.ontology import PublicOntology
from lamin_kernel.bionty.public.sources import Source, entity_name, obo_header_version


def public(
    entity: str, organism: str | None = None, source: str | None = None, version: str | None = None
) -> PublicOntology:
    """The public ontology of an entity ("CellType" or "bionty.CellType").

    Raises NoPublicSource when there is no offline source (Pathway, CellMarker).
    """
    return PublicOntology(entity, organism=organism, source=source, version=version)


def import_obo(
    path: str | Path,
    entity: str,
    source_name: str,
    version: str | None = None,
    organism: str = "all",
    relations: tuple[str, ...] = ("is_a",),
) -> PublicOntology:
    """A PublicOntology from any OBO file; parents follow `relations` (add "part_of" for anatomy).

    The version defaults to the file's `data-version` header. The parsed table is
    cached like any other source and rebuilt when the file changes.
    """
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no OBO file at {path}")
    version = version or obo_header_version(path) or "unversioned"
    short = entity_name(entity)
    spec = Source(
        entity=f"bionty.{short}",
        organism=organism,
        name=source_name.lower(),
        version=version,
        description=f"imported from {path.name}",
        url=path.as_uri(),
        source_website="",
        kind="obo",
        location=str(path),
        relations=tuple(relations),
    )
    return PublicOntology(short, source=spec)
