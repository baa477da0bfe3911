"""Mixins of the registries whose records nest under types or form ontologies.

HasType: `type` / `is_type` (Record, ULabel, Feature, Schema, Project, Reference).
HasParents: `parents` / `children` through a link table (Record, ULabel, Project).
The work is done in `records/type_tree.py` and `records/parents.py`.
"""

from __future__ import annotations

from typing import Any, Self

from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..records import deleted_records, type_spaces, type_tree
from ..records import parents as parents_mod
from ..records.hierarchy_view import HierarchyView
from ..setup.session import write_transaction


class HasType:
    """Records grouped under a `type` of the same registry; a type is made with is_type=True."""

    def query_types(self) -> list[Any]:
        """The type, its type, and so on up to the root (the nearest first)."""
        return type_tree.query_types(self)

    def _query_typed(self, depth: int | None = None) -> QuerySet:
        return type_tree.query_typed(self, depth)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Save, after checking that the type is a type and makes no cycle, and that the
        record is in its type's single space, if the type has one."""
        type_tree.check_type_assignment(self)
        type_spaces.apply_single_space(self, is_new=getattr(self, "id", None) is None)
        return super().save(*args, **kwargs)  # type: ignore[misc]

    @property
    def settings(self) -> type_spaces.SQLRecordSettings:
        """Settings of a type: `settings.single_space` (saved with the type)."""
        return type_spaces.SQLRecordSettings(self)

    def delete(self, permanent: bool | None = None, **kwargs: Any) -> Any:
        """Delete; moving a type to the trash moves the records grouped under it, too."""
        if deleted_records.deleted_already(self):
            return None
        deleted_records.refuse_deleted(self, "delete")
        if not (getattr(self, "is_type", False) and getattr(self, "id", None) is not None):
            return super().delete(permanent=permanent, **kwargs)  # type: ignore[misc]
        if permanent or getattr(self, "branch_id", 1) == -1:
            return super().delete(permanent=permanent, **kwargs)  # type: ignore[misc]
        with write_transaction() as session:
            type_tree.trash_typed(session, type(self), self.id)
        return super().delete(permanent=permanent, **kwargs)  # type: ignore[misc]


class HasParents:
    """Records in an ontology: `parents`, `children` and walks over them."""

    def query_parents(self) -> QuerySet:
        """Every ancestor, not only the direct parents."""
        return parents_mod.query_relatives(self, "parents")

    def query_children(self) -> QuerySet:
        """Every descendant, not only the direct children."""
        return parents_mod.query_relatives(self, "children")

    def view_parents(
        self, field: Any = None, with_children: bool = False, distance: int = 5
    ) -> HierarchyView:
        """The ancestors up to `distance` (and the children) as a graph: SVG in a notebook,
        an indented tree in a terminal."""
        return parents_mod.view_parents(self, field, distance, with_children=with_children)

    def view_children(self, field: Any = None, distance: int = 5) -> HierarchyView:
        """The descendants up to `distance` as a graph."""
        return parents_mod.view_parents(
            self, field, distance, with_parents=False, with_children=True
        )


EMOJI_KEY = "ei"  # where LaminDB keeps the emoji in `_aux`


class HasEmoji:
    """`record.emoji`: an emoji shown with a type, label or branch (kept in `_aux`, the `aux`
    field of the registries that have it)."""

    @property
    def emoji(self) -> str | None:
        """The emoji, or None. Assign a string to set it (saved with `.save()`), None or a
        blank string to remove it."""
        aux = getattr(self, "aux", None)
        value = aux.get(EMOJI_KEY) if isinstance(aux, dict) else None
        return (value.strip() or None) if isinstance(value, str) else None

    @emoji.setter
    def emoji(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise InvalidArgument(f"emoji must be a str or None, got {type(value).__name__}")
        current = getattr(self, "aux", None)
        aux = dict(current) if isinstance(current, dict) else {}
        emoji = value.strip() if value is not None else ""
        if emoji:
            aux[EMOJI_KEY] = emoji
        else:
            aux.pop(EMOJI_KEY, None)
        self.aux = aux or None  # type: ignore[attr-defined] # a new dict: the change is saved
