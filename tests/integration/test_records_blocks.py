"""Blocks: standalone markdown blocks by key, readmes and comments attached to records, notes."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.models import Block, BranchBlock, RecordBlock, ULabelBlock


def test_block_with_the_same_content_or_an_empty_one_comes_back(instance: dict) -> None:
    first = Block(key="__lamindb_block__", content="1", kind="readme").save()
    assert Block(key="__lamindb_block__", content="1", kind="readme") is first
    first.delete()  # to the trash: no longer found
    again = Block(key="__lamindb_block__", content="1", kind="readme")
    assert again is not first and again.id is None
    empty = Block(key="__lamindb_record__", kind="readme").save()
    assert Block(key="__lamindb_record__", kind="readme") is empty
    assert Block(key="__lamindb_record__", content="now", kind="readme").stem_uid == (
        empty.stem_uid
    )


def test_block_versions_by_key_and_revises(instance: dict) -> None:
    v1 = Block(key="README.md", content="# v1", kind="readme").save()
    v2 = Block(key="README.md", content="# v2", kind="readme")
    assert v2.stem_uid == v1.stem_uid and v2.uid.endswith("0001") and len(v2.uid) == 20
    v2.save()
    v1.refresh_from_db()
    assert not v1.is_latest and v2.is_latest
    v3 = Block(content="# v3", revises=v2, version="3", kind="readme")
    assert (v3.key, v3.version, v3.uid[-4:]) == ("README.md", "3", "0002")
    assert v1.version == "0000"
    with pytest.raises(ValueError, match="already taken"):
        Block(content="# v4", revises=v3.save(), version="3", kind="readme")


def test_block_arguments_are_checked(instance: dict) -> None:
    with pytest.raises(ValueError, match="key must be one of RegistryId or README.md"):
        Block(key="notes.md", kind="readme")
    with pytest.raises(ValueError, match="Only kind = 'readme' is supported for block."):
        Block(key="README.md", content="x")
    with pytest.raises(ValueError, match="can be passed, but you passed: {'x': 1}"):
        Block(key="README.md", kind="readme", x=1)
    with pytest.raises(TypeError, match="`revises` has to be of type `Block`"):
        Block(key="README.md", kind="readme", revises=ln.Record(name="x"))
    with pytest.raises(ValueError, match="keyword arguments"):
        Block("README.md")
    assert Block.filter().count() == 0


def test_readme_versions_of_a_record_and_its_notes(instance: dict) -> None:
    record = ln.Record(name="described").save()
    assert record.notes is None
    v1 = RecordBlock(record=record, content="notes v1", kind="readme").save()
    assert record.notes == "notes v1"
    assert RecordBlock(record=record, content="notes v1", kind="readme") is v1  # same content
    v2 = RecordBlock(record=record, content="notes v2", kind="readme").save()
    v1.refresh_from_db()
    assert not v1.is_latest and v2.stem_uid == v1.stem_uid
    RecordBlock(record=record, content="a comment", kind="comment").save()
    assert record.notes == "notes v2"
    assert record.ablocks and {b.kind for b in record.ablocks} == {"readme", "comment"}
    assert v2.delete() == (1, {"lamindb.RecordBlock": 1})  # no trash: deleted for good
    assert record.notes == "notes v1"
    with pytest.raises(ValueError, match="Soft delete is not possible for RecordBlock"):
        v1.delete(permanent=False)


def test_comments_are_always_new_and_show_in_describe(instance: dict) -> None:
    record = ln.Record(name="commented").save()
    RecordBlock(record=record, content="# Overview\n\nSome text.", kind="readme").save()
    first = RecordBlock(record=record, content="same text", kind="comment").save()
    second = RecordBlock(record=record, content="same text", kind="comment")
    assert second.stem_uid != first.stem_uid
    with pytest.raises(ValueError, match="revises is not allowed for kind='comment'"):
        RecordBlock(record=record, content="x", kind="comment", revises=first)
    text = record.describe(return_str=True, include="comments")
    assert "Notes:" in text and "│ # Overview" in text
    assert "comment by anonymous at" in text and "same text" in text
    assert "comment by" not in record.describe(return_str=True)


def test_attached_block_arguments_are_checked(instance: dict) -> None:
    record = ln.Record(name="owner").save()
    with pytest.raises(ValueError, match="record is required for RecordBlock"):
        RecordBlock(content="x", kind="readme")
    with pytest.raises(ValueError, match="kind is required"):
        RecordBlock(record=record, content="x")
    with pytest.raises(ValueError, match="kind must be 'readme' or 'comment'"):
        RecordBlock(record=record, content="x", kind="issue")
    with pytest.raises(ValueError, match="can be passed"):
        RecordBlock(record=record, kind="readme", x=1)
    with pytest.raises(ValueError, match="save the Record"):
        RecordBlock(record=ln.Record(name="unsaved"), kind="readme")


def test_blocks_of_a_branch_and_of_a_label(instance: dict) -> None:
    branch = ln.Branch(name="notes-branch").save()
    assert branch.notes is None
    BranchBlock(branch=branch, content="branch notes", kind="readme").save()
    assert branch.notes == "branch notes"
    label = ln.ULabel(name="noted").save()
    ULabelBlock(ulabel=label, content="label notes", kind="readme").save()
    assert label.notes == "label notes"
    label.delete(permanent=True)
    assert ULabelBlock.filter().count() == 0  # blocks go with their record


def test_a_block_made_on_a_branch_moves_to_main_on_merge(instance: dict) -> None:
    main = ln.Branch.get(name="main")
    feature_branch = ln.Branch(name="block-branch").save()
    ln.setup.switch(feature_branch.name)
    record = ln.Record(name="drafted").save()
    block = RecordBlock(record=record, content="draft", kind="readme", branch=feature_branch).save()
    assert block.branch == feature_branch and block.created_on == feature_branch
    assert ln.models.Block(key="README.md", content="a", kind="readme").save().space.name == "all"

    ln.setup.switch(main.name)
    ln.setup.merge(feature_branch.name)
    block.refresh_from_db()
    assert block.branch.name == "main"
    assert block.created_on == feature_branch and record.notes == "draft"
