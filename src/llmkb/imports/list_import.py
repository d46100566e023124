"""Importing an awesome list: parse, merge each paper's occurrences, check with arXiv, write once.

A list names a paper once per section it appears in; occurrences are merged first (tags united, the first
non-empty value of every other field kept). Then arXiv, the authority for arXiv papers, is asked for every
ID the list links (`llmkb.imports.arxiv_check`; skipped offline, with `LLMKB_OFFLINE=1`, or when an
`enrich` step such as the seed build's metadata file stands in for it). Finally every paper is written in
ONE transaction, so an error or Ctrl-C leaves the database as it was; the merge rules
(`llmkb.imports.merge`) make importing the same list twice change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.imports.merge import PaperFields
from llmkb.imports.report import ImportReport
from llmkb.titles import title_key

if TYPE_CHECKING:
    from llmkb.arxiv.importer import Progress
    from llmkb.awesome_list.chunks import Chunk
    from llmkb.linking.text import Mentions


@dataclass
class ListPaper:
    """One paper of a list after merging its occurrences."""

    fields: PaperFields
    tags: list[str]
    lines: list[int]
    authoritative: PaperFields | None = None  # what an enrich step knows better (overwrites)
    authority: str = "seed-metadata"  # where `authoritative` came from, recorded in the paper's sources
    wrong_id: bool = False  # an enrich step found the list's arXiv ID wrong for this title
    bare: bool = False  # the list gives only its name: stored only once arXiv or the metadata says which paper


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
            merged[key] = ListPaper(data, tags, [e.line], bare=getattr(e, "bare", False))
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

    return a is not None and b is not None and different_papers(a, b)


def _placeholder_titles(papers: list[ListPaper], warnings: list[str]) -> None:
    for p in papers:
        if not p.fields.title and not (p.authoritative and p.authoritative.title):
            p.fields.title = f"arXiv:{p.fields.arxiv_id}"
            if any(f"arXiv {p.fields.arxiv_id}" in w for w in warnings):
                continue  # the parser already said this item has no title
            warnings.append(
                f"line {p.lines[0]}: arXiv {p.fields.arxiv_id} has no title in the list; "
                "`llmkb refresh --missing` fetches it"
            )


def offline_by_default() -> bool:
    """`LLMKB_OFFLINE=1` (or true/yes) keeps imports from asking arXiv, as `--offline` does."""
    import os

    return os.environ.get("LLMKB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class _Part:
    """One part of a list, parsed: its entries and table rows with the whole list's line numbers."""

    entries: list
    problems: list[tuple[str, int, str]]
    references: dict[int, int]  # reference number -> index into entries
    ref_tables: list
    mentions: Mentions | None = None  # what the entries' own texts mention, when a worker found it


def _parse_part(chunk: Chunk, source: str, *, mentions: bool = False) -> _Part:
    """Parses one part; top-level so a worker process can run it. With `mentions`, also finds the datasets
    and models each entry's title and note mention: a worker has time to spare, the writer has none, and
    it uses them for every new paper whose texts are the list's own (offline, most of them)."""
    from llmkb.awesome_list import parse_awesome_list

    offset = chunk.first_line - 1 - chunk.context_lines
    parsed = parse_awesome_list(chunk.text, source=source, line_offset=offset)
    if not chunk.context_lines:
        part = _Part(parsed.entries, parsed.problems, parsed.references, parsed.ref_tables)
    else:
        # the repeated headings above the part are context only: what they hold belongs to an earlier part
        kept = [i for i, e in enumerate(parsed.entries) if e.line >= chunk.first_line]
        index = {old: new for new, old in enumerate(kept)}
        references = {ref: index[i] for ref, i in parsed.references.items() if i in index}
        problems = [p for p in parsed.problems if p[1] >= chunk.first_line]
        part = _Part([parsed.entries[i] for i in kept], problems, references, parsed.ref_tables)
    if mentions:
        from llmkb.linking.text import text_mentions

        part.mentions = {(e.title, None, e.note): text_mentions(e.title, None, e.note) for e in part.entries}
    return part


