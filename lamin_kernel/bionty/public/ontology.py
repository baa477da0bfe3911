"""PublicOntology: one loaded release of a public ontology, searchable and validatable."""

from __future__ import annotations

import functools
import html
from collections import namedtuple
from typing import TYPE_CHECKING, Any

from lamin_kernel.bionty.public import curate, loader, matching
from lamin_kernel.bionty.public.errors import TermNotFound
from lamin_kernel.bionty.public.results import InspectResult, Lookup, StandardizedList
from lamin_kernel.bionty.public.sources import Source, find_source
from lamin_kernel.errors import FieldValidationError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


class PublicOntology:
    """A public ontology release: `bt.CellType.public()` returns one.

    The table is loaded on first use (from the parquet cache once it exists);
    deprecated terms are kept apart and only shown when asked for.
    """

    def __init__(
        self,
        entity: str,
        organism: str | None = None,
        source: str | Source | None = None,
        version: str | None = None,
    ) -> None:
        spec = (
            source if isinstance(source, Source) else find_source(entity, organism, source, version)
        )
        self._source = spec
        self.entity = spec.entity_name
        self.organism = spec.organism
        self.source = spec.name
        self.version = spec.version

    # --- the table -----------------------------------------------------------------

    @functools.cached_property
    def _full(self) -> pd.DataFrame:
        return loader.load_table(self._source)

    @functools.cached_property
    def _current(self) -> pd.DataFrame:
        df = self._full
        if "deprecated" in df.columns:
            df = df[~df["deprecated"].astype(bool)].drop(columns="deprecated")
        return df

    @property
    def table(self) -> pd.DataFrame:
        """The current terms as loaded (shared, not a copy: read it, do not change it)."""
        return self._current

    def terms(self, ids: list[str]) -> pd.DataFrame:
        """The rows of these ids (deprecated terms included; unknown ids left out)."""
        df = self._full
        return df[df.index.isin(ids)]

    @property
    def id_field(self) -> str:
        """The field that identifies a term: ontology_id, ensembl_gene_id or uniprotkb_id."""
        return self._current.index.name

    @property
    def name_field(self) -> str:
        """The field that names a term: symbol for Gene, name otherwise."""
        return "symbol" if "symbol" in self._current.columns else "name"

    @property
    def source_info(self) -> dict[str, str]:
        """The source row (entity, organism, name, version, description, url, ...)."""
        return self._source.to_dict()

    def to_dataframe(self, include_deprecated: bool = False) -> pd.DataFrame:
        """All terms as a DataFrame indexed by the id field (a copy, safe to change)."""
        return (self._full if include_deprecated else self._current).copy()

    def _field(self, field: str | None) -> str:
        if field is None or (field == "name" and self.name_field != "name"):
            field = self.name_field
        if field in ("ontology_id", self.id_field):
            return self.id_field
        if field not in self._current.columns:
            known = ", ".join([self.id_field, *self._current.columns])
            raise FieldValidationError(f"{self.entity} has no field {field!r}; fields: {known}")
        return field

    # --- search and lookup ---------------------------------------------------------------

    @functools.cached_property
    def _search_index(self) -> matching.SearchIndex:
        df = self._current
        return matching.SearchIndex.build(df[self.name_field], df.get("synonyms"))

    def search(self, term: str, limit: int | None = None) -> pd.DataFrame:
        """Terms matching term, best first, with a `score` column (100 is exact)."""
        df = self._current
        lengths = df[self.name_field].str.len().fillna(0).to_numpy()
        rows, scores = matching.rank(self._search_index, lengths, term)
        if limit is not None:
            rows, scores = rows[:limit], scores[:limit]
        result = df.iloc[rows].copy()
        result["score"] = scores
        return result

    def lookup(self, field: str | None = None) -> Lookup:
        """Terms as attributes of normalized names (`.b_cell`), or items by name."""
        field = self._field(field)
        df = self._current
        record = namedtuple(self.entity, [self.id_field, *df.columns])  # type: ignore[misc]
        records = map(record._make, df.itertuples(name=None))
        keys = curate.field_column(df, field)
        return Lookup(zip(keys, records, strict=True), self.entity)

    # --- validation -------------------------------------------------------------------------

    def validate(self, values: Any, field: str | None = None) -> np.ndarray:
        """A bool array: which values are exactly in the field (default: the name field)."""
        return curate.validate(self._current, values, self._field(field))

    def _standard_map(self, field: str, case_sensitive: bool) -> curate.StandardMap:
        maps = self.__dict__.setdefault("_standard_maps", {})
        if (field, case_sensitive) not in maps:
            use_synonyms = field == self.name_field
            maps[field, case_sensitive] = curate.StandardMap.build(
                self._current, field, use_synonyms, case_sensitive
            )
        return maps[field, case_sensitive]

    def inspect(self, values: Any, field: str | None = None) -> InspectResult:
        """Which values validate; `synonyms_mapper` maps the others' synonyms and case variants."""
        field = self._field(field)
        return curate.inspect(values, self._current, field, self._standard_map(field, False))

    def standardize(
        self,
        values: Any,
        field: str | None = None,
        return_field: str | None = None,
        case_sensitive: bool = False,
    ) -> StandardizedList | Any:
        """Map synonyms and case variants to the field's standard values; unknowns stay.

        Returns a list (with `.non_standardized`), or one value for a single str.
        """
        field = self._field(field)
        convert = None
        if return_field is not None and self._field(return_field) != field:
            df = self._current
            keys = curate.field_column(df, field)
            convert = curate.first_wins(keys, curate.field_column(df, self._field(return_field)))
        result = curate.standardize(values, self._standard_map(field, case_sensitive), convert)
        return result[0] if isinstance(values, str) else result

    # --- terms and hierarchy ----------------------------------------------------------

    def get(self, name: str | None = None, ontology_id: str | None = None) -> dict[str, Any]:
        """One term as a dict, by exact name (else its case variant) or by id."""
        if (name is None) == (ontology_id is None):
            raise TypeError("get() takes exactly one of name= or ontology_id=")
        df = self._current
        if ontology_id is not None:
            if ontology_id not in df.index:
                raise TermNotFound(self._missing_id_message(ontology_id))
            return {self.id_field: ontology_id, **df.loc[ontology_id].to_dict()}
        names = df[self.name_field]
        hits = df.index[names == name]
        if len(hits) == 0:
            hits = df.index[names.str.lower() == name.lower()]
        if len(hits) == 0:
            raise TermNotFound(self._missing_name_message(name))
        return self.get(ontology_id=hits[0])

    def parents(self, ontology_id: str) -> list[str]:
        """The direct parents of a term."""
        return list(self.get(ontology_id=ontology_id).get("parents") or [])

    @functools.cached_property
    def _parent_map(self) -> dict[str, list[str]]:
        df = self._full
        if "parents" not in df.columns:
            return {}
        return dict(zip(df.index, df["parents"], strict=True))

    def ancestors(self, ontology_id: str) -> set[str]:
        """Every ancestor of a term (parents, their parents, ...)."""
        self.get(ontology_id=ontology_id)
        seen: set[str] = set()
        stack = list(self._parent_map.get(ontology_id, []))
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(self._parent_map.get(parent, []))
        return seen

    def _missing_name_message(self, name: str) -> str:
        choices = [n for n in self._current[self.name_field] if isinstance(n, str)]
        near = ", ".join(repr(n) for n in matching.closest(name, choices))
        return (
            f"{name!r} is not a {self.name_field} in {self.entity} ({self.source} {self.version}). "
            f"Closest: {near}. Try .search({name!r})."
        )

    def _missing_id_message(self, ontology_id: str) -> str:
        where = f"{self.entity} ({self.source} {self.version})"
        if ontology_id in self._full.index:
            return (
                f"{ontology_id!r} is deprecated (obsolete) in {where}; "
                "use to_dataframe(include_deprecated=True) to see it."
            )
        near = ", ".join(repr(i) for i in matching.closest(ontology_id, list(self._current.index)))
        return f"{ontology_id!r} is not an {self.id_field} in {where}. Closest: {near}."

    # --- display ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"PublicOntology\nEntity: {self.entity}\nOrganism: {self.organism}\n"
            f"Source: {self.source}, {self.version}\n#terms: {len(self._current)}"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("Entity", self.entity),
            ("Organism", self.organism),
            ("Source", f"{self.source}, {self.version}"),
            ("#terms", str(len(self._current))),
        ]
        cells = "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        return f'<div class="lk-public-ontology"><b>PublicOntology</b><table>{cells}</table></div>'
