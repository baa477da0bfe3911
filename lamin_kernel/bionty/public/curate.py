"""Validate, inspect and standardize values against one field of an ontology table.

Everything works on unique values with hashed lookups (pandas isin, dicts), so
60,000 values validate in milliseconds. The mapping rules (exact, case-insensitive,
synonyms; `keep`) are the registries' own (`lamin_kernel.records.synonyms`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamin_kernel.records.inspect_result import InspectResult
from lamin_kernel.records.synonyms import StandardMap, column, standardize_with

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def as_list(values: Any) -> list[Any]:
    """A list from a str, list, tuple, set, Series, Index or array."""
    if isinstance(values, str):
        return [values]
    return list(values)


def validate(df: pd.DataFrame, values: Any, field: str) -> np.ndarray:
    """A bool array: which values are exactly in the field."""
    import numpy as np
    import pandas as pd

    known = column(df, field).dropna()  # a missing value never validates
    return np.asarray(pd.Index(as_list(values), dtype=object).isin(known), dtype=bool)


def inspect(
    values: Any, df: pd.DataFrame, field: str, standard: StandardMap | None
) -> InspectResult:
    """Which values validate, and (given a map) the standard forms of the others."""
    items = as_list(values)
    result = InspectResult(items, validate(df, items, field).tolist())
    if standard is not None and result.non_validated:
        _, mapper, _ = standardize_with(result.non_validated, standard)
        result._synonyms_mapper = mapper
    return result
