"""Which papers a `PaperQuery` selects, in its order: ranked, typo-tolerant search or a plain listing.

With words: words the index has never seen are corrected against its vocabulary; the words then go to FTS5
(bm25, title and short name weighted highest, exact title hits first). If every word together finds
nothing, any word may match. Short queries are also matched against titles with rapidfuzz, which finds
"shortgtp" in "ShortGPT" when the index split it differently. A query of identifiers (`2106.09685 kb-7`)
selects those papers in that order. Without words: every paper the filters let through, in the asked order,
read straight from a cursor, so an export of the whole database never holds the papers in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from llmkb import fts
from llmkb.fts_top import best_matches
from llmkb.query import PaperQuery
from llmkb.store.query_sql import ORDER_BY, Compiled, compile_filters
from llmkb.thresholds import SEARCH_FUZZY_TITLE, SEARCH_SHORT_QUERY_WORDS
from llmkb.titles import title_key

# bm25 column weights: title, short_name, abstract, authors, note, tags, cjk (CJK bigrams of all the texts)
_WEIGHTS = "10.0, 10.0, 1.0, 3.0, 2.0, 4.0, 2.0"


@dataclass
class Selection:
    """Row IDs in the query's order (an iterator: consumed once), and what the search did to the words."""

    ids: Iterator[int]
    corrections: list[fts.Correction] = field(default_factory=list)
    broadened: bool = False  # no paper had every word; papers with any word are shown
    compiled: Compiled = field(default_factory=Compiled)  # the filters as resolved (names, row IDs)


def select(conn: sqlite3.Connection, q: PaperQuery) -> Selection:
    """The papers `q` selects, in its order, at most `q.limit`."""
    compiled = compile_filters(conn, q)
    if compiled.empty:
        return Selection(iter(()), compiled=compiled)
    if q.ids:
        return Selection(iter(_by_identifiers(conn, q.ids, compiled)[: q.limit]), compiled=compiled)
    terms = fts.words(q.text or "")
    if not terms:
        return Selection(_listing(conn, compiled, q.order or "newest", q.limit), compiled=compiled)
    named = _identifier_query(conn, q.text or "", compiled)
    if named is not None:
        return Selection(iter(named[: q.limit]), compiled=compiled)
    ids, corrections, broadened = _ranked_search(conn, q, terms, compiled)
    if not q.ranked:  # words select, another order sorts
        ids = _reorder(conn, ids, q.order or "newest")
    return Selection(iter(ids), corrections, broadened, compiled)


def _listing(conn: sqlite3.Connection, c: Compiled, order: str, limit: int | None) -> Iterator[int]:
    sql = f"SELECT p.id FROM paper p WHERE {c.where} ORDER BY {ORDER_BY[order]} LIMIT ?"
    cursor = conn.execute(sql, [*c.params, -1 if limit is None else limit])
    return (row[0] for row in cursor)


def _reorder(conn: sqlite3.Connection, ids: list[int], order: str) -> list[int]:
    if not ids:
        return ids
    sql = f"SELECT p.id FROM paper p WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY {ORDER_BY[order]}"
    import json

    return [row[0] for row in conn.execute(sql, [json.dumps(ids)])]


def _ranked_search(
    conn: sqlite3.Connection, q: PaperQuery, terms: list[str], c: Compiled
) -> tuple[list[int], list[fts.Correction], bool]:
    text = q.text or ""
    limit = q.limit
    sql_limit = -1 if limit is None else limit  # SQLite reads a negative LIMIT as "no limit"
    terms, corrections = fts.correct_terms(conn, terms)
    ids = _ranked(conn, text, terms, c, sql_limit, any_term=False)
    broadened = False
    if not ids and len(terms) > 1:
        ids = _ranked(conn, text, terms, c, sql_limit, any_term=True)
        broadened = bool(ids)
    if (limit is None or len(ids) < limit) and len(terms) <= SEARCH_SHORT_QUERY_WORDS:
        seen = set(ids)
        for pid in _fuzzy_titles(conn, text, terms, c):
            if pid not in seen:
                ids.append(pid)
                seen.add(pid)
        ids = ids[:limit]
    return ids, corrections, broadened


def _identifier_query(conn: sqlite3.Connection, text: str, c: Compiled) -> list[int] | None:
    """Papers named by ID (`2106.09685 arXiv:1503.02531v2 kb-7`), in the order given; None if the query is
    not a list of identifiers, so full-text search takes it."""
    from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id

    tokens = text.replace(",", " ").split()
    for token in tokens:
        if token.lower().startswith("kb-") and token[3:].isascii() and token[3:].isdigit():
            continue
        try:
            parse_arxiv_id(token)
        except InvalidArxivId:
            return None
    return _by_identifiers(conn, tokens, c)


