"""Map values to the standard values of a table: exact, then case-insensitive, then synonyms.

Pure pandas, no database: the registry-level `standardize()` runs it over a registry's rows,
a public ontology over its table. Matching uses hashed lookups on the unique values, so tens
of thousands of values take milliseconds once the maps are built.

`keep` decides what a synonym shared by several terms maps to: "first" or "last" of them,
or (False) the list of all of them, as LaminDB's standardize() does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Keep = Literal["first", "last", False]
SEPARATOR = "|"


def is_missing(value: Any) -> bool:
    """None, NaN or NA: values that never match and are kept as they are."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pd.NA
    except TypeError:  # pd.NA compared
        return True


def grouped(keys: pd.Series, values: pd.Series, keep: Keep) -> dict[Any, Any]:
    """keys -> values as a dict; a repeated key keeps its first or last value, or all of them."""
    import pandas as pd

    pairs = pd.Series(values.to_numpy(), index=keys.to_numpy())
    pairs = pairs[pairs.index.notna()]
    if keep is False:
        return {k: list(dict.fromkeys(v)) for k, v in pairs.groupby(level=0, sort=False)}
    return pairs[~pairs.index.duplicated(keep=keep)].to_dict()


def column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or the index when it carries that name, aligned with the rows."""
    import pandas as pd

    if name == df.index.name and name not in df.columns:
        return pd.Series(df.index, index=df.index)
    return df[name]


@dataclass
class StandardMap:
    """What standardize() consults, in order: exact values, case-folded values, synonyms."""

    exact: set[Any]
    folded: dict[str, Any]
    synonyms: dict[str, Any]
    case_sensitive: bool

    @classmethod
    def build(
        cls,
        df: pd.DataFrame,
        field: str,
        synonyms_field: str | None = "synonyms",
        case_sensitive: bool = False,
        keep: Keep = "first",
    ) -> StandardMap:
        """The maps of one field of a table; synonyms only when synonyms_field is a column."""
        values = column(df, field)
        valid = values[values.notna()]
        folded: dict[str, Any] = {}
        if not case_sensitive:
            strings = valid[valid.map(lambda v: isinstance(v, str))]
            folded = grouped(strings.str.lower(), strings, "first")
        synonyms: dict[str, Any] = {}
        if synonyms_field and synonyms_field in df.columns:
            synonyms = synonym_map(df, field, synonyms_field, case_sensitive, keep)
        return cls(set(valid), folded, synonyms, case_sensitive)

    def get(self, value: Any) -> Any | None:
        """The standard form of a value (a list for ambiguous synonyms with keep=False)."""
        if is_missing(value):
            return None
        try:
            if value in self.exact:
                return value
        except TypeError:  # unhashable
            return None
        if not isinstance(value, str):
            return None
        key = value if self.case_sensitive else value.lower()
        found = self.folded.get(key)
        return found if found is not None else self.synonyms.get(key)


def synonym_map(
    df: pd.DataFrame, field: str, synonyms_field: str, case_sensitive: bool, keep: Keep
) -> dict[str, Any]:
    """synonym -> standard value, from a "|"-joined synonyms column (a term's own value excluded)."""
    targets = column(df, field)
    exploded = df[synonyms_field].dropna()
    exploded = exploded[exploded.map(lambda v: isinstance(v, str) and v != "")]
    exploded = exploded.str.split(SEPARATOR).explode()
    exploded = exploded[exploded != ""]
    standard = targets.loc[exploded.index]
    own = exploded.to_numpy() == standard.to_numpy()
    exploded, standard = exploded[~own], standard[~own]
    mapping = grouped(exploded, standard, keep)
    if case_sensitive:
        return mapping
    folded: dict[str, Any] = {}
    for key, value in mapping.items():
        folded.setdefault(key.lower(), value)
    return folded


def map_values(values: Iterable[Any], standard: StandardMap) -> tuple[dict[Any, Any], list[Any]]:
    """Standard form of each distinct value that has one, and the distinct values that have none."""
    found: dict[Any, Any] = {}
    missing: list[Any] = []
    for value in dict.fromkeys(v for v in values if not is_missing(v)):
        standard_value = standard.get(value)
        if standard_value is None:
            missing.append(value)
        else:
            found[value] = standard_value
    return found, missing


def conversion(df: pd.DataFrame, field: str, return_field: str, keep: Keep) -> dict[Any, Any]:
    """field value -> return_field value (a list of them for keep=False and repeated values)."""
    mapping = grouped(column(df, field), column(df, return_field), keep)
    if keep is False:
        return {k: v[0] if len(v) == 1 else v for k, v in mapping.items()}
    return mapping


def convert(value: Any, table: dict[Any, Any]) -> Any:
    """A standard value (or list of them) through a conversion table; unknowns stay."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            converted = table.get(item, item)
            out.extend(converted if isinstance(converted, list) else [converted])
        return out[0] if len(out) == 1 else out
    return table.get(value, value)


def standardize_with(
    values: list[Any], standard: StandardMap, table: dict[Any, Any] | None = None
) -> tuple[list[Any], dict[Any, Any], list[Any]]:
    """Standardized values in input order, the mapper of changed values, the unmapped values.

    The mapper holds {input: output} for every input whose output differs, as LaminDB's
    `return_mapper=True` gives it.
    """
    found, missing = map_values(values, standard)
    if table is not None:
        found = {k: convert(v, table) for k, v in found.items()}
    single = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in found.items()}
    result = [v if is_missing(v) else single.get(v, v) for v in values]
    mapper = {k: v for k, v in single.items() if not isinstance(v, list) and v != k}
    mapper.update({k: v for k, v in single.items() if isinstance(v, list)})
    return result, mapper, missing
