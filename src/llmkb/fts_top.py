"""The best papers of a full-text match by bm25, ranked on both cores when the match is huge.

FTS5 computes bm25 for every matching row before it can sort: at a million papers a common word such as
"quantization" matches 120,000 of them, and ranking them is most of the search. bm25's statistics (the number
of rows, their average length, how many rows have the word) are the whole index's whichever rows a query
reads, so the best rows below and above the middle matching row ID, merged by score, are exactly the best
rows of the whole. A forked child (`llmkb.forked`) ranks the upper half while this process ranks the lower.
The middle is the middle match, not the middle row ID: lists are imported topic by topic, so matches bunch
together.

When the child cannot run or fails, this process ranks the upper half too; the answer is the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from llmkb import forked
from llmkb.store.connection import file_uri

SPLIT_FROM = 20_000
"""Matches from which a second process pays for itself (forking and finding the middle cost a few ms)."""

Scored = list[tuple[int, float]]


def best_matches(conn: sqlite3.Connection, expression: str, weights: str, limit: int) -> list[int]:
    """Row IDs of the `limit` best rows matching `expression` (negative: all), bm25 order, then row ID."""
    ranked = f"SELECT rowid, bm25(paper_fts, {weights}) AS score FROM paper_fts WHERE paper_fts MATCH ?"
    split = _split(conn, expression, limit)
    if split is None:
        return [row[0] for row in conn.execute(f"{ranked} ORDER BY score, rowid LIMIT ?", (expression, limit))]
    path, middle = split
    lower = f"{ranked} AND rowid < ? ORDER BY score, rowid LIMIT ?"
    upper = f"{ranked} AND rowid >= ? ORDER BY score, rowid LIMIT ?"
    child = _rank_in_child(path, upper, (expression, middle, limit))
    try:
        scored = _scored(conn.execute(lower, (expression, middle, limit)))
    except BaseException:
        if child is not None:
            child.stop()
        raise
    theirs = _collect(child)
    scored += _scored(conn.execute(upper, (expression, middle, limit))) if theirs is None else theirs
    scored.sort(key=lambda row: (row[1], row[0]))
    return [rowid for rowid, _score in scored[:limit]]


def _scored(rows: Iterable[Sequence[Any]]) -> Scored:
    return [(int(row[0]), float(row[1])) for row in rows]


def _split(conn: sqlite3.Connection, expression: str, limit: int) -> tuple[str, int] | None:
    """The database file and the middle matching row ID; None when one process should rank every match."""
    if limit < 0 or not forked.AVAILABLE:
        return None
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:  # an in-memory database: a child could not open it
        return None
    total = conn.execute("SELECT count(*) FROM paper_fts WHERE paper_fts MATCH ?", (expression,)).fetchone()[0]
    if total < SPLIT_FROM:
        return None
    middle = "SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?"
    return path, conn.execute(middle, (expression, total // 2)).fetchone()[0]


def _rank_in_child(path: str, sql: str, params: tuple) -> forked.Child | None:
    """A child process that sends the rows of `sql`, read through its own connection; None if none started."""

    def rank(send: forked.Send) -> None:
        conn = sqlite3.connect(file_uri(Path(path), "ro"), uri=True)
        send(conn.execute(sql, params).fetchall())

    return forked.fork(rank)


def _collect(child: forked.Child | None) -> Scored | None:
    """The child's rows once it has ended well; None if it failed or never started."""
    if child is None:
        return None
    try:
        rows = child.receive()
    except EOFError:
        rows = None
    return _scored(rows) if child.finish() and rows is not None else None
