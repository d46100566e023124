"""What a table's header says its columns hold, and what that says about each row.

A column headed "Title", "Paper" or "Title & Authors" holds the paper's title (with authors after a line
break in the last case); "Authors", "Venue" and "Date"/"Year" columns hold those fields. A row whose title
cell sits next to a date or a venue is a paper even when its title links a blog or a project page.
"""

from __future__ import annotations

from dataclasses import dataclass

from llmkb.awesome_list.inline import Piece
from llmkb.awesome_list.text import squash
from llmkb.awesome_list.venues import Venue, find_date, find_venue, parse_date, venue_as_written

_ROLE_WORDS = [
    ("title", ("title", "paper", "papers", "name", "论文", "标题", "题目")),
    ("authors", ("author", "authors", "作者")),
    ("date", ("year", "date", "time", "published", "时间", "日期", "年份")),
    ("venue", ("venue", "conference", "conf", "publication", "journal", "pub", "where", "会议")),
]


def column_roles(header: list[str]) -> list[str | None]:
    """One role per column; only the first column of each role counts."""
    roles: list[str | None] = []
    taken: set[str] = set()
    for text in header:
        words = set(squash(text.casefold().replace("&", " ").replace("/", " ")).split())
        role = next((r for r, names in _ROLE_WORDS if words & set(names)), None)
        if role in taken:
            role = None
        if role is not None:
            taken.add(role)
        roles.append(role)
    return roles


def plain(pieces: list[Piece]) -> str:
    return squash("".join(p.text if p.kind in ("text", "link") else " " for p in pieces))


@dataclass
class RowFields:
    """The fields a row gives in their own columns."""

    authors: str | None = None
    date: tuple[int | None, int | None] = (None, None)
    venue: Venue | None = None

    @property
    def says_paper(self) -> bool:
        dated_venue = self.venue is not None and self.venue.year is not None
        return bool(self.authors) or self.date[0] is not None or dated_venue


def venue_cell(text: str) -> Venue | None:
    """A venue column's cell: a known venue, else the text as written when it is short ("PMLR", "bioRxiv")."""
    s = text.strip(" -–—|")
    if not s:
        return None
    venue, rest = find_venue(s, bare=True)
    if venue is not None:
        return venue
    written, _ = venue_as_written(s)
    if written is not None:
        return written
    date, rest = find_date(s)
    name = squash(rest).strip(" ,.-")
    if 0 < len(name.split()) <= 4 and name[0].isalpha():
        return Venue(name, date[0] if date else None)
    return None


def date_cell(text: str) -> tuple[int | None, int | None]:
    return parse_date(text)
