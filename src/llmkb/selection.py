"""Which papers a command covers as a whole (export), as a stream of row IDs in output order.

With a query the order is search's ranking, so the same words pick the same papers in the same order as
`llmkb search`, only without its default cap of 20. Without one it is every paper the filters let through,
newest first, read straight from a cursor: an export of the whole database holds the row IDs SQLite is
sorting, never the papers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from llmkb import fts
from llmkb.errors import UsageError
from llmkb.query import PaperFilter, where_clauses
from llmkb.search import ranked_ids
from llmkb.store.query_sql import PAPER_DATE


@dataclass
class Selection:
    ids: Iterator[int]  # consumed once
    corrections: list[fts.Correction] = field(default_factory=list)
    broadened: bool = False  # no paper had every query word; papers with any word were taken


def select_papers(conn: sqlite3.Connection, query: str | None, flt: PaperFilter, limit: int | None = None) -> Selection:
    """The papers matching `query` (ranked) or, without one, every paper passing `flt`, newest first."""
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    if fts.words(query or ""):
        hits = ranked_ids(conn, query, flt, limit)
        return Selection(iter(hits.ids), hits.corrections, hits.broadened)
    clauses, params = where_clauses(conn, flt)
    where = " AND ".join(clauses) if clauses else "1"
    cursor = conn.execute(
        f"SELECT p.id FROM paper p WHERE {where} ORDER BY {PAPER_DATE} DESC, p.id DESC LIMIT ?",
        [*params, -1 if limit is None else limit],
    )
    return Selection(row[0] for row in cursor)
