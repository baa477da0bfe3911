"""Query parameters of the REST API, checked and converted; bad ones raise InvalidArgument (400)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import DoesNotExist, InvalidArgument

Query = dict[str, list[str]]

PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 50, 200
PAGE_MAX = 1_000_000
DEPTH_DEFAULT, DEPTH_MAX = 3, 10
PREVIEW_ROWS_DEFAULT, PREVIEW_ROWS_MAX = 20, 200
PREVIEW_OFFSET_MAX = 10**11
MAX_FILTERS, MAX_FILTER_LENGTH, MAX_SEARCH_LENGTH, MAX_COLUMNS = 20, 2000, 200, 100
FILTER_LOOKUPS = (
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "isnull",
)
DIRECTIONS = ("upstream", "downstream", "both")
_UID = re.compile(r"^[A-Za-z0-9]{1,64}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_KERNEL_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class FilterSpec:
    """One `field:lookup:value` filter as sent; its value is typed against the registry later."""

    field: str
    lookup: str
    value: str


@dataclass
class RecordQuery:
    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT
    sort: str | None = None
    search: str | None = None
    filters: list[FilterSpec] = field(default_factory=list)
    excludes: list[FilterSpec] = field(default_factory=list)
    columns: list[str] | None = None


def single(query: Query, name: str) -> str | None:
    """The one value of a parameter, or None when it is absent."""
    values = query.get(name) or []
    if len(values) > 1:
        raise InvalidArgument(f"parameter '{name}' is given {len(values)} times; give it once")
    return values[0] if values else None


def bounded_int(query: Query, name: str, default: int, low: int, high: int) -> int:
    text = single(query, name)
    if text is None or text == "":
        return default
    if not re.fullmatch(r"[+-]?\d{1,12}", text.strip()):
        raise InvalidArgument(f"parameter '{name}' must be an integer from {low} to {high}")
    value = int(text)
    if not low <= value <= high:
        raise InvalidArgument(f"parameter '{name}' must be from {low} to {high}, got {value}")
    return value


def uid(value: str, what: str = "uid") -> str:
    """A record uid from the URL: letters and digits only (no '/', '.', '%')."""
    if not _UID.match(value):
        raise InvalidArgument(f"invalid {what} {value[:80]!r}: uids are letters and digits")
    return value


def registry_name(value: str) -> str:
    """A registry name from the URL; anything but an identifier is an unknown registry (404)."""
    if not _NAME.match(value):
        raise DoesNotExist(f"unknown registry {value[:80]!r}")
    return value


def parse_filter(text: str) -> FilterSpec:
    """'suffix:exact:.parquet' -> FilterSpec; the value may hold further colons."""
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidArgument(f"a filter is limited to {MAX_FILTER_LENGTH} characters")
    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[0].strip():
        raise InvalidArgument(f"filter {text[:80]!r} is not of the form field:lookup:value")
    name, lookup, value = parts[0].strip(), parts[1].strip(), parts[2]
    if lookup not in FILTER_LOOKUPS:
        raise InvalidArgument(
            f"unknown lookup {lookup[:40]!r} in filter on '{name[:80]}'; "
            f"use one of {', '.join(FILTER_LOOKUPS)}"
        )
    return FilterSpec(name, lookup, value)


def _columns(text: str | None) -> list[str] | None:
    if text is None or not text.strip():
        return None
    names = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    if len(names) > MAX_COLUMNS:
        raise InvalidArgument(f"at most {MAX_COLUMNS} columns can be requested")
    return names


def record_query(query: Query) -> RecordQuery:
    """The parameters of GET registries/<name>/records."""
    filters = query.get("filter") or []
    excludes = query.get("exclude") or []
    if len(filters) + len(excludes) > MAX_FILTERS:
        raise InvalidArgument(
            f"at most {MAX_FILTERS} filters are allowed, got {len(filters) + len(excludes)}"
        )
    search = (single(query, "search") or "").strip() or None
    if search is not None and len(search) > MAX_SEARCH_LENGTH:
        raise InvalidArgument(f"search text is limited to {MAX_SEARCH_LENGTH} characters")
    sort = (single(query, "sort") or "").strip() or None
    return RecordQuery(
        page=bounded_int(query, "page", 1, 1, PAGE_MAX),
        page_size=bounded_int(query, "page_size", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX),
        sort=sort,
        search=search,
        filters=[parse_filter(f) for f in filters if f.strip()],
        excludes=[parse_filter(f) for f in excludes if f.strip()],
        columns=_columns(single(query, "columns")),
    )


def lineage_options(query: Query) -> tuple[str, int, bool]:
    """(direction, depth, cells) of GET lineage/<registry>/<uid>."""
    direction = single(query, "direction") or "both"
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {', '.join(DIRECTIONS)}")
    cells = (single(query, "cells") or "false").strip().lower()
    if cells not in ("true", "false", "1", "0"):
        raise InvalidArgument("parameter 'cells' must be true or false")
    depth = bounded_int(query, "depth", DEPTH_DEFAULT, 1, DEPTH_MAX)
    return direction, depth, cells in ("true", "1")


def preview_window(query: Query) -> tuple[int, int]:
    """(offset, rows) of GET artifacts/<uid>/preview: the first row (from 0) and the page size."""
    offset = bounded_int(query, "offset", 0, 0, PREVIEW_OFFSET_MAX)
    return offset, bounded_int(query, "rows", PREVIEW_ROWS_DEFAULT, 1, PREVIEW_ROWS_MAX)


def report_target(query: Query) -> tuple[str | None, str | None]:
    """(artifact uid, run uid) of GET validation-reports: exactly one of them."""
    artifact, run = single(query, "artifact"), single(query, "run")
    if (artifact is None) == (run is None):
        raise InvalidArgument("give exactly one of the parameters 'artifact' or 'run'")
    return (
        uid(artifact, "artifact uid") if artifact is not None else None,
        uid(run, "run uid") if run is not None else None,
    )


def notebook_target(query: Query) -> tuple[str | None, str | None]:
    """(kernel id, notebook path) of GET notebook-state: exactly one of them."""
    kernel_id, path = single(query, "kernel_id"), single(query, "path")
    if (kernel_id is None) == (path is None):
        raise InvalidArgument("give exactly one of the parameters 'kernel_id' or 'path'")
    if kernel_id is not None and not _KERNEL_ID.match(kernel_id):
        raise InvalidArgument("invalid kernel_id")
    if path is not None and (not path or "\x00" in path or len(path) > 4096):
        raise InvalidArgument("invalid notebook path")
    return kernel_id, path


def notebook_cells_target(query: Query) -> tuple[str, str | None]:
    """(notebook path, run uid or None) of GET notebook-cells."""
    path, run = single(query, "path"), single(query, "run")
    if path is None or not path or "\x00" in path or len(path) > 4096:
        raise InvalidArgument("give the notebook's path as the parameter 'path'")
    return path, (uid(run, "run uid") if run is not None else None)


MAX_BODY_NAMES = 100


def other_uid(query: Query, name: str) -> str:
    """A required uid parameter such as `against` or `other`."""
    value = single(query, name)
    if value is None:
        raise InvalidArgument(f"give the parameter '{name}' (a uid)")
    return uid(value, f"{name} uid")


def run_uids(query: Query) -> list[str]:
    """The repeated `run` parameter of GET compare-runs."""
    return [uid(value, "run uid") for value in query.get("run") or []]


def file_path(value: object) -> str:
    """A path relative to the server's root (from a query parameter or a JSON body)."""
    if not isinstance(value, str) or not value or "\x00" in value or len(value) > 4096:
        raise InvalidArgument("give 'path': a file path relative to the server's root")
    return value


