"""Writing a list's papers, part by part, inside the list's ONE transaction.

A list of a million papers arrives in parts (`llmkb.awesome_list.chunks`); each part's papers are written
as it comes, and the session forgets them afterwards, so memory holds one part, not the list. Papers the
database does not have yet (nearly all of a first import) are inserted straight through the connection,
with the same merge rules as every other write (`llmkb.imports.merge`); papers it has go through the store's
merge (`save_paper`). The transaction commits only when the whole list is written: an error or Ctrl-C at any
part leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from llmkb.imports.merge import FIELD_NAMES, PaperFields, merge
from llmkb.imports.report import ADDED, UNCHANGED, UPDATED, ImportReport
from llmkb.linking.roles import LinkKind
from llmkb.thresholds import STORED_TITLE_DIFFERS
from llmkb.titles import title_key

if TYPE_CHECKING:
    from sqlmodel import Session

    from llmkb.imports.list_import import ListPaper
    from llmkb.linking.text import Mentions
    from llmkb.vocab.catalog import Catalog

_JSON_FIELDS = ("authors", "categories", "links")
# json.dumps(x, ensure_ascii=False) without making an encoder per call: the import encodes 4 values a paper
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_INSERT_COLUMNS = ("id", *FIELD_NAMES, "title_key", "sources", "cjk")
_COLUMNS = ", ".join(_INSERT_COLUMNS)
# a part's new rows, staged so that each table gets them in one statement (`ListWriter._insert`)
_STAGING = (
    f"CREATE TEMP TABLE IF NOT EXISTS new_paper ({_COLUMNS})",
    "CREATE TEMP TABLE IF NOT EXISTS new_paper_tag (paper_id, tag_id)",
    "CREATE TEMP TABLE IF NOT EXISTS new_paper_link (kind, paper_id, entity_id, role)",
)
_STAGE_PAPER_SQL = f"INSERT INTO temp.new_paper VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
_STAGE_TAG_SQL = "INSERT INTO temp.new_paper_tag VALUES (?, ?)"
_STAGE_LINK_SQL = "INSERT INTO temp.new_paper_link VALUES (?, ?, ?, ?)"
_UNSTAGE = (
    "INSERT INTO paper_tag (paper_id, tag_id, source) SELECT paper_id, tag_id, 'list' FROM temp.new_paper_tag",
    f"INSERT INTO paper ({_COLUMNS}) SELECT {_COLUMNS} FROM temp.new_paper ORDER BY rowid",
    *(
        f"INSERT INTO paper_{kind} (paper_id, {kind}_id, role, source) "
        f"SELECT paper_id, entity_id, role, 'text' FROM temp.new_paper_link WHERE kind = '{kind}' ORDER BY rowid"
        for kind in ("dataset", "model")
    ),
    "DELETE FROM temp.new_paper_tag",
    "DELETE FROM temp.new_paper",
    "DELETE FROM temp.new_paper_link",
)


class ListWriter:
    """One list's writes: `with ListWriter(db, source, report) as w: w.write(part_papers, cited); ...`.

    The transaction opens with the first part, so reading and checking a list that turns out empty or
    unreadable writes nothing, and commits when the block ends without an error.
    """

    def __init__(self, db: Path, source: str, report: ImportReport):
        self.db = db
        self.source = source
        self.report = report
        self._stack = contextlib.ExitStack()
        self._session: Session | None = None
        self._catalog: Catalog | None = None
        self._tags: Any = None  # llmkb.store.papers_write.TagCache, made with the session
        self.cited: dict[int, int] = {}  # the list's reference number -> paper row ID
        self.ref_tables: list = []
        self._added: set[int] = set()  # rows this import inserted: a later part naming them again is no news

    def __enter__(self) -> ListWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)

    @property
    def session(self) -> Session:
        if self._session is None:
            from llmkb.store.papers_write import TagCache
            from llmkb.store.write_session import write_session
            from llmkb.vocab.catalog import load_vocabulary

            self._session = self._stack.enter_context(write_session(self.db))
            self._catalog = load_vocabulary(self._session)
            self._tags = TagCache(self._session)
        return self._session

    def write(
        self,
        papers: Sequence[ListPaper],
        cited: dict[int, int],
        ref_tables: Sequence = (),
        mentions: Mentions | None = None,
    ) -> None:
        """Writes one part's papers with their tags and text links; `cited` maps the part's reference
        numbers to positions in `papers`; `mentions` may hold what the texts of the list's entries mention."""
        from llmkb.linking.text import derive_text_links
        from llmkb.store.papers_write import find_paper, find_papers

        session = self.session
        stored = find_papers(session, [p.fields.arxiv_id for p in papers if p.fields.arxiv_id])
        written: list[int] = []
        merged: list[int] = []
        fresh: list[tuple[ListPaper, PaperFields, list[str]]] = []
        for p in papers:
            row = stored.get(p.fields.arxiv_id) if p.fields.arxiv_id else find_paper(session, p.fields)
            if row is None:
                fresh.append((p, *self._new_record(p)))
                continue
            written.append(self._merge_into(row, p))
        merged = list(written)
        if fresh:
            written_fresh = self._insert(fresh, mentions)
            # keep the list's order in the report and for references
            by_paper = {id(p): pid for (p, _f, _s), pid in zip(fresh, written_fresh, strict=True)}
            merged_ids = iter(written)
            written = [by_paper[id(p)] if id(p) in by_paper else next(merged_ids) for p in papers]
        for ref, position in cited.items():
            self.cited.setdefault(ref, written[position])
        self.ref_tables += ref_tables
        assert self._catalog is not None
        if merged:
            derive_text_links(session, merged, self._catalog)  # new papers got theirs as they were inserted
        session.flush()
        session.expunge_all()  # the part is written: its rows need not stay in memory

    def finish(self) -> None:
        """The list's tables of models and datasets, once every numbered paper has its row."""
        if not self.ref_tables:
            return
        from llmkb.linking.list_tables import ListLinks, add_list_links

        assert self._catalog is not None
        add_list_links(self.session, self._catalog, ListLinks(self.ref_tables, self.cited), self.report.warnings)

    # --- papers the database has ----------------------------------------------------------------------

    def _merge_into(self, row: Any, p: ListPaper) -> int:
        from rapidfuzz import fuzz

        from llmkb.imports.arxiv_check import compare_titles
        from llmkb.store.papers_write import add_tags, save_paper
        from llmkb.store.records import paper_ref

        session, report = self.session, self.report
        if p.fields.title and p.authoritative is None:
            if row.verified:  # confirmed by arXiv lately: compared as arXiv's own answer would be
                compare_titles(p, row.title, report)
            elif fuzz.ratio(title_key(row.title), title_key(p.fields.title)) < STORED_TITLE_DIFFERS:
                report.warnings.append(
                    f"line {p.lines[0]}: {row.arxiv_id or 'a stored paper'} is titled {row.title!r} "
                    f"in the database but {p.fields.title!r} in the list; kept the stored title"
                )
        outcome = UNCHANGED
        if p.authoritative is not None:
            outcome, row = save_paper(session, p.authoritative, source=p.authority, authoritative=True, existing=row)
        first, row = save_paper(session, p.fields, source=f"list:{self.source}", authoritative=False, existing=row)
        outcome = ADDED if ADDED in (outcome, first) else UPDATED if UPDATED in (outcome, first) else UNCHANGED
        new_tags = add_tags(session, row, p.tags, "list", self._tags)
        report.tags_added += len(new_tags)
        if row.id in self._added:  # an earlier part of this list added it: counted there
            return row.id
        if new_tags and outcome == UNCHANGED:
            outcome = UPDATED
        report.count(outcome, paper_ref(row.arxiv_id, row.id))
        report.paper_ids.append(row.id)
        return row.id

    # --- papers it does not have yet ------------------------------------------------------------------

    def _new_record(self, p: ListPaper) -> tuple[PaperFields, list[str]]:
        """The row a new paper gets, by the same merge rules as `save_paper` applied twice (authority, list)."""
        sources: list[str] = []
        record: PaperFields | None = None
        if p.authoritative is not None:
            record, _ = merge(None, p.authoritative, authoritative=True)
            sources.append(p.authority)
        record, _ = merge(record, p.fields, authoritative=False)
        sources.append(f"list:{self.source}")
        if not record.title:
            raise ValueError("a new paper needs a title")
        return record, sources

    def _insert(self, fresh: list[tuple[ListPaper, PaperFields, list[str]]], mentions: Mentions | None) -> list[int]:
        """Inserts new papers with their tags and text links through the connection, in the transaction.

        The part's rows are staged in temporary tables and go in with one statement per table. The
        full-text index keeps what it indexes in memory until a statement ends inside a transaction (a
        statement savepoint writes it out), so one statement per paper wrote one tiny index segment per paper
        and merged them again and again: 3x the work of indexing the part at once. A paper's tags go in
        before the paper itself (its row ID is taken in advance, and foreign keys are checked at commit): the
        index then indexes each new paper once, tags included, instead of once more for every tag.
        """
        from llmkb.fts import cjk_terms
        from llmkb.linking.text import text_links
        from llmkb.store.records import paper_ref

        self.session.flush()
        connection: sqlite3.Connection = self.session.connection().connection.driver_connection  # type: ignore[assignment]
        assert self._tags is not None and self._catalog is not None
        connection.execute("PRAGMA defer_foreign_keys = ON")  # until commit
        for statement in _STAGING:
            connection.execute(statement)
        (last,) = connection.execute("SELECT COALESCE(max(id), 0) FROM paper").fetchone()
        ids: list[int] = []
        rows: list[list[Any]] = []
        tag_rows: list[tuple[int, int]] = []
        links: list[tuple[LinkKind, int, int, str]] = []
        for pid, (p, record, sources) in enumerate(fresh, last + 1):
            tags = list(dict.fromkeys(p.tags))
            tag_rows += [(pid, self._tags.id_for(tag)) for tag in tags]
            given = vars(record)
            values: list[Any] = [pid]
            for name in FIELD_NAMES:
                value = given[name]
                values.append((_to_json(value) if value else "[]") if name in _JSON_FIELDS else value)
            assert record.title is not None
            cjk = cjk_terms(record.title, record.short_name, record.abstract, record.note)
            values += [title_key(record.title), _to_json(sources), cjk]
            rows.append(values)
            texts = (record.title, record.abstract, record.note)
            for kind, _pid, entity, role in text_links(pid, *texts, self._catalog, mentions):
                links.append((kind, pid, entity, role))
            ids.append(pid)
            self._added.add(pid)
            self.report.tags_added += len(tags)
            self.report.count(ADDED, paper_ref(record.arxiv_id, pid))
            self.report.paper_ids.append(pid)
        connection.executemany(_STAGE_TAG_SQL, tag_rows)
        connection.executemany(_STAGE_PAPER_SQL, rows)
        connection.executemany(_STAGE_LINK_SQL, links)
        for statement in _UNSTAGE:
            connection.execute(statement)
        return ids
