"""Paper records as plain dicts, read with `sqlite3`: the one shape every command prints or exports.

A record has every column of the paper plus its tags, the datasets and models it links and its results.
`Attach` says which related rows to read, and, for the cross-reference views, to keep only the links and
results a query matched. Related rows are fetched per batch of papers with one query each, never one query
per paper, so exporting 100,000 papers costs a few hundred queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

PAPER_COLUMNS = (
    "id, arxiv_id, arxiv_version, title, short_name, abstract, authors, published, updated, "
    "primary_category, categories, comment, journal_ref, doi, venue, year, month, note, links, sources, "
    "list_title, flag, verified, status, status_at"
)
BATCH = 500


class PaperRecord(TypedDict):
    """What `show --format json`, `search --format json` and every export see of one paper."""

    rowid: int
    id: str  # the ID a user sees and types: the arXiv ID, or kb-N
    arxiv_id: str | None
    version: int | None
    title: str
    short_name: str | None
    abstract: str | None
    authors: list[str]
    published: str | None
    updated: str | None
    primary_category: str | None
    categories: list[str]
    comment: str | None
    journal_ref: str | None
    doi: str | None
    venue: str | None
    year: int | None
    month: int | None
    note: str | None
    links: list[dict[str, str]]
    sources: list[str]
    list_title: str | None  # the list's own title, where it differs from arXiv's
    flag: str | None  # why the paper needs a look (its list and arXiv disagree)
    verified: str | None  # when arXiv last confirmed the record
    status: str | None  # reading status
    status_at: str | None
    tags: list[str]
    url: str | None
    datasets: list[dict[str, str]]  # {"name", "role", "source"}
    models: list[dict[str, str]]
    results: list[dict[str, Any]]  # {"dataset", "model", "metric", "value", "setting", "source"}


@dataclass
class Attach:
    """Which related rows a record carries; the ID filters keep only the links and results a query matched."""

    links: bool = True
    results: bool = True
    kinds: tuple[str, ...] = ("dataset", "model")
    dataset_ids: list[int | None] = field(default_factory=list)  # empty: every dataset
    model_ids: list[int | None] = field(default_factory=list)
    metric_id: int | None = None
    role: str | None = None  # a dataset role filters dataset links, a model role model links
    source: str | None = None


EVERYTHING = Attach()


def paper_ref(arxiv_id: str | None, rowid: int) -> str:
    """The ID a user sees and types: the arXiv ID, or `kb-<n>` for papers not on arXiv."""
    return arxiv_id or f"kb-{rowid}"


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def _base(row: sqlite3.Row) -> PaperRecord:
    return {
        "rowid": row["id"],
        "id": paper_ref(row["arxiv_id"], row["id"]),
        "arxiv_id": row["arxiv_id"],
        "version": row["arxiv_version"],
        "title": row["title"],
        "short_name": row["short_name"],
        "abstract": row["abstract"],
        "authors": json.loads(row["authors"]),
        "published": row["published"],
        "updated": row["updated"],
        "primary_category": row["primary_category"],
        "categories": json.loads(row["categories"]),
        "comment": row["comment"],
        "journal_ref": row["journal_ref"],
        "doi": row["doi"],
        "venue": row["venue"],
        "year": row["year"],
        "month": row["month"],
        "note": row["note"],
        "links": json.loads(row["links"]),
        "sources": json.loads(row["sources"]),
        "list_title": row["list_title"],
        "flag": row["flag"],
        "verified": row["verified"],
        "status": row["status"],
        "status_at": row["status_at"],
        "tags": [],
        "url": abs_url(row["arxiv_id"]) if row["arxiv_id"] else None,
        "datasets": [],
        "models": [],
        "results": [],
    }


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int], params: Sequence = ()) -> dict[int, list]:
    marks = ",".join("?" * len(ids))
    out: dict[int, list] = defaultdict(list)
    for row in conn.execute(sql.format(ids=marks), [*ids, *params]):
        out[row[0]].append(row)
    return out


def _in(column: str, values: Sequence) -> tuple[str, list]:
    return (f" AND {column} IN ({','.join('?' * len(values))})", list(values)) if values else ("", [])


def _attach_tags(conn: sqlite3.Connection, records: dict[int, PaperRecord]) -> None:
    sql = (
        "SELECT pt.paper_id, t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
        "WHERE pt.paper_id IN ({ids}) ORDER BY pt.paper_id, pt.tag_id"
    )
    for pid, rows in _grouped(conn, sql, list(records)).items():
        records[pid]["tags"] = [r[1] for r in rows]


def _attach_links(conn: sqlite3.Connection, records: dict[int, PaperRecord], attach: Attach) -> None:
    from llmkb.linking.roles import role_kind

    for kind in attach.kinds:
        table, column = ("paper_dataset", "dataset_id") if kind == "dataset" else ("paper_model", "model_id")
        extra, params = _in(f"l.{column}", attach.dataset_ids if kind == "dataset" else attach.model_ids)
        if attach.role is not None and role_kind(attach.role) == kind:
            extra, params = extra + " AND l.role = ?", [*params, attach.role]
        if attach.source is not None:
            extra, params = extra + " AND l.source = ?", [*params, attach.source]
        sql = (
            f"SELECT l.paper_id, e.name, l.role, l.source FROM {table} l JOIN {kind} e ON e.id = l.{column} "
            f"WHERE l.paper_id IN ({{ids}}){extra} ORDER BY l.paper_id, l.{column}, l.role, l.source"
        )
        for pid, rows in _grouped(conn, sql, list(records), params).items():
            records[pid][kind + "s"] = [{"name": r[1], "role": r[2], "source": r[3]} for r in rows]  # type: ignore[literal-required]


def _attach_results(conn: sqlite3.Connection, records: dict[int, PaperRecord], attach: Attach) -> None:
    # `+column`: filter these rows, do not look them up by this column's index (the paper IDs are the
    # selective part; a popular dataset has thousands of results)
    extra, params = _in("+r.dataset_id", attach.dataset_ids)
    more, more_params = _in("+r.model_id", attach.model_ids)
    extra, params = extra + more, params + more_params
    if attach.metric_id is not None:
        extra, params = extra + " AND +r.metric_id = ?", [*params, attach.metric_id]
    sql = (
        "SELECT r.paper_id, d.name, m.name, x.name, r.value, r.setting, r.source FROM result r "
        "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id "
        f"LEFT JOIN model m ON m.id = r.model_id WHERE r.paper_id IN ({{ids}}){extra} "
        "ORDER BY r.paper_id, r.id"
    )
    for pid, rows in _grouped(conn, sql, list(records), params).items():
        records[pid]["results"] = [
            {"dataset": r[1], "model": r[2], "metric": r[3], "value": r[4], "setting": r[5], "source": r[6]}
            for r in rows
        ]


def records_for(conn: sqlite3.Connection, paper_ids: Sequence[int], attach: Attach = EVERYTHING) -> list[PaperRecord]:
    """Full records for the given row IDs, in the given order."""
    return list(iter_records(conn, paper_ids, attach))


def iter_records(
    conn: sqlite3.Connection, paper_ids: Iterable[int], attach: Attach = EVERYTHING
) -> Iterator[PaperRecord]:
    """Stream full records, BATCH papers at a time, in the order of `paper_ids`."""
    batch: list[int] = []
    for pid in paper_ids:
        batch.append(pid)
        if len(batch) == BATCH:
            yield from _batch(conn, batch, attach)
            batch = []
    if batch:
        yield from _batch(conn, batch, attach)


def _batch(conn: sqlite3.Connection, ids: list[int], attach: Attach) -> list[PaperRecord]:
    marks = ",".join("?" * len(ids))
    conn.row_factory = sqlite3.Row
    rows = conn.execute(f"SELECT {PAPER_COLUMNS} FROM paper WHERE id IN ({marks})", ids).fetchall()
    by_id = {row["id"]: _base(row) for row in rows}
    if by_id:
        _attach_tags(conn, by_id)
        if attach.links:
            _attach_links(conn, by_id, attach)
        if attach.results:
            _attach_results(conn, by_id, attach)
    return [by_id[i] for i in ids if i in by_id]


_LINKS_JSON = (
    "(SELECT json_group_array(json_object('name', name, 'role', role, 'source', source)) FROM ("
    "SELECT e.name AS name, l.role AS role, l.source AS source FROM {table} l JOIN {kind} e ON e.id = l.{kind}_id "
    "WHERE l.paper_id = p.id ORDER BY l.{kind}_id, l.role, l.source))"
)
RECORD_JSON = f"""json_object(
    'id', COALESCE(p.arxiv_id, 'kb-' || p.id), 'arxiv_id', p.arxiv_id, 'version', p.arxiv_version,
    'title', p.title, 'short_name', p.short_name, 'abstract', p.abstract, 'authors', json(p.authors),
    'published', p.published, 'updated', p.updated, 'primary_category', p.primary_category,
    'categories', json(p.categories), 'comment', p.comment, 'journal_ref', p.journal_ref, 'doi', p.doi,
    'venue', p.venue, 'year', p.year, 'month', p.month, 'note', p.note, 'links', json(p.links),
    'sources', json(p.sources), 'list_title', p.list_title, 'flag', p.flag, 'verified', p.verified,
    'status', p.status, 'status_at', p.status_at,
    'tags', (SELECT json_group_array(name) FROM (SELECT t.name AS name FROM paper_tag pt JOIN tag t
             ON t.id = pt.tag_id WHERE pt.paper_id = p.id ORDER BY pt.tag_id)),
    'url', CASE WHEN p.arxiv_id IS NOT NULL THEN 'https://arxiv.org/abs/' || p.arxiv_id END,
    'datasets', {_LINKS_JSON.format(table="paper_dataset", kind="dataset")},
    'models', {_LINKS_JSON.format(table="paper_model", kind="model")},
    'results', (SELECT json_group_array(json_object('dataset', dataset, 'model', model, 'metric', metric,
                'value', value, 'setting', setting, 'source', source)) FROM (
                SELECT d.name AS dataset, m.name AS model, x.name AS metric, r.value AS value, r.setting AS setting,
                r.source AS source FROM result r JOIN dataset d ON d.id = r.dataset_id
                JOIN metric x ON x.id = r.metric_id LEFT JOIN model m ON m.id = r.model_id
                WHERE r.paper_id = p.id ORDER BY r.id)))"""
"""A whole public record (what `show --format json` prints, without the row ID) built by SQLite itself:
exports of a million papers serialise in C, not one Python dict at a time."""

JSON_BATCH = 2000


def iter_record_json(conn: sqlite3.Connection, paper_ids: Iterable[int]) -> Iterator[str]:
    """Each paper's public record as one line of JSON text, in the order of `paper_ids`, streamed."""
    batch: list[int] = []

    def flush() -> Iterator[str]:
        marks = ",".join("?" * len(batch))
        texts = dict(conn.execute(f"SELECT p.id, {RECORD_JSON} FROM paper p WHERE p.id IN ({marks})", batch))
        return (texts[i] for i in batch if i in texts)

    for pid in paper_ids:
        batch.append(pid)
        if len(batch) == JSON_BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
