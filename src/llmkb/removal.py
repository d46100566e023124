"""Removing papers (`llmkb rm`): the paper with its tags, links and results, in one transaction.

What goes is counted first (`describe`, a read) so the command can ask before anything is written, and
counted again inside the transaction, so the report says what actually went. Tags left with no paper are
deleted, as untagging does; datasets, models and metrics stay (they belong to the vocabulary, not to a
paper).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_COUNTS = {
    "tags": "SELECT count(*) FROM paper_tag WHERE paper_id = ?",
    "links": "SELECT (SELECT count(*) FROM paper_dataset WHERE paper_id = ?1) + "
    "(SELECT count(*) FROM paper_model WHERE paper_id = ?1)",
    "results": "SELECT count(*) FROM result WHERE paper_id = ?",
}
# children before the paper, whatever the file's foreign-key settings
_DELETES = (
    "DELETE FROM result WHERE paper_id = ?",
    "DELETE FROM paper_dataset WHERE paper_id = ?",
    "DELETE FROM paper_model WHERE paper_id = ?",
    "DELETE FROM paper_tag WHERE paper_id = ?",
)
_ORPHAN_TAGS = "DELETE FROM tag WHERE papers = 0"  # no paper at or below it (`tag.papers`, kept by triggers)


@dataclass
class Removal:
    paper: str  # the ID a user saw
    title: str
    tags: int
    links: int
    results: int

    def summary(self) -> str:
        def n(count: int, what: str) -> str:
            return f"{count} {what}{'' if count == 1 else 's'}"

        return f"{n(self.tags, 'tag')}, {n(self.links, 'link')}, {n(self.results, 'result')}"


def _count(execute, rowid: int) -> tuple[int, int, int]:
    tags, links, results = (execute(sql, (rowid,)).fetchone()[0] for sql in _COUNTS.values())
    return tags, links, results


def describe(conn: sqlite3.Connection, rowids: Sequence[int]) -> list[Removal]:
    """What removing these papers would remove."""
    out = []
    for rowid in rowids:
        row = conn.execute("SELECT arxiv_id, title FROM paper WHERE id = ?", (rowid,)).fetchone()
        if row is None:
            continue
        tags, links, results = _count(conn.execute, rowid)
        out.append(Removal(row[0] or f"kb-{rowid}", row[1], tags, links, results))
    return out


def remove_papers(db: Path, rowids: Sequence[int]) -> list[Removal]:
    """Removes the papers and everything attached to them, all or nothing."""
    from sqlalchemy import text

    from llmkb.store.write_session import write_session

    removed: list[Removal] = []
    with write_session(db) as session:
        raw = session.connection().exec_driver_sql

        def execute(sql: str, params: tuple):
            return raw(sql, params)

        watch = raw("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'watch_paper'").first()
        for rowid in dict.fromkeys(rowids):
            row = raw("SELECT arxiv_id, title FROM paper WHERE id = ?", (rowid,)).first()
            if row is None:
                continue
            tags, links, results = _count(execute, rowid)
            for sql in _DELETES:
                raw(sql, (rowid,))
            if watch:
                raw("DELETE FROM watch_paper WHERE paper_id = ?", (rowid,))
            session.execute(text("DELETE FROM paper WHERE id = :id"), {"id": rowid})
            removed.append(Removal(row[0] or f"kb-{rowid}", row[1], tags, links, results))
        raw(_ORPHAN_TAGS)
    return removed
