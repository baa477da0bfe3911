"""Read the tables shipped in lamin_kernel/bionty/data: organisms and GENCODE genes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def organism_table(path: str | Path) -> pd.DataFrame:
    """The organism table: ontology_id (NCBITaxon), name, scientific_name, synonyms, parents."""
    import pandas as pd

    terms = json.loads(Path(path).read_text(encoding="utf-8"))["terms"]
    df = pd.DataFrame(terms, columns=["ontology_id", "name", "scientific_name", "synonyms"])
    df["parents"] = [[] for _ in range(len(df))]
    return df.set_index("ontology_id")


def gene_table(path: str | Path) -> pd.DataFrame:
    """A GENCODE gene table: ensembl_gene_id, symbol, biotype, ncbi_gene_ids, description, synonyms."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    # ordered by id, as Ensembl's tables are: a synonym shared by several genes then maps to
    # the same gene as in LaminDB (standardize's keep="first")
    df = df.sort_values("ensembl_gene_id", kind="stable", ignore_index=True)
    df = df.astype(object).where(df.notna(), None)
    n = len(df)
    df.insert(3, "ncbi_gene_ids", [None] * n)
    df.insert(4, "description", [None] * n)
    return df.set_index("ensembl_gene_id")
