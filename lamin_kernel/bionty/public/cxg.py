"""Read cellxgene-ontology-guide releases (`<PREFIX>-ontology-<version>.json.zst`).

Each file is a zstd JSON dict {term_id: {label, description?, synonyms?, ancestors,
deprecated, ...}}; `ancestors` maps every ancestor to its distance, so the direct
parents are the ancestors at distance 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lamin_kernel.bionty.public.frames import TermColumns, ontology_frame
from lamin_kernel.bionty.public.sources import cxg_data_dir

if TYPE_CHECKING:
    import pandas as pd

PROGRESS_BYTES = 500_000  # show a progress bar for files larger than this
UNIPROT_SUFFIX = {"human": "_HUMAN", "mouse": "_MOUSE"}


def release_path(location: str) -> Path:
    """The file of a "PREFIX@version" location."""
    prefix, _, version = location.partition("@")
    return cxg_data_dir() / f"{prefix}-ontology-{version}.json.zst"


def read_release(path: Path) -> dict[str, dict[str, Any]]:
    """Decompress and parse one release, with a progress bar for the big ones."""
    import zstandard

    size = path.stat().st_size
    with open(path, "rb") as raw:
        if size > PROGRESS_BYTES:
            from tqdm.auto import tqdm

            desc = f"loading {path.name.split('-ontology-')[0]}"
            with tqdm.wrapattr(raw, "read", total=size, desc=desc, leave=False) as fh:
                return json.load(zstandard.ZstdDecompressor().stream_reader(fh))
        return json.load(zstandard.ZstdDecompressor().stream_reader(raw))


def ontology_table(location: str) -> pd.DataFrame:
    """The standard ontology table of one release."""
    columns = TermColumns()
    for term_id, term in read_release(release_path(location)).items():
        parents = [a for a, distance in term.get("ancestors", {}).items() if distance == 1]
        columns.add(
            term_id,
            term.get("label"),
            term.get("description"),
            term.get("synonyms") or [],
            parents,
            bool(term.get("deprecated", False)),
        )
    return ontology_frame(columns)


def protein_table(location: str, organism: str) -> pd.DataFrame:
    """UniProt Swiss-Prot entries (accession, entry name) of one organism, or all."""
    import pandas as pd

    terms = read_release(release_path(location))
    suffix = UNIPROT_SUFFIX.get(organism, "")
    ids, names = [], []
    for term_id, term in terms.items():
        label = term.get("label") or ""
        if label.endswith(suffix):
            ids.append(term_id.removeprefix("uniprot:"))
            names.append(label)
    n = len(ids)
    return pd.DataFrame(
        {
            "name": names,
            "synonyms": [None] * n,
            "gene_symbol": [None] * n,
            "ensembl_gene_ids": [None] * n,
        },
        index=pd.Index(ids, name="uniprotkb_id"),
    )
