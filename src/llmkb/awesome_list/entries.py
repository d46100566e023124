"""One list item (or table row, or paragraph line) -> one paper entry, or nothing when it names no paper.

The title comes, in this order of trust, from the title cell of a table, from the text of a link to the
paper itself, from bold text, from a reference citation, from the item text before the first link ("[1]
Title" + a line of [Paper] [Code] links), or from the text of another link ("[tinyBenchmarks](hf-page),
[paper](arxiv)"). Authors come from an italic line, a line of names, or the citation; everything that is
not title, authors, venue, date or a link label becomes the note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from llmkb.arxiv.ids import ArxivId, find_arxiv_ids, salvage_arxiv_id
from llmkb.awesome_list.citations import (
    Citation,
    looks_like_author_line,
    looks_like_authors,
    parse_citation,
    split_authors,
)
from llmkb.awesome_list.inline import Piece
from llmkb.awesome_list.links import LinkInfo, classify_link, invalid_arxiv_link
from llmkb.awesome_list.model import Link, ListEntry
from llmkb.awesome_list.problems import Warn
from llmkb.awesome_list.text import clean_note, squash, without_empty_brackets
from llmkb.awesome_list.titles import TitleParts, parse_title, short_name_prefix
from llmkb.awesome_list.venues import (
    Venue,
    badge_venue,
    find_date,
    find_venue,
    venue_as_written,
)

_REF_PREFIX = re.compile(r"^\s*\[(\d{1,4})\]\s*")
_UNDEFINED = re.compile(r"[^\W\d_]undefined\b")
_NAME_SEPARATOR = re.compile(r",|\band\b|&|，|、")
_CITATION_HINT = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ET_AL_AFTER = re.compile(r"^\s*,?\s*et\.?\s*al\b\.?", re.IGNORECASE)
_GLUED_BEFORE = re.compile(r"[^\W\d_]+$")
_DOI_IN_URL = re.compile(r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/)?)(10\.\d{4,9}/[^\s?#]+)", re.IGNORECASE)
_DOI_IN_TEXT = re.compile(r"\bdoi\s*:\s*(10\.\d{4,9}/\S+)", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^()]*\)")
_NAMES_END = re.compile(r"(?<!\b[A-Z])\.[*_]*\s")  # the full stop after a list of names, not an initial's
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_MAX_TEXT = 4000  # longer item texts are prose, not one paper; patterns only ever see this much


class Row(NamedTuple):
    """What a table says about one row: which pieces are its title cell, and whether the row is a paper."""

    title_cell: tuple[int, int] | None = None  # piece index range
    is_paper: bool = False  # the table gives the row a date, a venue or authors next to a title
    in_table: bool = False  # cells are the lines of the pieces


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
    """Fills one entry by running small steps in order; each step reads what the earlier ones found."""

    def __init__(self, pieces: list[Piece], line: int, warn: Warn, row: Row) -> None:
        self.pieces = pieces
        self.line = line
        self.warn = warn
        self.row = row
        self.links: dict[int, LinkInfo] = {
            i: classify_link(p.url, p.text) for i, p in enumerate(pieces) if p.kind == "link"
        }
        self.used: set[int] = set()
        self.venues: list[Venue] = []
        self.dates: list[tuple[int, int | None]] = []
        self.title_link: int | None = None
        self.title: str | None = None
        self.short: str | None = None
        self.ref: int | None = None
        self.arxiv: list[ArxivId] = []
        self.citation: Citation | None = None
        self.authors: list[str] = []
        self.lead: list[int] = _leading(pieces)
        self.line_indexes: list[list[int]] = _lines(pieces)
        self._plain: dict[bool, str] = {}  # the item's text as first seen (steps change pieces only after)
        self.after_title: list[str] = []  # text a quoted title was followed by ('"Title", PR, 2020.')

    # --- what the item says -------------------------------------------------------------------------------

    def plain_text(self, *, with_links: bool) -> str:
        cached = self._plain.get(with_links)
        if cached is None:
            cached = self._plain[with_links] = self._join_plain(with_links)
        return cached

    def _join_plain(self, with_links: bool) -> str:
        parts = []
        for i, p in enumerate(self.pieces):
            if p.kind == "text":
                parts.append(p.text)
            elif p.kind == "break":
                parts.append(" ")
            elif p.kind == "link" and with_links and not self.links[i].generic:
                parts.append(p.text)
        return "".join(parts)[:_MAX_TEXT]

    def check_arxiv_links(self) -> None:
        for i, li in self.links.items():
            reason = invalid_arxiv_link(li)
            if reason:
                self.warn("invalid-arxiv-link", self.line, f"{self.pieces[i].url} is not a valid arXiv link: {reason}")
            if li.salvaged and li.arxiv is not None:
                self.warn(
                    "salvaged-arxiv-id",
                    self.line,
                    f"{self.pieces[i].url}: text glued to arXiv ID {li.arxiv.id} was ignored",
                )

    def read_badges(self) -> None:
        for p in self.pieces:
            for img in [p] if p.kind == "image" else p.images:
                venue = badge_venue(img.text, img.url)
                if venue is not None:
                    self.venues.append(venue)

    def read_arxiv_ids(self) -> None:
        found: list[ArxivId] = [li.arxiv for li in self.links.values() if li.arxiv is not None]
        text = self.plain_text(with_links=False)
        if "arxiv" in text.lower():
            found += find_arxiv_ids(text)
            for m in re.finditer(r"arxiv\s*:\s*(\d{4}\.\d{4,5}\w+)", text, re.IGNORECASE):
                salvaged = salvage_arxiv_id(m.group(1))
                if salvaged is not None and all(a.id != salvaged.id for a in found):
                    found.append(salvaged)
                    self.warn("salvaged-arxiv-id", self.line, f"{m.group(1)}: text glued to the arXiv ID was ignored")
        unique: dict[str, ArxivId] = {}
        for a in found:
            unique.setdefault(a.id, a)
        self.arxiv = list(unique.values())

    def take_ref_number(self) -> None:
        lead_text = "".join(self.pieces[i].text for i in self.lead)
        m = _REF_PREFIX.match(lead_text)
        if not m:
            return
        self.ref = int(m.group(1))
        self.pieces[self.lead[0]] = self.pieces[self.lead[0]].copy(text=lead_text[m.end() :])
        for i in self.lead[1:]:
            self.pieces[i] = self.pieces[i].copy(text="")

    # --- the title, in order of trust ----------------------------------------------------------------------

    def _accept(self, parts: TitleParts, used: set[int], link: int | None = None) -> bool:
        if not parts.title:
            return False
        self.title, self.short = parts.title, parts.short or self.short
        if parts.venue is not None:
            self.venues.append(parts.venue)
        if parts.date is not None:
            self.dates.append(parts.date)
        if parts.rest.strip():
            self.after_title.append(parts.rest)
        self.used |= used
        if link is not None:
            self.title_link = link
        return True

    def title_from_title_cell(self) -> bool:
        """A table's title cell: its linked text is the title, whatever the link points to."""
        if self.row.title_cell is None:
            return False
        start, end = self.row.title_cell
        for i in range(start, end):
            li = self.links.get(i)
            if li is not None and li.kind != "anchor" and not li.generic:
                return self._accept(parse_title(self.pieces[i].text), {i}, i)
        texts = [i for i in range(start, end) if self.pieces[i].kind == "text" and i not in self.used]
        first_line = [i for i in texts if self.pieces[i].line == self.pieces[texts[0]].line] if texts else []
        return self._accept(parse_title("".join(self.pieces[i].text for i in first_line)), set(first_line))

    def name_from_table_row(self) -> bool:
        """A table row of a model name, a date, a size and a [Paper] link names a model, not the paper's
        title: the name (the last cell with letters before the link) is the short name."""
        if not self.row.in_table or self.row.title_cell is not None:
            return False
        first_link = min(self.links, default=len(self.pieces))
        for line in reversed(_lines(self.pieces[:first_link])):
            text = squash("".join(self.pieces[i].text for i in line if self.pieces[i].kind == "text"))
            if re.search(r"[^\W\d_]", text) and len(text.split()) <= 3 and not find_date(text)[0]:
                self.short = text
                self.used |= {i for ln in _lines(self.pieces[:first_link]) for i in ln}
                return True
        return False

    def title_from_paper_link(self) -> bool:
        for i, li in self.links.items():
            if not li.is_paper:
                continue
            parts = parse_title(li.text)
            if parts.title and parts.title.isascii() and " " not in parts.title and not parts.short:
                # One word naming a paper ("[DeepSeek-v2-236B](arxiv)") is a model's name, not its title.
                self.short = self.short or parts.title
                self.used.add(i)
                continue
            if self._accept(parts, {i}, i):
                return True
        return False

    def title_from_bold(self) -> bool:
        """The first bold run that is not a field label ("**Title**", "**"Title"**.", "**Title,** ICML 2019.")."""
        for i, p in enumerate(self.pieces):
            if p.kind != "text" or not p.strong or i in self.used:
                continue
            text = p.text.strip()
            if len(text) < 4 or text.endswith((":", "：")) or not _TWO_LETTERS.search(text):
                continue
            parts = parse_title(text)
            if parts.title is None or len(parts.title.split()) < 2 and not re.search(r"[^\x00-\x7f]", parts.title):
                continue
            self._accept(parts, {i})
            before = "".join(self.pieces[k].text for k in self.lead if k < i)
            name = short_name_prefix(before)
            if name:
                self.short = self.short or name
                self.used |= {k for k in self.lead if k < i}
            return True
        return False

    def title_from_citation(self) -> bool:
        full_text = self.plain_text(with_links=True)
        if not _CITATION_HINT.search(full_text):
            return False
        self.citation = parse_citation(full_text)
        if self.citation is None:
            return False
        self.title = self.citation.title
        self.used |= {i for i, p in enumerate(self.pieces) if p.kind == "text"}
        self.used |= {i for i, li in self.links.items() if not li.generic}
        return True

    def title_from_lead(self) -> bool:
        if not self.lead:
            return False
        return self._accept(parse_title("".join(self.pieces[i].text for i in self.lead)), set(self.lead))

    def title_from_other_link(self) -> bool:
        for i, li in self.links.items():
            named = li.kind not in ("anchor", "arxiv") and not li.is_paper and not li.generic
            if named and self._accept(parse_title(li.text), {i}, i):
                return True
        return False

    def short_name_from_lead(self) -> None:
        """ "HELM: [Holistic Evaluation ...](...)", "[ICML 2023] LaCo: [...]": the name before a linked title."""
        if self.citation is not None or not self.lead or set(self.lead) & self.used:
            return
        venue, rest = find_venue("".join(self.pieces[i].text for i in self.lead))
        name = short_name_prefix(rest)
        if name:
            self.short = self.short or name
            if venue is not None:
                self.venues.append(venue)
            self.used |= set(self.lead)

    def find_title(self) -> None:
        steps: tuple[Callable[[], bool], ...] = (
            self.title_from_title_cell,
            self.title_from_paper_link,
            self.title_from_bold,
            self.title_from_citation,
            self.name_from_table_row,
            self.title_from_lead,
            self.title_from_other_link,
        )
        for step in steps:
            if step():
                break
        self.short_name_from_lead()

    # --- authors ----------------------------------------------------------------------------------------------

    def authors_from_italics(self) -> bool:
        """An italic run that reads as names ("*A, B and C.*", "_A et al._", "*A* et al.")."""
        if not any(p.em for p in self.pieces):
            return False
        i = 0
        while i < len(self.pieces):
            if not self._italic(i):
                i += 1
                continue
            j = i
            while j + 1 < len(self.pieces) and (self._italic(j + 1) or self.pieces[j + 1].kind == "break"):
                j += 1
            if self._take_author_run(i, j):
                return True
            i = j + 1
        return False

    def _italic(self, i: int) -> bool:
        p = self.pieces[i]
        return p.kind == "text" and p.em and not p.strong and i not in self.used and bool(p.text.strip())

    def _take_author_run(self, first: int, last: int) -> bool:
        run = [k for k in range(first, last + 1) if self.pieces[k].kind == "text"]
        text = " ".join(self.pieces[k].text for k in run)
        prefix = ""
        before = first - 1
        if before >= 0 and self.pieces[before].kind == "text" and before not in self.used:
            glued = _GLUED_BEFORE.search(self.pieces[before].text)  # "S*ang Michael Xie et al*"
            if glued and not self.pieces[first].text[:1].isspace():
                prefix = glued.group()
        after = last + 1
        et_al = None
        if after < len(self.pieces) and self.pieces[after].kind == "text" and after not in self.used:
            et_al = _ET_AL_AFTER.match(self.pieces[after].text)
        names = squash(prefix + text + (" et al." if et_al else "")).strip(" .,;*_\"'“”")
        if not looks_like_author_line(names):
            return False
        self.authors = split_authors(names)
        self.used |= set(run)
        if prefix:
            p = self.pieces[before]
            self.pieces[before] = p.copy(text=p.text[: len(p.text) - len(prefix)])
        if et_al:
            p = self.pieces[after]
            self.pieces[after] = p.copy(text=p.text[et_al.end() :])
        return True

    def authors_from_name_line(self) -> bool:
        """A line of plain names under the title ("[Title](url) <br> A, B, C")."""
        for line in self.line_indexes:
            text = "".join(self.pieces[i].text for i in line if i not in self.used and self.pieces[i].kind == "text")
            if not _NAME_SEPARATOR.search(text):
                continue
            names = squash(text).strip(" *_.\\")
            others = [i for i in line if i not in self.used and self.pieces[i].kind == "link"]
            if not names or others and not all(self.links[i].generic for i in others):
                continue
            bare = squash(_BRACKETED.sub(" ", names))  # "Hao (Mark)Chen": a nickname in brackets
            if looks_like_authors(bare, min_names=2):
                self.authors = split_authors(names)
                self.used |= {i for i in line if self.pieces[i].kind == "text"}
                return True
            if self._names_then_venue(line):
                return True
        return False

    def _names_then_venue(self, line: list[int]) -> bool:
        """ "[Title](url) A, B, C. Arxiv 2025.": names up to the first full stop, the rest stays for the venue."""
        texts = [i for i in line if i not in self.used and self.pieces[i].kind == "text"]
        texts = [i for i in texts if self.pieces[i].text.strip()]
        if len(texts) != 1:
            return False
        piece = self.pieces[texts[0]]
        m = _NAMES_END.search(piece.text)
        if m is None:
            return False
        names = piece.text[: m.start()].strip(" *_")
        if not (_NAME_SEPARATOR.search(names) and looks_like_authors(names, min_names=3)):
            return False
        self.authors = split_authors(names)
        self.pieces[texts[0]] = piece.copy(text=piece.text[m.end() :])
        return True

    def find_authors(self) -> None:
        if self.citation is not None:
            self.authors = list(self.citation.authors)
            return
        _ = self.authors_from_italics() or self.authors_from_name_line()

    # --- the rest -------------------------------------------------------------------------------------------

    def names_paper(self) -> bool:
        if self.arxiv or self.citation is not None or self.row.is_paper:
            return True
        if any(li.is_paper for li in self.links.values()):
            return True
        # A title with an author line is a paper wherever its link points (a blog post, a journal page).
        return self.title is not None and bool(self.authors) and self.title_link is not None

    def rest_and_note(self, entry: ListEntry) -> None:
        """Venue, date and note from what the title and authors did not use, line by line."""
        notes: list[str] = []
        for text in [*self.after_title, *self._unused_lines()]:
            text = without_empty_brackets(squash(text)[:_MAX_TEXT]).strip()
            if not text:
                continue
            venue, text = find_venue(text)
            if venue is None:
                venue, text = venue_as_written(text)
            if venue is not None:
                self.venues.append(venue)
            date, text = find_date(text)
            if date is not None:
                self.dates.append(date)
            notes.append(text)
        entry.note = clean_note(" ".join(notes))

    def _unused_lines(self) -> list[str]:
        out = []
        for line in self.line_indexes:
            parts = []
            for i in line:
                p = self.pieces[i]
                if i in self.used:
                    continue
                if p.kind == "text" or (p.kind == "link" and not self.links[i].generic):
                    parts.append(p.text)
                else:
                    parts.append(" ")
            out.append("".join(parts))
        return out

    def add_links(self, entry: ListEntry) -> None:
        seen: set[str] = set()
        # Without an arXiv ID or another paper link, the title's link of a row or an item with authors is
        # where the paper is, whatever the site (a lab's blog, a journal's page).
        own_page = not entry.arxiv_id and (self.row.is_paper or bool(self.authors))
        own_page = own_page and not any(li.kind in ("pdf", "paper") for li in self.links.values())
        for i, li in self.links.items():
            if li.kind in ("arxiv", "anchor", "empty") or li.url in seen:
                continue
            kind = li.kind
            if i == self.title_link and kind in ("other", "summary", "project") and own_page:
                kind = "paper"
            elif i == self.title_link and kind == "other":
                kind = "project"
            seen.add(li.url)
            entry.links.append(Link(kind, li.url))

    def paper_page(self, entry: ListEntry) -> None:
        """`url` and `doi` of a paper that is not on arXiv: its own page stays in `links` too."""
        for link in entry.links:
            m = _DOI_IN_URL.search(link.url) if "10." in link.url else None
            if m and entry.doi is None:
                entry.doi = m.group(1).rstrip(".,;")
        text = self.plain_text(with_links=False)
        if entry.doi is None and ("doi" in text or "DOI" in text):
            m = _DOI_IN_TEXT.search(text)
            entry.doi = m.group(1).rstrip(".,;") if m else None
        if entry.arxiv_id:
            return
        title_url = self.pieces[self.title_link].url.strip() if self.title_link is not None else None
        paper_links = [link.url for link in entry.links if link.kind in ("paper", "pdf")]
        if title_url and title_url in paper_links:
            entry.url = title_url
        elif paper_links:
            entry.url = paper_links[0]

    def choose_venue_and_year(self, entry: ListEntry) -> None:
        if self.citation is not None:
            entry.venue, entry.year = self.citation.venue, self.citation.year
        named = [v for v in self.venues if v.name]
        if entry.venue is None and named:
            best = next((v for v in named if v.name != "arXiv" and v.year), None)
            best = best or next((v for v in named if v.name != "arXiv"), named[0])
            entry.venue = best.name
        if entry.year is None:
            own = [v.year for v in self.venues if v.name == entry.venue and v.year]
            any_year = [v.year for v in self.venues if v.year]
            dated = [year for year, _ in self.dates]
            years = own or any_year or dated
            entry.year = years[0] if years else None
        if entry.month is None and self.dates:
            year, month = self.dates[0]
            if year == entry.year:
                entry.month = month

    def warn_about(self, entry: ListEntry) -> None:
        if len(self.arxiv) > 1:
            ids = ", ".join(a.id for a in self.arxiv)
            detail = f"several arXiv IDs in one item ({ids}); the entry uses {entry.arxiv_id}"
            self.warn("several-arxiv-ids", self.line, detail)
        full_text = self.plain_text(with_links=True)
        if "undefined" in full_text and _UNDEFINED.search(full_text):
            self.warn(
                "lost-character",
                self.line,
                "the text contains 'undefined' inside a word; a character was probably lost when it was copied",
            )
        if entry.title is None and entry.arxiv_id:
            texts = [self.pieces[i].text for i, li in self.links.items() if li.arxiv is not None]
            why = f" (the link text is {texts[0]!r})" if texts and texts[0].strip() else ""
            self.warn("no-title", self.line, f"no title for arXiv {entry.arxiv_id}{why}")

    # --- the steps in order --------------------------------------------------------------------------------

    def build(self) -> ListEntry | None:
        for step in (self.check_arxiv_links, self.read_badges, self.read_arxiv_ids, self.take_ref_number):
            step()
        self.find_title()
        self.find_authors()
        if not self.names_paper() or (self.title is None and not self.arxiv):
            return None
        entry = ListEntry(title=self.title, short_name=self.short, line=self.line, ref=self.ref)
        if self.arxiv:
            entry.arxiv_id, entry.arxiv_version = self.arxiv[0].id, self.arxiv[0].version
        entry.authors = self.authors
        fillers: tuple[Callable[[ListEntry], None], ...] = (
            self.rest_and_note,
            self.add_links,
            self.paper_page,
            self.choose_venue_and_year,
            self.warn_about,
        )
        for fill in fillers:
            fill(entry)
        return entry


