"""CanCurate, HasSynonyms, HasAbbr: the validation methods of LaminDB's curatable registries.

`validate`, `inspect`, `standardize` and `from_values` are class methods: called on a
record they raise TypeError, as LaminDB's do. The work is done in `records/` (can_curate,
from_values, synonym_edits); a registry adapts it by overriding `_curation_scope` (which
records count, which public source backs them) and `_public_records` (bionty).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import MethodType
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar

from ..query.queryset import QuerySet
from ..records import can_curate, synonym_edits
from ..records import from_values as from_values_mod
from ..records.can_curate import CurationScope, StandardizeOptions
from ..records.inspect_result import InspectResult
from ..records.record_list import SQLRecordList

if TYPE_CHECKING:
    import numpy as np

P = ParamSpec("P")
R = TypeVar("R")


class strict_classmethod(Generic[P, R]):  # noqa: N801 - used like @classmethod
    """A class method that raises TypeError when reached through an instance."""

    def __init__(self, func: Callable[..., R]) -> None:
        self.func = func
        functools.update_wrapper(self, func)  # type: ignore[arg-type]

    def __get__(self, obj: Any, owner: type) -> Callable[P, R]:
        if obj is not None:
            name = owner.__name__
            raise TypeError(
                f"{name}.{self.func.__name__}() is a class method and must be called on the "
                f"{name} class, not on a {name} object"
            )
        return MethodType(self.func, owner)


class CanCurate:
    """validate / inspect / standardize / from_values against the records of a registry."""

    @classmethod
    def _curation_scope(
        cls,
        values: Any,
        field: Any,
        organism: Any,
        source: Any,
        strict_source: bool,
        base: QuerySet | None = None,
    ) -> CurationScope:
        """The records a call considers (all, or those of `base`); organism and source matter
        for bionty registries."""
        return CurationScope(base if base is not None else QuerySet(cls))

    @classmethod
    def _public_records(
        cls, scope: CurationScope, organism: Any, source: Any, mute: bool
    ) -> from_values_mod.PublicRecords | None:
        """How from_values() makes records for values the registry lacks (bionty only)."""
        return None

    @classmethod
    def _new_for_value(cls, kwargs: dict[str, Any], organism: Any) -> Any:
        """A record for one value, for from_values(create=True)."""
        return cls(**kwargs)

    @strict_classmethod
    def validate(
        cls,
        values: Any,
        field: Any = None,
        *,
        mute: bool = False,
        organism: Any = None,
        source: Any = None,
        strict_source: bool = False,
    ) -> np.ndarray:
        """A bool array: which values are exactly in the field (default: the name field)."""
        scope = cls._curation_scope(values, field, organism, source, strict_source)
        return can_curate.validate(scope, values, field, mute=mute)

    @strict_classmethod
    def inspect(
        cls,
        values: Any,
        field: Any = None,
        *,
        mute: bool = False,
        organism: Any = None,
        source: Any = None,
        from_source: bool = True,
        strict_source: bool = False,
    ) -> InspectResult:
        """Which values validate, and which of the others are synonyms or in a public source."""
        scope = cls._curation_scope(values, field, organism, source, strict_source)
        return can_curate.inspect(scope, values, field, mute=mute, from_source=from_source)

    @strict_classmethod
    def standardize(
        cls,
        values: Any,
        field: Any = None,
        *,
        return_field: Any = None,
        return_mapper: bool = False,
        case_sensitive: bool = False,
        mute: bool = False,
        from_source: bool = True,
        keep: Literal["first", "last", False] = "first",
        synonyms_field: str = "synonyms",
        organism: Any = None,
        source: Any = None,
        strict_source: bool = False,
    ) -> list[Any] | dict[Any, Any]:
        """Map synonyms and other casings to standard values (a dict with return_mapper)."""
        scope = cls._curation_scope(values, field, organism, source, strict_source)
        options = StandardizeOptions(
            return_field, return_mapper, case_sensitive, mute, from_source, keep, synonyms_field
        )
        return can_curate.standardize(scope, values, field, options)

    @strict_classmethod
    def from_values(
        cls,
        values: Any,
        field: Any = None,
        create: bool = False,
        organism: Any = None,
        source: Any = None,
        mute: bool = False,
    ) -> SQLRecordList:
        """Records for many values: existing ones, new ones with create=True (or, for bionty
        registries, from the public source); save them all with `.save()`."""
        scope = cls._curation_scope(values, field, organism, source, False)
        return from_values_mod.from_values(
            scope,
            values,
            field,
            create=create,
            mute=mute,
            make=lambda kwargs: cls._new_for_value(kwargs, organism),
            public_records=None if create else cls._public_records(scope, organism, source, mute),
        )


class HasSynonyms:
    """add_synonym / remove_synonym for registries with a `synonyms` field."""

    def add_synonym(self, synonym: Any, force: bool = False, save: bool | None = None) -> None:
        """Add synonyms (a str or a list); refused if another record has one, unless forced."""
        synonym_edits.edit_synonyms(self, synonym, "add", force=force, save=save)

    def remove_synonym(self, synonym: Any) -> None:
        """Remove synonyms (a str or a list)."""
        synonym_edits.edit_synonyms(self, synonym, "remove")


class HasAbbr:
    """set_abbr for registries with an `abbr` field."""

    def set_abbr(self, value: str) -> None:
        """Set the abbreviation; it is also added to the synonyms unless it is the name."""
        synonym_edits.set_abbr(self, value)
