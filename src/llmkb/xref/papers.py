"""`llmkb xref`: the papers a query selects, each with the dataset and model links and results it matched.

Every view starts from the links, not from the papers: a dataset or model filter becomes
`p.id IN (SELECT paper_id FROM paper_dataset WHERE dataset_id = ?)`, which SQLite answers from the
(dataset_id, paper_id) index and then joins to the few papers found, so a query on 100,000 papers costs
what the matching links cost (`llmkb.store.query_sql`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from llmkb.query import PaperQuery
from llmkb.search import select
from llmkb.store.query_sql import Compiled
from llmkb.store.records import Attach, PaperRecord, records_for

CHECK = "✓"


@dataclass
class Xref:
    papers: list[PaperRecord]
    datasets: list[str]  # the names the filters resolved to
    models: list[str]
    metric: str | None


def matched(c: Compiled, q: PaperQuery, kinds: tuple[str, ...] = ("dataset", "model")) -> Attach:
    """What of a paper's links and results to show: those the query's filters name (all, if none)."""
    return Attach(
        kinds=kinds,
        dataset_ids=list(c.datasets.values()),
        model_ids=list(c.models.values()),
        metric_id=c.metric[1] if c.metric else None,
        role=q.role,
        source=q.link_source,
    )


def xref(conn: sqlite3.Connection, q: PaperQuery) -> Xref:
    """The papers that satisfy every filter, newest first, each with the links and results that matched.

    Without a dataset, model, metric or role filter a paper must have at least one link (from `source`,
    if given): xref lists what is cross-referenced, not every paper under a tag.
    """
    q = q.but(linked=True)
    selection = select(conn, q)
    c = selection.compiled
    records = records_for(conn, list(selection.ids), matched(c, q))
    return Xref(records, list(c.datasets), list(c.models), c.metric[0] if c.metric else None)
