"""The tutorial's mini immunology dataset: 3 genes and sample metadata for a few samples."""

from __future__ import annotations

from typing import Any, Literal

GENES = ["ENSG00000153563", "ENSG00000010610", "ENSG00000170458"]  # CD8A, CD4, CD14


def _frame(rows: dict[str, dict[str, Any]], categorical: list[str]) -> Any:
    import pandas as pd

    df = pd.DataFrame.from_dict(rows, orient="index")
    for column in categorical:
        df[column] = df[column].astype("category")
    return df


def get_dataset1(
    with_typo: bool = False, otype: Literal["DataFrame", "AnnData"] = "DataFrame"
) -> Any:
    """The tutorial's printed table; with_typo=True writes 'IFNJ' for 'IFNG'."""
    ifng = "IFNJ" if with_typo else "IFNG"
    rows = {
        "sample1": dict(
            zip(GENES, [1, 3, 5], strict=True),
            perturbation="DMSO",
            sample_note="was ok",
            cell_type_by_expert="B cell",
            cell_type_by_model="B cell",
            assay_oid="EFO:0008913",
            concentration="0.1%",
            treatment_time_h=24,
            donor="D0001",
            donor_ethnicity=["Chinese", "Singaporean Chinese"],
        ),
        "sample2": dict(
            zip(GENES, [2, 4, 6], strict=True),
            perturbation=ifng,
            sample_note="looks naah",
            cell_type_by_expert="CD8-positive, alpha-beta T cell",
            cell_type_by_model="T cell",
            assay_oid="EFO:0008913",
            concentration="200 nM",
            treatment_time_h=24,
            donor="D0002",
            donor_ethnicity=["Chinese", "Han Chinese"],
        ),
        "sample3": dict(
            zip(GENES, [3, 5, 7], strict=True),
            perturbation="DMSO",
            sample_note="pretty! 🤩",
            cell_type_by_expert="CD8-positive, alpha-beta T cell",
            cell_type_by_model="T cell",
            assay_oid="EFO:0008913",
            concentration="0.1%",
            treatment_time_h=6,
            donor=None,
            donor_ethnicity=["Chinese"],
        ),
    }
    df = _frame(rows, ["perturbation", "cell_type_by_expert", "cell_type_by_model"])
    return _as(df, otype)


def get_dataset2(otype: Literal["DataFrame", "AnnData"] = "DataFrame") -> Any:
    """Same columns, other samples and values, and a `cell_medium` column before the last one.

    `donor_ethnicity` stays last, so the tutorial's `df.iloc[:, 3:-1]` keeps `cell_medium`.
    """
    rows = {
        "sample4": dict(
            zip(GENES, [2, 3, 4], strict=True),
            perturbation="IFNG",
            sample_note="ok",
            cell_type_by_expert="T cell",
            cell_type_by_model="T cell",
            assay_oid="EFO:0008913",
            concentration="200 nM",
            treatment_time_h=24,
            donor="D0003",
            cell_medium="DMSO",
            donor_ethnicity=["Chinese"],
        ),
        "sample5": dict(
            zip(GENES, [4, 5, 6], strict=True),
            perturbation="DMSO",
            sample_note="ok",
            cell_type_by_expert="B cell",
            cell_type_by_model="B cell",
            assay_oid="EFO:0008913",
            concentration="0.1%",
            treatment_time_h=6,
            donor="D0003",
            cell_medium="IFNG",
            donor_ethnicity=["Chinese"],
        ),
    }
    df = _frame(rows, ["perturbation", "cell_type_by_expert", "cell_type_by_model", "cell_medium"])
    return _as(df, otype)


def _as(df: Any, otype: str) -> Any:
    if otype == "DataFrame":
        return df
    if otype == "AnnData":
        import anndata as ad

        obs = df.drop(columns=[*GENES, "donor_ethnicity"])
        import pandas as pd

        return ad.AnnData(df[GENES].to_numpy(), obs=obs, var=pd.DataFrame(index=GENES))
    raise ValueError(f"otype must be 'DataFrame' or 'AnnData', got {otype!r}")
