"""The best papers of a full-text match by bm25, ranked on both cores when the match is huge.

FTS5 computes bm25 for every matching row before it can sort: at a million papers a common word such as
"quantization" matches 120,000 of them, and ranking them is most of the search. bm25's statistics (the number
of rows, their average length, how many rows have the word) are the whole index's whichever rows a query
reads, so the best rows below and above the middle matching row ID, merged by score, are exactly the best
rows of the whole. A forked child ranks the upper half while this process ranks the lower. (Threads would
gain nothing: SQLite serialises its memory allocator across the connections of a process. And the middle is
the middle match, not the middle row ID: lists are imported topic by topic, so matches bunch together.)

When the child cannot run or fails, this process ranks the upper half too; the answer is the same.
"""

from __future__ import annotations

import marshal
import os
import signal
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from llmkb.store.connection import file_uri

SPLIT_FROM = 20_000
"""Matches from which a second process pays for itself (forking and finding the middle cost a few ms)."""

Scored = list[tuple[int, float]]
Child = tuple[int, int]  # process ID, read end of its pipe


def best_matches(conn: sqlite3.Connection, expression: str, weights: str, limit: int) -> list[int]:
    """Row IDs of the `limit` best rows matching `expression` (negative: all), bm25 order, then row ID."""
    ranked = f"SELECT rowid, bm25(paper_fts, {weights}) AS score FROM paper_fts WHERE paper_fts MATCH ?"
    split = _split(conn, expression, limit)
    if split is None:
        return [row[0] for row in conn.execute(f"{ranked} ORDER BY score, rowid LIMIT ?", (expression, limit))]
    path, middle = split
    lower = f"{ranked} AND rowid < ? ORDER BY score, rowid LIMIT ?"
    upper = f"{ranked} AND rowid >= ? ORDER BY score, rowid LIMIT ?"
    child = _fork_ranking(path, upper, (expression, middle, limit))
    try:
        scored = _scored(conn.execute(lower, (expression, middle, limit)))
    except BaseException:
        _abandon(child)
        raise
    theirs = _collect(child)
    scored += _scored(conn.execute(upper, (expression, middle, limit))) if theirs is None else theirs
    scored.sort(key=lambda row: (row[1], row[0]))
    return [rowid for rowid, _score in scored[:limit]]


def _scored(rows: Iterable[Sequence[Any]]) -> Scored:
    return [(int(row[0]), float(row[1])) for row in rows]


def _split(conn: sqlite3.Connection, expression: str, limit: int) -> tuple[str, int] | None:
    """The database file and the middle matching row ID; None when one process should rank every match."""
    if limit < 0 or sys.platform != "linux":
        return None
    bounded = "SELECT count(*) FROM (SELECT 1 FROM paper_fts WHERE paper_fts MATCH ? LIMIT ?)"
    if conn.execute(bounded, (expression, SPLIT_FROM)).fetchone()[0] < SPLIT_FROM:
        return None
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:  # an in-memory database: a child could not open it
        return None
    total = conn.execute("SELECT count(*) FROM paper_fts WHERE paper_fts MATCH ?", (expression,)).fetchone()[0]
    middle = "SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?"
    return path, conn.execute(middle, (expression, total // 2)).fetchone()[0]


def _fork_ranking(path: str, sql: str, params: tuple) -> Child | None:
    """A child that writes the rows of `sql` down a pipe and exits; None if none could start."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: touches nothing it inherited, and leaves without the parent's clean-up
        status = 1
        try:
            os.close(read)
            conn = sqlite3.connect(file_uri(Path(path), "ro"), uri=True)
            rows = conn.execute(sql, params).fetchall()
            with os.fdopen(write, "wb") as out:
                out.write(marshal.dumps(rows))
            status = 0
        except BaseException:  # noqa: BLE001, S110 - the parent ranks this half itself
            pass
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: Child | None) -> Scored | None:
    """The child's rows once it has ended well; None if it failed or never started."""
    if child is None:
        return None
    pid, read = child
    status = 1
    try:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
    finally:
        with suppress(ChildProcessError):
            _pid, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return _scored(marshal.loads(data))
    except (EOFError, ValueError, TypeError):
        return None


def _abandon(child: Child | None) -> None:
    """Stop and reap the child when this process gives up (Ctrl-C, a database error)."""
    if child is None:
        return
    pid, read = child
    os.close(read)
    with suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)
