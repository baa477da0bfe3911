"""Example dictionaries and DataFrames: a CELLxGENE `.uns`, Fisher's iris table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

IRIS = Path(__file__).parent / "data" / "iris.csv"
IRIS_SPECIES = {0: "setosa", 1: "versicolor", 2: "virginica"}


def dict_cellxgene_uns() -> dict[str, Any]:
    """An `.uns` dictionary as CELLxGENE datasets have it: organism and two Visium libraries."""

    def library(n: int, diameter: float, scale: float) -> dict[str, Any]:
        suffix = "" if n == 1 else f"_{n}"
        return {
            "images": {
                "fullres": f"path/to/fullres{suffix}.jpg",
                "hires": f"path/to/hires{suffix}.jpg",
            },
            "scalefactors": {"spot_diameter_fullres": diameter, "tissue_hires_scalef": scale},
        }

    return {
        "organism_ontology_term_id": "NCBITaxon:9606",
        "spatial": {
            "is_single": True,
            "library_1": library(1, 89.43, 0.177),
            "library_2": library(2, 120.34, 0.355),
        },
    }


def df_iris() -> pd.DataFrame:
    """Fisher's iris table: 4 lengths in cm and `target` (0 setosa, 1 versicolor, 2 virginica)."""
    import pandas as pd

    return pd.read_csv(IRIS)


def df_iris_in_meter() -> pd.DataFrame:
    """The iris table in meters, columns sepal_length, ..., and `iris_organism_name`."""
    df = df_iris()
    df.columns = ["sepal_length", "sepal_width", "petal_length", "petal_width", "target"]
    lengths = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    df[lengths] = df[lengths] / 100
    df["iris_organism_name"] = df.pop("target").map(IRIS_SPECIES)
    return df


def df_iris_in_meter_study1() -> pd.DataFrame:
    """The first half of df_iris_in_meter()."""
    df = df_iris_in_meter()
    return df.iloc[: len(df) // 2]


def df_iris_in_meter_study2() -> pd.DataFrame:
    """The second half of df_iris_in_meter()."""
    df = df_iris_in_meter()
    return df.iloc[len(df) // 2 :]
