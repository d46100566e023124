"""How one paper's record is merged from several sources: the one set of rules, as a pure function.

Two kinds of source describe papers:
- authoritative ones (arXiv, the seed metadata file) own the bibliographic fields: title, authors, abstract,
  dates, categories, comment, journal ref, DOI, version; what they say replaces what is stored, and they
  stamp `verified`;
- lists and users only fill fields that are empty, and add links: a list contributes what arXiv does not
  know (venue and the year that goes with it, code and project links, the note, the short name), and its
  own title is kept beside arXiv's as `list_title` when the two differ.
An ID is never changed once stored, and merging the same facts twice changes nothing, which is what makes
re-running an import safe. No database here: `llmkb.store.papers_write` applies the result to a row.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field, fields, replace
from typing import Any

BIBLIOGRAPHIC = (
    "title",
    "abstract",
    "authors",
    "published",
    "updated",
    "primary_category",
    "categories",
    "comment",
    "journal_ref",
    "doi",
    "arxiv_version",
    "verified",
)
"""Fields an authoritative source owns and overwrites; a list never overwrites them once set."""


@dataclass
class PaperFields:
    """What a source knows about one paper; None (or empty) means "this source does not say"."""

    arxiv_id: str | None = None
    arxiv_version: int | None = None
    title: str | None = None
    short_name: str | None = None
    abstract: str | None = None
    authors: list[str] | None = None
    published: str | None = None
    updated: str | None = None
    primary_category: str | None = None
    categories: list[str] | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    venue: str | None = None
    year: int | None = None
    month: int | None = None
    note: str | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    list_title: str | None = None
    flag: str | None = None
    verified: str | None = None


FIELD_NAMES = tuple(f.name for f in fields(PaperFields))


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def merge(stored: PaperFields | None, incoming: PaperFields, *, authoritative: bool) -> tuple[PaperFields, list[str]]:
    """`stored` with `incoming` merged in, and the names of the fields that changed (all set ones if new)."""
    if stored is None:  # a new paper: every import of a big list asks this per paper, hence no replace()
        merged = copy(incoming)
        merged.links = list(incoming.links)
        given = vars(incoming)
        return merged, [n for n in FIELD_NAMES if not empty(given[n])]
    merged = replace(stored, links=list(stored.links))
    changed: list[str] = []
    for name in FIELD_NAMES:
        new = getattr(incoming, name)
        if empty(new) or (name == "arxiv_id" and stored.arxiv_id):
            continue
        old = getattr(stored, name)
        if name == "links":
            added = [link for link in new if link not in old]
            if added:
                merged.links = old + added
                changed.append(name)
            continue
        overwrite = authoritative and name in BIBLIOGRAPHIC
        if (overwrite or empty(old)) and old != new:
            setattr(merged, name, new)
            changed.append(name)
    if merged.list_title and merged.title and _same_text(merged.list_title, merged.title):
        merged.list_title = None  # arXiv's title now says the same: nothing to keep beside it
        if "list_title" in changed:
            changed.remove("list_title")
        elif stored.list_title is not None:
            changed.append("list_title")
    _venue_from_journal_ref(merged, changed)
    return merged, changed


_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def _venue_from_journal_ref(paper: PaperFields, changed: list[str]) -> None:
    """A journal reference names where the paper appeared ("... (OSDI 22), 2022"): the venue and year a
    list would give, used when no list gave them."""
    if not paper.journal_ref or paper.venue:
        return
    from llmkb.awesome_list.venues import venue_from_citation

    venue = venue_from_citation(paper.journal_ref)
    years = _YEAR.findall(paper.journal_ref)
    if venue is None or not years:
        return
    paper.venue = venue
    changed.append("venue")
    if paper.year is None:
        paper.year, paper.month = int(years[-1]), None
        changed.append("year")


def _same_text(a: str, b: str) -> bool:
    from llmkb.titles import title_key

    return title_key(a) == title_key(b)
