"""Importing papers from arXiv by ID, URL, title or search query, and refreshing stored ones.

Each batch arXiv answers is stored in its own transaction before the next request goes out, so an import
that is interrupted or runs out of retries keeps everything fetched so far and a re-run only fetches the
rest (papers already stored at the same version are "unchanged").
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from llmkb.arxiv.ids import ArxivId, InvalidArxivId, find_arxiv_ids, parse_arxiv_id
from llmkb.errors import UsageError
from llmkb.imports.report import ImportReport, InvalidInput
from llmkb.slugs import checked_tags
from llmkb.thresholds import ARXIV_TITLE_MATCH
from llmkb.titles import title_key

if TYPE_CHECKING:
    from llmkb.arxiv.client import FetchedPaper

SOURCE = "arxiv"
TITLE_MATCH = ARXIV_TITLE_MATCH


class Progress(Protocol):
    """How far an import has got; the CLI draws it, tests may count it."""

    def start(self, total: int, requests: int) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass
class ParsedInput:
    text: str
    arxiv_id: ArxivId | None = None
    reason: str | None = None


@dataclass
class TitleMatch:
    title: str
    best: FetchedPaper | None
    candidates: list[tuple[FetchedPaper, float]]  # best score first


# --- inputs ---------------------------------------------------------------------------------------------


def inputs_from_lines(lines: Iterable[str]) -> list[str]:
    """Inputs from a file or standard input: one per line; blank lines and `#` comments are skipped.

    A line that is not an identifier as a whole (a citation, a markdown link) contributes the arXiv IDs
    found in it, if any; otherwise it is kept and reported invalid.
    """
    inputs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parse_arxiv_id(line)
        except InvalidArxivId:
            found = find_arxiv_ids(line)
            if found:
                inputs.extend(str(aid) for aid in found)
                continue
        inputs.append(line)
    return inputs


def parse_inputs(texts: Iterable[str]) -> list[ParsedInput]:
    parsed = []
    for text in texts:
        try:
            parsed.append(ParsedInput(text, parse_arxiv_id(text)))
        except InvalidArxivId as exc:
            parsed.append(ParsedInput(text, reason=str(exc)))
    return parsed


# --- storing --------------------------------------------------------------------------------------------


def now_iso() -> str:
    """The time arXiv confirmed a record, as stored in `verified` (UTC, seconds)."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def fields_from_arxiv(paper: FetchedPaper):
    from llmkb.imports.merge import PaperFields

    return PaperFields(
        arxiv_id=paper.arxiv_id,
        arxiv_version=paper.version,
        title=paper.title,
        abstract=paper.abstract or None,
        authors=paper.authors or None,
        published=paper.published,
        updated=paper.updated,
        primary_category=paper.primary_category,
        categories=paper.categories or None,
        comment=paper.comment,
        journal_ref=paper.journal_ref,
        doi=paper.doi,
        links=paper.links,
        verified=now_iso(),
    )


def _is_current(stored, fetched: FetchedPaper) -> bool:
    """A stored paper needs no write when arXiv has no newer version and nothing essential is missing."""
    if stored.arxiv_version is None or not stored.abstract or stored.authors in (None, "", "[]"):
        return False
    return (fetched.version or 0) <= stored.arxiv_version


