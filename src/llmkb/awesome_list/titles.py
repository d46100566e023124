"""A paper title as a list writes it, taken apart: the title, and what lists glue to it.

Lists put a reference number, a `[Venue Year]` or `(2022-09)` before a title, a short name
(`[LaCo]`, `LaCo:`), quotes, emoji, a venue or an `(@Affiliation)` after it. The title keeps none of these
except a `Name:` prefix, which is part of the paper's real title and is also its short name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from llmkb.awesome_list.links import is_generic_text
from llmkb.awesome_list.text import clean_note, squash
from llmkb.awesome_list.venues import Venue, find_venue, venue_matches

_REF_PREFIX = re.compile(r"^\s*\[(\d{1,4})\]\s*")
_LABEL_PREFIX = re.compile(r"^\s*(?:paper|title|论文|标题)\s*[:：]\s*", re.IGNORECASE)
_BRACKETED_HEAD = re.compile(r"^\s*[\[(（【]([^\])）】]{2,40})[\])）】]\s*[,:;|\-–—]?\s*")
_BRACKETED_TAIL = re.compile(r"\s*[\[(（【]([^\[\]()（）【】]{2,40})[\])）】]\s*\.?$")
_SHORT_COMMA = re.compile(r"^([A-Za-z0-9][\w+.\-]{0,19})\s*,\s+(\S.{10,})$")
_SHORT_PREFIX = re.compile(r"^\s*([^\W_][\w+.\-]{0,24})\s*[:：]\s*$")
_NAME_COLON = re.compile(r"^([^\W_][\w+.\-]{0,24})\s*[:：]\s+(\S.*)$")
_ARXIV_MENTION = re.compile(r"[(\[]?\s?\barxiv\s?[:.]?\s?\d{4}\.\d{4,5}(?:v\d+)?\s?[)\]]?", re.IGNORECASE)
_SPACE_BEFORE_COLON = re.compile(r"\s(?=[:,;])")
_AFFILIATION_TAIL = re.compile(r"\s*[(（]\s*@[^()（）]{1,80}[)）]\s*$")
_DATE_HEAD = re.compile(r"^\s*[(\[]?\s*((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})\s*[)\]]?\s*[,:\-–—]?\s*")
_QUOTES = {'"': '"', "“": "”", "„": "“", "'": "'", "‘": "’", "«": "»"}
_LETTER = re.compile(r"[^\W\d_]")
_CAPITAL_OR_DIGIT = re.compile(r"[A-Z0-9]")
_MAX_TITLE = 600  # longer texts are paragraphs, not titles


@dataclass(frozen=True)
class TitleParts:
    title: str | None
    short: str | None = None
    venue: Venue | None = None
    ref: int | None = None
    date: tuple[int, int | None] | None = None
    rest: str = ""  # what followed a quoted title ('"Title", PR, 2020.' -> ', PR, 2020.')


def _strip_venue_head(s: str) -> tuple[Venue | None, str]:
    m = _BRACKETED_HEAD.match(s)
    if m:
        venue, rest = find_venue(m.group(1), bare=True)
        if venue is not None and not clean_note(rest):
            return venue, s[m.end() :]
    found = venue_matches(s)
    if found and not s[: found[0].start].strip():
        return Venue(found[0].name, found[0].year), re.sub(r"^[\s,:;|\-–—]+", "", s[found[0].end :])
    return None, s


def _strip_venue_tail(s: str) -> tuple[Venue | None, str]:
    m = _BRACKETED_TAIL.search(s) if s.rstrip(" .")[-1:] in ")]）】" else None
    if m:
        venue, rest = find_venue(m.group(1), bare=True)
        if venue is not None and not clean_note(rest):
            return venue, s[: m.start()]
    found = venue_matches(s)
    if found:
        last = found[-1]
        head = s[: last.start].rstrip()
        if last.end == len(s.rstrip(". ")) and last.start > 0 and head.endswith((",", "-", "–", "|")):
            return Venue(last.name, last.year), head.rstrip(" ,-–|")
    return None, s


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cn", "Co") or ch in "\ufe0f\u200d\u20e3"


def _strip_symbols(s: str) -> str:
    """Emoji and pictographs at either end ("🔥 Title ⭐")."""
    start, end = 0, len(s)
    while start < end and (_is_symbol(s[start]) or s[start].isspace()):
        start += 1
    while end > start and (_is_symbol(s[end - 1]) or s[end - 1].isspace()):
        end -= 1
    return s[start:end]


def _quoted(s: str) -> tuple[str, str] | None:
    """('Title', rest) for '"Title", Venue, 2020.'; None when s does not open with a quoted title."""
    close = _QUOTES.get(s[:1])
    if close is None:
        return None
    end = s.find(close, 1)
    if end < 0 and close != s[:1]:
        end = s.find(s[:1], 1)
    if end < 4:
        return None
    return s[1:end], s[end + 1 :]


def _bracketed_name(s: str) -> tuple[str | None, Venue | None, str]:
    """'[LaCo] Title' -> ('LaCo', None, 'Title'); '[ICLR 2024] Title' -> (None, Venue, 'Title')."""
    m = re.match(r"^\s*\[([^\[\]]{1,30})\]\s*[:\-–—]?\s*(?=\S)", s)
    if not m:
        return None, None, s
    venue, rest = find_venue(m.group(1), bare=True)
    if venue is not None and not clean_note(rest):
        return None, venue, s[m.end() :]
    inner = m.group(1).strip()
    if len(inner.split()) <= 2 and re.search(r"[A-Za-z]", inner) and not is_generic_text(inner):
        return inner, None, s[m.end() :]
    return None, None, s


@lru_cache(maxsize=4096)
def parse_title(text: str) -> TitleParts:
    """A title as written in a link or item text, without "[3]", "Paper:", "[ICML 2023]" and such."""
    s = squash(text[: _MAX_TITLE * 2])
    if len(s) > _MAX_TITLE:
        return TitleParts(None)
    if "arxiv" in s.lower():
        s = squash(_ARXIV_MENTION.sub(" ", s))
    s = s.rstrip(" [(（【|·•-–—:：,;")
    if " :" in s or " ," in s or " ;" in s:
        s = _SPACE_BEFORE_COLON.sub("", s)
    ref = None
    m = _REF_PREFIX.match(s) if s.startswith("[") else None
    if m:
        ref, s = int(m.group(1)), s[m.end() :]
    s = _LABEL_PREFIX.sub("", s if s.isascii() else _strip_symbols(s))
    date = None
    m = _DATE_HEAD.match(s) if s[:1] in "([12" else None
    if m and 1 <= int(m.group(2)) <= 12:
        date, s = (int(m.group(1)), int(m.group(2))), s[m.end() :]
    short, bracket_venue, s = _bracketed_name(s) if s.startswith("[") else (None, None, s)
    venue, s = _strip_venue_head(s)
    venue = venue or bracket_venue
    if venue is not None and short is None:
        m = _SHORT_COMMA.match(s)  # "EMNLP 2021, CKD, Distilling Linguistic Context ..."
        if m and re.search(r"[A-Z].*[A-Z0-9]|\d", m.group(1)):
            short, s = m.group(1), m.group(2)
    rest = ""
    quoted = _quoted(s.strip(" *_`"))
    if quoted is not None:
        s, rest = quoted
    else:
        tail_venue, s = _strip_venue_tail(s)
        venue = venue or tail_venue
    if "@" in s:
        s = _AFFILIATION_TAIL.sub("", s)
    s = squash(s).strip(" \"'“”‘’*_`")
    s = (s if s.isascii() else _strip_symbols(s)).rstrip(" .,;:：-–—").lstrip(" -–—:•·>")
    if len(s) < 2 or not _LETTER.search(s) or is_generic_text(s):
        return TitleParts(None, short, venue, ref, date, rest)
    return TitleParts(s, short or _name_of(s), venue, ref, date, rest)


def _name_of(title: str) -> str | None:
    """ "LaCo" for "LaCo: Large Language Model Pruning via Layer Collapse" (the title stays whole)."""
    m = _NAME_COLON.match(title)
    if not m or len(m.group(2).split()) < 2:
        return None
    return _as_name(m.group(1))


def _as_name(word: str) -> str | None:
    if not _CAPITAL_OR_DIGIT.search(word) or is_generic_text(word) or word.isdigit():
        return None
    return word


def short_name_prefix(text: str) -> str | None:
    """ "HELM" for the text "HELM: " written before a linked or bold title."""
    m = _SHORT_PREFIX.match(text)
    return _as_name(m.group(1)) if m else None
