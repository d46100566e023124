"""arXiv IDs and the titles given for them: impossible IDs, one ID under two papers' titles, IDs pasted
twice, and, with arXiv's answers, unknown IDs, titles that name another paper (with the ID arXiv's title
search finds for them), reworded or outdated titles, withdrawn papers and pinned old versions.

A "title" is only compared when it reads like one (LINT_TITLE_WORDS): lists write model names where
titles go ("mT0" and "BLOOMZ" for one paper), and calling that a wrong ID would be a false error. Two titles
name different papers by the import's own rule (`different_papers`), so lint and `import-list` agree.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from llmkb.awesome_list import ListEntry
from llmkb.imports.arxiv_check import different_papers
from llmkb.lint.arxiv_facts import ArxivFacts
from llmkb.lint.document import Document
from llmkb.lint.findings import Edit, Finding
from llmkb.thresholds import LINT_TITLE_WORDS
from llmkb.titles import title_key

_LONG_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_DOUBLED = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?(?:\s?arxiv\s?:?\s?)?\1", re.IGNORECASE)
_INVALID_LINK = re.compile(r"^(\S+) is not a valid arXiv link: (.+)$")
_OLD_FORM = re.compile(r"arxiv\.org/ftp/arxiv/papers/\d{4}/(\d{4}\.\d{4,5})(?:v\d+)?\.pdf", re.IGNORECASE)


def title_like(title: str | None) -> TypeGuard[str]:
    return bool(title) and len(_LONG_WORD.findall(title_key(title or ""))) >= LINT_TITLE_WORDS


def quoted(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- offline ---------------------------------------------------------------------------------------------


def check_ids_offline(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    for warning in doc.parsed.warnings:
        m = _INVALID_LINK.match(warning.message)
        if m:
            url, reason = m.groups()
            message = f"{url} cannot be an arXiv paper: {reason}"
            findings.append(Finding("LK103", warning.line, doc.column(warning.line, url), message))
    findings += _two_titles(doc)
    for number, line in enumerate(doc.lines, start=1):
        if "arxiv" in line.lower() or "." in line:
            for m in _DOUBLED.finditer(line):
                message = f"the arXiv ID {m.group(1)} is written twice with nothing between"
                findings.append(Finding("LK105", number, m.start() + 1, message, m.group(1) + (m.group(2) or "")))
    for link in doc.links:
        m = _OLD_FORM.search(link.url)
        if m:
            message = f"an old-style arXiv link ({link.url}); the paper's page is https://arxiv.org/abs/{m.group(1)}"
            findings.append(
                Finding(
                    "LK110", link.line, doc.column(link.line, link.url), message, f"https://arxiv.org/abs/{m.group(1)}"
                )
            )
    return findings


def _two_titles(doc: Document) -> list[Finding]:
    first: dict[str, ListEntry] = {}
    reported: set[tuple[str, str]] = set()
    findings = []
    for e in doc.entries:
        if not e.arxiv_id or not title_like(e.title):
            continue
        seen = first.setdefault(e.arxiv_id, e)
        if seen is e or not different_papers(seen.title or "", e.title or ""):
            continue
        key = (e.arxiv_id, title_key(e.title or ""))
        if key in reported:
            continue
        reported.add(key)
        message = (
            f"arXiv {e.arxiv_id} is given to {quoted(e.title or '')} here and to {quoted(seen.title or '')} "
            f"on line {seen.line}: the titles name different papers, so one of the links is wrong"
        )
        findings.append(Finding("LK104", e.line, id_column(doc, e), message))
    return findings


def id_column(doc: Document, e: ListEntry) -> int:
    found = doc.locate(e.line, e.arxiv_id or "")
    return found[1] if found and found[0] == e.line else 1


def id_position(doc: Document, e: ListEntry) -> tuple[int, int]:
    found = doc.locate(e.line, e.arxiv_id or "", span=max(len(doc.entry_lines(e)) - 1, 0))
    return found if found else (e.line, 1)


# --- with arXiv's answers -----------------------------------------------------------------------------------


def wanted_titles(doc: Document, facts: ArxivFacts) -> list[str]:
    """List titles whose arXiv ID a title search should find: those that name another paper than their ID."""
    titles = []
    for e in doc.entries:
        record = facts.record(e.arxiv_id) if e.arxiv_id else None
        if record is None or not record.found or not record.title or not title_like(e.title):
            continue
        if different_papers(e.title or "", record.title):
            titles.append(e.title or "")
    return titles


def wanted_versions(doc: Document, facts: ArxivFacts) -> dict[str, int]:
    """Papers whose list title is not arXiv's current one and that have earlier versions to compare."""
    latest = {}
    for e in doc.entries:
        record = facts.record(e.arxiv_id) if e.arxiv_id else None
        if record is None or not record.found or not record.title or not record.version or record.version < 2:
            continue
        if title_like(e.title) and title_key(e.title or "") != title_key(record.title):
            latest[record.arxiv_id] = record.version
    return latest


