"""Build the one table shape every ontology source is turned into.

Index `ontology_id`; columns name, definition, synonyms ("|"-joined or None),
parents (list of direct parent ids) and deprecated. Definitions are title-cased
as bionty shows them ("A T Cell That Expresses ..."), so outputs read the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class TermColumns:
    """Column-wise term data, filled by a reader, turned into a DataFrame once."""

    ontology_id: list[str] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)
    definition: list[str | None] = field(default_factory=list)
    synonyms: list[str | None] = field(default_factory=list)
    parents: list[list[str]] = field(default_factory=list)
    deprecated: list[bool] = field(default_factory=list)

    def add(
        self,
        ontology_id: str,
        name: str | None,
        definition: str | None,
        synonyms: list[str],
        parents: list[str],
        deprecated: bool,
    ) -> None:
        """Append one term."""
        self.ontology_id.append(ontology_id)
        self.name.append(name)
        self.definition.append(definition)
        self.synonyms.append("|".join(synonyms) or None)
        self.parents.append(parents)
        self.deprecated.append(deprecated)


def ontology_frame(columns: TermColumns) -> pd.DataFrame:
    """The standard ontology table from column lists."""
    import pandas as pd

    definitions = [d.title() if d else None for d in columns.definition]
    df = pd.DataFrame(
        {
            "name": columns.name,
            "definition": definitions,
            "synonyms": columns.synonyms,
            "parents": columns.parents,
            "deprecated": columns.deprecated,
        },
        index=pd.Index(columns.ontology_id, name="ontology_id"),
    )
    return df


def restore_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list columns back as arrays; make `parents` plain lists again."""
    if "parents" in df.columns:
        df["parents"] = [list(p) if p is not None else [] for p in df["parents"]]
    return df
