"""`db info` and `db check`: what a database holds and whether it is sound."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from llmkb.store.schema_version import stored_revision

COUNTED = ("paper", "tag", "model", "dataset", "metric", "result")


@dataclass
class DbInfo:
    path: Path
    revision: str | None
    size_bytes: int
    counts: dict[str, int]


def info(conn: sqlite3.Connection, path: Path) -> DbInfo:
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    return DbInfo(path, stored_revision(conn), path.stat().st_size, counts)


def check(conn: sqlite3.Connection) -> list[str]:
    """Problems found (empty when the database is sound): SQLite's own check, foreign keys, the FTS index."""
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    for row in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{row[0]} row {row[1]} points to a missing {row[2]}")
    try:
        conn.execute("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index: {exc}")
    papers = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
    indexed = conn.execute("SELECT count(*) FROM paper_fts").fetchone()[0]
    if papers != indexed:
        problems.append(f"full-text index has {indexed} rows for {papers} papers")
    return problems
