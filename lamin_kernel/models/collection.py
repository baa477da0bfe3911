"""Collection: an ordered, versioned set of artifacts."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlmodel import Field, Relationship

from ..records import lineage
from ..records.related import RelatedList
from ._fields import fk, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .links import CollectionArtifact, RunInputCollection

if TYPE_CHECKING:
    from .artifact import Artifact
    from .transform import Run


class Collection(TrackedFields, SQLRecord, table=True):
    """An ordered set of artifacts, hashed over its members and versioned by key."""

    __tablename__ = "lk_collection"
    __lk_uid_length__: ClassVar[int] = 20
    __lk_versioned__: ClassVar[bool] = True
    __lk_name_field__: ClassVar[str | None] = "key"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("key", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(20)
    key: str | None = str_field(1024, index=True)
    description: str | None = text_field()
    hash: str | None = str_field(22, index=True)
    reference: str | None = str_field(255)
    reference_type: str | None = str_field(25)
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    meta_artifact_id: int | None = fk("lk_artifact.id")

    artifacts: list["Artifact"] = Relationship(
        back_populates="collections",
        link_model=CollectionArtifact,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    input_of_runs: list["Run"] = Relationship(
        back_populates="input_collections",
        link_model=RunInputCollection,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Collection.run_id]", "viewonly": True}
    )

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)
