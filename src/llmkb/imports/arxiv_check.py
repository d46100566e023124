"""arXiv as the authority for a list's arXiv papers: the step `import-list` runs between parsing and writing.

Every arXiv ID the list links is looked up (batches of 100, arXiv's spacing between requests, the client's
retries), unless the paper is already stored complete and was confirmed less than `max_age_days` ago, so
re-importing a list costs no request. arXiv's record then wins for the bibliographic fields; the list keeps
what arXiv does not know. Where the list's title and arXiv's differ, the list's is kept beside it
(`list_title`); where they name different papers, the paper is flagged and the import warns, because that
is how a wrong ID in a list shows itself. When arXiv cannot be reached the import goes on with the list's
own facts, says so once, and the papers stay unverified for `llmkb refresh --unverified`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.imports.report import ImportReport
from llmkb.thresholds import DIFFERENT_TITLES
from llmkb.titles import title_key

if TYPE_CHECKING:
    from llmkb.arxiv.importer import Progress
    from llmkb.imports.list_import import ListPaper

AUTHORITY = "arxiv"


def different_papers(a: str, b: str) -> bool:
    """Whether two titles given for one ID name different papers, not one paper worded differently: a list
    that shortens a title ("ShortGPT: layers are redundant") or an arXiv version that rewords it is no
    conflict; word sets that barely meet are."""
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(title_key(a), title_key(b)) < DIFFERENT_TITLES


def _fresh_ids(db: Path, ids: Sequence[str], max_age_days: float) -> set[str]:
    """IDs stored complete (abstract and authors) and confirmed by arXiv less than `max_age_days` ago."""
    if not db.exists() or not ids or max_age_days <= 0:
        return set()
    from llmkb.store.connection import connect

    cutoff = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=max_age_days)).replace(microsecond=0)
    fresh: set[str] = set()
    conn = connect(db)
    try:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT arxiv_id FROM paper WHERE arxiv_id IN ({marks}) AND verified >= ? "
                "AND abstract IS NOT NULL AND abstract != '' AND authors NOT IN ('', '[]')",
                [*chunk, cutoff.isoformat()],
            )
            fresh.update(row[0] for row in rows)
    finally:
        conn.close()
    return fresh


def verify_on_arxiv(
    db: Path,
    papers: Sequence[ListPaper],
    report: ImportReport,
    *,
    max_age_days: float = 30.0,
    progress: Progress | None = None,
) -> None:
    """Gives each paper with an arXiv ID arXiv's record (`authoritative`), flags title conflicts, and notes
    in `report` what could not be checked."""
    from llmkb.arxiv.client import ArxivFetchError, fetch_by_ids, requests_needed
    from llmkb.arxiv.importer import fields_from_arxiv

    by_id: dict[str, list[ListPaper]] = {}
    for paper in papers:
        if paper.fields.arxiv_id:
            by_id.setdefault(paper.fields.arxiv_id, []).append(paper)
    wanted = [i for i in by_id if i not in _fresh_ids(db, list(by_id), max_age_days)]
    if not wanted:
        return
    if progress is not None:
        progress.start(len(wanted), requests_needed(len(wanted)))
    answered: set[str] = set()
    try:
        for batch in fetch_by_ids(wanted):
            for fetched in batch.papers:
                answered.add(fetched.arxiv_id)
                authoritative = fields_from_arxiv(fetched)
                for paper in by_id.get(fetched.arxiv_id, ()):
                    paper.authoritative, paper.authority = authoritative, AUTHORITY
                    compare_titles(paper, fetched.title, report)
            for missing in [*batch.not_found, *batch.invalid]:
                answered.add(missing)
                for paper in by_id.get(missing, ()):
                    paper.fields.flag = "arXiv has no paper with this ID"
                    report.warnings.append(f"line {paper.lines[0]}: arXiv has no paper {missing}; check the link")
            if progress is not None:
                progress.advance(len(batch.papers) + len(batch.not_found) + len(batch.invalid))
    except ArxivFetchError as exc:
        unchecked = len([i for i in wanted if i not in answered])
        report.notes.append(
            f"arXiv could not be reached ({exc.reason}); {unchecked} paper{'s' * (unchecked != 1)} stored "
            "from the list alone, unverified (`llmkb refresh --unverified` completes them)"
        )


def compare_titles(paper: ListPaper, arxiv_title: str, report: ImportReport) -> None:
    listed = paper.fields.title
    if not listed or title_key(listed) == title_key(arxiv_title):
        return
    paper.fields.list_title = listed
    if different_papers(listed, arxiv_title):
        paper.fields.flag = f"the list's title names another paper: {listed!r}"
        report.warnings.append(
            f"line {paper.lines[0]}: the list calls {paper.fields.arxiv_id} {listed!r} "
            f"but arXiv's title is {arxiv_title!r}"
        )
