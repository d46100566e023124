"""The cross-reference views as rows for the output layer, and as the JSON shapes scripts rely on."""

from __future__ import annotations

from llmkb.cli.output import Column, Rows
from llmkb.display import links_text, result_text, title_text, year_text

TITLE_WIDTH = 32  # matrix rows name their paper in this many characters at most

ID = Column("ID", wrap=False, style="cyan")
YEAR = Column("Year", wrap=False)


def xref_rows(result) -> Rows:
    with_results = any(p["results"] for p in result.papers)
    columns = [ID, YEAR, Column("Title", ratio=3), Column("Datasets", ratio=2), Column("Models", ratio=2)]
    if with_results:
        columns.append(Column("Results", ratio=2))
    rows = []
    for p in result.papers:
        row = [
            p["id"],
            year_text(p),
            title_text(p),
            links_text(p["datasets"], "evaluation"),
            links_text(p["models"], "uses"),
        ]
        if with_results:
            row.append("; ".join(result_text(r) for r in p["results"]))
        rows.append(row)
    return Rows(columns, rows)


def xref_json(result) -> list[dict]:
    keys = ("id", "title", "short_name", "tags", "datasets", "models", "results")
    return [{**{k: p[k] for k in keys}, "year": year_text(p)} for p in result.papers]


def _cell(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else f"{value:g}"


def _short_title(paper) -> str:
    """ "ShortGPT", "FoldGPT" ("FoldGPT: Simple and ..."), else the title cut short."""
    name = paper["short_name"] or paper["title"]
    head = name.split(":", 1)[0].strip()
    if ":" in name and 2 < len(head) <= TITLE_WIDTH:
        return head
    return name if len(name) <= TITLE_WIDTH else name[: TITLE_WIDTH - 1] + "…"


def matrix_rows(grid) -> Rows:
    """Papers by datasets (or models): every column is kept; on a narrow terminal the names wrap."""
    columns = [ID, Column("Paper", ratio=2), *(Column(c, justify="center", key=c) for c in grid.columns)]
    rows = [
        [p["id"], _short_title(p), *(_cell(grid.cells[p["rowid"]].get(c)) for c in grid.columns)] for p in grid.papers
    ]
    return Rows(columns, rows, caption=f"values: {grid.metric}" if grid.metric else None)


def matrix_json(grid) -> dict:
    return {
        "by": grid.by,
        "metric": grid.metric,
        "columns": grid.columns,
        "papers": [
            {
                "id": p["id"],
                "title": p["title"],
                "cells": {c: (True if v == "✓" else v) for c, v in grid.cells[p["rowid"]].items() if c in grid.columns},
            }
            for p in grid.papers
        ],
    }


def counts_rows(kind: str, entries, *, unresolved: bool) -> Rows:
    name = Column(kind.capitalize(), wrap=False, style="cyan", key="name")
    papers = Column("Papers", wrap=False, justify="right")
    if unresolved:
        return Rows(
            [Column("Name (as written)", style="cyan", key="name"), papers, Column("Did you mean", key="suggestions")],
            [[e.name, str(e.papers), list(e.suggestions[:3])] for e in entries],
        )
    if kind == "dataset":
        columns = [name, papers, Column("Task"), Column("Usual metric")]
        rows = [
            [
                e.name + ("" if e.resolved else " (as written)"),
                str(e.papers),
                e.details.get("task") or "",
                e.details.get("usual_metric") or "",
            ]
            for e in entries
        ]
    elif kind == "model":
        columns = [name, papers, Column("Family"), Column("Size", wrap=False)]
        rows = [
            [
                e.name + ("" if e.resolved else " (as written)"),
                str(e.papers),
                e.details.get("family") or "",
                e.details.get("size") or "",
            ]
            for e in entries
        ]
    else:
        columns = [name, papers, Column("Better", wrap=False)]
        rows = [[e.name, str(e.papers), "higher" if e.details["higher_is_better"] else "lower"] for e in entries]
    return Rows(columns, rows)


def counts_json(kind: str, entries) -> list[dict]:
    out = []
    for e in entries:
        item = {"name": e.name, "papers": e.papers, **e.details}
        if kind != "metric":
            item["resolved"] = e.resolved
            if not e.resolved:
                item["suggestions"] = e.suggestions
        out.append(item)
    return out


def leaderboard_heading(board) -> str:
    direction = "higher is better" if board.higher_is_better else "lower is better"
    return f"{board.dataset} — {board.metric} ({direction})"


def leaderboard_rows(board) -> Rows:
    columns = [
        Column("#", wrap=False, justify="right", key="rank"),
        Column(board.metric or "value", wrap=False, justify="right", style="bold", key="value"),
        Column("Model", ratio=1),
        Column("Paper", wrap=False, style="cyan"),
        Column("Setting", wrap=False),
        Column("Title", ratio=3),
    ]
    rows = [[str(r.rank), f"{r.value:g}", r.model or "", r.paper, r.setting or "", r.title] for r in board.rows]
    heading = leaderboard_heading(board)
    return Rows(columns, rows, title=heading, id_column=3, extra_md=[f"**{heading}**", ""])


def leaderboard_json(board) -> dict:
    return {
        "dataset": board.dataset,
        "metric": board.metric,
        "higher_is_better": board.higher_is_better,
        "total": board.total,
        "results": [
            {
                "rank": r.rank,
                "value": r.value,
                "model": r.model,
                "paper": r.paper,
                "title": r.title,
                "setting": r.setting,
                "source": r.source,
            }
            for r in board.rows
        ],
        "other_metrics": [{"metric": name, "results": count} for name, count in board.other_metrics],
    }
