"""Migration heads per module, read from the version files without alembic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from lamin_kernel.db import migrate
from lamin_kernel.db.search_index import is_search_index_object


@pytest.fixture
def fresh_branches() -> Iterator[None]:
    migrate.branches.cache_clear()
    yield
    migrate.branches.cache_clear()


def write_revision(folder: Path, name: str, revision: str, down: str, extra: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(
        f'"""{name}"""\n\nrevision = "{revision}"\ndown_revision = {down}\n{extra}\n'
        "def upgrade() -> None:\n    pass\n"
    )


def test_heads_of_the_installed_branches_match_alembic(fresh_branches: None) -> None:
    found = migrate.branches()
    config = migrate.alembic_config(engine=None, modules=["bionty"])  # type: ignore[arg-type]
    script = ScriptDirectory.from_config(config)
    assert set(script.get_heads()) == {*found["core"].heads, *found["bionty"].heads}
    assert len(found["bionty"].heads) == 1  # one head, whichever revision is newest
    assert migrate.HEAD_REVISION == migrate.core_head() in found["core"].heads
    bionty = script.get_revision("bionty_0001")
    assert bionty.branch_labels == {"bionty"} and bionty.dependencies == "0001"


def test_several_heads_and_branches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_branches: None
) -> None:
    core, module = tmp_path / "core", tmp_path / "bionty"
    write_revision(core, "0001_a", "0001", "None")
    write_revision(core, "0002_b", "0002", "'0001'")
    write_revision(core, "0003_c", "0003", "'0001'")
    write_revision(core, "0004_merge", "0004", "('0002', '0003')")
    write_revision(module, "b1", "bionty_0001", "None", 'depends_on = "0001"')
    write_revision(module, "b2", "bionty_0002", '"bionty_0001"')
    monkeypatch.setattr(migrate, "VERSION_DIRS", {"core": core, "bionty": module})
    found = migrate.branches()
    assert found["core"].heads == ("0004",) and found["bionty"].heads == ("bionty_0002",)
    assert migrate.modules_of({"0004", "bionty_0001"}) == {"bionty"}
    assert migrate.modules_of({"0004"}) == set()
    (core / "0005_d.py").write_text('revision: str = "0005"\ndown_revision: str | None = "0004"\n')
    migrate.branches.cache_clear()
    assert migrate.branches()["core"].heads == ("0005",)
    write_revision(core, "0006_e", "0006", "'0004'")  # a second head
    migrate.branches.cache_clear()
    with pytest.raises(RuntimeError, match="2 heads"):
        migrate.core_head()


def test_unknown_modules_and_newer_databases_are_refused(fresh_branches: None) -> None:
    assert migrate.known_modules() == ["bionty"]
    with pytest.raises(migrate.InstanceNotSetupError, match="unknown module"):
        migrate.ensure_modules_current(engine=None, modules=["nope"])  # type: ignore[arg-type]


def bionty_object(obj: object, type_: str) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    name = getattr(table, "name", "")
    return name.startswith("lkbt_") and not is_search_index_object(name)


def model_name(name: str | None, type_: str, parents: dict) -> bool:
    """Search indexes are written by hand in migrations, not part of the models."""
    return not is_search_index_object(name or parents.get("table_name"))


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")  # the core's FK cycles
def test_bionty_models_match_their_migration(tmp_path: Path, fresh_branches: None) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import lamin_kernel.bionty  # noqa: F401 - defines the tables
    from lamin_kernel.db.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'heads.db'}")
    assert migrate.ensure_modules_current(engine, ["bionty"]).migrated
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_object": lambda obj, name, type_, *_: bionty_object(obj, type_),
                "include_name": model_name,
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []
