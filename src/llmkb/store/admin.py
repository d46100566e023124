"""`db info` and `db check`: what a database holds and whether it is sound."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from llmkb.errors import LlmkbError
from llmkb.store.schema_version import stored_revision

COUNTED = ("paper", "tag", "model", "dataset", "metric", "result")
MAX_REPORTED = 50  # lines of SQLite's integrity report shown; the rest are counted

# What the migrations add beyond the SQLModel tables: the full-text index and the triggers that keep it
# in step with paper, paper_tag and tag. Without a trigger, search silently stops seeing changes.
FTS_TABLES = ("paper_fts", "paper_fts_vocab")
FTS_TRIGGERS = (
    "paper_fts_insert",
    "paper_fts_update",
    "paper_fts_delete",
    "paper_tag_fts_insert",
    "paper_tag_fts_delete",
    "tag_fts_rename",
)


@dataclass
class DbInfo:
    path: Path
    revision: str | None
    size_bytes: int
    counts: dict[str, int]


def info(conn: sqlite3.Connection, path: Path) -> DbInfo:
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    return DbInfo(path, stored_revision(conn), path.stat().st_size, counts)


def _sqlite_text(exc: BaseException) -> str:
    """SQLite's own words for a failure (the one-line llmkb error wraps them for other commands)."""
    if isinstance(exc, LlmkbError) and isinstance(exc.__cause__, sqlite3.Error):
        exc = exc.__cause__
    return str(exc) or type(exc).__name__


def expected_schema() -> dict[str, set[str]]:
    """Table name -> column names, from the SQLModel models (imported here only: `db check` is the one
    read command that loads SQLAlchemy)."""
    from sqlmodel import SQLModel

    import llmkb.store.schema  # noqa: F401  (registers the tables)

    return {table.name: {column.name for column in table.columns} for table in SQLModel.metadata.sorted_tables}


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Tables, columns, full-text tables and triggers the models and migrations define but the file lacks."""
    problems = []
    query = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')"
    present = {(row[0], row[1]) for row in conn.execute(query)}
    tables = {name for kind, name in present if kind == "table"}
    for table, columns in sorted(expected_schema().items()):
        if table not in tables:
            problems.append(f"table {table} is missing")
            continue
        have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        missing = sorted(columns - have)
        if missing:
            problems.append(f"table {table} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    problems += [f"full-text table {name} is missing" for name in FTS_TABLES if name not in tables]
    triggers = {name for kind, name in present if kind == "trigger"}
    problems += [
        f"trigger {name} is missing (the search index would miss changes)"
        for name in FTS_TRIGGERS
        if name not in triggers
    ]
    return problems


def _fts_integrity(conn: sqlite3.Connection) -> None:
    """FTS5's own check. It is an INSERT to SQLite, so a read-only file is checked in a copy in memory."""
    target = conn
    if getattr(conn, "read_only", False):
        target = sqlite3.connect(":memory:")
        conn.backup(target)
    try:
        target.execute("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        if target is not conn:
            target.close()


def check(conn: sqlite3.Connection) -> list[str]:
    """Problems found (empty when the database is sound): SQLite's own check, the schema against the
    models, foreign keys, the FTS index. A check SQLite cannot even run is itself a problem."""
    problems: list[str] = []

    def run(label: str, step: Callable[[], list[str] | None]) -> bool:
        try:
            found = step() or []
        except sqlite3.DatabaseError as exc:
            problems.append(f"{label}: {_sqlite_text(exc)}")
            return False
        problems.extend(found)
        return not found

    def integrity() -> list[str]:
        found = [line for row in conn.execute("PRAGMA integrity_check") for line in str(row[0]).splitlines()]
        found = [line for line in found if line != "ok"]
        if len(found) > MAX_REPORTED:
            found = [*found[:MAX_REPORTED], f"and {len(found) - MAX_REPORTED} more problems SQLite found"]
        return found

    run("the file is damaged", integrity)
    schema_sound = run("the schema cannot be read", lambda: schema_problems(conn))

    def foreign_keys() -> list[str]:
        rows = conn.execute("PRAGMA foreign_key_check")
        return [f"{row[0]} row {row[1]} points to a missing {row[2]}" for row in rows]

    run("foreign keys cannot be checked", foreign_keys)
    if not schema_sound:
        return problems  # the index checks below need the tables

    run("full-text index", lambda: _fts_integrity(conn))

    def counts() -> list[str]:
        papers = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM paper_fts").fetchone()[0]
        return [f"full-text index has {indexed} rows for {papers} papers"] if papers != indexed else []

    run("full-text index", counts)
    return problems
