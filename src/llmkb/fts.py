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
    """Query words: letters and digits in any script; a run of CJK characters is a word of its own."""
    out: list[str] = []
    for word in _WORD.findall(text):
        out += [part for part in _CJK_SPLIT.split(word.casefold()) if part]
    return out


# Chinese, Japanese and Korean are written without spaces, so FTS5's unicode61 tokenizer sees a whole run
# ("大模型综述") as one word and a search for "模型" finds nothing. Runs of these scripts are indexed again as
# overlapping pairs of characters (bigrams, the usual CJK indexing unit) in the `cjk` column, and query words
# in these scripts become phrases of the same pairs, so any two or more consecutive characters match.
_CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef]+")


_CJK_SPLIT = re.compile(f"({_CJK_RUN.pattern})")


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_terms(*texts: str | None) -> str | None:
    """The CJK bigrams of `texts`, space-separated (what the `cjk` index column holds), or None."""
    if all(text is None or text.isascii() for text in texts):
        return None  # (`isascii` reads a flag the string carries: no scan, and most papers are ASCII)
    grams = [g for text in texts if text for run in _CJK_RUN.findall(text) for g in _bigrams(run)]
    return " ".join(grams) or None


def is_cjk(word: str) -> bool:
    return bool(_CJK_RUN.fullmatch(word))


def match_expression(terms: list[str], *, any_term: bool = False) -> str:
    """An FTS5 expression: every term quoted and prefix-matched, joined by AND (or OR)."""
    quoted = [_cjk_phrase(t) if is_cjk(t) else '"' + t.replace('"', '""') + '"*' for t in terms]
    return (" OR " if any_term else " ").join(quoted)


def _cjk_phrase(term: str) -> str:
    grams = _bigrams(term)
    if len(grams) == 1 and len(term) == 1:
        return f'cjk : "{term}"*'  # one character: any pair that starts with it
    return 'cjk : "' + " ".join(grams) + '"'


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


def _neighbours(conn: sqlite3.Connection, term: str, lead: str) -> dict[str, int]:
    """Indexed words that start with `lead` and are within two letters of `term`'s length, with their document
    counts: a bounded set (fts5vocab answers the range from the index), never the whole vocabulary."""
    n = len(term)
    rows = conn.execute(
        "SELECT term, doc FROM paper_fts_vocab WHERE term >= ? AND term < ?", (lead, lead + "\U0010ffff")
    )
    return {word: docs for word, docs in rows if abs(len(word) - n) <= 2}


def closest_word(conn: sqlite3.Connection, term: str) -> str | None:
    """The indexed word `term` most likely misspells, or None. Typos rarely hit the first letter, so the
    candidates are the words sharing it; failing those, the words starting with its second letter (a
    dropped or swapped first letter)."""
    from rapidfuzz import fuzz, process  # here only: a search whose words all match never loads it

    for lead in dict.fromkeys((term[0], term[1])):
        vocabulary = _neighbours(conn, term, lead)
        hits = process.extract(term, list(vocabulary), scorer=fuzz.ratio, score_cutoff=TYPO_CORRECTION, limit=5)
        if hits:
            # among equally close words, the most common one is the likelier intent
            return max(hits, key=lambda hit: (hit[1], vocabulary[hit[0]]))[0]
    return None


def correct_terms(conn: sqlite3.Connection, terms: list[str]) -> tuple[list[str], list[Correction]]:
    """Replace words the index has never seen by the closest word it has (rapidfuzz), when one is close."""
    unknown = [
        t for t in terms if len(t) >= MIN_CORRECTABLE and not t.isdigit() and not is_cjk(t) and not _known(conn, t)
    ]
    corrections: dict[str, str] = {}
    for term in dict.fromkeys(unknown):
        found = closest_word(conn, term)
        if found is not None:
            corrections[term] = found
    fixed = [corrections.get(t, t) for t in terms]
    return fixed, [Correction(t, corrections[t]) for t in dict.fromkeys(unknown) if t in corrections]