def store_papers(
    db: Path,
    papers: Sequence[FetchedPaper],
    summary: ImportReport,
    *,
    tags: Sequence[str] = (),
    force: bool = False,
) -> None:
    """Store one batch in one transaction and count each paper in `summary`.

    A paper already stored is rewritten only when arXiv has a newer version or it lacks its abstract or
    authors (`force`: always compare field by field, for refresh). A stored paper without arXiv ID but
    with the same normalized title (from a list) becomes this paper rather than a duplicate.
    """
    if not papers:
        return
    from sqlmodel import col, select

    from llmkb.linking.text import derive_text_links
    from llmkb.store.papers_write import UNCHANGED, TagCache, add_tags, find_papers, save_paper, stored_id
    from llmkb.store.schema import Paper
    from llmkb.store.write_session import write_session

    unique = list({p.arxiv_id: p for p in papers}.values())
    with write_session(db) as session:
        by_id = find_papers(session, [p.arxiv_id for p in unique])
        keys = {title_key(p.title): p.arxiv_id for p in unique if p.arxiv_id not in by_id}
        by_title: dict[str, Paper] = {}
        if keys:
            query = select(Paper).where(col(Paper.arxiv_id).is_(None), col(Paper.title_key).in_(list(keys)))
            for row in session.exec(query.order_by(col(Paper.id))):
                by_title.setdefault(keys[row.title_key], row)
        cache = TagCache(session) if tags else None
        written: list[int] = []
        for fetched in unique:
            stored = by_id.get(fetched.arxiv_id) or by_title.get(fetched.arxiv_id)
            if stored is not None and stored.arxiv_id and not force and _is_current(stored, fetched):
                outcome, row = UNCHANGED, stored
            else:
                outcome, row = save_paper(
                    session,
                    fields_from_arxiv(fetched),
                    source=SOURCE,
                    authoritative=True,
                    existing=stored,
                    look_up=False,
                )
            if tags:
                add_tags(session, row, tags, "user", cache)
            getattr(summary, outcome).append(fetched.arxiv_id)
            written.append(stored_id(row))
        derive_text_links(session, written)  # the dataset and model mentions of the text as now stored


def _fetch_and_store(
    db: Path,
    ids: Sequence[str],
    summary: ImportReport,
    *,
    tags: Sequence[str],
    force: bool,
    progress: Progress | None,
) -> None:
    from llmkb.arxiv.client import ArxivFetchError, fetch_by_ids, requests_needed

    if not ids:
        return
    if progress is not None:
        progress.start(len(ids), requests_needed(len(ids)))
    try:
        for outcome in fetch_by_ids(ids):
            store_papers(db, outcome.papers, summary, tags=tags, force=force)
            summary.not_found.extend(outcome.not_found)
            summary.invalid.extend(InvalidInput(i, "rejected by arXiv") for i in outcome.invalid)
            if progress is not None:
                progress.advance(len(outcome.papers) + len(outcome.not_found) + len(outcome.invalid))
    except ArxivFetchError as exc:
        summary.not_fetched.extend(exc.unfetched)
        summary.error = str(exc)


# --- the four ways in -----------------------------------------------------------------------------------


def import_ids(
    db: Path,
    inputs: Sequence[str],
    *,
    tags: Sequence[str] = (),
    progress: Progress | None = None,
    summary: ImportReport | None = None,
) -> ImportReport:
    """Import papers named by IDs or links in any form; invalid ones are reported and never sent."""
    summary = summary if summary is not None else ImportReport()
    tags = checked_tags(tags)
    ids = _valid_ids(inputs, summary)
    _fetch_and_store(db, list(dict.fromkeys(ids)), summary, tags=tags, force=False, progress=progress)
    return summary


def _valid_ids(inputs: Iterable[str], summary: ImportReport) -> list[str]:
    """The bare IDs among `inputs`; the others go to `summary.invalid` with the parser's reason."""
    ids: list[str] = []
    for item in parse_inputs(inputs):
        if item.arxiv_id is None:
            summary.invalid.append(InvalidInput(item.text, item.reason or "invalid"))
        else:
            ids.append(item.arxiv_id.id)
    return ids


