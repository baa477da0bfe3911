"""Record.from_dataframe(): a DataFrame's rows as new records of a type, saved together.

Each row becomes a record of the type: its name from the name column (or, for a sheet whose
schema has an index feature, from that feature: the index or a column of its name), its
feature values from the other columns (missing cells are left out).
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..setup import other_instances
from ..setup.session import write_transaction
from .orm_internals import loaded_values_before, restore_new_records
from .pending import clear_pending, get_pending, set_pending
from .persist import is_new, save_records
from .record_list import SQLRecordList
from .sheets import index_name, schema_index


def check_frame(df: Any) -> None:
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError("`df` needs to be a pandas DataFrame.")


def check_batch_type(record_type: Any) -> None:
    if not getattr(record_type, "is_type", False):
        raise InvalidArgument("`type` needs to be a record type (`is_type=True`).")
    if record_type.name is None:
        raise InvalidArgument("`type` needs to have a non-null `name`.")


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def rows_of(df: Any, index_feature: Any | None) -> list[dict[str, Any]]:
    """The rows as dicts; an index named after the index feature becomes a column."""
    frame = df
    if index_feature is not None and df.index.name == index_feature.name:
        frame = df.reset_index()
    return frame.to_dict(orient="records")


class RecordBatch:
    """The records made from a DataFrame for one type; `.save()` saves them and their values."""

    def __init__(self, model: type, df: Any, record_type: Any, name_field: str) -> None:
        check_frame(df)
        check_batch_type(record_type)
        self._model = model
        self._df = df
        self._type = record_type
        self._name_field = name_field
        self._records: list[Any] | None = None

    def __len__(self) -> int:
        return len(self._df)

    def __repr__(self) -> str:
        return f"RecordBatch({len(self)} records of type '{self._type.name}')"

    @property
    def type(self) -> Any:
        return self._type

    def records(self) -> list[Any]:
        """The unsaved records, one per row (made once)."""
        if self._records is None:
            self._records = [self._record(row) for row in self._rows()]
        return self._records

    def _rows(self) -> list[dict[str, Any]]:
        return rows_of(self._df, schema_index(self._type.schema))

    def _record(self, row: dict[str, Any]) -> Any:
        index_feature = schema_index(self._type.schema)
        name = None
        if index_feature is not None and index_feature.name in row:
            value = row.pop(index_feature.name)
            name = None if _missing(value) else index_name(value, index_feature)
        for column in (self._name_field, "name"):
            if column in row:
                value = row.pop(column)
                if name is None and not _missing(value):
                    name = value
                break
        features = {k: v for k, v in row.items() if not _missing(v)}
        # features= is always given: a row is a new record even if its name exists
        return self._model(name=name, type=self._type, features=features or None)

    def save(self, using: str | None = None) -> SQLRecordList:
        """Save every record with its feature values, all or none; returns them as a list.

        `using` saves them into another instance, which must hold the type already.
        """
        records = self.records()
        with other_instances.using_instance(using) as target:
            if target is not None:
                self._check_type_lives_on(target, str(using))
            save_all_or_nothing(records)
        return SQLRecordList(records)

    def _check_type_lives_on(self, target: Any, using: str) -> None:
        home = other_instances.connection_of(self._type)
        if home is not None and home.settings.slug == target.settings.slug:
            return
        where = "the connected instance" if home is None else f"instance '{home.settings.slug}'"
        raise InvalidArgument(
            f"Cannot save this batch to instance '{using}': its record type "
            f"'{self._type.name}' lives on {where}. Pass a type of '{using}' "
            f"(type=ln.DB('{using}').Record.get(name=...)) or create the type there first."
        )


def save_all_or_nothing(records: list[Any]) -> None:
    """Save records and their feature values in one write transaction. If any fails,
    nothing is written and the records are unsaved again, with the feature values they
    were given, so that the same records can be saved once the cause is fixed."""
    new = [record for record in records if is_new(record)]
    pendings = [get_pending(record) for record in new]
    snapshots = loaded_values_before(new)
    try:
        with write_transaction():
            save_records(records)
    except BaseException:
        restore_new_records(new, snapshots)
        for record, pending in zip(new, pendings, strict=True):
            if pending is None:
                clear_pending(record)
            else:
                set_pending(record, pending)
        raise
