"""The feed (`llmkb feed`, `llmkb triage`): what the watches found that nobody has decided on yet.

Order: by the day a watch found the paper (UTC), newest day first; inside a day, by relevance to the
watch's query, best first, then newest submission first. Relevance is FTS5's bm25 of the query's words
against the paper's title and abstract, scaled so that each watch's best match is 1.0 (bm25 values of
different queries are not comparable, and a feed mixes watches). A query with no such words
(`au:"Tri Dao"`, `cat:cs.CL`) is ranked by a profile instead: the words that mark the papers already
carrying the watch's tags.

Everything starts from the watch's links through the (watch_id, found_at) index; the full-text index is
asked only about the rowid ranges the feed's papers occupy, so a feed costs the same in a knowledge base
of a hundred papers or of a million.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from llmkb import fts
from llmkb.errors import UsageError
from llmkb.watch.store import UNDECIDED, Watch, get_watches

# bm25 column weights: title, short_name, abstract, authors, note, tags, cjk (`llmkb.search` has the
# order). Only what arXiv wrote counts here: a note or a tag the reader added says nothing about a query.
_WEIGHTS = "2.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0"
# Fields whose words are not about the paper's subject: authors, categories, identifiers, journal refs.
_NOT_SUBJECT = {"au", "cat", "id", "jr", "rn"}
_ARXIV_TOKEN = re.compile(r'\s*(?:(?:(\w+):)?(\()|(\))|(?:(\w+):)?"([^"]*)"|(?:(\w+):)?([^\s()"]+))')
_OPERATORS = {"AND", "OR", "ANDNOT"}

PROFILE_PAPERS = 200  # the most recent papers with the watch's tags that make its profile
PROFILE_WORDS = 12  # words kept in a profile
_RANGE_GAP = 5000  # candidate rowids further apart than this are ranked in separate ranges
_MAX_RANGES = 8


FEED_SQL = (
    "SELECT wp.paper_id, wp.found_at, p.published FROM watch_paper wp JOIN paper p ON p.id = wp.paper_id "
    f"WHERE wp.watch_id = ? AND wp.found_at >= ? AND wp.dismissed = 0 AND {UNDECIDED} ORDER BY wp.found_at DESC"
)
"""One watch's undecided papers found since a time: a range of the (watch_id, found_at) index, then each
paper by its key."""


@dataclass
class FeedItem:
    paper_id: int
    found_at: str  # when a watch first brought it in (the earliest, over the watches asked about)
    watches: list[str] = field(default_factory=list)  # the watches that found it
    relevance: float = 0.0  # 1.0: the best match of a watch's query in its feed; 0.0: no word matches
    published: str | None = None

    @property
    def day(self) -> str:
        return self.found_at[:10]


def since_bound(text: str | None, *, today: datetime.date | None = None) -> str | None:
    """`--since` as the earliest `found_at` to show: YYYY-MM-DD, YYYY-MM, YYYY, Nd (N days ago), today or
    yesterday (UTC days)."""
    if text is None:
        return None
    value = text.strip().lower()
    today = today or datetime.datetime.now(datetime.UTC).date()
    if value in ("today", "yesterday"):
        return (today - datetime.timedelta(days=value == "yesterday")).isoformat()
    m = re.fullmatch(r"(\d{1,4})d", value)
    if m:
        return (today - datetime.timedelta(days=int(m.group(1)))).isoformat()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if m:
        try:
            datetime.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:
            m = None
    if not m:
        raise UsageError(f"--since takes YYYY-MM-DD, YYYY-MM, YYYY, Nd (days ago), today or yesterday, not {text!r}")
    return value


def query_words(query: str) -> list[str]:
    """The words of an arXiv query that say what papers are about: no operators, no field names, nothing
    from `au:`, `cat:` and the like, nothing excluded with ANDNOT."""
    words: list[str] = []
    skipping: list[bool] = [False]  # per open parenthesis: whether its words are left out
    negate_next = False
    for m in _ARXIV_TOKEN.finditer(query):
        group_field, opening, closing, quoted_field, phrase, field_name, word = m.groups()
        if opening:
            off_subject = (group_field or "all").lower() in _NOT_SUBJECT
            skipping.append(skipping[-1] or negate_next or off_subject)
            negate_next = False
            continue
        if closing:
            if len(skipping) > 1:
                skipping.pop()
            continue
        if word in _OPERATORS and field_name is None:
            negate_next = word == "ANDNOT"
            continue
        value, name = (phrase, quoted_field) if phrase is not None else (word, field_name)
        negated, negate_next = negate_next, False
        if negated or skipping[-1] or (name or "all").lower() in _NOT_SUBJECT:
            continue
        words += fts.words(value or "")
    return list(dict.fromkeys(words))


def feed(
    conn: sqlite3.Connection,
    names: Sequence[str] = (),
    *,
    since: str | None = None,
    limit: int | None = None,
) -> list[FeedItem]:
    """The undecided papers the named watches (default: all) found, in feed order."""
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    bound = since_bound(since)
    items: dict[int, FeedItem] = {}
    for watch in get_watches(conn, names):
        rows = conn.execute(FEED_SQL, (watch.id, bound or "")).fetchall()
        if not rows:
            continue
        scores = relevance(conn, watch, [row[0] for row in rows])
        # bm25 scores of different queries are not on one scale: each watch's best match is 1.0
        best = min(scores.values(), default=0.0)
        for paper_id, found_at, published in rows:
            item = items.get(paper_id)
            if item is None:
                item = items[paper_id] = FeedItem(paper_id, found_at, published=published)
            item.found_at = min(item.found_at, found_at)
            item.watches.append(watch.name)
            if best < 0:
                item.relevance = max(item.relevance, scores.get(paper_id, 0.0) / best)
    # stable sorts, last key first: newest day, most relevant, newest submission, newest row
    ordered = sorted(items.values(), key=lambda i: i.paper_id, reverse=True)
    ordered.sort(key=lambda i: i.published or "", reverse=True)
    ordered.sort(key=lambda i: i.relevance, reverse=True)
    ordered.sort(key=lambda i: i.day, reverse=True)
    return ordered[:limit] if limit is not None else ordered


def relevance(conn: sqlite3.Connection, watch: Watch, paper_ids: Sequence[int]) -> dict[int, float]:
    """bm25 of the watch's words (or its tags' profile) for each paper, lower is better (FTS5's sign);
    papers matching no word are left out."""
    words = query_words(watch.query) or profile_words(conn, watch.tags, exclude=paper_ids)
    if not words:
        return {}
    expression = fts.match_expression(words, any_term=True)
    wanted = set(paper_ids)
    scores: dict[int, float] = {}
    for low, high in _ranges(sorted(wanted)):
        sql = (
            f"SELECT rowid, bm25(paper_fts, {_WEIGHTS}) FROM paper_fts "
            "WHERE paper_fts MATCH ? AND rowid >= ? AND rowid <= ?"
        )
        for rowid, score in conn.execute(sql, (expression, low, high)):
            if rowid in wanted:
                scores[rowid] = score
    return scores


def _ranges(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted rowids as a few contiguous ranges: FTS5 seeks to a rowid range, while a list of rowids would
    make it evaluate the query once per rowid."""
    ranges: list[list[int]] = []
    for rowid in ids:
        if ranges and rowid - ranges[-1][1] <= _RANGE_GAP:
            ranges[-1][1] = rowid
        else:
            ranges.append([rowid, rowid])
    if len(ranges) > _MAX_RANGES:
        return [(ids[0], ids[-1])]
    return [(low, high) for low, high in ranges]


def profile_words(conn: sqlite3.Connection, tags: Sequence[str], *, exclude: Iterable[int] = ()) -> list[str]:
    """The words that mark the papers already tagged with `tags` (the most recent PROFILE_PAPERS of them):
    frequent among them, rare in the whole knowledge base."""
    if not tags:
        return []
    marks = ",".join("?" * len(tags))
    tag_ids = [row[0] for row in conn.execute(f"SELECT id FROM tag WHERE name IN ({marks})", list(tags))]
    if not tag_ids:
        return []
    skip = set(exclude)
    paper_ids = [
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT paper_id FROM paper_tag WHERE tag_id IN ({','.join('?' * len(tag_ids))}) "
            "ORDER BY paper_id DESC LIMIT ?",
            [*tag_ids, PROFILE_PAPERS + len(skip)],
        )
        if row[0] not in skip
    ][:PROFILE_PAPERS]
    if len(paper_ids) < 2:
        return []
    in_papers: Counter[str] = Counter()
    for title, abstract in conn.execute(
        "SELECT title, abstract FROM paper WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(paper_ids)]
    ):
        in_papers.update({w for w in fts.words(f"{title} {abstract or ''}") if len(w) > 3 and not w.isdigit()})
    common = [(w, n) for w, n in in_papers.most_common(4 * PROFILE_WORDS) if n >= 2]
    if not common:
        return []
    total = max(conn.execute("SELECT max(rowid) FROM paper").fetchone()[0] or 1, 1)
    weighted = []
    for word, count in common:
        row = conn.execute("SELECT doc FROM paper_fts_vocab WHERE term = ?", (word,)).fetchone()
        documents = row[0] if row else 1
        weighted.append((count * math.log(1 + total / documents), word))
    weighted.sort(reverse=True)
    return [word for _weight, word in weighted[:PROFILE_WORDS]]
