"""Q objects: lookups combined with |, & and ~ (as in Django)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from sqlalchemy import and_, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from .lookups import build_condition


@runtime_checkable
class FilterExpression(Protocol):
    """What filter() takes besides keyword lookups: Q objects, feature predicates."""

    def to_condition(self, model: type) -> ColumnElement: ...


class Q:
    """A tree of lookups; `Q(a=1) | ~Q(b__in=[2, 3])`."""

    AND = "AND"
    OR = "OR"

    def __init__(
        self, *children: Q, _connector: str = "AND", _negated: bool = False, **lookups: Any
    ) -> None:
        self.children: list[Any] = list(children) + sorted(lookups.items())
        self.connector = _connector
        self.negated = _negated

    def _combine(self, other: Any, connector: str) -> Q:
        if not isinstance(other, FilterExpression):
            raise TypeError(f"cannot combine Q with {type(other).__name__}")
        return Q(self, other, _connector=connector)

    def __or__(self, other: Q) -> Q:
        return self._combine(other, self.OR)

    def __and__(self, other: Q) -> Q:
        return self._combine(other, self.AND)

    def __invert__(self) -> Q:
        return Q(self, _negated=True)

    def to_condition(self, model: type) -> ColumnElement:
        """The SQL condition of this tree for `model`."""
        parts = [
            child.to_condition(model)
            if isinstance(child, FilterExpression)
            else build_condition(model, *child)
            for child in self.children
        ]
        if not parts:
            condition: ColumnElement = true()
        elif len(parts) == 1:
            condition = parts[0]
        else:
            condition = and_(*parts) if self.connector == self.AND else or_(*parts)
        return not_(condition) if self.negated else condition

    def __repr__(self) -> str:
        inner = f" {self.connector} ".join(repr(c) for c in self.children)
        return f"{'~' if self.negated else ''}Q({inner})"
