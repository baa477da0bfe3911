"""Source: the public ontology (name and version) that records of a registry come from."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional, Self

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship

from ..models._fields import fk, str_field, text_field, uid_field, updated_at_field
from ..models.base import SQLRecord, TrackedFields
from ..query.queryset import QuerySet

if TYPE_CHECKING:
    from ..models.artifact import Artifact


class Source(TrackedFields, SQLRecord, table=True):
    """A public ontology release, e.g. entity bionty.CellType, name cl, version 2026-03-26.

    An instance with the bionty module has one row per installed public source; the
    `currently_used` row of an entity (and organism) is the one its registry uses.
    `bt.CellType.add_source(...)` adds others, also from any table (`dataframe_artifact`).
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
    dataframe_artifact_id: int | None = fk("lk_artifact.id")
    updated_at: Any = updated_at_field()

    dataframe_artifact: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Source.dataframe_artifact_id]"}
    )

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Save; a row saved as currently used makes the other releases of its source unused."""
        super().save(*args, **kwargs)
        if self.currently_used:
            same = {"entity": self.entity, "organism": self.organism, "name": self.name}
            others = QuerySet(Source).filter(branch_id__gte=-1, currently_used=True, **same)
            for other in others.exclude(id=self.id):
                other.currently_used = False
                super(Source, other).save()
        return self
