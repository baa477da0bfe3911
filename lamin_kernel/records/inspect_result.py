"""InspectResult (what `inspect()` returns) and the messages validate() and inspect() print.

The result has LaminDB's shape: `validated`, `non_validated`, `frac_validated` (a percentage),
`n_empty`, `n_unique`, `synonyms_mapper`, `df` (one row per value, a bool `__validated__`
column), and `result["validated"]` / `result["non_validated"]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import log
from .synonyms import is_missing

if TYPE_CHECKING:
    import pandas as pd

SHOWN = 10  # values quoted in a message before "..."


def quoted(values: Iterable[Any], limit: int = SHOWN) -> str:
    """'a', 'b', ... for messages, cut after `limit` values."""
    items = [f"'{v}'" for v in values]
    return ", ".join(items[:limit]) + (", ..." if len(items) > limit else "")


def unique_present(values: Iterable[Any]) -> list[Any]:
    """The distinct values in order, without None, NaN and empty strings."""
    return [v for v in dict.fromkeys(values) if v != "" and not is_missing(v)]


class InspectResult:
    """Which values validated, which did not, and how the others map to standard values."""

    def __init__(
        self,
        values: list[Any],
        matches: list[bool],
        synonyms_mapper: dict[Any, Any] | None = None,
    ) -> None:
        self._values = values
        self._matches = matches
        validated = [v for v, ok in zip(values, matches, strict=True) if ok]
        rejected = [v for v, ok in zip(values, matches, strict=True) if not ok]
        self._validated = unique_present(validated)
        self._non_validated = unique_present(rejected)
        self._n_unique = len(self._validated) + len(self._non_validated)
        self._n_empty = len(values) - self._n_unique if self._n_unique else 0
        self._synonyms_mapper: dict[Any, Any] = dict(synonyms_mapper or {})

    @property
    def validated(self) -> list[Any]:
        """The distinct values that are in the field."""
        return self._validated

    @property
    def non_validated(self) -> list[Any]:
        """The distinct values that are not in the field."""
        return self._non_validated

    @property
    def frac_validated(self) -> float:
        """The percentage of distinct values that validated (0 to 100; 0 for no values)."""
        if not self._n_unique:
            return 0
        return 100 - round(len(self._non_validated) / self._n_unique * 100, 1)

    @property
    def n_empty(self) -> int:
        """How many values were empty or repeated."""
        return self._n_empty

    @property
    def n_unique(self) -> int:
        """How many distinct non-empty values there were."""
        return self._n_unique

    @property
    def synonyms_mapper(self) -> dict[Any, Any]:
        """Non-validated value -> its standard value (a synonym or another casing)."""
        return self._synonyms_mapper

    @property
    def df(self) -> pd.DataFrame:
        """One row per value (the index) with a bool `__validated__` column."""
        import pandas as pd

        return pd.DataFrame({"__validated__": self._matches}, index=self._values)

    def __getitem__(self, key: str) -> list[Any]:
        if key in ("validated", "mapped"):
            return self.validated
        if key in ("non_validated", "not_mapped"):
            return self.non_validated
        raise KeyError("invalid key")

    def __repr__(self) -> str:
        return (
            f"InspectResult(validated={self.validated!r}, non_validated={self.non_validated!r}, "
            f"synonyms_mapper={self.synonyms_mapper!r})"
        )


def log_validation(result: InspectResult, field: str | None = None) -> None:
    """What validated and what did not, as LaminDB prints it."""
    where = f" for {field}" if field else ""
    if not result.n_unique and not result.n_empty:
        log.warning("input has zero length")
        return
    if result.n_empty:
        s = "" if result.n_unique == 1 else "s"
        empty = " is" if result.n_empty == 1 else "s are"
        if result.frac_validated < 100:
            log.warning(
                f"received {result.n_unique} unique term{s}, "
                f"{result.n_empty} empty/duplicated term{empty} ignored"
            )
    n_ok = len(result.validated)
    if n_ok:
        s, are = ("", "is") if n_ok == 1 else ("s", "are")
        log.success(f"{n_ok} unique term{s} ({result.frac_validated:.2f}%) {are} validated{where}")
    n_bad = len(result.non_validated)
    if n_bad:
        s, are = ("", "is") if n_bad == 1 else ("s", "are")
        log.warning(
            f"{n_bad} unique term{s} ({100 - result.frac_validated:.2f}%) {are} not "
            f"validated{where}: {quoted(result.non_validated)}"
        )
