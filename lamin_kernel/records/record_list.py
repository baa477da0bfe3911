"""SQLRecordList: the ordered list of records that `from_values()` returns (LaminDB's name).

It is a plain list you can index, slice and compare with `==`, plus what LaminDB's has:
`.save()` saves every record in it (new ones in one bulk insert per registry),
`.to_dataframe()`, `.to_list(field)` and `.one()`. It cannot be queried.
"""

from __future__ import annotations

from collections import UserList
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from ..errors import DoesNotExist, InvalidArgument, MultipleResultsFound
from .persist import save_records
from .registry import model_info

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


class SQLRecordList(UserList, Generic[T]):
    """An ordered list of records with `.save()`, `.to_dataframe()`, `.to_list()`, `.one()`."""

    def __init__(self, records: Iterable[T] = ()) -> None:
        if isinstance(records, list):
            self.data = records  # no copy, like LaminDB's
        else:
            super().__init__(records)

    def save(self) -> Self:
        """Save every record: new ones in one bulk insert per registry, changed ones updated."""
        for record in self.data:
            if not hasattr(type(record), "__table__"):
                raise InvalidArgument(
                    f"SQLRecordList.save() got a {type(record).__name__}, not a record"
                )
        save_records(self.data)
        return self

    def to_dataframe(self) -> pd.DataFrame:
        """One row per record, one column per field of its registry (empty for no records)."""
        import pandas as pd

        if not self.data:
            return pd.DataFrame()
        columns = list(model_info(type(self.data[0])).columns)
        rows = [[getattr(record, c, None) for c in columns] for record in self.data]
        return pd.DataFrame(rows, columns=columns)

    def df(self) -> pd.DataFrame:
        """Old name of to_dataframe()."""
        return self.to_dataframe()

    def to_list(self, field: str | None = None) -> list[Any]:
        """The records, or the values of one of their fields."""
        if field is None:
            return self.data
        return [getattr(record, field) for record in self.data]

    def one(self) -> T:
        """The only record; DoesNotExist if there is none, MultipleResultsFound if several."""
        if not self.data:
            raise DoesNotExist("the list holds no record")
        if len(self.data) > 1:
            raise MultipleResultsFound(f"the list holds {len(self.data)} records, not one")
        return self.data[0]

    def __repr__(self) -> str:
        return f"SQLRecordList({self.data!r})"
