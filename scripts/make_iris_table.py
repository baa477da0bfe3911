"""Write lamin_kernel/examples/datasets/data/iris.csv, the table behind df_iris().

Fisher's iris measurements (1936; public domain) as plotly's package data holds them (the
UCI copy), with the two corrections the UCI page documents (samples 35 and 38, as printed
in Fisher's paper), in the columns `sklearn.datasets.load_iris(as_frame=True).frame` has.

Usage: python scripts/make_iris_table.py   (needs plotly, a dev dependency)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

OUT = Path(__file__).parent.parent / "lamin_kernel" / "examples" / "datasets" / "data" / "iris.csv"
CORRECTIONS = {34: (4.9, 3.1, 1.5, 0.2), 37: (4.9, 3.6, 1.4, 0.1)}  # 0-based rows
COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


def main() -> None:
    plotly = Path(importlib.util.find_spec("plotly").submodule_search_locations[0])
    raw = pd.read_csv(plotly / "package_data" / "datasets" / "iris.csv.gz")
    frame = raw[["sepal_length", "sepal_width", "petal_length", "petal_width"]].copy()
    frame.columns = COLUMNS
    for row, values in CORRECTIONS.items():
        frame.loc[row, COLUMNS] = values
    frame["target"] = raw["species_id"] - 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(OUT, index=False)
    print(f"wrote {len(frame)} rows to {OUT}")


if __name__ == "__main__":
    main()