def import_query(
    db: Path,
    query: str,
    max_results: int,
    *,
    tags: Sequence[str] = (),
    sort: str = "relevance",
    progress: Progress | None = None,
    summary: ImportReport | None = None,
) -> ImportReport:
    """Import the first `max_results` hits of an arXiv search query, one page per transaction."""
    from llmkb.arxiv.client import SEARCH_PAGE_SIZE, ArxivFetchError, search

    if max_results < 1:
        raise UsageError("--max must be at least 1")
    summary = summary if summary is not None else ImportReport()
    tags = checked_tags(tags)
    if progress is not None:
        progress.start(max_results, -(-max_results // SEARCH_PAGE_SIZE))
    try:
        for page in search(query, max_results, sort=sort):
            store_papers(db, page, summary, tags=tags)
            if progress is not None:
                progress.advance(len(page))
    except ArxivFetchError as exc:
        summary.error = str(exc)
    return summary


def resolve_title(title: str, limit: int = 10, *, short_name: bool = False) -> TitleMatch:
    """arXiv's candidates for a title, scored against it; `best` is set only for a close match.

    Also the path `import-list --resolve` takes for list items that have a title but no arXiv link; with
    `short_name`, `title` is only a paper's name ("SmoothQuant") and is matched to the name a candidate's
    title opens with.
    """
    from rapidfuzz import fuzz

    from llmkb.arxiv.client import search_title
    from llmkb.titles import short_name_of

    wanted = title_key(title)

    def score(hit_title: str) -> float:
        if short_name:
            name = short_name_of(hit_title)
            return 100.0 if name and title_key(name) == wanted else 0.0
        return fuzz.ratio(wanted, title_key(hit_title))

    scored = [(hit, score(hit.title)) for hit in search_title(title, limit)]
    scored.sort(key=lambda pair: -pair[1])
    best = scored[0][0] if scored and scored[0][1] >= TITLE_MATCH else None
    return TitleMatch(title, best, scored)


def import_titles(
    db: Path, titles: Sequence[str], *, tags: Sequence[str] = (), summary: ImportReport | None = None
) -> tuple[ImportReport, list[TitleMatch]]:
    """Import the close match for each title; titles without one are "not found" and returned with
    their candidates, and nothing is imported for them."""
    from llmkb.arxiv.client import ArxivFetchError

    summary = summary if summary is not None else ImportReport()
    tags = checked_tags(tags)
    unmatched: list[TitleMatch] = []
    for index, title in enumerate(titles):
        try:
            match = resolve_title(title)
        except ArxivFetchError as exc:
            summary.not_fetched.extend(titles[index:])
            summary.error = str(exc)
            break
        if match.best is None:
            summary.not_found.append(title)
            unmatched.append(match)
        else:
            store_papers(db, [match.best], summary, tags=tags)
    return summary, unmatched


def refresh_targets(conn: sqlite3.Connection, *, every: bool, missing: bool, unverified: bool = False) -> list[str]:
    if unverified:
        sql = "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL AND verified IS NULL ORDER BY id"
    elif every:
        sql = "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL ORDER BY id"
    elif missing:
        sql = (
            "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL AND (abstract IS NULL OR abstract = ''"
            " OR authors IS NULL OR authors IN ('', '[]')) ORDER BY id"
        )
    else:
        return []
    return [row[0] for row in conn.execute(sql)]


def refresh(
    db: Path,
    inputs: Sequence[str] = (),
    *,
    every: bool = False,
    missing: bool = False,
    unverified: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Re-fetch stored papers' metadata (given IDs, all, or those missing abstract or authors) and write
    whatever arXiv now says differently, in batches."""
    from llmkb.store.connection import connect

    if not (inputs or every or missing or unverified):
        raise UsageError("say which papers to refresh: IDs, --all, --missing or --unverified")
    summary = ImportReport()
    ids = _valid_ids(inputs, summary)
    conn = connect(db)
    try:
        ids += refresh_targets(conn, every=every, missing=missing, unverified=unverified)
    finally:
        conn.close()
    _fetch_and_store(db, list(dict.fromkeys(ids)), summary, tags=(), force=True, progress=progress)
    return summary


def summary_lines(summary: ImportReport, *, limit: int = 20) -> Iterator[tuple[str, int, list[str]]]:
    """(label, count, IDs shown) per outcome, for text output; IDs only for the outcomes a user acts on."""

    def shown(items: list[str]) -> list[str]:
        return items[:limit] + ([f"and {len(items) - limit} more"] if len(items) > limit else [])

    yield "added", len(summary.added), []
    yield "updated", len(summary.updated), []
    yield "unchanged", len(summary.unchanged), shown(summary.unchanged)
    yield "not found", len(summary.not_found), shown(summary.not_found)
    yield "invalid", len(summary.invalid), shown([f"{i.input} ({i.reason})" for i in summary.invalid])
    if summary.not_fetched:
        yield "not fetched", len(summary.not_fetched), shown(summary.not_fetched)