def _parsed_parts(lines: Iterator[str], source: str) -> Iterator[_Part]:
    """The list's parts, parsed in order; a list of several parts is parsed by worker processes (one per
    CPU, a few parts ahead) while this process writes."""
    import os
    from collections import deque
    from itertools import chain

    from llmkb.awesome_list.chunks import chunks

    parts = chunks(lines)
    first = next(parts)
    second = next(parts, None)
    if second is None:
        yield _parse_part(first, source)
        return
    workers = max(1, min(2, os.cpu_count() or 1))
    if workers == 1:
        for chunk in chain([first, second], parts):
            yield _parse_part(chunk, source)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque = deque()
        for chunk in chain([first, second], parts):
            pending.append(pool.submit(_parse_part, chunk, source, mentions=True))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


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
    """Imports one list given as text."""
    return import_list_lines(
        db,
        iter(text.splitlines(keepends=True)),
        source=source,
        extra_tags=extra_tags,
        enrich=enrich,
        resolve_titles=resolve_titles,
        offline=offline,
        max_age_days=max_age_days,
        progress=progress,
    )


def import_list_lines(
    db: Path,
    lines: Iterator[str],
    *,
    source: str,
    extra_tags: Iterable[str] = (),
    enrich: Enricher | None = None,
    resolve_titles: bool = False,
    offline: bool | None = None,
    max_age_days: float = 30.0,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports one list, part by part, in one transaction. `enrich` (the seed build's metadata) stands in
    for arXiv when given."""
    from llmkb.awesome_list.export_reader import exported_list_entries, is_exported_list
    from llmkb.awesome_list.problems import aggregate
    from llmkb.collector import paused
    from llmkb.imports.list_write import ListWriter
    from llmkb.linking.list_tables import cited_positions
    from llmkb.slugs import checked_tags

    offline = offline_by_default() if offline is None else offline
    tags = checked_tags(extra_tags)
    report = ImportReport(source=source)
    problems: list[tuple[str, int, str]] = []
    head = list(islice(lines, 64))
    lines = chain(head, lines)
    exported = is_exported_list("".join(head))
    with ListWriter(db, source, report) as writer, paused():
        if exported:  # our own export: read field by field, no heuristics
            text = "".join(lines)
            papers = merge_entries(exported_list_entries(text), tags, report.warnings)
            writer.write(_checked(db, papers, report, enrich, resolve_titles, offline, max_age_days, progress), {})
        for part in () if exported else _parsed_parts(lines, source):
            problems += part.problems
            papers = merge_entries(part.entries, tags, report.warnings)
            papers = _checked(db, papers, report, enrich, resolve_titles, offline, max_age_days, progress)
            writer.write(papers, cited_positions(part, papers), part.ref_tables, part.mentions)
        writer.finish()
    report.warnings[:0] = [f"line {w.line}: {w.message}" for w in aggregate(problems)]
    return report


def _checked(
    db: Path,
    papers: list[ListPaper],
    report: ImportReport,
    enrich: Enricher | None,
    resolve_titles: bool,
    offline: bool,
    max_age_days: float,
    progress: Progress | None,
) -> list[ListPaper]:
    """The papers with what arXiv (or the enrich step) knows, one per ID, each with a title."""
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
    return [p for p in papers if not _unplaced_name(p, report.warnings)]


def _unplaced_name(paper: ListPaper, warnings: list[str]) -> bool:
    """A bare name nothing could place: said once, not stored (a name alone is not a paper record)."""
    if not paper.bare or paper.authoritative is not None or paper.fields.arxiv_id:
        return False
    warnings.append(
        f"line {paper.lines[0]}: {paper.fields.title!r} names a paper but links none; not imported "
        "(`--resolve` looks it up on arXiv)"
    )
    return True


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
    from llmkb.awesome_list.source import open_list

    lines, name = open_list(source)
    return import_list_lines(
        db,
        lines,
        source=name,
        extra_tags=extra_tags,
        enrich=enrich,
        resolve_titles=resolve_titles,
        offline=offline,
        max_age_days=max_age_days,
        progress=progress,
    )
