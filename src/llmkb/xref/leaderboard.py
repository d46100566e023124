"""`llmkb leaderboard DATASET`: results on one dataset, best first by the metric's direction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from llmkb.errors import UsageError
from llmkb.store.query_sql import _row_id
from llmkb.store.records import paper_ref
from llmkb.vocab.stored_names import stored_name
from llmkb.vocab.vocabulary import entries


@dataclass
class LeaderRow:
    rank: int
    value: float
    model: str | None
    paper: str  # the ID a user sees
    title: str
    setting: str | None
    source: str


@dataclass
class Leaderboard:
    dataset: str
    metric: str | None
    higher_is_better: bool
    rows: list[LeaderRow]
    total: int  # results in this metric (rows holds at most `limit`)
    other_metrics: list[tuple[str, int]]  # metrics with results on this dataset, and how many


def leaderboard(
    conn: sqlite3.Connection,
    dataset: str,
    *,
    metric: str | None = None,
    model: str | None = None,
    limit: int | None = 20,
) -> Leaderboard:
    """Results on one dataset, best first by the metric's direction (lower perplexity, higher accuracy).

    Without `metric`: the dataset's usual metric when it has results in it, else the metric most of its
    results use.
    """
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    dataset = stored_name(conn, "dataset", dataset)
    model_name = stored_name(conn, "model", model) if model is not None else None
    chosen = stored_name(conn, "metric", metric) if metric is not None else None
    row = conn.execute("SELECT id, usual_metric FROM dataset WHERE name = ?", (dataset,)).fetchone()
    dataset_id, usual = (row[0], row[1]) if row else (None, None)
    if usual is None and row is None:
        usual = next((e.metric for e in entries("dataset") if e.name == dataset), None)
    model_id = _row_id(conn, "model", model_name) if model_name else None
    model_sql, model_params = ("AND r.model_id = ?", [model_id]) if model_name else ("", [])
    per_metric = [
        (name, count)
        for name, count in conn.execute(
            "SELECT x.name, count(*) FROM result r JOIN metric x ON x.id = r.metric_id "
            f"WHERE r.dataset_id = ? {model_sql} GROUP BY x.id ORDER BY count(*) DESC, x.name",
            [dataset_id, *model_params],
        )
    ]
    if chosen is None:
        present = dict(per_metric)
        chosen = usual if usual in present or not per_metric else per_metric[0][0]
    metric_row = (
        conn.execute("SELECT id, higher_is_better FROM metric WHERE name = ?", (chosen,)).fetchone() if chosen else None
    )
    if metric_row is None:
        higher = True
        if chosen:
            # a metric entry always says (the vocabulary requires it)
            higher = next((bool(e.higher_is_better) for e in entries("metric") if e.name == chosen), True)
        return Leaderboard(dataset, chosen, higher, [], 0, per_metric)
    metric_id, higher = metric_row[0], bool(metric_row[1])
    order = "DESC" if higher else "ASC"
    base = f"FROM result r WHERE r.dataset_id = ? AND r.metric_id = ? {model_sql}"
    params = [dataset_id, metric_id, *model_params]
    (total,) = conn.execute(f"SELECT count(*) {base}", params).fetchone()
    rows = conn.execute(
        "SELECT r.value, m.name, p.arxiv_id, p.id, p.title, r.setting, r.source "
        f"FROM (SELECT r.* {base} ORDER BY r.value {order}, r.id LIMIT ?) r "
        "JOIN paper p ON p.id = r.paper_id LEFT JOIN model m ON m.id = r.model_id "
        f"ORDER BY r.value {order}, r.id",
        [*params, -1 if limit is None else limit],
    ).fetchall()
    board: list[LeaderRow] = []
    for position, (value, model_label, arxiv_id, paper_id, title, setting, source) in enumerate(rows, 1):
        rank = board[-1].rank if board and board[-1].value == value else position
        board.append(LeaderRow(rank, value, model_label, paper_ref(arxiv_id, paper_id), title, setting, source))
    others = [(name, count) for name, count in per_metric if name != chosen]
    return Leaderboard(dataset, chosen, higher, board, total, others)
