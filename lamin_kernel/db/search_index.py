"""The search index of a registry table: its DDL, called from migrations, for both databases.

SQLite: a contentless FTS5 table `<table>_fts` with the trigram tokenizer, one column per
searched field, kept current by three triggers on the table (insert, delete, update of the
fields), so rows written by any path, the ORM's flush or a Core bulk INSERT, are indexed.
Each value is stored between two sentinel characters (START, END): a field that begins with
the text then holds the trigram START + its first two characters, and an exact value holds
END after its last two, so exact and prefix matches are index lookups too, even for texts of
one or two characters. Synonym fields ("a|b|c") get the sentinels around every synonym.

PostgreSQL: one GIN index `ix_<table>_<field>_trgm` per field on
`'qx' || lower(field) || 'qx'` (`pg_trgm`, created here when missing; see trigram_expression). Where the extension cannot be created (not
installed, or no privilege) the indexes are skipped with a warning, and search falls back to
a bounded scan of the newest records.

A new registry gets its index with one line in its migration:
`create_search_indexes(op.get_bind(), {"lk_mytable": ("name", "description")})`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .. import log

START, END = "\x02", "\x03"
PG_SENTINEL = "qx"
SYNONYM_FIELD, SYNONYM_SEPARATOR = "synonyms", "|"
_SEARCH_OBJECT = re.compile(
    r"(_fts(_(data|idx|config|docsize|content))?|_fts_(insert|delete|update)|_trgm)$"
)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def fts_table(table: str) -> str:
    """The SQLite FTS5 table that indexes `table`."""
    return f"{table}_fts"


def trigram_index(table: str, field: str) -> str:
    """The PostgreSQL GIN index on `lower(field)` of `table`."""
    return f"ix_{table}_{field}_trgm"


def is_search_index_object(name: str | None) -> bool:
    """Whether a table or index name belongs to a search index (alembic's autogenerate and
    schema comparisons leave these alone: they are not in the models' metadata)."""
    return bool(name) and _SEARCH_OBJECT.search(name) is not None


def create_search_index(connection: Connection, table: str, fields: Sequence[str]) -> bool:
    """Create the search index of `table` over `fields` and fill it from the rows there.

    Returns False (with a warning) when the database cannot hold one: SQLite without FTS5,
    PostgreSQL without `pg_trgm`.
    """
    _check_names(table, fields)
    if connection.dialect.name == "sqlite":
        return _create_fts(connection, table, fields)
    return _create_trigram_indexes(connection, table, fields)


def create_search_indexes(connection: Connection, fields: Mapping[str, Sequence[str]]) -> None:
    """create_search_index for every table -> fields of a migration."""
    for table, table_fields in fields.items():
        create_search_index(connection, table, table_fields)


def drop_search_indexes(connection: Connection, fields: Mapping[str, Sequence[str]]) -> None:
    """drop_search_index for every table -> fields of a migration."""
    for table, table_fields in fields.items():
        drop_search_index(connection, table, table_fields)


def drop_search_index(connection: Connection, table: str, fields: Sequence[str]) -> None:
    """Remove what create_search_index made (the `pg_trgm` extension stays)."""
    _check_names(table, fields)
    if connection.dialect.name == "sqlite":
        for event in ("insert", "delete", "update"):
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{fts_table(table)}_{event}"'))
        connection.execute(text(f'DROP TABLE IF EXISTS "{fts_table(table)}"'))
        return
    for field in fields:
        connection.execute(text(f'DROP INDEX IF EXISTS "{trigram_index(table, field)}"'))


def _check_names(table: str, fields: Sequence[str]) -> None:
    bad = [n for n in (table, *fields) if not _IDENTIFIER.match(n)]
    if bad or not fields:
        raise ValueError(f"a search index needs a table and fields of plain names, got {bad}")


def indexed_value(field: str, row: str) -> str:
    """The SQL expression a trigger stores for `row.field` (`row` is new or old)."""
    value = f'{row}."{field}"'
    if field == SYNONYM_FIELD:
        value = f"replace({value}, '{SYNONYM_SEPARATOR}', char(3) || char(2))"
    return f"char(2) || {value} || char(3)"


def _fts_available(connection: Connection) -> bool:
    options = {row[0] for row in connection.execute(text("PRAGMA compile_options"))}
    return "ENABLE_FTS5" in options


def _create_fts(connection: Connection, table: str, fields: Sequence[str]) -> bool:
    if not _fts_available(connection):
        log.warning(f"SQLite has no FTS5: {table} is searched by a bounded scan")
        return False
    fts = fts_table(table)
    columns = ", ".join(f'"{f}"' for f in fields)
    connection.execute(
        text(
            f"CREATE VIRTUAL TABLE \"{fts}\" USING fts5({columns}, content='', "
            "columnsize=0, detail=full, tokenize='trigram')"
        )
    )

    def values(row: str) -> str:
        return ", ".join(indexed_value(f, row) for f in fields)

    insert = f'INSERT INTO "{fts}"(rowid, {columns}) VALUES (new.id, {values("new")});'
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {columns}) VALUES (\'delete\', old.id, {values("old")});'
    watched = ", ".join(f'"{f}"' for f in ("id", *fields))
    triggers = {
        "insert": f'AFTER INSERT ON "{table}" BEGIN {insert} END',
        "delete": f'AFTER DELETE ON "{table}" BEGIN {delete} END',
        "update": f'AFTER UPDATE OF {watched} ON "{table}" BEGIN {delete} {insert} END',
    }
    for event, body in triggers.items():
        connection.execute(text(f'CREATE TRIGGER "{fts}_{event}" {body}'))
    existing = values(f'"{table}"')
    connection.execute(
        text(f'INSERT INTO "{fts}"(rowid, {columns}) SELECT id, {existing} FROM "{table}"')
    )
    return True


def ensure_trigram_extension(connection: Connection) -> bool:
    """Create `pg_trgm` if it is missing; False (and the transaction still usable) if not."""
    installed = connection.execute(
        text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    ).first()
    if installed:
        return True
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception as exc:  # noqa: BLE001 - any refusal means: no trigram indexes
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        log.warning(
            f"PostgreSQL extension pg_trgm could not be created ({reason}): search works "
            "without trigram indexes, on a bounded window of the newest records"
        )
        return False
    return True


def merge_pending_entries(connection: Connection, table: str) -> None:
    """PostgreSQL: move the entries that inserts queued in the trigram indexes' pending lists
    into the indexes (a search reads a pending list whole). Called after bulk inserts."""
    if connection.dialect.name == "sqlite":
        return
    connection.execute(
        text(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = CAST(:t AS regclass) AND c.relname LIKE :pattern"
        ),
        {"t": table, "pattern": f"ix\\_{table}\\_%\\_trgm"},
    )


def _create_trigram_indexes(connection: Connection, table: str, fields: Sequence[str]) -> bool:
    if not ensure_trigram_extension(connection):
        return False
    for field in fields:
        connection.execute(
            text(
                f'CREATE INDEX IF NOT EXISTS "{trigram_index(table, field)}" ON "{table}" '
                f"USING gin (({trigram_expression(field, quote_name(field))}) gin_trgm_ops)"
            )
        )
    return True


def quote_name(name: str) -> str:
    return f'"{name}"'


def trigram_expression(field: str, column_sql: str) -> str:
    """PostgreSQL: the indexed form of a field, `qx<lowered value>qx` (every synonym so).

    pg_trgm indexes letters and digits only, so the sentinels are letters: a value that begins
    with the text holds the trigram "qx" + its first letter, an exact one ends in the text's
    last two letters + "q", which makes exact and prefix matches selective. A stored "qx" can
    make a false candidate, never a missed one; candidates are checked against the values.
    """
    lowered = f"lower({column_sql})"
    if field == SYNONYM_FIELD:
        lowered = f"replace({lowered}, '{SYNONYM_SEPARATOR}', '{PG_SENTINEL}{SYNONYM_SEPARATOR}{PG_SENTINEL}')"
    return f"'{PG_SENTINEL}' || {lowered} || '{PG_SENTINEL}'"