def _names(body: dict, name: str) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) > MAX_BODY_NAMES
        or not all(isinstance(v, str) and v and len(v) <= 1000 for v in value)
    ):
        raise InvalidArgument(f"'{name}' must be a list of at most {MAX_BODY_NAMES} names")
    return value


def artifact_edit(body: object) -> dict:
    """The JSON body of PATCH artifacts/<uid>: known keys only, each of its type."""
    if not isinstance(body, dict) or not body:
        raise InvalidArgument(
            "send a JSON object with description, add_ulabels, remove_ulabels or trash"
        )
    unknown = sorted(set(body) - {"description", "add_ulabels", "remove_ulabels", "trash"})
    if unknown:
        raise InvalidArgument(f"unknown field '{unknown[0][:40]}' in the edit")
    edit: dict = {}
    if "description" in body:
        if body["description"] is not None and not isinstance(body["description"], str):
            raise InvalidArgument("description must be text or null")
        edit["description"] = body["description"]
    for name in ("add_ulabels", "remove_ulabels"):
        names = _names(body, name)
        if names is not None:
            edit[name] = [uid(n, "label uid") for n in names] if name == "remove_ulabels" else names
    if "trash" in body:
        if not isinstance(body["trash"], bool):
            raise InvalidArgument("trash must be true or false")
        edit["trash"] = body["trash"]
    return edit


RERUN_BODY = (
    'send {"run": "<run uid>", "check": true|false} or {"stale": "<artifact or collection '
    'key or uid>"}'
)


def rerun_request(body: object) -> tuple[str, str, bool]:
    """The JSON body of POST reruns: ("run", uid, check) or ("stale", key or uid, False)."""
    if not isinstance(body, dict) or set(body) - {"run", "stale", "check"}:
        raise InvalidArgument(RERUN_BODY)
    check = body.get("check", False)
    if not isinstance(check, bool):
        raise InvalidArgument(f"'check' must be true or false: {RERUN_BODY}")
    if ("run" in body) == ("stale" in body):
        raise InvalidArgument(f"name a run or a stale input, not both or neither: {RERUN_BODY}")
    if "run" in body:
        if not isinstance(body["run"], str):
            raise InvalidArgument(RERUN_BODY)
        return "run", uid(body["run"], "run uid"), check
    target = body["stale"]
    if not isinstance(target, str) or not target.strip() or len(target) > 1000:
        raise InvalidArgument(RERUN_BODY)
    if check:
        raise InvalidArgument("a stale rerun runs with the newest inputs: it takes no check")
    return "stale", target, False
