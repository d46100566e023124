"""Importing an awesome list: parse, merge each paper's occurrences, check with arXiv, write once.

A list names a paper once per section it appears in; occurrences are merged first (tags united, the first
non-empty value of every other field kept). Then arXiv, the authority for arXiv papers, is asked for every
ID the list links (`llmkb.imports.arxiv_check`; skipped offline, with `LLMKB_OFFLINE=1`, or when an
`enrich` step such as the seed build's metadata file stands in for it). Finally every paper is written in
ONE transaction, so an error or Ctrl-C leaves the database as it was; the merge rules
(`llmkb.imports.merge`) make importing the same list twice change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.imports.merge import PaperFields
from llmkb.imports.report import ADDED, UNCHANGED, UPDATED, ImportReport
from llmkb.linking.list_tables import ListLinks, list_links
from llmkb.thresholds import STORED_TITLE_DIFFERS
from llmkb.titles import title_key

if TYPE_CHECKING:
    from llmkb.arxiv.importer import Progress


@dataclass
class ListPaper:
    """One paper of a list after merging its occurrences."""

    fields: PaperFields
    tags: list[str]
    lines: list[int]
    authoritative: PaperFields | None = None  # what an enrich step knows better (overwrites)
    authority: str = "seed-metadata"  # where `authoritative` came from, recorded in the paper's sources
    wrong_id: bool = False  # an enrich step found the list's arXiv ID wrong for this title


Enricher = Callable[[ListPaper, list[str]], None]


def merge_entries(entries: Iterable, extra_tags: list[str], warnings: list[str]) -> list[ListPaper]:
    """One ListPaper per distinct paper (same arXiv ID, or same normalized title without one)."""
    merged: dict[str, ListPaper] = {}
    for e in entries:
        if not e.arxiv_id and not e.title:
            warnings.append(f"line {e.line}: an item without title or arXiv ID was skipped")
            continue
        key = e.arxiv_id or "title:" + title_key(e.title)
        links = [{"kind": link.kind, "url": link.url} for link in e.links]
        data = PaperFields(
            arxiv_id=e.arxiv_id,
            arxiv_version=e.arxiv_version,
            title=e.title,
            short_name=e.short_name,
            authors=list(e.authors) or None,
            venue=e.venue,
            year=e.year,
            month=e.month,
            note=e.note,
            doi=getattr(e, "doi", None),
            links=links,
        )
        tags = list(dict.fromkeys([*e.tags, *extra_tags]))
        if key in merged and _different_titles(merged[key].fields.title, e.title):
            # one ID, two papers: kept apart so an enrich step can tell which one the ID belongs to
            key = f"{key}#line{e.line}"
        if key not in merged:
            merged[key] = ListPaper(data, tags, [e.line])
            continue
        paper = merged[key]
        paper.lines.append(e.line)
        paper.tags = list(dict.fromkeys([*paper.tags, *tags]))
        for name in ("title", "short_name", "authors", "venue", "year", "month", "note", "arxiv_version", "doi"):
            if getattr(paper.fields, name) in (None, "", []) and getattr(data, name) not in (None, "", []):
                setattr(paper.fields, name, getattr(data, name))
        paper.fields.links += [link for link in links if link not in paper.fields.links]
    return list(merged.values())


def _one_per_id(papers: list[ListPaper]) -> list[ListPaper]:
    """Papers kept apart for a title conflict that no enrich step resolved are one paper again: the ID wins."""
    by_id: dict[str, ListPaper] = {}
    kept = []
    for p in papers:
        first = by_id.get(p.fields.arxiv_id) if p.fields.arxiv_id else None
        if first is None:
            if p.fields.arxiv_id:
                by_id[p.fields.arxiv_id] = p
            kept.append(p)
            continue
        first.lines += p.lines
        first.tags = list(dict.fromkeys([*first.tags, *p.tags]))
        first.fields.links += [link for link in p.fields.links if link not in first.fields.links]
        first.fields.flag = first.fields.flag or p.fields.flag  # a title that names another paper stays flagged
        first.fields.list_title = first.fields.list_title or p.fields.list_title
    return kept


def _different_titles(a: str | None, b: str | None) -> bool:
    from llmkb.imports.arxiv_check import different_papers

    return bool(a and b) and different_papers(a, b)


def _placeholder_titles(papers: list[ListPaper], warnings: list[str]) -> None:
    for p in papers:
        if not p.fields.title and not (p.authoritative and p.authoritative.title):
            p.fields.title = f"arXiv:{p.fields.arxiv_id}"
            if any(p.fields.arxiv_id in w for w in warnings):
                continue  # the parser already said this item has no title
            warnings.append(
                f"line {p.lines[0]}: arXiv {p.fields.arxiv_id} has no title in the list; "
                "`llmkb refresh --missing` fetches it"
            )


def write_papers(
    db: Path, papers: list[ListPaper], source: str, report: ImportReport, links: ListLinks | None = None
) -> None:
    """Write the papers, their tags, the list's table links and the papers' text links, in one transaction."""
    from rapidfuzz import fuzz

    from llmkb.imports.arxiv_check import compare_titles
    from llmkb.linking.list_tables import link_written_papers
    from llmkb.store.papers_write import TagCache, add_tags, find_paper, find_papers, save_paper
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session

    first_written = len(report.paper_ids)
    with write_session(db) as session:
        known = find_papers(session, [p.fields.arxiv_id for p in papers if p.fields.arxiv_id])
        cache = TagCache(session)
        for p in papers:
            row = known.get(p.fields.arxiv_id) if p.fields.arxiv_id else find_paper(session, p.fields)
            if row is not None and p.fields.title and p.authoritative is None:
                if row.verified:  # confirmed by arXiv lately: compared as arXiv's own answer would be
                    compare_titles(p, row.title, report)
                elif fuzz.ratio(title_key(row.title), title_key(p.fields.title)) < STORED_TITLE_DIFFERS:
                    report.warnings.append(
                        f"line {p.lines[0]}: {row.arxiv_id or 'a stored paper'} is titled {row.title!r} "
                        f"in the database but {p.fields.title!r} in the list; kept the stored title"
                    )
            outcome = UNCHANGED
            if p.authoritative is not None:
                outcome, row = save_paper(
                    session, p.authoritative, source=p.authority, authoritative=True, existing=row, look_up=row is None
                )
            first, row = save_paper(
                session, p.fields, source=f"list:{source}", authoritative=False, existing=row, look_up=False
            )
            outcome = _combined(outcome, first)
            if row.arxiv_id:
                known[row.arxiv_id] = row  # a later paper of this list may resolve to the same ID
            new_tags = add_tags(session, row, p.tags, "list", cache)
            report.tags_added += len(new_tags)
            if new_tags and outcome == UNCHANGED:
                outcome = UPDATED
            report.count(outcome, paper_ref(row.arxiv_id, row.id))
            report.paper_ids.append(row.id)
        link_written_papers(session, report.paper_ids[first_written:], links, report.warnings)


def _combined(*outcomes: str) -> str:
    for strongest in (ADDED, UPDATED):
        if strongest in outcomes:
            return strongest
    return UNCHANGED


def offline_by_default() -> bool:
    """`LLMKB_OFFLINE=1` (or true/yes) keeps imports from asking arXiv, as `--offline` does."""
    import os

    return os.environ.get("LLMKB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def import_list_text(
    db: Path,
    text: str,
    *,
    source: str,
    extra_tags: Iterable[str] = (),
    enrich: Enricher | None = None,
    resolve_titles: bool = False,
    offline: bool | None = None,
    max_age_days: float = 30.0,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports one list's text. `enrich` (the seed build's metadata) stands in for arXiv when given."""
    from llmkb.awesome_list import parse_awesome_list
    from llmkb.awesome_list.export_reader import is_exported_list
    from llmkb.slugs import checked_tags

    offline = offline_by_default() if offline is None else offline
    report = ImportReport(source=source)
    parsed = None
    if is_exported_list(text):  # our own export: read field by field, no heuristics
        from llmkb.awesome_list.export_reader import exported_list_entries

        entries = exported_list_entries(text)
    else:
        parsed = parse_awesome_list(text, source=source)
        report.warnings += [f"line {w.line}: {w.message}" for w in parsed.warnings]
        entries = parsed.entries
    papers = merge_entries(entries, checked_tags(extra_tags), report.warnings)
    if enrich is not None:
        for p in papers:
            enrich(p, report.warnings)
    elif not offline:
        from llmkb.imports.arxiv_check import verify_on_arxiv

        verify_on_arxiv(db, papers, report, max_age_days=max_age_days, progress=progress)
    if resolve_titles and not offline:
        from llmkb.arxiv.title_lookup import arxiv_title_enricher

        resolve = arxiv_title_enricher()
        for p in papers:
            resolve(p, report.warnings)
    papers = _one_per_id(papers)
    _placeholder_titles(papers, report.warnings)
    write_papers(db, papers, source, report, list_links(parsed, papers) if parsed is not None else None)
    return report


def import_list(
    db: Path,
    source: str,
    *,
    extra_tags: Iterable[str] = (),
    enrich: Enricher | None = None,
    resolve_titles: bool = False,
    offline: bool | None = None,
    max_age_days: float = 30.0,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports a list from a file, a URL, or "-" (standard input)."""
    from llmkb.awesome_list.source import read_list

    text, name = read_list(source)
    return import_list_text(
        db,
        text,
        source=name,
        extra_tags=extra_tags,
        enrich=enrich,
        resolve_titles=resolve_titles,
        offline=offline,
        max_age_days=max_age_days,
        progress=progress,
    )
