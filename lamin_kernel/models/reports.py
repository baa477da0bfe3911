"""Validation reports: one row per validation, passed or failed, kept with its run and artifact."""

from typing import Any, ClassVar

from sqlmodel import Field, SQLModel

from ._fields import created_at_field, fk, json_field, uid_field


class ValidationReport(SQLModel, table=True):
    """What a validation found, per slot and feature (the JSON the validation panel reads)."""

    __tablename__ = "lk_validation_report"
    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord\'s
    __lk_uid_length__: ClassVar[int] = 16

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(16)
    passed: bool = Field(default=False, index=True)
    slots: Any = json_field()
    artifact_id: int | None = fk("lk_artifact.id", ondelete="SET NULL")
    run_id: int | None = fk("lk_run.id", ondelete="SET NULL")
    schema_id: int | None = fk("lk_schema.id", ondelete="SET NULL")
    created_by_id: int | None = fk("lk_user.id", index=False)
    created_at: Any = created_at_field()
