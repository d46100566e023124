"""`llmkb lint`: a fact checker for awesome lists, for curators and their CI.

Each list is read with the parser `import-list` uses; checks that need nothing but the text run first, then
(unless offline) arXiv is asked about every linked ID in batches, and about the titles and earlier versions
those answers call for, and the checks that need arXiv run. Nothing is written except arXiv's answers to
the cache table; with `fix`, only certain changes are rewritten (see `llmkb.lint.fix`).

    from llmkb.lint import lint_texts
    report = lint_texts([("list.md", text)], offline=True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkb.lint.arxiv_facts import ArxivFacts, FactStats
from llmkb.lint.document import Document
from llmkb.lint.findings import RULE_BY_CODE, RULES, Finding, Rule, Selection, Severity
from llmkb.thresholds import ARXIV_CACHE_DAYS

__all__ = [
    "RULES",
    "RULE_BY_CODE",
    "Finding",
    "LintReport",
    "Rule",
    "Selection",
    "Severity",
    "lint_documents",
    "lint_texts",
]


@dataclass
class LintReport:
    findings: list[Finding]
    sources: list[str]
    offline: bool
    arxiv: FactStats = field(default_factory=FactStats)
    texts: dict[str, str] = field(default_factory=dict)  # source -> the text that was checked
    fixes: list = field(default_factory=list)  # llmkb.lint.fix.FixResult, one per list --fix changed

    def unfixed(self) -> list[Finding]:
        """The findings --fix did not resolve (all of them without --fix, or with --dry-run)."""
        done = {id(f) for result in self.fixes if result.written for f in result.applied}
        return [f for f in self.findings if id(f) not in done]


def lint_documents(
    docs: Sequence[Document],
    *,
    db: Path | None = None,
    offline: bool = True,
    selection: Selection | None = None,
    max_age_days: float | None = None,
) -> LintReport:
    """Every finding for `docs`, sorted by file, line and column, limited to `selection`."""
    from llmkb.lint.arxiv_facts import Session
    from llmkb.lint.checks_dates import check_dates
    from llmkb.lint.checks_entries import check_entries, pdf_copy_titles
    from llmkb.lint.checks_ids import check_ids_offline, check_ids_online, wanted_titles, wanted_versions
    from llmkb.lint.checks_names import check_names
    from llmkb.lint.checks_structure import check_structure
    from llmkb.lint.checks_text import check_text

    selection = selection or Selection()
    facts: ArxivFacts | None = None
    if selection.needs_network() or _uses_facts(selection):
        session = Session(db, offline=offline, max_age_days=ARXIV_CACHE_DAYS if max_age_days is None else max_age_days)
        session.ids([e.arxiv_id for doc in docs for e in doc.entries if e.arxiv_id])
        titles: list[str] = []
        latest: dict[str, int] = {}
        for doc in docs:
            if "LK101" in selection:
                titles += wanted_titles(doc, session.facts)
            if any(code in selection for code in ("LK101", "LK106", "LK107")):  # an old title is not a wrong one
                latest.update(wanted_versions(doc, session.facts))
        if "LK506" in selection:
            for doc in docs:
                titles += pdf_copy_titles(doc)
        session.titles(titles)
        session.versions(latest)
        facts = session.finish()

    findings: list[Finding] = []
    for doc in docs:
        found = [
            *check_ids_offline(doc),
            *check_dates(doc, facts),
            *check_names(doc),
            *check_structure(doc),
            *check_entries(doc, facts),
            *check_text(doc),
        ]
        if facts is not None:
            found += check_ids_online(doc, facts)
        for f in found:
            f.source = doc.source
        findings += _unique(f for f in found if f.code in selection)
    findings.sort(key=Finding.sort_key)
    return LintReport(
        findings,
        [doc.source for doc in docs],
        offline,
        facts.stats if facts is not None else FactStats(),
        {doc.source: doc.text for doc in docs},
    )


def _uses_facts(selection: Selection) -> bool:
    """Offline checks that read arXiv's answers when there are some: dates, PDF copies, URL titles."""
    return any(code in selection for code in ("LK201", "LK202", "LK203", "LK204", "LK205", "LK506", "LK508"))


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.code, f.line, f.column, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def lint_texts(
    texts: Sequence[tuple[str, str]],
    *,
    db: Path | None = None,
    offline: bool = True,
    selection: Selection | None = None,
    max_age_days: float | None = None,
) -> LintReport:
    """Lint (source name, markdown text) pairs."""
    docs = [Document(text, source) for source, text in texts]
    return lint_documents(docs, db=db, offline=offline, selection=selection, max_age_days=max_age_days)
