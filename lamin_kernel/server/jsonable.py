"""Values from the database, pandas, pyarrow and numpy as plain JSON values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_BYTES_SHOWN = 64


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy: NaN and NaT become null, times ISO strings, numpy scalars Python."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if type(value).__name__ == "NaTType":
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC).isoformat()  # stored in UTC (SQLite drops the zone)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return jsonable(float(value))
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        suffix = "…" if len(data) > MAX_BYTES_SHOWN else ""
        return f"<{len(data)} bytes: {data[:MAX_BYTES_SHOWN].hex()}{suffix}>"
    if type(value).__module__ == "numpy":
        return jsonable(value.tolist() if hasattr(value, "tolist") else value.item())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):  # pandas Timestamp subclasses datetime; others alike
        return value.isoformat()
    return str(value)
