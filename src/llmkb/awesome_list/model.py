"""What the awesome-list parser hands to the importer: plain data, one entry per occurrence of a paper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

LINK_KINDS = ("code", "pdf", "paper", "project", "summary", "other")
ET_AL = "et al."
"""The last element of `ListEntry.authors` when the list names only the first authors ("A, B et al.")."""


@dataclass
class Link:
    kind: str  # one of LINK_KINDS
    url: str


@dataclass
class ListEntry:
    title: str | None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    short_name: str | None = None
    venue: str | None = None
    year: int | None = None
    month: int | None = None
    authors: list[str] = field(default_factory=list)  # ends with ET_AL when the list shortens it
    links: list[Link] = field(default_factory=list)
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    line: int = 0
    ref: int | None = None  # the list's own reference number, "[3] Title" -> 3
    url: str | None = None  # the paper's own page when it is not on arXiv (also in `links`)
    doi: str | None = None
    bare: bool = False  # only a name ("1. SmoothQuant" among linked papers): a paper if something can say which


@dataclass
class ListWarning:
    """One cause of trouble; `lines` holds every line it was seen on (`line` is the first)."""

    line: int
    message: str
    cause: str = "other"
    lines: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return max(1, len(self.lines))


class RefRow(NamedTuple):
    name: str
    refs: list[int]
    line: int


@dataclass
class RefTable:
    """A table whose rows cite the list's numbered references, e.g. | LLaMA2-7B | [2],[3] |."""

    heading_path: list[str]  # texts of the topical headings above the table
    line: int
    rows: list[RefRow]


@dataclass
class ParsedList:
    title: str | None
    entries: list[ListEntry]
    warnings: list[ListWarning]
    references: dict[int, int] = field(default_factory=dict)  # reference number -> index into entries
    ref_tables: list[RefTable] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (cause, line, detail), unaggregated
