"""`llmkb xref matrix`: papers × datasets (or models), a value where the paper has a result, else a check."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass

from llmkb.errors import UsageError
from llmkb.query import PaperQuery
from llmkb.search import select
from llmkb.store.query_sql import Compiled
from llmkb.store.records import PaperRecord, records_for
from llmkb.xref.papers import CHECK, matched


@dataclass
class Matrix:
    by: str  # "dataset" or "model"
    columns: list[str]
    papers: list[PaperRecord]
    cells: dict[int, dict[str, float | str]]  # paper rowid -> column -> best value, or CHECK
    metric: str | None  # the metric values are in, when there are values
    hidden_columns: int = 0


def matrix(conn: sqlite3.Connection, q: PaperQuery, by: str, max_columns: int | None = None) -> Matrix:
    """Papers x datasets (or models): a value where the paper has a result, else a check mark.

    Columns are the filtered names first, then the others by how many of these papers link them. With
    `--by dataset` a cell's value is in `--metric`, else in the column dataset's usual metric; with `--by
    model` values need a single `--dataset` (in `--metric` or its usual metric). Several results for one
    cell (settings, models): the best one by the metric's direction.
    """
    if by not in ("dataset", "model"):
        raise UsageError(f"--by takes dataset or model, not {by!r}")
    q = q.but(linked=True)
    selection = select(conn, q)
    c = selection.compiled
    attach = matched(c, q, kinds=(by,))
    attach.results = False
    if by == "dataset":
        attach.dataset_ids = []
    else:
        attach.model_ids = []
    papers = records_for(conn, list(selection.ids), attach)
    counts: Counter[str] = Counter()
    cells: dict[int, dict[str, float | str]] = {}
    for paper in papers:
        names = {link["name"] for link in paper["datasets" if by == "dataset" else "models"]}
        counts.update(names)
        cells[paper["rowid"]] = dict.fromkeys(names, CHECK)
    filtered = list(c.datasets if by == "dataset" else c.models)
    columns = filtered + sorted((n for n in counts if n not in filtered), key=lambda n: (-counts[n], n.casefold()))
    hidden = 0
    if max_columns and len(columns) > max_columns:
        hidden, columns = len(columns) - max_columns, columns[:max_columns]
    metric = _fill_values(conn, [p["rowid"] for p in papers], cells, columns, c, by)
    return Matrix(by, columns, papers, cells, metric, hidden)


def _fill_values(
    conn: sqlite3.Connection, paper_ids: list[int], cells: dict[int, dict], columns: list[str], c: Compiled, by: str
) -> str | None:
    if not paper_ids or not columns:
        return None
    if by == "model" and len(c.datasets) != 1:
        return None
    marks = ",".join("?" * len(columns))
    params: list = list(columns)
    metric_sql = "x.id = ?" if c.metric else "x.name = d.usual_metric"
    if by == "dataset":
        column_sql = "d.name"
        params += [c.metric[1]] if c.metric else []
        where = f"d.name IN ({marks}) AND {metric_sql}"
    else:
        column_sql = "m.name"
        (dataset_id,) = c.datasets.values()
        params += [dataset_id] + ([c.metric[1]] if c.metric else [])
        where = f"m.name IN ({marks}) AND +r.dataset_id = ? AND {metric_sql}"
    if by == "dataset" and c.models:
        where += f" AND r.model_id IN ({','.join('?' * len(c.models))})"
        params += list(c.models.values())
    used: Counter[str] = Counter()
    sql = (
        f"SELECT r.paper_id, {column_sql}, x.name, x.higher_is_better, r.value FROM result r "
        "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id "
        "LEFT JOIN model m ON m.id = r.model_id "
        f"WHERE r.paper_id IN (SELECT value FROM json_each(?)) AND {where}"
    )
    for paper_id, column, metric, higher, value in conn.execute(sql, [json.dumps(paper_ids), *params]):
        cell = cells[paper_id].get(column)
        if isinstance(cell, float) and (value <= cell if higher else value >= cell):
            continue
        cells[paper_id][column] = float(value)
        used[metric] += 1
    if c.metric:
        return c.metric[0]
    if len(used) == 1:
        return next(iter(used))
    return "usual metric of each dataset" if used else None
