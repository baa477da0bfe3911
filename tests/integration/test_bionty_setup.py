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
from lamin_kernel.db.search_index import is_search_index_object
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
    heads = {migrate.core_head(), *migrate.branches()["bionty"].heads}
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


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bionty_rows_made_before_the_source_rows_survive_the_upgrade(instance: dict) -> None:
    """An instance at bionty_0001 (Source rows made on first use) upgrades without loss: its
    rows stay, the installed sources are added, one currently used per source."""
    engine = runtime.connection().engine
    migrate.upgrade(engine, "bionty_0001", modules=["bionty"])
    version = bt.public.public("CellType").version  # the installed release, no database
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    common = {"now": now, "version": version}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO lkbt_source (uid, entity, organism, name, version, in_db, "
                "currently_used, is_locked, created_at, branch_id, created_on_id, space_id) "
                "VALUES ('oldsrc01', 'bionty.CellType', 'all', 'cl', :version, false, true, "
                "false, :now, 1, 1, 1)"
            ),
            common,
        )
        source_id = conn.execute(text("SELECT id FROM lkbt_source")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO lkbt_celltype (uid, name, ontology_id, source_id, is_locked, "
                "created_at, branch_id, created_on_id, space_id) VALUES ('oldcelltype001', "
                "'B cell', 'CL:0000236', :source, false, :now, 1, 1, 1)"
            ),
            {"now": now, "source": source_id},
        )
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    assert stamped(runtime.connection().engine) >= set(migrate.branches()["bionty"].heads)
    cell_type = bt.CellType.get(name="B cell")
    assert cell_type.uid == "oldcelltype001" and cell_type.source.uid == "oldsrc01"
    cl_rows = bt.Source.filter(entity="bionty.CellType").to_list()
    assert [r.uid for r in cl_rows] == ["oldsrc01"]  # the row it had is the one kept
    assert bt.Source.filter(entity="bionty.Gene", organism="human").one().currently_used
    used = bt.Source.filter(currently_used=True).to_list()
    keys = [(r.entity, r.organism, r.name) for r in used]
    assert len(keys) == len(set(keys))
    assert bt.Source.get(entity="bionty.CellType").dataframe_artifact_id is None


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")  # the core's FK cycles
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bionty_models_match_their_migrations(instance: dict) -> None:
    """Every change to the bionty registries comes with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])

    def is_bionty(obj: object, name: str, type_: str, *_: object) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = getattr(table, "name", "")
        return table_name.startswith("lkbt_") and not is_search_index_object(table_name)

    def is_model_object(name: str | None, type_: str, parents: dict) -> bool:
        return not is_search_index_object(name or parents.get("table_name"))

    with runtime.connection().engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": is_bionty, "include_name": is_model_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
