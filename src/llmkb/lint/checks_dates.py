"""Dates and venues against the first arXiv version: a paper cannot be from before it existed.

The first version's month is in every new-style ID (2404.11584 was submitted in April 2024), so these
checks need no network; arXiv's `published` date, when fetched, says the same to the day. A year later than
the first version is normal (the venue's year, a revision), except where the list says "arXiv YEAR", which
is the preprint's own year. A date that comes from a year heading (### 2023) has no month and is only held
against the year. When arXiv's title search says an entry's title is another paper than its ID, the date is
also held against that paper, because a pasted ID usually leaves the copied paper's date behind.
"""

from __future__ import annotations

import re

from llmkb.awesome_list import ListEntry
from llmkb.lint.arxiv_facts import ArxivFacts
from llmkb.lint.document import Document
from llmkb.lint.findings import Finding

_NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ID = re.compile(r"/(\d{2})(\d{2})\d{3}$")
_URLS = re.compile(r"\]\([^)]*\)|https?://\S+")


Month = tuple[int, int]


def first_version(arxiv_id: str, facts: ArxivFacts | None = None) -> tuple[Month, Month] | None:
    """The earliest and latest (year, month) the first arXiv version can have been submitted in.

    arXiv's own date settles it. An ID only bounds it: IDs are numbered by announcement, so a paper sent in
    the last days of a month can carry the next month's number (2001.00001 was submitted on 31 Dec 2019).
    """
    record = facts.record(arxiv_id) if facts is not None else None
    if record is not None and record.found and record.published and len(record.published) >= 7:
        exact = (int(record.published[:4]), int(record.published[5:7]))
        return exact, exact
    m = _NEW_ID.match(arxiv_id) or _OLD_ID.search(arxiv_id)
    if not m:
        return None
    yy, month = int(m.group(1)), int(m.group(2))
    year = 2000 + yy if yy < 91 else 1900 + yy
    if not 1 <= month <= 12:
        return None
    earlier = (year, month - 1) if month > 1 else (year - 1, 12)
    return earlier, (year, month)


def _written_date(doc: Document, e: ListEntry) -> tuple[int, int, bool]:
    """(line, column, written in the entry) of the entry's date; the entry's line when a heading gave it."""
    month = rf"(?:\s*[-/.年]\s*0?{e.month}(?!\d))?" if e.month else ""
    pattern = re.compile(rf"(?<!\d){e.year}{month}(?!\d)")
    for number in doc.entry_lines(e):
        text = _URLS.sub(lambda m: " " * len(m.group()), doc.line_text(number))
        m = pattern.search(text)
        if m:
            return number, m.start() + 1, True
    return e.line, 1, False


def _shown(year: int, month: int | None) -> str:
    return f"{year}/{month:02d}" if month else str(year)


def check_dates(doc: Document, facts: ArxivFacts | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for e in doc.entries:
        if not e.arxiv_id or not e.year:
            continue
        first = first_version(e.arxiv_id, facts)
        if first is not None:
            findings += _compare(doc, e, e.arxiv_id, first, "")
        hit = facts.title_hit(e.title) if facts is not None and e.title else None
        if hit is not None and hit.arxiv_id != e.arxiv_id:
            other = first_version(hit.arxiv_id, facts)
            if other is not None:
                findings += _compare(doc, e, hit.arxiv_id, other, f" (the paper its title names, not {e.arxiv_id})")
    return findings


def _compare(doc: Document, e: ListEntry, arxiv_id: str, first: tuple[Month, Month], whose: str) -> list[Finding]:
    year, month = e.year or 0, e.month
    (first_year, first_month), (last_year, last_month) = first
    line, column, written = _written_date(doc, e)
    venue = (e.venue or "").strip()
    preprint = not venue or venue.casefold() == "arxiv"
    listed = _shown(year, month if written else None)
    origin = "" if written else " (from the heading above it)"
    when = f"{first_year}/{first_month:02d}"
    if (first_year, first_month) != (last_year, last_month):
        when = f"{last_year}/{last_month:02d} (or the last days of {when})"
    since = f"arXiv {arxiv_id}{whose} was first submitted in {when}"
    if year < first_year:
        if preprint:
            return [Finding("LK201", line, column, f"the list dates this paper {listed}{origin}, but {since}")]
        message = f"{venue} {year} for a paper whose first arXiv version is later: {since}"
        return [Finding("LK205", line, column, message)]
    if written and month and preprint and (year, month) < (first_year, first_month):
        return [Finding("LK202", line, column, f"the list dates this paper {listed}, but {since}")]
    if venue.casefold() == "arxiv" and year not in (first_year, last_year):
        message = f"the list says arXiv {year}, but {since}"
        fix = f"arXiv {last_year}" if first_year == last_year else None
        return [Finding("LK203", line, column, message, fix)]
    if written and month and not venue and (year, month) > (last_year, last_month):
        message = f"the list dates this paper {listed}, but {since}; is {listed} a later version's date?"
        return [Finding("LK204", line, column, message)]
    return []
