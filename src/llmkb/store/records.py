"""Paper records as plain dicts, read with `sqlite3`: what `show --format json` and exports emit.

Related rows (tags, datasets, models, results) are fetched per batch of papers with one query each, never
one query per paper, so exporting 100,000 papers costs a few hundred queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

PAPER_COLUMNS = (
    "id, arxiv_id, arxiv_version, title, short_name, abstract, authors, published, updated, "
    "primary_category, categories, comment, journal_ref, doi, venue, year, month, note, links, sources"
)
BATCH = 500


def paper_ref(arxiv_id: str | None, rowid: int) -> str:
    """The ID a user sees and types: the arXiv ID, or `kb-<n>` for papers not on arXiv."""
    return arxiv_id or f"kb-{rowid}"


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def _base(row: sqlite3.Row) -> dict:
    return {
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
        "tags": [],
        "url": abs_url(row["arxiv_id"]) if row["arxiv_id"] else None,
        "datasets": [],
        "models": [],
        "results": [],
    }


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int]) -> dict[int, list[sqlite3.Row]]:
    marks = ",".join("?" * len(ids))
    out: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute(sql.format(ids=marks), ids):
        out[row[0]].append(row)
    return out


def _attach(conn: sqlite3.Connection, records: dict[int, dict]) -> None:
    ids = list(records)
    for pid, rows in _grouped(
        conn,
        "SELECT pt.paper_id, t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
        "WHERE pt.paper_id IN ({ids}) ORDER BY t.name",
        ids,
    ).items():
        records[pid]["tags"] = [r[1] for r in rows]
    for pid, rows in _grouped(
        conn,
        "SELECT pd.paper_id, d.name, pd.role, pd.source FROM paper_dataset pd "
        "JOIN dataset d ON d.id = pd.dataset_id WHERE pd.paper_id IN ({ids}) ORDER BY d.name, pd.role",
        ids,
    ).items():
        records[pid]["datasets"] = [{"name": r[1], "role": r[2], "source": r[3]} for r in rows]
    for pid, rows in _grouped(
        conn,
        "SELECT pm.paper_id, m.name, pm.role, pm.source FROM paper_model pm "
        "JOIN model m ON m.id = pm.model_id WHERE pm.paper_id IN ({ids}) ORDER BY m.name, pm.role",
        ids,
    ).items():
        records[pid]["models"] = [{"name": r[1], "role": r[2], "source": r[3]} for r in rows]
    for pid, rows in _grouped(
        conn,
        "SELECT r.paper_id, d.name, m.name, x.name, r.value, r.setting, r.source FROM result r "
        "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id "
        "LEFT JOIN model m ON m.id = r.model_id WHERE r.paper_id IN ({ids}) ORDER BY r.id",
        ids,
    ).items():
        records[pid]["results"] = [
            {"dataset": r[1], "model": r[2], "metric": r[3], "value": r[4], "setting": r[5], "source": r[6]}
            for r in rows
        ]


def records_for(conn: sqlite3.Connection, paper_ids: Sequence[int]) -> list[dict]:
    """Full records for the given row IDs, in the given order."""
    return list(iter_records(conn, paper_ids))


def iter_records(conn: sqlite3.Connection, paper_ids: Iterable[int]) -> Iterator[dict]:
    """Stream full records, BATCH papers at a time, in the order of `paper_ids`."""
    batch: list[int] = []
    for pid in paper_ids:
        batch.append(pid)
        if len(batch) == BATCH:
            yield from _batch(conn, batch)
            batch = []
    if batch:
        yield from _batch(conn, batch)


def _batch(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT {PAPER_COLUMNS} FROM paper WHERE id IN ({marks})", ids).fetchall()
    by_id = {row["id"]: _base(row) for row in rows}
    if by_id:
        _attach(conn, by_id)
    return [by_id[i] for i in ids if i in by_id]