def build_entry(pieces: list[Piece], line: int, warn: Warn, row: Row | None = None) -> ListEntry | None:
    return _Builder(list(pieces), line, warn, row or Row()).build()


# --- splitting one block into several candidates ----------------------------------------------------------


@lru_cache(maxsize=4096)
def _text_could_be_title(text: str) -> bool:
    _, rest = find_venue(text)
    return parse_title(rest).title is not None and len(rest.strip()) > 2


def _line_has_paper(pieces: list[Piece], indexes: list[int]) -> bool:
    return any(pieces[i].kind == "link" and classify_link(pieces[i].url, pieces[i].text).is_paper for i in indexes)


def _line_has_title(pieces: list[Piece], indexes: list[int]) -> bool:
    """Whether the line has a link or text that could be a paper's title."""
    for i in indexes:
        p = pieces[i]
        if p.kind == "link":
            li = classify_link(p.url, p.text)
            if li.kind != "anchor" and not li.generic and parse_title(p.text).title is not None:
                return True
        elif p.kind == "text" and not p.em and _text_could_be_title(p.text[:_MAX_TEXT]):
            return True
    return False


def split_candidates(pieces: list[Piece]) -> list[list[Piece]]:
    """The entries one block may hold: lines that each link a titled paper, or several titled paper links.

    A line that only adds links ("Arxiv, [Paper](...), [Code](...)"), authors or wraps text stays with the
    line above.
    """
    lines = _lines(pieces)
    if len(lines) > 1:
        papers = [_line_has_paper(pieces, ln) for ln in lines]
        if sum(papers) >= 2:  # only then do titles decide where entries start (most blocks have one paper line)
            flags = [(paper, _line_has_title(pieces, ln)) for paper, ln in zip(papers, lines, strict=True)]
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
