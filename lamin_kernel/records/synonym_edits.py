"""add_synonym, remove_synonym and set_abbr on a record whose registry has those fields.

Synonyms are stored "|"-joined in one text column, so a synonym cannot contain "|". A
synonym already used by another record of the registry is refused (ValidationError) unless
forced, since standardize() could then not tell the records apart.
"""

from __future__ import annotations

from typing import Any, Literal

from ..errors import ValidationError
from ..query.queryset import QuerySet
from .persist import is_new, save_record

SEPARATOR = "|"


def _as_set(synonym: Any) -> list[str]:
    """The synonyms passed: a str or a list; "" and [""] mean none."""
    if isinstance(synonym, str):
        return [synonym] if synonym else []
    items = [s for s in dict.fromkeys(synonym) if s != ""]
    return items


def split(synonyms: str | None) -> list[str]:
    return [s for s in (synonyms or "").split(SEPARATOR) if s]


def _owners(record: Any, synonyms: list[str]) -> dict[str, list[Any]]:
    """Other records of the registry that already list one of these synonyms."""
    model = type(record)
    owners: dict[str, list[Any]] = {}
    for synonym in synonyms:
        candidates = QuerySet(model).filter(synonyms__contains=synonym)
        if record.id is not None:
            candidates = candidates.exclude(id=record.id)
        for other in candidates:
            if synonym in split(other.synonyms):
                owners.setdefault(synonym, []).append(other)
    return owners


def edit_synonyms(
    record: Any,
    synonym: Any,
    action: Literal["add", "remove"],
    force: bool = False,
    save: bool | None = None,
) -> None:
    """Add or remove synonyms; saves at once when the record is already in the registry."""
    wanted = _as_set(synonym)
    if not wanted:
        return
    if any(SEPARATOR in s for s in wanted):
        raise ValidationError("a synonym can't contain '|'!")
    present = split(record.synonyms)
    if action == "add":
        if not force:
            owners = _owners(record, wanted)
            if owners:
                names = ", ".join(
                    f"{s!r} ({', '.join(repr(getattr(o, 'name', o.uid)) for o in found)})"
                    for s, found in owners.items()
                )
                raise ValidationError(
                    f"you are trying to assign a synonym to record: {record}\n"
                    f"    input synonyms already associated with other records: {names}\n"
                    "    → consider removing the synonym from existing records or using a "
                    "different synonym."
                )
        present = list(dict.fromkeys([*present, *wanted]))
    else:
        present = [s for s in present if s not in set(wanted)]
    record.synonyms = SEPARATOR.join(present) or None
    if save is None:
        save = not is_new(record)
    if save:
        save_record(record)


def set_abbr(record: Any, value: str) -> None:
    """Set the abbreviation; it also becomes a synonym unless it is the record's name."""
    record.abbr = value
    if getattr(record, "name", None) != value and "synonyms" in type(record).model_fields:
        edit_synonyms(record, value, "add", save=False)
    if not is_new(record):
        save_record(record)
