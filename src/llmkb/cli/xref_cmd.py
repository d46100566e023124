"""`llmkb xref [matrix]`, `llmkb datasets|models|metrics` and `llmkb leaderboard DATASET`: read commands."""

from __future__ import annotations

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb, out_console

XREF_FORMATS = ("table", "json", "md", "ids")
MATRIX_FORMATS = ("table", "json", "md")
LIST_FORMATS = ("table", "json", "md")


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    from llmkb.errors import UsageError

    if fmt not in allowed:
        raise UsageError(f"--format takes {', '.join(allowed[:-1])} or {allowed[-1]}, not {fmt!r}")


def xref(
    ctx: typer.Context,
    view: str = typer.Argument(None, metavar="[matrix]", help="matrix: papers × datasets (or models) as a grid."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Only papers with this tag (repeatable)."),
    dataset: list[str] = typer.Option(
        [], "--dataset", "-d", help="Only papers linked to this dataset (repeatable: to all of them)."
    ),
    model: list[str] = typer.Option(
        [], "--model", "-m", help="Only papers linked to this model (repeatable: to all of them)."
    ),
    metric: str = typer.Option(None, "--metric", help="Only papers with results in this metric."),
    role: str = typer.Option(
        None,
        "--role",
        help="Links in this role only: evaluation, calibration, fine-tuning, "
        "pre-training (datasets); uses, proposes (models).",
    ),
    source: str = typer.Option(None, "--source", help="Links from this source only: list, user or text."),
    by: str = typer.Option(None, "--by", help="matrix: columns are datasets (default) or models."),
    columns: int = typer.Option(8, "--columns", min=0, help="matrix: at most this many columns (0: all)."),
    limit: int = typer.Option(None, "--limit", "-n", help="At most this many papers."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, md or ids (matrix: table, json, md)."),
) -> None:
    """Papers by the datasets, models and metrics they are linked to, with what matched.

    Every filter must hold. Without a dataset, model, metric or role filter, the papers with any link.
    """
    from llmkb.errors import UsageError

    if view not in (None, "list", "matrix"):
        raise UsageError(f"xref takes no argument other than `matrix`, not {view!r}")
    if by is not None and view != "matrix":
        raise UsageError("--by belongs to `llmkb xref matrix`")
    query = opt.paper_query(
        tag=tag, dataset=dataset, model=model, metric=metric, role=role, link_source=source, limit=limit
    )
    if view == "matrix":
        _matrix(ctx, query, by or "dataset", columns, fmt)
        return
    _check_format(fmt, XREF_FORMATS)
    with open_kb(ctx) as kb:
        result = kb.xref(query)
    from llmkb.cli import render, xref_render

    if fmt == "json":
        render.print_json(xref_render.xref_json(result))
    elif fmt == "ids":
        render.print_ids(result.papers)
    elif not result.papers:
        out_console().print("No paper matches.")
    elif fmt == "md":
        xref_render.xref_markdown(result)
    else:
        out_console().print(xref_render.xref_table(result))


def _matrix(ctx: typer.Context, query, by: str, columns: int, fmt: str) -> None:
    _check_format(fmt, MATRIX_FORMATS)
    with open_kb(ctx) as kb:
        grid = kb.matrix(query, by=by, max_columns=columns or None)
    from llmkb.cli import render, xref_render

    if fmt == "json":
        render.print_json(xref_render.matrix_json(grid))
        return
    if not grid.papers:
        out_console().print("No paper matches.")
        return
    if fmt == "md":
        xref_render.matrix_markdown(grid)
    else:
        out_console().print(xref_render.matrix_table(grid))
    if grid.hidden_columns:
        more = f"{grid.hidden_columns} more {by}" + ("s" if grid.hidden_columns > 1 else "")
        err(f"note: {more} not shown (--columns 0 shows all)")


def _counts(
    ctx: typer.Context,
    kind: str,
    tag: list[str],
    role: str | None,
    source: str | None,
    every: bool,
    fmt: str,
    unresolved: bool = False,
) -> None:
    _check_format(fmt, LIST_FORMATS)
    query = opt.paper_query(tag=tag, role=role, link_source=source, limit=None)
    with open_kb(ctx) as kb:
        entries = kb.counts(kind, query, unresolved=unresolved, unused=every or unresolved)
    from llmkb.cli import render, xref_render

    if fmt == "json":
        render.print_json(xref_render.counts_json(kind, entries))
    elif not entries:
        if unresolved:
            out_console().print(f"Every {kind} name is resolved.")
        else:
            what = "has results" if kind == "metric" else "is linked to a paper"
            out_console().print(f"No {kind} {what}" + (" under that tag." if tag else " yet."))
    elif fmt == "md":
        xref_render.md_table(*xref_render.counts_rows(kind, entries, unresolved=unresolved))
    else:
        out_console().print(xref_render.counts_table(kind, entries, unresolved=unresolved))


_TAG = typer.Option([], "--tag", "-t", help="Count only papers with this tag (repeatable).")
_ROLE = typer.Option(None, "--role", help="Count only links in this role.")
_SOURCE = typer.Option(None, "--source", help="Count only links from this source: list, user or text.")
_ALL = typer.Option(False, "--all", help="Also list those no paper is linked to.")
_FORMAT = typer.Option("table", "--format", "-f", help="table, json or md.")


_UNRESOLVED = typer.Option(False, "--unresolved", help="Only names kept as an imported list wrote them.")


def datasets(
    ctx: typer.Context,
    tag: list[str] = _TAG,
    role: str = _ROLE,
    source: str = _SOURCE,
    every: bool = _ALL,
    unresolved: bool = _UNRESOLVED,
    fmt: str = _FORMAT,
) -> None:
    """Datasets with the number of papers linked to each, most used first."""
    _counts(ctx, "dataset", tag, role, source, every, fmt, unresolved=unresolved)


def models(
    ctx: typer.Context,
    tag: list[str] = _TAG,
    role: str = _ROLE,
    source: str = _SOURCE,
    every: bool = _ALL,
    unresolved: bool = _UNRESOLVED,
    fmt: str = _FORMAT,
) -> None:
    """Models with the number of papers linked to each, most used first."""
    _counts(ctx, "model", tag, role, source, every, fmt, unresolved=unresolved)


def metrics(ctx: typer.Context, tag: list[str] = _TAG, every: bool = _ALL, fmt: str = _FORMAT) -> None:
    """Metrics with the number of papers that have results in each, most used first."""
    _counts(ctx, "metric", tag, None, None, every, fmt)


def leaderboard(
    ctx: typer.Context,
    dataset: str = typer.Argument(..., help="The dataset, e.g. PIQA or WikiText-2."),
    metric: str = typer.Option(None, "--metric", help="Rank by this metric (default: the dataset's usual one)."),
    model: str = typer.Option(None, "--model", "-m", help="Only results of this model."),
    limit: int = typer.Option(20, "--limit", "-n", help="Show at most this many results."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or md."),
) -> None:
    """Results on one dataset, best first (higher accuracy, lower perplexity: the metric decides)."""
    _check_format(fmt, LIST_FORMATS)
    with open_kb(ctx) as kb:
        board = kb.leaderboard(dataset, metric=metric, model=model, limit=limit)
    from llmkb.cli import render, xref_render

    if fmt == "json":
        render.print_json(xref_render.leaderboard_json(board))
        return
    if not board.rows:
        out_console().print(f"No results on {board.dataset}" + (f" in {board.metric}." if board.metric else "."))
    elif fmt == "md":
        xref_render.leaderboard_markdown(board)
    else:
        out_console().print(xref_render.leaderboard_table(board))
    if board.total > len(board.rows) and board.rows:
        err(f"note: showing {len(board.rows)} of {board.total} results (--limit shows more)")
    for name, count in board.other_metrics:
        err(f"note: {count} result{'s' if count > 1 else ''} in {name} (--metric '{name}')")
