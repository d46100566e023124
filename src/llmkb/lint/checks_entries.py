"""Entries and their links: the same paper twice, papers without links, links that lead nowhere or to a
PDF copy in someone's repository, and one summary link under two papers.

A paper is "the same" by arXiv ID, or by title (when it reads as a title) for papers without one, which is
how a paper linked once to arXiv and once to its publisher is caught. Listing a paper in two sections is
common and deliberate, so it is only noted; twice in one section is a mistake.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from llmkb.awesome_list import ListEntry
from llmkb.imports.arxiv_check import different_papers
from llmkb.lint.arxiv_facts import ArxivFacts
from llmkb.lint.checks_ids import quoted, title_like
from llmkb.lint.document import Document
from llmkb.lint.findings import Finding
from llmkb.titles import title_key

_COPY_HOSTS = (
    "github.com",
    "raw.githubusercontent.com",
    "gitlab.com",
    "gitee.com",
    "bitbucket.org",
    "drive.google.com",
    "dropbox.com",
    "www.dropbox.com",
    "onedrive.live.com",
)
_MALFORMED = re.compile(r"^malformed markdown link .* read as \[(.*)\]\((.*)\)$")
_NO_TITLE = re.compile(r"^no title for arXiv (\S+) \(the link text is '(.*)'\)$")
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def _paper_key(e: ListEntry) -> str | None:
    if e.arxiv_id:
        return e.arxiv_id
    return "title:" + title_key(e.title or "") if title_like(e.title) else None


def _has_paper_link(e: ListEntry) -> bool:
    return bool(e.arxiv_id) or any(link.kind in ("pdf", "paper") for link in e.links)


def check_entries(doc: Document, facts: ArxivFacts | None = None) -> list[Finding]:
    findings: list[Finding] = []
    findings += _duplicates(doc)
    findings += _unlinked(doc)
    findings += _links(doc, facts)
    findings += _shared_summaries(doc)
    return findings


def _duplicates(doc: Document) -> list[Finding]:
    findings = []
    first: dict[str, ListEntry] = {}
    by_title: dict[str, ListEntry] = {}
    for e in doc.listed:
        key = _paper_key(e)
        if key is None:
            continue
        tkey = title_key(e.title or "") if title_like(e.title) else None
        seen = first.get(key)
        if seen is None and tkey is not None and tkey in by_title:
            other = by_title[tkey]
            if bool(other.arxiv_id) != bool(e.arxiv_id) and _has_paper_link(e) and _has_paper_link(other):
                where = "arXiv" if other.arxiv_id else "a publisher's page"
                message = f"{quoted(e.title or '')} is already listed on line {other.line}, linked to {where}"
                findings.append(Finding("LK501", e.line, 1, message))
        first.setdefault(key, e)
        if tkey is not None:
            by_title.setdefault(tkey, e)
        if seen is None:
            continue
        if title_key(seen.title or "") != title_key(e.title or ""):
            if not (title_like(seen.title) and title_like(e.title)):
                continue  # two models of one paper in a table ("mT0", "BLOOMZ"), not the paper twice
            if different_papers(seen.title or "", e.title or ""):
                continue  # one ID, two papers: LK104
        name = quoted(e.title or e.arxiv_id or "")
        if doc.section_of(seen.line) == doc.section_of(e.line):
            findings.append(
                Finding("LK501", e.line, 1, f"{name} is listed twice in this section (also line {seen.line})")
            )
        else:
            heading = doc.heading_before(seen.line)
            section = f" under {doc.headings[heading].text!r}" if heading is not None else ""
            findings.append(Finding("LK502", e.line, 1, f"{name} is also listed{section} (line {seen.line})"))
    return findings


def _unlinked(doc: Document) -> list[Finding]:
    findings = []
    entry_lines = {e.line for e in doc.entries}
    linked_by_list: dict[int, int] = {}
    for e in doc.entries:
        if not e.arxiv_id and not e.links and e.title:
            message = f"{quoted(e.title)} is named but not linked: add its arXiv or publisher page"
            findings.append(Finding("LK503", e.line, 1, message))
    for item in doc.items:
        if item.line in entry_lines and any(doc.links[i].url for i in item.links):
            linked_by_list[item.list_id] = linked_by_list.get(item.list_id, 0) + 1
    for index, item in enumerate(doc.items):
        text = item.text.strip()
        if item.links or not text or item.line in entry_lines or linked_by_list.get(item.list_id, 0) < 2:
            continue
        nested = index + 1 < len(doc.items) and doc.items[index + 1].depth > item.depth
        if nested or len(text.split()) > 12 or text.endswith(":"):
            continue
        message = f"{quoted(text)} has no link, unlike the papers around it"
        findings.append(Finding("LK503", item.line, doc.column(item.line, text[:30]), message))
    return findings


def _is_copy(url: str) -> bool:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    return host in _COPY_HOSTS and parts.path.lower().endswith(".pdf")


def _links(doc: Document, facts: ArxivFacts | None) -> list[Finding]:
    findings = []
    for ref in doc.links:
        if ref.url == "" and ref.text and ref.text.strip():
            message = f"the link {quoted(ref.text)} has an empty target"
            findings.append(Finding("LK504", ref.line, doc.column(ref.line, f"[{ref.text}]()"), message))
    for warning in doc.parsed.warnings:
        m = _MALFORMED.match(warning.message)
        if m:
            text, url = m.groups()
            column = doc.column(warning.line, url)
            message = f"the link {quoted(text)} is broken (a space in the URL, or a missing bracket)"
            findings.append(Finding("LK505", warning.line, column, message))
        m = _NO_TITLE.match(warning.message)
        if m and _URLISH.match(m.group(2).strip()):
            arxiv_id = m.group(1)
            record = facts.record(arxiv_id) if facts is not None else None
            fix = record.title if record is not None and record.found else None
            column = doc.column(warning.line, "[" + m.group(2))
            message = f"arXiv {arxiv_id} is linked with its URL as the text; give the paper's title"
            findings.append(Finding("LK508", warning.line, column, message, fix))
    for e in doc.entries:
        for link in e.links:
            if link.kind != "pdf" or not _is_copy(link.url):
                continue
            located = doc.locate(e.line, link.url, span=len(doc.entry_lines(e)) - 1) or (e.line, 1)
            host = urlsplit(link.url).netloc
            hit = facts.title_hit(e.title) if facts is not None and e.title and not e.arxiv_id else None
            if hit is not None:
                message = f"links a PDF copy on {host}; the paper's page is arXiv {hit.arxiv_id}"
                fix = f"https://arxiv.org/abs/{hit.arxiv_id}"
                findings.append(Finding("LK506", located[0], located[1], message, fix))
            elif e.arxiv_id:
                message = f"links a PDF copy on {host}; the paper's page is arXiv {e.arxiv_id}"
                findings.append(
                    Finding("LK506", located[0], located[1], message, f"https://arxiv.org/abs/{e.arxiv_id}")
                )
            else:
                message = f"links a PDF stored on {host}; link the arXiv or publisher page if the paper has one"
                findings.append(Finding("LK509", located[0], located[1], message))
    return findings


def pdf_copy_titles(doc: Document) -> list[str]:
    """Titles of papers linked only as PDF copies: their arXiv page is worth a title search."""
    return [
        e.title or ""
        for e in doc.entries
        if not e.arxiv_id and title_like(e.title) and any(_is_copy(link.url) for link in e.links)
    ]


def _shared_summaries(doc: Document) -> list[Finding]:
    findings = []
    owner: dict[str, ListEntry] = {}
    for e in doc.entries:
        key = _paper_key(e)
        for link in e.links:
            if link.kind != "summary":
                continue
            url = link.url.strip().rstrip("/")
            seen = owner.setdefault(url, e)
            if seen is e or _paper_key(seen) == key:
                continue
            located = doc.locate(e.line, link.url, span=len(doc.entry_lines(e)) - 1) or (e.line, 1)
            message = (
                f"the same summary link is under {quoted(seen.title or seen.arxiv_id or '')} (line {seen.line}); "
                "pasted under the wrong paper?"
            )
            findings.append(Finding("LK507", located[0], located[1], message))
    return findings
