"""Write a new alembic migration by comparing the models with a database at the current head.

Usage: python scripts/make_migration.py "message" REVISION_ID [--split-foreign-keys]

--split-foreign-keys moves the foreign keys of newly created tables out of create_table, so
tables that reference each other in cycles can be created on PostgreSQL (the keys are added
after all tables exist) and on SQLite (inline, which SQLite accepts in any order).
Review the generated file (autogenerate misses renames), then set HEAD_REVISION in
lamin_kernel/db/migrate.py.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command

from lamin_kernel import models
from lamin_kernel.db.engine import make_engine
from lamin_kernel.db.migrate import MIGRATIONS_DIR, alembic_config

FK_HELPERS = """
# Foreign keys are kept apart from the tables: the registries reference each other in cycles
# (artifact -> run -> artifact), which PostgreSQL can only create after all tables exist,
# while SQLite can only declare them inline.
FOREIGN_KEYS = [
{rows}]


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _inline_foreign_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    if not _is_sqlite():
        return []
    return [
        sa.ForeignKeyConstraint(cols, refs, ondelete=ondelete)
        for t, cols, refs, ondelete in FOREIGN_KEYS
        if t == table
    ]


def _add_foreign_keys_after() -> None:
    if _is_sqlite():
        return
    for i, (table, cols, refs, ondelete) in enumerate(FOREIGN_KEYS):
        ref_table = refs[0].split(".")[0]
        op.create_foreign_key(f"fk_{{table}}_{{cols[0]}}_{{i}}", table, ref_table, cols,
                              [r.split(".")[-1] for r in refs], ondelete=ondelete)


"""


def split_foreign_keys(text: str) -> str:
    """Rewrite create_table calls so foreign keys are added per dialect (see module doc)."""
    out, fks, table = [], [], None
    for line in text.split("\n"):
        created = re.match(r"\s*op\.create_table\('(\w+)',", line)
        if created:
            table = created.group(1)
        fk = re.match(r"\s*sa\.ForeignKeyConstraint\((\[.*?\]), (\[.*?\]),? ?(.*)\),\s*$", line)
        if fk and table:
            cols, refs, rest = fk.groups()
            ondelete = re.search(r"ondelete='(\w+)'", rest)
            fks.append((table, eval(cols), eval(refs), ondelete.group(1) if ondelete else None))
            continue
        if table and re.match(r"\s*sa\.PrimaryKeyConstraint\(", line):
            out.append(line.rstrip(",") + ",")
            out.append(f"    *_inline_foreign_keys('{table}'),")
            continue
        out.append(line)
    text = "\n".join(out)
    rows = "".join(f"    ({t!r}, {c!r}, {r!r}, {o!r}),\n" for t, c, r, o in fks)
    start = text.index("def upgrade()")
    text = text[:start] + FK_HELPERS.format(rows=rows).lstrip("\n") + text[start:]
    return text.replace(
        "    # ### end Alembic commands ###",
        "    _add_foreign_keys_after()\n    # ### end Alembic commands ###",
        1,
    )


def main() -> None:
    message, revision_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        config = alembic_config(engine)
        command.upgrade(config, "head")
        config.attributes["target_metadata"] = models.SQLRecord.metadata
        script = command.revision(config, message=message, autogenerate=True, rev_id=revision_id)
    path = (
        Path(script.path)
        if script is not None
        else next((MIGRATIONS_DIR / "versions").glob(f"{revision_id}_*.py"))
    )
    text = path.read_text().replace("sqlmodel.sql.sqltypes.AutoString", "sa.String")
    text = text.replace("import sqlmodel\n", "")
    if "--split-foreign-keys" in sys.argv:
        text = split_foreign_keys(text)
    path.write_text(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
