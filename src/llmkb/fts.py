"""Turning user text into a safe FTS5 query, and correcting typos against the index's own vocabulary.

Raw user text never reaches `MATCH`: FTS5 gives meaning to quotes, `*`, `:`, `-`, parentheses, AND/OR/NOT
and NEAR, and fails on a lone `.`. Text is cut into words (letters and digits in any script), each word is
quoted, and every word becomes a prefix query, so `prun` finds "pruning" and `AND(` is just the word "and".
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from llmkb.thresholds import TYPO_CORRECTION, TYPO_MIN_LENGTH

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_CORRECTABLE = TYPO_MIN_LENGTH


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def match_expression(terms: list[str], *, any_term: bool = False) -> str:
    """An FTS5 expression: every term quoted and prefix-matched, joined by AND (or OR)."""
    quoted = ['"' + t.replace('"', '""') + '"*' for t in terms]
    return (" OR " if any_term else " ").join(quoted)


@dataclass(frozen=True)
class Correction:
    original: str
    replacement: str


def _known(conn: sqlite3.Connection, term: str) -> bool:
    # fts5vocab answers range constraints on `term` from the index, without a scan
    row = conn.execute(
        "SELECT 1 FROM paper_fts_vocab WHERE term >= ? AND term < ? LIMIT 1", (term, term + "\U0010ffff")
    ).fetchone()
    return row is not None


def correct_terms(conn: sqlite3.Connection, terms: list[str]) -> tuple[list[str], list[Correction]]:
    """Replace words the index has never seen by the closest word it has (rapidfuzz), when one is close."""
    unknown = [t for t in terms if len(t) >= MIN_CORRECTABLE and not t.isdigit() and not _known(conn, t)]
    if not unknown:
        return terms, []
    from rapidfuzz import fuzz, process

    vocabulary = {term: docs for term, docs in conn.execute("SELECT term, doc FROM paper_fts_vocab")}
    choices = [t for t in vocabulary if len(t) >= MIN_CORRECTABLE - 1]
    corrections: dict[str, str] = {}
    for term in unknown:
        hits = process.extract(term, choices, scorer=fuzz.ratio, score_cutoff=TYPO_CORRECTION, limit=5)
        if hits:
            # among equally close words, the most common one is the likelier intent
            best = max(hits, key=lambda hit: (hit[1], vocabulary[hit[0]]))
            corrections[term] = best[0]
    fixed = [corrections.get(t, t) for t in terms]
    return fixed, [Correction(t, corrections[t]) for t in dict.fromkeys(unknown) if t in corrections]