def check_ids_online(doc: Document, facts: ArxivFacts) -> list[Finding]:
    findings: list[Finding] = []
    for e in doc.entries:
        if not e.arxiv_id:
            hit = facts.title_hit(e.title) if title_like(e.title) else None
            if hit is not None and hit.title and title_key(hit.title) != title_key(e.title or ""):
                located = doc.locate(e.line, (e.title or "")[:40]) or (e.line, 1)
                message = f"the title differs from arXiv's for {hit.arxiv_id}: {quoted(hit.title)}"
                findings.append(Finding("LK106", located[0], located[1], message, hit.title))
            continue
        record = facts.record(e.arxiv_id)
        if record is None:
            continue
        line, column = id_position(doc, e)
        if not record.found:
            findings.append(Finding("LK102", line, column, f"arXiv has no paper {e.arxiv_id}; check the link"))
            continue
        if record.withdrawn:
            comment = quoted(record.comment or "", 120)
            findings.append(Finding("LK108", line, column, f"arXiv {e.arxiv_id} is withdrawn: {comment}"))
        if e.arxiv_version and record.version and e.arxiv_version < record.version:
            message = f"the link pins {e.arxiv_id}v{e.arxiv_version}; arXiv's latest is v{record.version}"
            findings.append(Finding("LK109", line, column, message, f"{e.arxiv_id}v{record.version}"))
        if title_like(e.title) and record.title and title_key(e.title or "") != title_key(record.title):
            finding = _title_finding(doc, e, record, facts, line, column)
            if finding is not None:
                findings.append(finding)
    return findings


def _title_finding(doc, e: ListEntry, record, facts: ArxivFacts, line: int, column: int) -> Finding | None:
    listed = e.title or ""
    title_line = doc.locate(e.line, listed[:40]) or (e.line, 1)
    for number, old in sorted(facts.version_titles(e.arxiv_id or "").items()):
        if title_key(old) == title_key(listed):
            message = (
                f"the list's title for {e.arxiv_id} is v{number}'s; arXiv's title (v{record.version}) is now "
                f"{quoted(record.title)}"
            )
            return Finding("LK107", title_line[0], title_line[1], message, record.title)
    if not different_papers(listed, record.title):
        mine, theirs = set(title_key(listed).split()), set(title_key(record.title).split())
        if mine <= theirs or theirs <= mine:
            return None  # shortened on purpose, or arXiv's title with a venue or authors after it
        message = f"the title differs from arXiv's for {e.arxiv_id}: {quoted(record.title)}"
        return Finding("LK106", title_line[0], title_line[1], message, record.title)
    message = f"the list calls {e.arxiv_id} {quoted(listed)}, but arXiv's {e.arxiv_id} is {quoted(record.title)}"
    hit = facts.title_hit(listed)
    if hit is None or hit.arxiv_id == e.arxiv_id:
        tail = "; arXiv's title search finds no paper with the list's title" if facts.searched(listed) else ""
        return Finding("LK101", line, column, message + tail)
    edits = tuple(_id_edits(doc, e, hit.arxiv_id))
    fix = f"{hit.arxiv_id} ({hit.title})"
    return Finding("LK101", line, column, f"{message}; the list's title is arXiv {hit.arxiv_id}", fix, edits)


def _id_edits(doc: Document, e: ListEntry, new_id: str):
    """Every spelling of the wrong ID in the entry's own lines, version suffix included."""
    pattern = re.compile(r"(?<![\d.])" + re.escape(e.arxiv_id or "") + r"(v\d+)?(?!\d)")
    for number in doc.entry_lines(e):
        for m in pattern.finditer(doc.line_text(number)):
            yield Edit(number, m.start() + 1, m.group(), new_id)
