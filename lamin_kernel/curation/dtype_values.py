"""Single feature values against their dtype: checked and made JSON-ready, read back, ordered.

Dates and date-times are stored as ISO strings; `sort_number` gives numbers, dates and
date-times one sortable float, the column range queries use.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .dtypes import TZ_DATETIME, Dtype


def is_numeric_kind(kind: str) -> bool:
    return kind in ("int", "float", "num")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) or _numpy_kind(value) in "iu"


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float) or _numpy_kind(value) == "f"


def _numpy_kind(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    return getattr(dtype, "kind", "-") if getattr(value, "shape", None) == () else "-"


def _as_python_datetime(value: Any) -> Any:
    to_py = getattr(value, "to_pydatetime", None)  # pandas Timestamp
    if to_py is not None:
        return to_py()
    if _numpy_kind(value) == "M":  # numpy datetime64 scalar
        import pandas as pd

        return pd.Timestamp(value).to_pydatetime()
    return value


def _iso(value: Any, kind: str, coerce: bool) -> str:
    value = _as_python_datetime(value)
    if isinstance(value, str):
        if not coerce:
            raise ValueError(f"is a string, not a {kind} (set coerce=True to parse ISO strings)")
        try:
            parsed: Any = (
                dt.date.fromisoformat(value) if kind == "date" else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            raise ValueError(f"is not an ISO {kind} string") from None
        return parsed.isoformat()
    if kind == "date" and isinstance(value, dt.datetime) and coerce:
        return value.date().isoformat()
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.isoformat()
    if kind == "datetime" and isinstance(value, dt.date) and coerce:
        return dt.datetime(value.year, value.month, value.day).isoformat()
    raise ValueError(f"is not a {kind}")


def check_value(dtype: Dtype, value: Any, coerce: bool = True) -> Any:
    """The JSON-ready form of one non-categorical value; ValueError says why it does not fit.

    Dates and date-times are stored as ISO strings; a string is parsed as one only with
    `coerce` (LaminDB refuses '2024-01-01' for a date feature unless it coerces).
    """
    kind = dtype.kind
    if kind == "list":
        if not isinstance(value, list | tuple) and not hasattr(value, "tolist"):
            raise ValueError("is not a list")
        assert dtype.inner is not None
        items = value.tolist() if hasattr(value, "tolist") else value
        return [check_value(dtype.inner, v, coerce) for v in items]
    if kind in ("str", "cat", "url", "path"):
        if not isinstance(value, str):
            raise ValueError("is not a string")
        if kind == "url" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
            raise ValueError("is not a URL (scheme://...)")
        return value
    if kind == "int":
        if _is_int(value):
            return int(value)
        if _is_number(value) and float(value).is_integer():
            return int(value)
        raise ValueError("is not an integer")
    if kind in ("float", "num"):
        if not _is_number(value):
            raise ValueError("is not a number")
        return float(value) if kind == "float" or not _is_int(value) else int(value)
    if kind == "bool":
        if isinstance(value, bool) or _numpy_kind(value) == "b":
            return bool(value)
        raise ValueError("is not a bool")
    if kind in ("date", "datetime"):
        return _iso(value, kind, coerce)
    if kind == TZ_DATETIME:
        value = _as_python_datetime(value)
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("is not a time-zone aware datetime")
        return value.astimezone(dt.UTC).isoformat()
    if kind == "dict":
        if not isinstance(value, dict):
            raise ValueError("is not a dict")
        return value
    if kind == "object":
        return value
    raise ValueError(f"has unknown dtype {kind}")


def read_value(dtype: Dtype, value: Any) -> Any:
    """A stored JSON value as Python reads it: dates as dates, floats as floats."""
    kind = dtype.kind
    if kind == "list" and isinstance(value, list) and dtype.inner is not None:
        return [read_value(dtype.inner, v) for v in value]
    if not isinstance(value, str | int) or isinstance(value, bool):
        return value
    try:
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if kind in ("datetime", TZ_DATETIME) and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if kind == "float" and isinstance(value, int):
        return float(value)
    return value


def sort_number(dtype: Dtype, value: Any) -> float | None:
    """A number that orders the stored value (numbers, dates, date-times), or None."""
    kind = dtype.kind
    if kind in ("int", "float", "num") and _is_number(value):
        return float(value)
    if not isinstance(value, str):
        return None
    try:
        if kind == "date":
            return float(dt.date.fromisoformat(value).toordinal())
        if kind in ("datetime", TZ_DATETIME):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return moment.timestamp()
    except ValueError:
        return None
    return None
