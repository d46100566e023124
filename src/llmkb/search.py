"""Ranked, typo-tolerant search over papers.

Order of business: words the index has never seen are corrected against its vocabulary; the words then go
to FTS5 (bm25, title and short name weighted highest, exact title hits first). If every word together finds
nothing, any word may match. Short queries are also matched against titles with rapidfuzz, which finds
"shortgtp" in "ShortGPT" when the index split it differently. Filters apply to all of it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from llmkb import fts
from llmkb.query import PaperFilter, where_clauses
from llmkb.store.query_sql import PAPER_DATE
from llmkb.store.records import records_for
from llmkb.thresholds import SEARCH_FUZZY_TITLE, SEARCH_SHORT_QUERY_WORDS
from llmkb.titles import title_key

# bm25 column weights: title, short_name, abstract, authors, note, tags
_WEIGHTS = "10.0, 10.0, 1.0, 3.0, 2.0, 4.0"


@dataclass
class SearchResult:
    records: list[dict]
    corrections: list[fts.Correction] = field(default_factory=list)
    broadened: bool = False  # no paper had every word; papers with any word are shown


@dataclass
class RankedIds:
    """Row IDs in ranking order, without the records: exports stream the records themselves."""

    ids: list[int]
    corrections: list[fts.Correction] = field(default_factory=list)
    broadened: bool = False


def search(conn: sqlite3.Connection, query: str | None, flt: PaperFilter, limit: int | None = 20) -> SearchResult:
    hits = ranked_ids(conn, query, flt, limit)
    return SearchResult(records_for(conn, hits.ids), hits.corrections, hits.broadened)


def ranked_ids(conn: sqlite3.Connection, query: str | None, flt: PaperFilter, limit: int | None = 20) -> RankedIds:
    """The papers `search` finds, best first; `limit=None` keeps every match."""
    clauses, params = where_clauses(conn, flt)
    sql_limit = -1 if limit is None else limit  # SQLite reads a negative LIMIT as "no limit"
    terms = fts.words(query or "")
    if not terms:
        return RankedIds(_newest(conn, clauses, params, sql_limit))
    named = _by_identifiers(conn, query or "", clauses, params)
    if named is not None:
        return RankedIds(named[:limit])

    terms, corrections = fts.correct_terms(conn, terms)
    ids = _ranked(conn, query or "", terms, clauses, params, sql_limit, any_term=False)
    broadened = False
    if not ids and len(terms) > 1:
        ids = _ranked(conn, query or "", terms, clauses, params, sql_limit, any_term=True)
        broadened = bool(ids)
    if (limit is None or len(ids) < limit) and len(terms) <= SEARCH_SHORT_QUERY_WORDS:
        seen = set(ids)
        for pid in _fuzzy_titles(conn, query or "", clauses, params):
            if pid not in seen:
                ids.append(pid)
                seen.add(pid)
        ids = ids[:limit]
    return RankedIds(ids, corrections, broadened)


def _by_identifiers(conn, query, clauses, params) -> list[int] | None:
    """Papers named by ID (`2106.09685 arXiv:1503.02531v2 kb-7`), in the order given; None if the query is
    not a list of identifiers, so full-text search takes it."""
    from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id

    arxiv, rowids = [], []
    for token in query.replace(",", " ").split():
        if token.lower().startswith("kb-") and token[3:].isdigit():
            rowids.append(int(token[3:]))
            continue
        try:
            arxiv.append(parse_arxiv_id(token).id)
        except InvalidArxivId:
            return None
    found: dict[tuple[str, object], int] = {}
    for column, values in (("arxiv_id", arxiv), ("id", rowids)):
        if values:
            marks = ",".join("?" * len(values))
            sql = f"SELECT p.id, p.{column} FROM paper p WHERE p.{column} IN ({marks}) AND {_where(clauses)}"
            for pid, key in conn.execute(sql, [*values, *params]):
                found[(column, key)] = pid
    ordered = [found.get(("arxiv_id", a)) for a in arxiv] + [found.get(("id", r)) for r in rowids]
    return list(dict.fromkeys(pid for pid in ordered if pid is not None))


def _where(clauses: list[str]) -> str:
    return " AND ".join(clauses) if clauses else "1"


def _newest(conn, clauses, params, limit) -> list[int]:
    sql = f"SELECT p.id FROM paper p WHERE {_where(clauses)} ORDER BY {PAPER_DATE} DESC, p.id DESC LIMIT ?"
    return [row[0] for row in conn.execute(sql, [*params, limit])]


def _ranked(conn, query, terms, clauses, params, limit, *, any_term) -> list[int]:
    key = title_key(query)
    sql = (
        "SELECT p.id FROM paper_fts JOIN paper p ON p.id = paper_fts.rowid "
        f"WHERE paper_fts MATCH ? AND {_where(clauses)} "
        "ORDER BY (p.title_key = ? OR lower(COALESCE(p.short_name, '')) = ?) DESC, "
        f"bm25(paper_fts, {_WEIGHTS}), p.id LIMIT ?"
    )
    expression = fts.match_expression(terms, any_term=any_term)
    return [row[0] for row in conn.execute(sql, [expression, *params, key, key, limit])]


def _fuzzy_titles(conn, query, clauses, params) -> list[int]:
    from rapidfuzz import fuzz, process, utils

    rows = conn.execute(f"SELECT p.id, p.title, p.short_name FROM paper p WHERE {_where(clauses)}", params).fetchall()
    choices = {}
    for pid, title, short in rows:
        choices[(pid, "t")] = title
        if short:
            choices[(pid, "s")] = short
    hits = process.extract(
        query,
        choices,
        scorer=fuzz.partial_ratio,
        processor=utils.default_process,
        score_cutoff=SEARCH_FUZZY_TITLE,
        limit=20,
    )
    ordered: list[int] = []
    for _text, _score, (pid, _kind) in sorted(hits, key=lambda h: -h[1]):
        if pid not in ordered:
            ordered.append(pid)
    return ordered
