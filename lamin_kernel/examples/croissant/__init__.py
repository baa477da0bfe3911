"""Croissant examples (`ln.examples.croissant.mini_immuno`): a dataset and its metadata.

The metadata is an MLCommons Croissant JSON-LD document written in code: name, description,
version, licence, the project and the files of the dataset.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..datasets.files import file_mini_csv
from ..datasets.mini_immuno import get_dataset1

CROISSANT_CONTEXT = {
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "https://mlcommons.org/croissant/",
    "dct": "http://purl.org/dc/terms/",
    "@language": "en",
    "citeAs": "cr:citeAs",
    "conformsTo": "dct:conformsTo",
    "recordSet": "cr:recordSet",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "includes": "cr:includes",
    "containedIn": "cr:containedIn",
    "md5": "cr:md5",
}
METADATA_NAME = "mini_immuno.anndata.zarr_metadata.json"
DATASET_NAME = "mini_immuno.anndata.zarr"


def _metadata(dataset_id: str, strip_version: bool) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": "Mini immuno dataset",
        "description": "A few samples from the immunology dataset",
        "creator": {"@type": "Person", "name": "lamin_kernel examples"},
        "dateCreated": "2025-07-16",
        "datePublished": "2025-07-16",
        "cr:projectName": "Mini Immuno Project",
        "version": "1.0",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "citeAs": "Please cite this dataset as: mini immuno (2025)",
        "encodingFormat": "zarr",
        "distribution": [
            {
                "@type": "cr:FileSet",
                "@id": dataset_id,
                "name": DATASET_NAME,
                "encodingFormat": "zarr",
                "includes": f"{DATASET_NAME}/**",
            }
        ],
    }
    if strip_version:
        metadata.pop("version")
    return metadata


def mini_immuno(
    n_files: int = 1, filepath_prefix: str = "", strip_version: bool = False
) -> list[Path]:
    """Write the mini immuno AnnData as zarr and its Croissant metadata into the current folder.

    Returns [metadata, dataset] for n_files=1, and [metadata, dataset, mini.csv] for
    n_files=2. filepath_prefix: a folder for the dataset files (the metadata names them
    with it); strip_version: leave the version out of the metadata.
    """
    if n_files not in (1, 2):
        raise ValueError(f"n_files must be 1 or 2, got {n_files}")
    folder = Path(filepath_prefix) if filepath_prefix else Path()
    folder.mkdir(parents=True, exist_ok=True)
    dataset_path = folder / DATASET_NAME
    get_dataset1(otype="AnnData").write_zarr(dataset_path)
    metadata = _metadata(dataset_path.as_posix(), strip_version)
    paths = [Path(METADATA_NAME), dataset_path]
    if n_files == 2:
        csv_path = file_mini_csv()
        if filepath_prefix:
            csv_path = csv_path.rename(folder / csv_path.name)
        metadata["distribution"].append(
            {
                "@type": "cr:FileObject",
                "@id": csv_path.as_posix(),
                "name": csv_path.name,
                "encodingFormat": "text/csv",
            }
        )
        paths.append(csv_path)
    paths[0].write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return paths
