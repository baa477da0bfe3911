"""Source: the public ontology (name and version) that records of a registry come from."""

from typing import ClassVar

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from ..models._fields import str_field, text_field, uid_field, updated_at_field
from ..models.base import SQLRecord, TrackedFields


class Source(TrackedFields, SQLRecord, table=True):
    """A public ontology release, e.g. entity bionty.CellType, name cl, version 2026-03-26.

    Rows are made on first use from the installed sources (lamin_kernel.bionty.public).
    """

    __tablename__ = "lkbt_source"
    __table_args__ = (UniqueConstraint("entity", "name", "organism", "version"),)
    __lk_uid_length__: ClassVar[int] = 8
    __lk_module__: ClassVar[str] = "bionty"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("entity", "name", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(8)
    entity: str = Field(index=True, max_length=64)
    organism: str = Field(index=True, max_length=64)
    name: str = Field(index=True, max_length=64)
    version: str = Field(index=True, max_length=64)
    in_db: bool = Field(default=False, index=True)
    currently_used: bool = Field(default=False, index=True)
    description: str | None = text_field()
    url: str | None = text_field()
    md5: str | None = str_field(64)
    source_website: str | None = text_field()
    updated_at: object = updated_at_field()
