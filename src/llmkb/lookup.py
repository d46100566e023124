"""Finding the one paper a user means: by any form of arXiv ID, by `kb-N`, or by a (fuzzy) title.

Used by `show`, `tag add/rm` and every command that takes a paper. A title that fits several papers equally
well is not guessed: the caller gets the candidates.
"""

from __future__ import annotations

import re
import sqlite3

from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id
from llmkb.errors import AmbiguousPaper, PaperNotFound
from llmkb.thresholds import LOOKUP_CLEAR_MARGIN, LOOKUP_TITLE
from llmkb.titles import title_key

_KB_REF = re.compile(r"^kb-(\d+)$", re.IGNORECASE)
_LOOKS_LIKE_ID = re.compile(r"^(arxiv:|https?://|\d{4}\.\d|[a-z-]+(\.[A-Z]{2})?/\d{7})", re.IGNORECASE)


def find_paper_id(conn: sqlite3.Connection, text: str) -> int:
    text = text.strip()
    m = _KB_REF.match(text)
    if m:
        row = conn.execute("SELECT id FROM paper WHERE id = ?", (int(m.group(1)),)).fetchone()
        if row:
            return row[0]
        raise PaperNotFound(f"no paper {text}")
    try:
        aid = parse_arxiv_id(text)
    except InvalidArxivId as exc:
        if _LOOKS_LIKE_ID.match(text):
            raise InvalidArxivId(f"{text!r} is not a valid arXiv ID: {exc}") from None
    else:
        row = conn.execute("SELECT id FROM paper WHERE arxiv_id = ?", (aid.id,)).fetchone()
        if row:
            return row[0]
        raise PaperNotFound(f"no paper with arXiv ID {aid.id} in the database (try: llmkb import {aid.id})")
    return _by_title(conn, text)


TITLE_CANDIDATES = 50


def _by_title(conn: sqlite3.Connection, text: str) -> int:
    key = title_key(text)
    if not key:
        raise PaperNotFound(f"{text!r} names no paper")
    exact = conn.execute(
        "SELECT id FROM paper WHERE title_key = ? OR lower(short_name) = ? ORDER BY id", (key, key)
    ).fetchall()
    if len(exact) == 1:
        return exact[0][0]
    from rapidfuzz import fuzz, process, utils  # an ID or an exact title never needs it

    rows = _candidates(conn, text)
    choices = {row[0]: f"{row[2]} {row[1]}" if row[2] else row[1] for row in rows}
    hits = process.extract(
        text, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=LOOKUP_TITLE, limit=8
    )
    if not hits:
        raise PaperNotFound(f"no paper matches {text!r}")
    titles = {row[0]: row[1] for row in rows}
    if len(hits) == 1 or hits[0][1] - hits[1][1] >= LOOKUP_CLEAR_MARGIN:
        return hits[0][2]
    raise AmbiguousPaper(text, [(pid, titles[pid], score) for _c, score, pid in hits])


def _candidates(conn: sqlite3.Connection, text: str) -> list[tuple[int, str, str | None]]:
    """Papers whose title (or short name) has every word of `text`, singular or plural; failing that, every
    word but one (a typo); failing that, every word by its first four letters (typos after them). A few
    index look-ups, never a read of every title.

    Whole words come first because they are cheap at any size: FTS5 skips through a word's postings, but a
    prefix (`"lang"*`) merges the postings of every word it starts, which at a million papers costs more
    than the rest of the command."""
    from llmkb import fts

    words = list(dict.fromkeys(w for w in fts.words(text) if len(w) >= 2 and not fts.is_cjk(w)))
    if not words:
        return []
    whole = [_either_number(w) for w in words]
    tries = [whole]
    if len(whole) > 1:
        tries += [[w for w in whole if w != left_out] for left_out in whole]
    tries.append(list(dict.fromkeys('"' + w[:4].replace('"', '""') + '"*' for w in words)))
    found: dict[int, tuple[int, str, str | None]] = {}
    for terms in tries:
        rows = conn.execute(
            "SELECT p.id, p.title, p.short_name FROM paper_fts JOIN paper p ON p.id = paper_fts.rowid "
            "WHERE paper_fts MATCH ? LIMIT ?",
            ("{title short_name} : (" + " AND ".join(terms) + ")", TITLE_CANDIDATES),
        )
        for row in rows:
            found.setdefault(row[0], row)
        if found:
            break
    return list(found.values())


def _either_number(word: str) -> str:
    """`word` as an FTS5 term matching it in the singular or the plural ("model" finds "Models")."""
    other = word[:-1] if word.endswith("s") and len(word) > 3 else word + "s"
    return "(" + " OR ".join('"' + w.replace('"', '""') + '"' for w in (word, other)) + ")"
