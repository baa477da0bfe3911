"""The bionty module of an instance: its migration branch, adding it later, and the clear
error of an instance that lacks it.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel import runtime
from lamin_kernel.db import migrate
from lamin_kernel.setup import instance as setup_instance

BIONTY_TABLES = {t for t in SQLModel.metadata.tables if t.startswith("lkbt_")}


def stamped(engine) -> set[str]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_instance_without_bionty_says_how_to_add_it(instance: dict) -> None:
    engine = runtime.connection().engine
    assert not BIONTY_TABLES & set(inspect(engine).get_table_names())
    assert stamped(engine) == {migrate.core_head()}
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    assert list(artifact.cell_types) == []  # nothing can be linked, so nothing is
    assert "Labels" not in artifact.describe(return_str=True)

    for attempt in (
        lambda: bt.CellType.filter().count(),
        lambda: bt.Gene.get(symbol="CD8A"),
        lambda: ln.Artifact.filter(cell_types__name="B cell").to_list(),
        lambda: bt.CellType.from_source(name="B cell"),
        lambda: bt.CellType(name="x").save(),
        lambda: bt.Gene.validate(["CD8A"]),
    ):
        with pytest.raises(ln.errors.InstanceNotSetupError) as error:
            attempt()
        message = str(error.value)
        assert "bionty" in message
        assert f"lamin init --storage {instance['storage']} --modules bionty" in message

    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    engine = runtime.connection().engine
    assert set(inspect(engine).get_table_names()) >= BIONTY_TABLES
    assert stamped(engine) == {migrate.core_head(), *migrate.branches()["bionty"].heads}
    assert setup_instance.describe_instance()["modules"] == ["bionty"]
    assert bt.CellType.filter().count() == 0
    artifact = ln.Artifact.get(key="a.parquet")
    artifact.cell_types.add(bt.CellType.from_source(name="B cell").save())
    assert ln.Artifact.filter(cell_types__name="B cell").count() == 1


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bionty_branch_migrates_and_reconnects_without_alembic(instance: dict) -> None:
    setup_instance.init(instance["storage"], db=instance["db"], modules="bionty")
    engine = runtime.connection().engine
    heads = {migrate.core_head(), "bionty_0001"}
    assert stamped(engine) == heads
    assert migrate.current_revision(engine) == migrate.HEAD_REVISION == migrate.core_head()
    assert migrate.modules_of(stamped(engine)) == {"bionty"}
    columns = {c["name"] for c in inspect(engine).get_columns("lkbt_celltype")}
    assert {"uid", "name", "ontology_id", "abbr", "synonyms", "description", "source_id"} <= columns
    # already current: one SELECT, no migration
    result = migrate.ensure_modules_current(engine)
    assert result == migrate.MigrationResult(False, frozenset({"bionty"}))
    # the module stays with the database, whatever the local settings say
    settings = runtime.connection().settings
    settings.modules = []
    setup_instance.connect(settings.slug)
    assert runtime.connection().extras["modules"] == ["bionty"]
    bt.CellType.from_source(name="T cell").save()
    assert bt.CellType.filter(name="T cell").count() == 1


def test_fresh_instance_with_bionty(tmp_path) -> None:
    runtime.reset()
    settings = setup_instance.init(str(tmp_path / "bt"), modules=["bionty"])
    assert settings.modules == ["bionty"]
    assert bt.Organism.from_source(name="mouse").save().scientific_name == "mus_musculus"
    runtime.reset()


def test_unknown_module_is_refused(tmp_path) -> None:
    with pytest.raises(ln.errors.InvalidArgument, match="unknown module"):
        setup_instance.init(str(tmp_path / "x"), modules=["biontyy"])
