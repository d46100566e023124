"""A `PaperQuery`'s filters as SQL over the alias `p` (the paper table): the one place a filter becomes SQL.

Every condition is written so SQLite answers it from an index and never reads every paper:
- tags are looked up first (`matching_tags`) and become `p.id IN (SELECT paper_id FROM paper_tag WHERE
  tag_id IN (...))`, answered from the (tag_id) index;
- links to datasets and models start from the link tables' (entity, paper_id) indexes;
- authors go through the full-text index's authors column;
- dates use the expression index on `PAPER_DATE`.
Names (datasets, models, metrics) are resolved before any SQL runs: an unknown name is an error with "did
you mean", never an empty answer; a known name no paper links yet makes the query empty.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmkb.linking.roles import role_kind
from llmkb.query import PaperQuery

if TYPE_CHECKING:
    from llmkb.vocab.vocabulary import Kind

_ESCAPE = "\\"

PAPER_DATE = "COALESCE(p.published, printf('%04d-%02d', p.year, COALESCE(p.month, 1)))"
"""The date a paper sorts and filters by: its first arXiv version, else the year (and month) a list gave.
Indexed (migration 0003) under exactly this expression, so listings and date filters use the index."""

PAPER_YEAR = "COALESCE(p.year, CAST(substr(p.published, 1, 4) AS INTEGER))"
"""The year a paper is "of": the venue's year a list gave, else the first arXiv version's. Indexed too."""

ORDER_BY = {
    "newest": f"{PAPER_DATE} DESC, p.id DESC",
    "oldest": f"{PAPER_DATE} ASC, p.id ASC",
    "title": "p.title_key ASC, p.id ASC",
    "added": "p.id ASC",
}
_LINK_TABLES = {"dataset": ("paper_dataset", "dataset_id"), "model": ("paper_model", "model_id")}


@dataclass
class Compiled:
    """WHERE clauses (joined by AND) with their parameters, and what the names resolved to."""

    clauses: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    datasets: dict[str, int | None] = field(default_factory=dict)  # stored name -> row ID (None: no row yet)
    models: dict[str, int | None] = field(default_factory=dict)
    metric: tuple[str, int | None] | None = None
    empty: bool = False  # some filter can match no paper at all

    @property
    def where(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"

    def add(self, clause: str, params: list | tuple = ()) -> None:
        self.clauses.append(clause)
        self.params.extend(params)


def _like(text: str) -> str:
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def matching_tags(tag: str) -> tuple[str, list]:
    """A query for the IDs of the stored tags a `--tag` selects: the one place the matching rule lives.

    A one-segment tag matches whole words of any segment (`pruning` finds `compression/pruning-for-llms`);
    a path matches as a run of whole segments (`compression/pruning` finds `model/compression/pruning/x`).
    """
    sep, stored = ("/", "name") if "/" in tag else ("-", "replace(name, '/', '-')")
    sql = f"SELECT id FROM tag WHERE '{sep}' || {stored} || '{sep}' LIKE ? ESCAPE '\\'"
    return sql, [f"%{sep}{_like(tag)}{sep}%"]


def tag_ids(conn: sqlite3.Connection, tag: str) -> list[int]:
    sql, params = matching_tags(tag)
    return [row[0] for row in conn.execute(sql, params)]


def tags_condition(conn: sqlite3.Connection, tag: str, column: str = "p.id") -> tuple[str, list]:
    """`column` is a paper tagged with (a tag matching) `tag`."""
    ids = tag_ids(conn, tag)
    if not ids:
        return "0", []
    return f"{column} IN (SELECT paper_id FROM paper_tag WHERE tag_id IN ({','.join('?' * len(ids))}))", ids


def date_range(since: str | None, until: str | None) -> list[tuple[str, list]]:
    """`since`/`until` as YYYY or YYYY-MM, both inclusive."""
    out = []
    if since:
        out.append((f"{PAPER_DATE} >= ?", [since]))
    if until:
        out.append((f"{PAPER_DATE} < ?", [_after(until)]))
    return out


def _after(period: str) -> str:
    """The first date string after the whole of `period` (2024 -> 2025, 2024-12 -> 2025-01)."""
    if len(period) == 4:
        return f"{int(period) + 1:04d}"
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _row_id(conn: sqlite3.Connection, kind: str, name: str) -> int | None:
    row = conn.execute(f"SELECT id FROM {kind} WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def link_condition(kind: str, entity_id: int | None, role: str | None, source: str | None) -> tuple[str, list]:
    """Papers linked to one dataset or model (`entity_id`), or to any (None), in a role, from a source."""
    table, column = _LINK_TABLES[kind]
    parts, params = [], []
    if role is not None:
        parts.append("role = ?")
        params.append(role)
    if source is not None:
        parts.append("source = ?")
        params.append(source)
    if entity_id is None:  # any link: checked per paper through the (paper_id, ...) key
        where = " AND ".join(["paper_id = p.id", *parts])
        return f"EXISTS (SELECT 1 FROM {table} WHERE {where})", params
    where = " AND ".join([f"{column} = ?", *parts])
    return f"p.id IN (SELECT paper_id FROM {table} WHERE {where})", [entity_id, *params]


def compile_filters(conn: sqlite3.Connection, q: PaperQuery) -> Compiled:
    """The query's filters (not its words) as SQL; resolves names, so it may raise UnknownName."""
    from llmkb.vocab.stored_names import stored_name

    c = Compiled()
    linked: tuple[tuple[Kind, list[str]], ...] = (("dataset", q.datasets), ("model", q.models))
    for kind, texts in linked:
        names = dict.fromkeys(stored_name(conn, kind, text) for text in texts)
        resolved = {name: _row_id(conn, kind, name) for name in names}
        setattr(c, kind + "s", resolved)
    if q.metric is not None:
        name = stored_name(conn, "metric", q.metric)
        c.metric = (name, _row_id(conn, "metric", name))

    for tag in q.tags:
        c.add(*tags_condition(conn, tag))
    for tag in q.not_tags:
        ids = tag_ids(conn, tag)
        if ids:
            c.add(f"p.id NOT IN (SELECT paper_id FROM paper_tag WHERE tag_id IN ({','.join('?' * len(ids))}))", ids)
    if q.author:
        c.add(*author_condition(conn, q.author))
    if q.year is not None:
        c.add(f"{PAPER_YEAR} = ?", [q.year])
    for clause in date_range(q.since, q.until):
        c.add(*clause)
    if q.category:
        c.add(
            "(p.primary_category = ? OR EXISTS (SELECT 1 FROM json_each(p.categories) WHERE value = ?))",
            [q.category, q.category],
        )
    if q.status is not None:
        c.add("p.status = ?", [q.status])
    if q.flagged:
        c.add("p.flag IS NOT NULL")
    if q.unverified:
        c.add("p.arxiv_id IS NOT NULL AND p.verified IS NULL")
    _link_filters(c, q)
    return c


