"""Rendering the cross-reference views: rich tables for people, markdown for notes, JSON for scripts."""

from __future__ import annotations

import sys

from llmkb.display import links_text, result_text, title_text, year_text

TITLE_WIDTH = 32  # matrix rows name their paper in this many characters at most


def _md(text) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_table(header: list[str], rows: list[list]) -> None:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    sys.stdout.write("\n".join(out) + "\n")


def xref_rows(result) -> tuple[list[str], list[list[str]]]:
    with_results = any(p["results"] for p in result.papers)
    header = ["ID", "Year", "Title", "Datasets", "Models"] + (["Results"] if with_results else [])
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
    return header, rows


def xref_json(result) -> list[dict]:
    keys = ("id", "title", "short_name", "tags", "datasets", "models", "results")
    return [{**{k: p[k] for k in keys}, "year": year_text(p)} for p in result.papers]


def xref_table(result):
    from rich.table import Table

    header, rows = xref_rows(result)
    table = Table(show_lines=False)
    for name in header:
        if name == "ID":
            table.add_column(name, no_wrap=True, style="cyan")
        elif name == "Year":
            table.add_column(name, no_wrap=True)
        else:
            table.add_column(name, overflow="fold", ratio=3 if name == "Title" else 2)
    for row in rows:
        table.add_row(*row)
    return table


def xref_markdown(result) -> None:
    md_table(*xref_rows(result))


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


def matrix_rows(grid) -> tuple[list[str], list[list[str]]]:
    header = ["ID", "Paper", *grid.columns]
    rows = [
        [p["id"], _short_title(p), *(_cell(grid.cells[p["rowid"]].get(c)) for c in grid.columns)] for p in grid.papers
    ]
    return header, rows


def matrix_table(grid):
    from rich.table import Table

    caption = f"values: {grid.metric}" if grid.metric else None
    table = Table(caption=caption, show_lines=False)
    table.add_column("ID", no_wrap=True, style="cyan")
    table.add_column("Paper", overflow="fold", min_width=12)
    for column in grid.columns:
        table.add_column(column, justify="center", overflow="fold")
    for row in matrix_rows(grid)[1]:
        table.add_row(*row)
    return table


def matrix_markdown(grid) -> None:
    md_table(*matrix_rows(grid))


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


def counts_rows(kind: str, entries, *, unresolved: bool) -> tuple[list[str], list[list[str]]]:
    if unresolved:
        return ["Name (as written)", "Papers", "Did you mean"], [
            [e.name, str(e.papers), ", ".join(e.suggestions[:3])] for e in entries
        ]
    if kind == "dataset":
        header = ["Dataset", "Papers", "Task", "Usual metric"]
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
        header = ["Model", "Papers", "Family", "Size"]
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
        header = ["Metric", "Papers", "Better"]
        rows = [[e.name, str(e.papers), "higher" if e.details["higher_is_better"] else "lower"] for e in entries]
    return header, rows


def counts_table(kind: str, entries, *, unresolved: bool):
    from rich.table import Table

    header, rows = counts_rows(kind, entries, unresolved=unresolved)
    table = Table(show_lines=False)
    for i, name in enumerate(header):
        table.add_column(
            name, justify="right" if name == "Papers" else "left", no_wrap=i == 0, style="cyan" if i == 0 else None
        )
    for row in rows:
        table.add_row(*row)
    return table


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


def leaderboard_rows(board) -> tuple[list[str], list[list[str]]]:
    header = ["#", board.metric or "value", "Model", "Paper", "Setting", "Title"]
    rows = [[str(r.rank), f"{r.value:g}", r.model or "", r.paper, r.setting or "", r.title] for r in board.rows]
    return header, rows


def leaderboard_heading(board) -> str:
    direction = "higher is better" if board.higher_is_better else "lower is better"
    return f"{board.dataset} — {board.metric} ({direction})"


def leaderboard_table(board):
    from rich.table import Table

    header, rows = leaderboard_rows(board)
    table = Table(title=leaderboard_heading(board), show_lines=False)
    table.add_column(header[0], justify="right", no_wrap=True)
    table.add_column(header[1], justify="right", no_wrap=True, style="bold")
    table.add_column(header[2], overflow="fold")
    table.add_column(header[3], no_wrap=True, style="cyan")
    table.add_column(header[4], no_wrap=True)
    table.add_column(header[5], overflow="fold", ratio=3)
    for row in rows:
        table.add_row(*row)
    return table


def leaderboard_markdown(board) -> None:
    sys.stdout.write(f"**{_md(leaderboard_heading(board))}**\n\n")
    md_table(*leaderboard_rows(board))


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
