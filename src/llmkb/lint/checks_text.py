"""Text damaged on its way into the list: mojibake, characters lost in copying, PDF line numbers and
hyphenation breaks, titles glued together at a colon.

PDF line numbers are easy to confuse with numbers a title really has ("with 175 billion parameters"), so a
bare three-digit number between words is only called one inside a reference copied from a paper's
bibliography (an entry with authors and no link), or where the same line also shows a hyphenation break.
"""

from __future__ import annotations

import re

from llmkb.awesome_list.text import repair_mojibake
from llmkb.lint.document import Document
from llmkb.lint.findings import Finding

_UNDEFINED = re.compile(r"[^\W\d_]undefined\b")
_HYPHEN_BREAK = re.compile(r"\b([A-Za-z]{2,})- (?:\d{2,4} )?([a-z]{2,})\b")
_NOT_BREAKS = frozenset({"and", "or", "to", "nor", "vs", "versus", "than", "as"})
# second halves that make a hyphenated compound, whose hyphen belongs to the word ("fusion-in-decoder")
_COMPOUND_TAILS = frozenset(
    {"in", "of", "on", "at", "by", "the", "based", "aware", "free", "level", "scale", "wise", "like"}
)
_LINE_NUMBER = re.compile(r"(?<=[A-Za-z.,]) (\d{3}) (?=[A-Za-z]|(?:19|20)\d\d\b)")
_GLUED_COLON = re.compile(r"(?<=[A-Za-z0-9])[:：](?=[A-Za-z])")
_TRAILING_COMMA = re.compile(r"\[\d+\](?:\s*,\s*\[\d+\])*\s*,\s*(?=\||$)")
_URL = re.compile(r"\]\([^)]*\)|https?://\S+|`[^`]*`")


def check_text(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    citations = {e.line for e in doc.entries if e.authors and not e.links and not e.arxiv_id}
    for number, raw in enumerate(doc.lines, start=1):
        if not raw.strip():
            continue
        line = _URL.sub(lambda m: " " * len(m.group()), raw)
        repaired = repair_mojibake(line)
        if repaired != line:
            at = next(i for i, (a, b) in enumerate(zip(line, repaired, strict=False)) if a != b)
            snippet = line[at : at + 3]
            findings.append(
                Finding("LK601", number, at + 1, f"{snippet!r} is mojibake: UTF-8 read as cp1252", _fixed(line, at))
            )
        m = _UNDEFINED.search(line)
        if m:
            start = m.start()
            while start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
                start -= 1
            word = line[start : m.end()]
            message = f"{word!r}: 'undefined' took the place of a character lost in copying"
            findings.append(Finding("LK602", number, start + 1, message))
        findings += _pdf_artefacts(number, line, citation=number in citations)
        if number in doc.table_rows and "]," in line:
            for m in _TRAILING_COMMA.finditer(line):
                message = f"the reference list {m.group().strip()!r} ends in a comma"
                findings.append(Finding("LK605", number, m.start() + 1, message, m.group().strip().rstrip(",").strip()))
    for e in doc.entries:
        m = _GLUED_COLON.search(e.title or "")
        if not m or not e.title:
            continue
        start = e.title.rfind(" ", 0, m.start()) + 1
        end = e.title.find(" ", m.end())
        snippet = e.title[start : end if end > 0 else len(e.title)]
        located = doc.locate(e.line, snippet) or (e.line, 1)
        fixed = snippet.replace(m.group(), m.group() + " ", 1)
        findings.append(Finding("LK604", located[0], located[1], f"no space after the colon in {snippet!r}", fixed))
    return findings


def _fixed(line: str, at: int) -> str:
    end = line.find(" ", at + 3)
    return repair_mojibake(line[at : end if end > 0 else len(line)])


def _pdf_artefacts(number: int, line: str, *, citation: bool) -> list[Finding]:
    breaks = [m for m in _HYPHEN_BREAK.finditer(line) if m.group(2) not in _NOT_BREAKS]
    numbers = list(_LINE_NUMBER.finditer(line))
    found = []
    for m in breaks:
        joined = m.group(1) + ("-" if m.group(2) in _COMPOUND_TAILS else "") + m.group(2)
        message = f"{m.group()!r} looks like a word broken across lines in a PDF ({joined!r})"
        found.append(Finding("LK603", number, m.start() + 1, message, joined))
    if numbers and (citation or breaks or len(numbers) >= 2):
        shown = ", ".join(m.group(1) for m in numbers)
        message = f"PDF line number{'s' * (len(numbers) > 1)} {shown} pasted into the text"
        found.append(Finding("LK603", number, numbers[0].start() + 2, message))
    return found
