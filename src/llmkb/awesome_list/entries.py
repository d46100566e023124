"""One list item (or table row, or paragraph line) -> one paper entry, or nothing when it names no paper.

The title comes, in this order of trust, from the text of a link to the paper itself, from a reference
citation, from the item text before the first link ("[1] Title" + a line of [Paper] [Code] links), or from
the text of another link ("[tinyBenchmarks](hf-page), [paper](arxiv)"). Everything that is not title,
venue, authors or a link label becomes the note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from llmkb.arxiv.ids import ArxivId, find_arxiv_ids
from llmkb.awesome_list.citations import Citation, looks_like_authors, parse_citation, split_authors
from llmkb.awesome_list.inline import Piece
from llmkb.awesome_list.links import LinkInfo, classify_link, invalid_arxiv_link, is_generic_text
from llmkb.awesome_list.model import Link, ListEntry
from llmkb.awesome_list.text import clean_note, squash
from llmkb.awesome_list.venues import Venue, badge_venue, find_venue, venue_matches

Warn = Callable[[int, str], None]

_REF_PREFIX = re.compile(r"^\s*\[(\d{1,4})\]\s*")
_LABEL_PREFIX = re.compile(r"^\s*(?:paper|title|论文|标题)\s*[:：]\s*", re.IGNORECASE)
_BRACKETED_HEAD = re.compile(r"^\s*[\[(（【]([^\])）】]{2,40})[\])）】]\s*[,:;|\-–—]?\s*")
_BRACKETED_TAIL = re.compile(r"\s*[\[(（【]([^\[\]()（）【】]{2,40})[\])）】]\s*\.?$")
_SHORT_COMMA = re.compile(r"^([A-Za-z0-9][\w+.\-]{0,19})\s*,\s+(\S.{10,})$")
_SHORT_PREFIX = re.compile(r"^\s*([^\W_][\w+.\-]{0,24})\s*[:：]\s*$")
_UNDEFINED = re.compile(r"[^\W\d_]undefined\b")
_ARXIV_MENTION = re.compile(r"[(\[]?\s*\barxiv\s*[:.]?\s*\d{4}\.\d{4,5}(?:v\d+)?\s*[)\]]?", re.IGNORECASE)
_SPACE_BEFORE_COLON = re.compile(r"\s+([:,;])")
_YEAR_IN_BRACKETS = re.compile(r"[\[(]\s*((?:19|20)\d{2})\s*[\])]")
_NAME_SEPARATOR = re.compile(r",|\band\b|&|，|、")
_CITATION_HINT = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass(frozen=True)
class TitleParts:
    title: str | None
    short: str | None = None
    venue: Venue | None = None
    ref: int | None = None


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
    m = _BRACKETED_TAIL.search(s)
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


@lru_cache(maxsize=4096)
def parse_title(text: str) -> TitleParts:
    """A title as written in a link or item text, without "[3]", "Paper:", "[ICML 2023]" and such."""
    s = squash(_ARXIV_MENTION.sub(" ", text)).rstrip(" [(（【|·•-–—:：,;")
    s = _SPACE_BEFORE_COLON.sub(r"\1", s)
    ref = None
    m = _REF_PREFIX.match(s)
    if m:
        ref, s = int(m.group(1)), s[m.end() :]
    s = _LABEL_PREFIX.sub("", s)
    venue, s = _strip_venue_head(s)
    short = None
    if venue is not None:
        m = _SHORT_COMMA.match(s)  # "EMNLP 2021, CKD, Distilling Linguistic Context ..."
        if m and re.search(r"[A-Z].*[A-Z0-9]|\d", m.group(1)):
            short, s = m.group(1), m.group(2)
    tail_venue, s = _strip_venue_tail(s)
    venue = venue or tail_venue
    s = squash(s).strip(" \"'“”‘’*_`").rstrip(" .,;:：-–—").lstrip(" -–—:•·>")
    if len(s) < 2 or not re.search(r"[^\W\d_]", s) or is_generic_text(s):
        return TitleParts(None, short, venue, ref)
    return TitleParts(s, short, venue, ref)


def _short_name(text: str) -> str | None:
    m = _SHORT_PREFIX.match(text)
    if m and re.search(r"[A-Z]", m.group(1)) and not is_generic_text(m.group(1)):
        return m.group(1)
    return None


def _lines(pieces: list[Piece]) -> list[list[int]]:
    lines: list[list[int]] = [[]]
    for i, p in enumerate(pieces):
        if p.kind == "break":
            lines.append([])
        else:
            lines[-1].append(i)
    return [ln for ln in lines if ln]


def _leading(pieces: list[Piece]) -> list[int]:
    """Indexes of the text pieces before the first link or image, on the first line that has text."""
    out: list[int] = []
    for i, p in enumerate(pieces):
        if p.kind == "text":
            if not out and not p.text.strip():
                continue
            out.append(i)
        elif p.kind == "break":
            if out:
                break
        else:
            break
    return out


class _Builder:
    def __init__(self, pieces: list[Piece], line: int, warn: Warn) -> None:
        self.pieces = pieces
        self.line = line
        self.warn = warn
        self.links: dict[int, LinkInfo] = {
            i: classify_link(p.url, p.text) for i, p in enumerate(pieces) if p.kind == "link"
        }
        self.used: set[int] = set()
        self.venues: list[Venue] = []
        self.title_link: int | None = None

    def plain_text(self, *, with_links: bool) -> str:
        parts = []
        for i, p in enumerate(self.pieces):
            if p.kind == "text":
                parts.append(p.text)
            elif p.kind == "break":
                parts.append(" ")
            elif p.kind == "link" and with_links and not self.links[i].generic:
                parts.append(p.text)
        return "".join(parts)

    def arxiv_ids(self) -> list[ArxivId]:
        found: list[ArxivId] = [li.arxiv for li in self.links.values() if li.arxiv is not None]
        text = self.plain_text(with_links=False)
        if "arxiv" in text.lower():
            found += find_arxiv_ids(text)
        unique: dict[str, ArxivId] = {}
        for a in found:
            unique.setdefault(a.id, a)
        return list(unique.values())

    def badges(self) -> None:
        for p in self.pieces:
            for img in [p] if p.kind == "image" else p.images:
                venue = badge_venue(img.text, img.url)
                if venue is not None:
                    self.venues.append(venue)

    def build(self) -> ListEntry | None:
        for i, li in self.links.items():
            reason = invalid_arxiv_link(li)
            if reason:
                self.warn(self.line, f"{self.pieces[i].url} is not a valid arXiv link: {reason}")
        self.badges()
        arxiv = self.arxiv_ids()
        lead = _leading(self.pieces)
        lead_text = "".join(self.pieces[i].text for i in lead)
        ref_match = _REF_PREFIX.match(lead_text)
        ref = int(ref_match.group(1)) if ref_match else None
        if ref_match:
            self.pieces[lead[0]] = self.pieces[lead[0]].copy(text=lead_text[ref_match.end() :])
            for i in lead[1:]:
                self.pieces[i] = self.pieces[i].copy(text="")
            lead_text = lead_text[ref_match.end() :]

        title = short = None
        for i, li in self.links.items():
            if li.is_paper:
                parts = parse_title(li.text)
                if parts.title:
                    title, short = parts.title, parts.short
                    self._take_venue(parts.venue)
                    self.used.add(i)
                    self.title_link = i
                    break

        citation: Citation | None = None
        full_text = self.plain_text(with_links=True)
        if title is None and _CITATION_HINT.search(full_text):
            citation = parse_citation(full_text)
            if citation is not None:
                title = citation.title
                self.used |= {i for i, p in enumerate(self.pieces) if p.kind == "text"}
                self.used |= {i for i, li in self.links.items() if not li.generic}
        if title is None and lead:
            parts = parse_title(lead_text)
            if parts.title:
                title, short = parts.title, parts.short
                self._take_venue(parts.venue)
                self.used |= set(lead)
        elif title is not None and lead and citation is None:
            venue, rest = find_venue(lead_text)
            name = _short_name(rest)
            if name:
                short = short or name
                self._take_venue(venue)
                self.used |= set(lead)
        if title is None:
            for i, li in self.links.items():
                if li.kind not in ("anchor", "arxiv") and not li.is_paper and not li.generic:
                    parts = parse_title(li.text)
                    if parts.title:
                        title = parts.title
                        self._take_venue(parts.venue)
                        self.used.add(i)
                        self.title_link = i
                        break

        names_paper = bool(arxiv) or citation is not None or any(li.is_paper for li in self.links.values())
        if not names_paper or (title is None and not arxiv):
            return None

        entry = ListEntry(title=title, short_name=short, line=self.line, ref=ref)
        if arxiv:
            entry.arxiv_id, entry.arxiv_version = arxiv[0].id, arxiv[0].version
            if len(arxiv) > 1:
                self.warn(
                    self.line,
                    "several arXiv IDs in one item ({}); the entry uses {}".format(
                        ", ".join(a.id for a in arxiv), arxiv[0].id
                    ),
                )
        if citation is not None:
            entry.authors = citation.authors
            entry.year = citation.year
            entry.venue = citation.venue
        self._rest(entry)
        self._links(entry)
        self._choose_venue(entry)
        if "undefined" in full_text and _UNDEFINED.search(full_text):
            self.warn(
                self.line,
                "the text contains 'undefined' inside a word; a character was probably lost when it was copied",
            )
        if entry.title is None and entry.arxiv_id:
            texts = [self.pieces[i].text for i, li in self.links.items() if li.arxiv is not None]
            why = f" (the link text is {texts[0]!r})" if texts and texts[0].strip() else ""
            self.warn(self.line, f"no title for arXiv {entry.arxiv_id}{why}")
        return entry

    def _take_venue(self, venue: Venue | None) -> None:
        if venue is not None:
            self.venues.append(venue)

    def _rest(self, entry: ListEntry) -> None:
        """Authors, venue and note from what the title did not use, line by line."""
        notes: list[str] = []
        for line in _lines(self.pieces):
            parts = []
            for i in line:
                p = self.pieces[i]
                if i in self.used:
                    continue
                if p.kind == "text" or (p.kind == "link" and not self.links[i].generic):
                    parts.append(p.text)
                else:
                    parts.append(" ")
            text = squash("".join(parts))
            if not text:
                continue
            names = text.strip(" *_")
            if not entry.authors and _NAME_SEPARATOR.search(names) and looks_like_authors(names, min_names=2):
                entry.authors = split_authors(names)
                continue
            venue, text = find_venue(text)
            self._take_venue(venue)
            year = _YEAR_IN_BRACKETS.search(text)
            if year and entry.year is None:
                self.venues.append(Venue("", int(year.group(1))))
                text = text[: year.start()] + " " + text[year.end() :]
            notes.append(text)
        entry.note = clean_note(" ".join(notes))

    def _links(self, entry: ListEntry) -> None:
        seen: set[str] = set()
        for i, li in self.links.items():
            if li.kind in ("arxiv", "anchor", "empty") or li.url in seen:
                continue
            kind = "project" if i == self.title_link and li.kind == "other" else li.kind
            seen.add(li.url)
            entry.links.append(Link(kind, li.url))

    def _choose_venue(self, entry: ListEntry) -> None:
        named_venues = [v for v in self.venues if v.name]
        if entry.venue is None and named_venues:
            best = next((v for v in named_venues if v.name != "arXiv"), named_venues[0])
            entry.venue = best.name
        if entry.year is None:
            named = [v for v in self.venues if v.name == entry.venue and v.year]
            any_year = [v for v in self.venues if v.year]
            if named or any_year:
                entry.year = (named or any_year)[0].year


def build_entry(pieces: list[Piece], line: int, warn: Warn) -> ListEntry | None:
    return _Builder(list(pieces), line, warn).build()


# --- splitting one block into several candidates ----------------------------------------------------------


def _line_flags(pieces: list[Piece], indexes: list[int]) -> tuple[bool, bool]:
    """(has a link to a paper, has text that could be a title) for one line."""
    has_paper = has_title = False
    for i in indexes:
        p = pieces[i]
        if p.kind == "link":
            li = classify_link(p.url, p.text)
            has_paper = has_paper or li.is_paper
            has_title = has_title or (li.kind != "anchor" and not li.generic and parse_title(p.text).title is not None)
        elif p.kind == "text" and not has_title:
            _, rest = find_venue(p.text)
            has_title = parse_title(rest).title is not None and len(rest.strip()) > 2
    return has_paper, has_title


def split_candidates(pieces: list[Piece]) -> list[list[Piece]]:
    """The entries one block may hold: lines that each link a titled paper, or several titled paper links.

    A line that only adds links ("Arxiv, [Paper](...), [Code](...)") or wraps text stays with the line above.
    """
    lines = _lines(pieces)
    if len(lines) > 1:
        flags = [_line_flags(pieces, ln) for ln in lines]
        if sum(f[0] for f in flags) >= 2:
            groups: list[list[Piece]] = []
            for n, ln in enumerate(lines):
                paper, titled = flags[n]
                starts = (
                    n == 0
                    or (paper and titled)
                    or (titled and not paper and n + 1 < len(lines) and flags[n + 1][0] and not flags[n + 1][1])
                )
                chunk = [pieces[i] for i in ln]
                if starts or not groups:
                    groups.append(chunk)
                else:
                    groups[-1] += [Piece("break", line=chunk[0].line), *chunk]
            return [g for group in groups for g in _split_titled_links(group)]
    return _split_titled_links(pieces)


def _split_titled_links(pieces: list[Piece]) -> list[list[Piece]]:
    if sum(p.kind == "link" for p in pieces) < 2:
        return [pieces]
    titled: list[int] = []
    targets: set[str] = set()
    for i, p in enumerate(pieces):
        if p.kind != "link":
            continue
        li = classify_link(p.url, p.text)
        if li.is_paper and not li.generic and parse_title(p.text).title:
            target = li.arxiv.id if li.arxiv else (li.url or p.text.lower())
            if target not in targets:
                targets.add(target)
                titled.append(i)
    if len(titled) < 2:
        return [pieces]
    cuts = [0, *titled[1:], len(pieces)]
    return [pieces[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if pieces[a:b]]