def _by_identifiers(conn: sqlite3.Connection, tokens: list[str], c: Compiled) -> list[int]:
    """The papers these identifiers name (unknown ones skipped), in the order given, filters applied."""
    from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id

    wanted: list[tuple[str, object]] = []
    for token in tokens:
        token = token.strip()
        if token.lower().startswith("kb-") and token[3:].isascii() and token[3:].isdigit():
            if len(token) <= 22:  # larger than any row ID SQLite can hold
                wanted.append(("id", int(token[3:])))
            continue
        try:
            wanted.append(("arxiv_id", parse_arxiv_id(token).id))
        except InvalidArxivId:
            continue
    found: dict[tuple[str, object], int] = {}
    for column in ("arxiv_id", "id"):
        values = [value for col, value in wanted if col == column]
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT p.id, p.{column} FROM paper p WHERE p.{column} IN ({marks}) AND {c.where}"
            for pid, key in conn.execute(sql, [*chunk, *c.params]):
                found[(column, key)] = pid
    ordered = [found.get(key) for key in wanted]
    return list(dict.fromkeys(pid for pid in ordered if pid is not None))


def _ranked(conn: sqlite3.Connection, text: str, terms: list[str], c: Compiled, limit: int, *, any_term: bool):
    """Best first: a paper whose title or short name is the query, then bm25 order."""
    key = title_key(text)
    expression = fts.match_expression(terms, any_term=any_term)
    if not c.clauses:
        # Without filters the index ranks on its own (joining every match to `paper` only to sort them costs
        # as much again); the exact-title papers come from the title indexes.
        titled = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM paper WHERE title_key = ? OR lower(short_name) = ? ORDER BY id", (key, key)
            )
        ]
        exact = []
        if titled:  # the few title hits, checked against the words (not the other way round)
            marks = ",".join("?" * len(titled))
            matching = "SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? AND rowid IN (" + marks + ")"
            found = {row[0] for row in conn.execute(matching, (expression, *titled))}
            exact = [pid for pid in titled if pid in found]
        ranked = best_matches(conn, expression, _WEIGHTS, limit if limit < 0 else limit + len(exact))
        ids = exact + [pid for pid in ranked if pid not in exact]
        return ids if limit < 0 else ids[:limit]
    sql = (
        "SELECT p.id FROM paper_fts JOIN paper p ON p.id = paper_fts.rowid "
        f"WHERE paper_fts MATCH ? AND {c.where} "
        "ORDER BY (p.title_key = ? OR lower(COALESCE(p.short_name, '')) = ?) DESC, "
        f"bm25(paper_fts, {_WEIGHTS}), p.id LIMIT ?"
    )
    return [row[0] for row in conn.execute(sql, [expression, *c.params, key, key, limit])]


FUZZY_CANDIDATES = 500
"""At most this many papers go through the fuzzy title pass: the ones whose title or short name has a word
starting like a query word. A word so common that more share its start is one search already ranks."""


def title_candidates(conn: sqlite3.Connection, terms: list[str], c: Compiled) -> list[tuple[int, str, str | None]]:
    """(row ID, title, short name) of papers whose title or short name has a word starting with the first four
    letters of a query word: a bounded set from the full-text index, never a read of every title."""
    stems = [w[:4] for w in terms if len(w) >= 3 and not fts.is_cjk(w)]
    if not stems:
        return []
    expression = "{title short_name} : (" + " OR ".join('"' + s.replace('"', '""') + '"*' for s in stems) + ")"
    sql = (
        "SELECT p.id, p.title, p.short_name FROM paper_fts JOIN paper p ON p.id = paper_fts.rowid "
        f"WHERE paper_fts MATCH ? AND {c.where} LIMIT ?"
    )
    return conn.execute(sql, [expression, *c.params, FUZZY_CANDIDATES]).fetchall()


def _fuzzy_titles(conn: sqlite3.Connection, text: str, terms: list[str], c: Compiled) -> list[int]:
    from rapidfuzz import fuzz, process, utils  # the fallback path only

    choices = {}
    for pid, title, short in title_candidates(conn, terms, c):
        choices[(pid, "t")] = title
        if short:
            choices[(pid, "s")] = short
    hits = process.extract(
        text,
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