def _link_filters(c: Compiled, q: PaperQuery) -> None:
    for kind, named in (("dataset", c.datasets), ("model", c.models)):
        kind_role = q.role if q.role is not None and role_kind(q.role) == kind else None
        for entity_id in named.values():
            c.empty |= entity_id is None
            c.add(*link_condition(kind, entity_id, kind_role, q.link_source))
        if not named and kind_role is not None:  # `--role calibration` alone: any calibration dataset
            c.add(*link_condition(kind, None, kind_role, q.link_source))
    if c.metric is not None:
        c.empty |= c.metric[1] is None
        sql, params = "p.id IN (SELECT paper_id FROM result WHERE metric_id = ?", [c.metric[1]]
        for column, named in (("dataset_id", c.datasets), ("model_id", c.models)):
            if named:
                sql += f" AND {column} IN ({','.join('?' * len(named))})"
                params += list(named.values())
        c.add(sql + ")", params)
    if q.linked and not q.links_asked:  # papers with any link (from the source, if given)
        any_dataset = link_condition("dataset", None, None, q.link_source)
        any_model = link_condition("model", None, None, q.link_source)
        c.add(f"({any_dataset[0]} OR {any_model[0]})", any_dataset[1] + any_model[1])


def author_condition(conn: sqlite3.Connection, name: str) -> tuple[str, list]:
    """Papers with an author whose name has these words (typos corrected, initials as prefixes), through
    the full-text index's authors column: no paper's author list is read."""
    from llmkb import fts

    words = fts.words(name)
    if not words:
        return "0", []
    words, _ = fts.correct_terms(conn, words)
    terms = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    expression = f"authors : NEAR({terms}, {max(2, len(words))})" if len(words) > 1 else f"authors : {terms}"
    return "p.id IN (SELECT rowid FROM paper_fts WHERE paper_fts MATCH ?)", [expression]
