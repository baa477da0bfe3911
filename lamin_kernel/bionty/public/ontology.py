"""PublicOntology: one loaded release of a public ontology, searchable and validatable."""

from __future__ import annotations

import functools
import html
from collections import namedtuple
from typing import TYPE_CHECKING, Any

from lamin_kernel.bionty.public import curate, loader, matching
from lamin_kernel.bionty.public.errors import TermNotFound
from lamin_kernel.bionty.public.results import Lookup
from lamin_kernel.bionty.public.sources import Source, find_source
from lamin_kernel.errors import FieldValidationError
from lamin_kernel.records.inspect_result import InspectResult, log_validation
from lamin_kernel.records.synonyms import Keep, StandardMap, conversion, standardize_with

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

    @classmethod
    def from_frame(
        cls, entity: str, frame: pd.DataFrame, name: str, version: str, organism: str = "all"
    ) -> PublicOntology:
        """An ontology whose terms are a DataFrame (a source added with a reference table).

        The id column (ontology_id, ensembl_gene_id, ...) becomes the index if it is not.
        """
        spec = Source(
            entity=f"bionty.{entity}", organism=organism, name=name, version=version,
            description="", url="", source_website="", kind="frame", location="",
        )  # fmt: skip
        ontology = cls(entity, source=spec)
        table = frame.copy()
        for id_field in ("ontology_id", "ensembl_gene_id", "uniprotkb_id", "stable_id"):
            if id_field in table.columns and table.index.name != id_field:
                table = table.set_index(id_field)
                break
        if "description" in table.columns and "definition" not in table.columns:
            table = table.rename(columns={"description": "definition"})
        if "parents" in table.columns:
            table["parents"] = [list(p) if p is not None else [] for p in table["parents"]]
        ontology.__dict__["_full"] = table
        return ontology

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

    def df(self) -> pd.DataFrame:
        """Old name of to_dataframe()."""
        return self.to_dataframe()

    @property
    def fields(self) -> set[str]:
        """The fields of the terms: the id field and every column."""
        return {self.id_field, *self._current.columns}

    def _field(self, field: Any) -> str:
        field = getattr(field, "name", field) if not isinstance(field, str) else field
        field = getattr(field, "key", field)  # a registry field such as bt.CellType.name
        if field is None or (field == "name" and self.name_field != "name"):
            field = self.name_field
        if field in ("ontology_id", self.id_field):
            return self.id_field
        if field == "description" and "definition" in self._current.columns:
            return "definition"
        if field not in self._current.columns:
            known = ", ".join([self.id_field, *self._current.columns])
            raise FieldValidationError(f"{self.entity} has no field {field!r}; fields: {known}")
        return field

    def __getattr__(self, name: str) -> PublicOntologyField:
        """`public.name`, `public.ontology_id`: a field to pass as field=."""
        if name.startswith("_") or name in ("entity", "organism", "source", "version"):
            raise AttributeError(name)
        if name == self.id_field or name in self._current.columns:
            return PublicOntologyField(self, name)
        raise AttributeError(f"{type(self).__name__} of {self.entity} has no field {name!r}")

    # --- search and lookup ---------------------------------------------------------------

    def _search_index(self, field: str) -> matching.SearchIndex:
        indexes = self.__dict__.setdefault("_search_indexes", {})
        if field not in indexes:
            df = self._current
            texts = curate.column(df, field).astype(object)
            synonyms = df.get("synonyms") if field == self.name_field else None
            indexes[field] = matching.SearchIndex.build(texts, synonyms)
        return indexes[field]

    def search(
        self,
        string: str,
        *,
        field: Any = None,
        limit: int | None = None,
        case_sensitive: bool = False,
    ) -> pd.DataFrame:
        """Terms matching string, best first, with a `score` column (100 is exact).

        The name field and synonyms by default, or one field; case_sensitive=True keeps only
        terms whose text contains string in the same casing.
        """
        field = self._field(field)
        df = self._current
        texts = curate.column(df, field)
        lengths = texts.astype(str).str.len().fillna(0).to_numpy()
        rows, scores = matching.rank(self._search_index(field), lengths, string)
        result = df.iloc[rows].copy()
        result["score"] = scores
        if case_sensitive:
            hits = curate.column(result, field).astype(str).str.contains(string, regex=False)
            result = result[hits.to_numpy()]
        return result if limit is None else result.head(limit)

    def lookup(self, field: str | None = None) -> Lookup:
        """Terms as attributes of normalized names (`.b_cell`), or items by name."""
        field = self._field(field)
        df = self._current
        record = namedtuple(self.entity, [self.id_field, *df.columns])  # type: ignore[misc]
        records = map(record._make, df.itertuples(name=None))
        keys = curate.column(df, field)
        return Lookup(zip(keys, records, strict=True), self.entity)

    # --- validation (LaminDB's PublicOntology methods) -----------------------------------------

    def validate(self, values: Any, field: Any = None, *, mute: bool = False) -> np.ndarray:
        """A bool array: which values are exactly in the field (default: the name field)."""
        return curate.validate(self._current, values, self._field(field))

    def _standard_map(
        self,
        field: str,
        case_sensitive: bool = False,
        keep: Keep = "first",
        synonyms_field: str | None = "synonyms",
    ) -> StandardMap:
        maps = self.__dict__.setdefault("_standard_maps", {})
        use = synonyms_field if field == self.name_field else None
        key = (field, case_sensitive, keep, use)
        if key not in maps:
            maps[key] = StandardMap.build(self._current, field, use, case_sensitive, keep)
        return maps[key]

    def inspect(
        self, values: Any, field: Any = None, *, standardize: bool = True, mute: bool = False
    ) -> InspectResult:
        """Which values validate; `synonyms_mapper` maps others that are synonyms or other
        casings of the field's values (synonyms only for the name field)."""
        field = self._field(field)
        standard = self._standard_map(field) if standardize else None
        result = curate.inspect(values, self._current, field, standard)
        if not mute:
            log_validation(result, field)
        return result

    def standardize(
        self,
        values: Any,
        field: Any = None,
        *,
        return_field: Any = None,
        return_mapper: bool = False,
        case_sensitive: bool = False,
        mute: bool = False,
        keep: Keep = "first",
        synonyms_field: Any = "synonyms",
    ) -> list[Any] | dict[Any, Any]:
        """Synonyms and other casings mapped to the field's standard values; unknowns stay.

        A list in the order of the values, or with return_mapper=True a dict of the values
        that changed.
        """
        field = self._field(field)
        target = self._field(return_field) if return_field is not None else field
        standard = self._standard_map(field, case_sensitive, keep, str(synonyms_field))
        table = None
        if target != field:
            table = conversion(self._current, field, target, keep)
        result, mapper, _ = standardize_with(curate.as_list(values), standard, table)
        return mapper if return_mapper else result

    # what registry-level validation asks of a public source (records.can_curate.PublicReference)

    def validated(self, values: list[Any], field: str) -> list[Any]:
        """The values that are exactly in the field."""
        ok = self.validate(values, field, mute=True)
        return [v for v, good in zip(values, ok, strict=True) if good]

    def synonyms_mapper(self, values: list[Any], field: str) -> dict[Any, Any]:
        """Values that are synonyms or other casings -> the field's standard values."""
        return self.inspect(values, field, mute=True).synonyms_mapper

    def standardize_mapper(
        self,
        values: list[Any],
        field: str,
        return_field: str,
        case_sensitive: bool,
        keep: Keep,
        synonyms_field: str | None,
    ) -> dict[Any, Any]:
        """Value -> standard value in return_field, for the values this table maps."""
        field = self._field(field)
        target = self._field(return_field)
        standard = self._standard_map(field, case_sensitive, keep, synonyms_field)
        table = conversion(self._current, field, target, keep) if target != field else None
        _, mapper, _ = standardize_with(values, standard, table)
        return mapper

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


class PublicOntologyField:
    """A field of a public ontology (`public.name`), usable wherever field= is taken."""

    def __init__(self, parent: PublicOntology, name: str) -> None:
        self.parent = parent
        self.name = name

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__
