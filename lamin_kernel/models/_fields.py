"""Column helpers shared by the registries: uids, timestamps, the common foreign keys.

Every helper returns a fresh Field (no shared Column objects), so mixins can use them.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, String, Text
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def uid_field(length: int) -> Any:
    return Field(default=None, sa_type=String(length), unique=True, index=True)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False, index=True
    )


def dt_field(index: bool = False) -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), index=index, nullable=True)


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),
        nullable=True,
        sa_column_kwargs={"onupdate": utcnow},
    )


def fk(
    target: str,
    *,
    nullable: bool = True,
    default: Any = None,
    index: bool = True,
    ondelete: str | None = None,
) -> Any:
    """A foreign key column to `target` (for example 'lk_run.id')."""
    kwargs: dict[str, Any] = {"ondelete": ondelete} if ondelete else {}
    return Field(default=default, foreign_key=target, nullable=nullable, index=index, **kwargs)


def text_field(index: bool = False) -> Any:
    return Field(default=None, sa_type=Text, index=index)


def str_field(length: int = 255, index: bool = False, column: str | None = None) -> Any:
    extra = {"sa_column_kwargs": {"name": column}} if column else {}
    return Field(default=None, sa_type=String(length), index=index, **extra)


def bigint_field(index: bool = False) -> Any:
    return Field(default=None, sa_type=BigInteger, index=index)


def json_field(column: str | None = None) -> Any:
    extra = {"sa_column_kwargs": {"name": column}} if column else {}
    return Field(default=None, sa_type=JSON, nullable=True, **extra)
