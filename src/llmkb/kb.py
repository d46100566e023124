"""`KB`: a knowledge base file, and everything the command line does with it, callable from Python.

    from llmkb import KB
    with KB("~/papers.sqlite") as kb:
        for paper in kb.search("kv cache", tags=["quantization"]).papers:
            print(paper["id"], paper["title"])

Every `llmkb` command is parse, one call here, render. A KB owns one read connection (plain `sqlite3`,
opened on first use) and opens a write transaction per write call; reads never import SQLModel,
SQLAlchemy, Alembic, arxiv or httpx. Errors are `llmkb.errors` classes (`PaperNotFound`, `UnknownName`,
`InvalidArxivId`, `NewerDatabase`, ...), never a traceback from the layers below.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from llmkb.errors import UsageError
from llmkb.query import PaperQuery
from llmkb.store.records import PaperRecord, iter_records, records_for

if TYPE_CHECKING:
    from llmkb import fts
    from llmkb.arxiv.importer import Progress, TitleMatch
    from llmkb.export.write import ExportOptions
    from llmkb.imports.report import ImportReport
    from llmkb.linking.by_hand import LinkChange, UnlinkChange
    from llmkb.lint import LintReport
    from llmkb.reading import StatusChange
    from llmkb.store.admin import DbInfo
    from llmkb.tags import TagChange, TagNode
    from llmkb.watch.decide import Decisions
    from llmkb.watch.feed import FeedItem
    from llmkb.watch.run import RunResult
    from llmkb.watch.store import Edited, Removed, Watch
    from llmkb.xref.counts import EntityCount
    from llmkb.xref.leaderboard import Leaderboard
    from llmkb.xref.matrix import Matrix
    from llmkb.xref.papers import Xref


@dataclass
class SearchResult:
    papers: list[PaperRecord]
    corrections: list[fts.Correction] = field(default_factory=list)  # words replaced by indexed words
    broadened: bool = False  # no paper had every word; papers with any word are shown


@dataclass
class ExportResult:
    count: int
    corrections: list[fts.Correction] = field(default_factory=list)
    broadened: bool = False


def _query(query: PaperQuery | None, text: str | None, filters: dict[str, Any]) -> PaperQuery:
    if query is not None:
        return query.but(**filters) if filters or text is not None else query
    return PaperQuery(text=text, **filters)


class KB:
    """One knowledge base file. `create=False` refuses a path with no database (read-only use)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True):
        from llmkb.locations import resolve_db_path

        self.path: Path = resolve_db_path(path)
        self.create = create
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = False) -> KB:
        kb = cls(path, create=create)
        kb.conn  # noqa: B018  (checks the file now: missing, not a database, newer schema)
        return kb

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            from llmkb.store.connection import connect

            self._conn = connect(self.path, create=self.create)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> KB:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------------------

    def search(self, text: str | None = None, *, query: PaperQuery | None = None, **filters: Any) -> SearchResult:
        """Ranked search (words) or a listing (no words), at most `limit` (default 20) full records."""
        from llmkb.search import select

        selection = select(self.conn, _query(query, text, filters))
        return SearchResult(records_for(self.conn, list(selection.ids)), selection.corrections, selection.broadened)

    def select(self, query: PaperQuery):  # -> llmkb.search.Selection
        """The row IDs a query selects, streamed, with what the search did to the words."""
        from llmkb.search import select

        return select(self.conn, query)

    def papers(self, query: PaperQuery | None = None, **filters: Any) -> Iterator[PaperRecord]:
        """Every paper a query selects (default: all of them, newest first), streamed as full records."""
        if query is None:
            filters.setdefault("limit", None)
        return iter_records(self.conn, self.select(_query(query, None, filters)).ids)

    def get(self, ref: str) -> PaperRecord:
        """One paper by any ID form, kb-N or (fuzzy) title; PaperNotFound or AmbiguousPaper otherwise."""
        (record,) = records_for(self.conn, [self.find(ref)])
        return record

    def get_many(self, rowids: Sequence[int]) -> list[PaperRecord]:
        return records_for(self.conn, rowids)

    def find(self, ref: str) -> int:
        """The row ID of the paper `ref` names."""
        from llmkb.lookup import find_paper_id

        return find_paper_id(self.conn, ref)

    def tags(self) -> TagNode:
        from llmkb.tags import tag_tree

        return tag_tree(self.conn)

    def tag_counts(self) -> list[tuple[str, int]]:
        from llmkb.tags import tag_counts

        return tag_counts(self.conn)

    def xref(self, query: PaperQuery | None = None, **filters: Any) -> Xref:
        """Papers by the datasets, models and metrics they link, with what matched (`llmkb xref`)."""
        from llmkb.xref.papers import xref

        return xref(self.conn, _query(query, None, filters))

    def matrix(
        self, query: PaperQuery | None = None, *, by: str = "dataset", max_columns: int | None = 8, **filters: Any
    ) -> Matrix:
        from llmkb.xref.matrix import matrix

        return matrix(self.conn, _query(query, None, filters), by, max_columns=max_columns)

    def counts(
        self,
        kind: str,
        query: PaperQuery | None = None,
        *,
        unresolved: bool = False,
        unused: bool = False,
        **filters: Any,
    ) -> list[EntityCount]:
        """Each dataset, model or metric with its number of papers (`llmkb datasets|models|metrics`)."""
        from llmkb.vocab.vocabulary import as_kind
        from llmkb.xref.counts import entity_counts

        try:
            checked = as_kind(kind)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return entity_counts(self.conn, checked, _query(query, None, filters), unresolved=unresolved, unused=unused)

    def leaderboard(
        self, dataset: str, *, metric: str | None = None, model: str | None = None, limit: int | None = 20
    ) -> Leaderboard:
        from llmkb.xref.leaderboard import leaderboard

        return leaderboard(self.conn, dataset, metric=metric, model=model, limit=limit)

    def export(
        self, fmt: str, out: TextIO, query: PaperQuery | None = None, options: ExportOptions | None = None
    ) -> ExportResult:
        """Writes the papers a query selects (default: all) to `out` as md, bib, csv, json or jsonl, streaming:
        the selection is never held in memory (markdown keeps one line per paper, to group them).

        Without words or another order, md, bib and csv come newest first; json and jsonl, which are data
        dumps, come in the order papers were added, which lets a dump of everything read each table once.
        """
        from llmkb.export.write import ExportOptions, write_export

        query = query or PaperQuery(limit=None)
        dump = fmt in ("json", "jsonl") and not (query.text and query.text.strip())
        if dump and query.order is None:
            query = query.but(order="added")
        if dump and query.order == "added" and self._selects_everything(query):
            from llmkb.export.json_format import write_json_texts
            from llmkb.store.record_dump import iter_all_record_json

            return ExportResult(write_json_texts(iter_all_record_json(self.path), out, lines=fmt == "jsonl"))
        selection = self.select(query)
        count = write_export(self.conn, fmt, selection.ids, out, options or ExportOptions())
        return ExportResult(count, selection.corrections, selection.broadened)

    def _selects_everything(self, query: PaperQuery) -> bool:
        from llmkb.store.query_sql import compile_filters

        return query.limit is None and not query.ids and not compile_filters(self.conn, query).clauses

    def info(self) -> DbInfo:
        from llmkb.store.admin import info

        return info(self.conn, self.path)

    def check(self) -> list[str]:
        from llmkb.store.admin import check

        return check(self.conn)

    # --- writing: each call is one or more whole transactions ---------------------------------------

    def import_list(
        self,
        source: str,
        *,
        tags: Iterable[str] = (),
        resolve_titles: bool = False,
        offline: bool | None = None,
        max_age_days: float = 30.0,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Imports an awesome list (file, URL, or "-" for stdin) in one transaction."""
        from llmkb.imports.list_import import import_list

        return import_list(
            self.path,
            source,
            extra_tags=tags,
            resolve_titles=resolve_titles,
            offline=offline,
            max_age_days=max_age_days,
            progress=progress,
        )

    def import_arxiv(
        self,
        ids: Sequence[str] = (),
        *,
        titles: Sequence[str] = (),
        query: str | None = None,
        max_results: int = 100,
        sort: str = "relevance",
        tags: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> tuple[ImportReport, list[TitleMatch]]:
        """Imports papers from arXiv by ID or link, by title, or by search query; one transaction per batch."""
        from llmkb.arxiv import importer
        from llmkb.imports.report import ImportReport

        report = ImportReport(source="arXiv")
        unmatched: list[TitleMatch] = []
        if ids:
            importer.import_ids(self.path, ids, tags=tags, progress=progress, summary=report)
        if titles and not report.error:
            _, unmatched = importer.import_titles(self.path, titles, tags=tags, summary=report)
        if query and not report.error:
            importer.import_query(
                self.path, query, max_results, tags=tags, sort=sort, progress=progress, summary=report
            )
        return report, unmatched

    def refresh(
        self,
        ids: Sequence[str] = (),
        *,
        every: bool = False,
        missing: bool = False,
        unverified: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        from llmkb.arxiv.importer import refresh

        return refresh(self.path, ids, every=every, missing=missing, unverified=unverified, progress=progress)

    def tag(self, ref: str, add: Sequence[str] = (), remove: Sequence[str] = ()) -> TagChange:
        from llmkb.tags import change_tags

        if add and remove:
            raise UsageError("add or remove tags, not both at once")
        return change_tags(self.path, ref, list(add or remove), add=bool(add))

    def link(self, ref: str, **details: Any) -> LinkChange:
        """Links a paper to a dataset and/or model, optionally with a result (`llmkb link`)."""
        from llmkb.linking.by_hand import link_by_hand

        return link_by_hand(self.path, ref, **details)

    def unlink(self, ref: str, **details: Any) -> UnlinkChange:
        from llmkb.linking.by_hand import unlink_by_hand

        return unlink_by_hand(self.path, ref, **details)

    def import_results(self, path: str | os.PathLike[str]) -> ImportReport:
        from llmkb.linking.results_csv import import_results

        return import_results(self.path, Path(path))

    # --- reading status and keeping up with arXiv (`llmkb.reading`, `llmkb.watch`) -----------------------

    def mark(self, refs: Sequence[str], status: str | None) -> StatusChange:
        """Gives papers a reading status (`llmkb.query.STATUSES`; None clears it), all or none."""
        from llmkb.reading import set_status

        return set_status(self.path, self.conn, refs, status)

    def queue(self, *, status: str = "to-read", limit: int | None = None) -> list[PaperRecord]:
        """Papers to read (or with another status), the longest waiting first."""
        from llmkb.reading import queue

        return records_for(self.conn, queue(self.conn, status=status, limit=limit))

    def watch_add(self, name: str, query: str, *, categories: Sequence[str] = (), tags: Sequence[str] = ()) -> Watch:
        from llmkb.watch.store import add_watch

        return add_watch(self.path, name, query, categories=categories, tags=tags)

    def watch_list(self, names: Sequence[str] = ()) -> list[Watch]:
        from llmkb.watch.store import get_watches

        return get_watches(self.conn, names)

    def watch_remove(self, names: Sequence[str]) -> list[Removed]:
        from llmkb.watch.store import remove_watches

        return remove_watches(self.path, names)

    def watch_edit(self, name: str, **changes: Any) -> Edited:
        """Changes a watch's query, categories, tags or name (`llmkb.watch.store.edit_watch`)."""
        from llmkb.watch.store import edit_watch

        return edit_watch(self.path, name, **changes)

    def watch_run(
        self,
        names: Sequence[str] = (),
        *,
        days: int | None = None,
        max_results: int | None = None,
        on_done: Callable[[RunResult], None] | None = None,
    ) -> list[RunResult]:
        """Runs the named watches (default: all), in turn; one that fails leaves its error in its result.
        `on_done` hears of each watch as it finishes (a run of many watches takes minutes)."""
        from llmkb.watch.run import DEFAULT_DAYS, DEFAULT_MAX, check_limits, run_watches
        from llmkb.watch.store import get_watches

        days = DEFAULT_DAYS if days is None else days
        max_results = DEFAULT_MAX if max_results is None else max_results
        check_limits(days, max_results)
        watches = get_watches(self.conn, names)
        return run_watches(self.path, watches, days=days, max_results=max_results, on_done=on_done)

    def feed(
        self, names: Sequence[str] = (), *, since: str | None = None, limit: int | None = None
    ) -> list[tuple[FeedItem, PaperRecord]]:
        """What the watches found and nobody decided on yet: newest day first, most relevant first."""
        from llmkb.watch.feed import feed

        items = feed(self.conn, names, since=since, limit=limit)
        return list(zip(items, records_for(self.conn, [i.paper_id for i in items]), strict=True))

    def triage_decide(
        self,
        *,
        keep: Sequence[str] = (),
        dismiss: Sequence[str] = (),
        watches: Sequence[str] = (),
        tags: Sequence[str] = (),
    ) -> Decisions:
        """Keeps (to-read) and dismisses papers of the feed in one transaction (`llmkb triage`)."""
        from llmkb.watch.decide import decide

        return decide(self.path, self.conn, keep=keep, dismiss=dismiss, watches=watches, tags=tags)

    # --- checking lists: nothing is stored but arXiv's answers, kept so the next check asks nothing --------

    def lint(
        self,
        sources: Sequence[str],
        *,
        offline: bool | None = None,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        max_age_days: float = 30.0,
        fix: bool = False,
        dry_run: bool = False,
    ) -> LintReport:
        """Checks awesome lists (files, URLs, "-") for wrong facts and broken structure (`llmkb lint`).

        arXiv is asked about linked IDs unless `offline` (default: LLMKB_OFFLINE); its answers are cached in
        this knowledge base's file, which is only opened when it exists or an answer needs keeping.
        `fix` rewrites certain fixes in local files; `dry_run` only computes the diff (`report.fixes`).
        """
        from llmkb.awesome_list.source import STDIN, read_list
        from llmkb.imports.list_import import offline_by_default
        from llmkb.lint import Selection, lint_documents
        from llmkb.lint.document import Document

        selection = Selection(tuple(select), tuple(ignore))
        offline = offline_by_default() if offline is None else offline
        docs = []
        for source in sources:
            text, _name = read_list(source)
            docs.append(Document(text, "stdin" if source == STDIN else source))
        report = lint_documents(docs, db=self.path, offline=offline, selection=selection, max_age_days=max_age_days)
        if fix or dry_run:
            from llmkb.lint.fix import fix_sources

            report.fixes = fix_sources(report.findings, report.texts, write=fix and not dry_run)
        return report

    # --- papers named on a command line -----------------------------------------------------------------

    def lookup(self, ref: str) -> int:
        """The row ID of the one paper `ref` names, for commands that act on it: any ID form, kb-N, or a
        title close to one paper's whole title. Words that only occur in titles raise
        `llmkb.refs.PaperCandidates` with what search finds, instead of a guess."""
        from llmkb.refs import lookup

        return lookup(self, ref)

    def lookup_all(self, refs: Sequence[str]) -> list[int]:
        """`lookup` for each ref: row IDs, each paper once, in the order given."""
        from llmkb.refs import lookup_all

        return lookup_all(self, refs)

    # --- tags, edits and removals by hand ---------------------------------------------------------------

    def rename_tag(self, old: str, new: str, *, merge: bool = False):  # -> llmkb.tags.TagRename
        """Renames tag `old` (and the tags below it) on every paper; `merge` joins it into an existing one."""
        from llmkb.tags import rename_tag

        self.conn  # noqa: B018  (a KB that may not create its file refuses a missing one here)
        return rename_tag(self.path, old, new, merge=merge)

    def edit(self, ref: str, fields: dict[str, Any]):  # -> llmkb.editing.Edit
        """Writes a paper's fields (those of `llmkb.editing.FIELDS` given) in one transaction."""
        from llmkb.editing import apply_fields

        return apply_fields(self.path, self.lookup(ref), fields)

    def add_paper(self, **fields: Any):  # -> llmkb.editing.Added
        """Stores a paper that is not on arXiv: title, authors, venue, year, month, url, doi, code, note, tags."""
        from llmkb.editing import add_paper

        return add_paper(self.path, **fields)

    def removal(self, refs: Sequence[str]):  # -> list[llmkb.removal.Removal]
        """What `remove` would remove for these papers (nothing is written)."""
        from llmkb.removal import describe

        return describe(self.conn, self.lookup_all(refs))

    def remove(self, refs: Sequence[str]):  # -> list[llmkb.removal.Removal]
        """Removes papers with their tags, links and results, in one transaction."""
        from llmkb.removal import remove_papers

        return remove_papers(self.path, self.lookup_all(refs))

    def import_bib(
        self,
        source: str | os.PathLike[str],
        *,
        tags: Sequence[str] = (),
        offline: bool | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Imports a BibTeX file (`llmkb import --bib`); arXiv eprints are looked up like IDs."""
        from llmkb.bib_import import import_bib

        return import_bib(self.path, str(source), tags=tags, offline=offline, progress=progress)
