"""`llmkb xref [matrix]`, `llmkb datasets|models|metrics` and `llmkb leaderboard DATASET`: read commands."""

from enum import Enum

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.filter_options import Role, Source
from llmkb.cli.output import Format


class View(str, Enum):
    list = "list"
    matrix = "matrix"


class By(str, Enum):
    dataset = "dataset"
    model = "model"


def xref(
    ctx: typer.Context,
    view: View = typer.Argument(
        None, metavar="matrix", case_sensitive=False, help="matrix: papers × datasets (or models) as a grid."
    ),
    tag: list[str] = opt.TAG,
    not_tag: list[str] = opt.NOT_TAG,
    dataset: list[str] = opt.DATASET,
    model: list[str] = opt.MODEL,
    metric: str = opt.METRIC,
    role: Role = opt.ROLE,
    source: Source = opt.SOURCE,
    by: By = typer.Option(None, "--by", case_sensitive=False, help="matrix: columns are datasets (default) or models."),
    columns: int = typer.Option(
        8, "--columns", metavar="N", parser=opt.parse_columns, help="matrix: at most N columns (0: all)."
    ),
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Papers by the datasets, models and metrics they are linked to, with what matched.

    Every filter must hold. Without a dataset, model, metric or role filter, the papers with any link.
    `xref matrix` draws the papers against the datasets (or models, --by model) they use.

    Examples:

    $ llmkb xref -t pruning -d PIQA
    $ llmkb xref -m LLaMA-2-7B -f ids
    $ llmkb xref matrix -t pruning --by model --columns 6
    """
    from llmkb.errors import UsageError

    if by is not None and view is not View.matrix:
        raise UsageError("--by belongs to `llmkb xref matrix`")
    wanted = opt.limit_value(limit, every)
    query = opt.paper_query(
        tag=tag,
        not_tag=not_tag,
        dataset=dataset,
        model=model,
        metric=metric,
        role=role,
        link_source=source,
        limit=None if wanted is None else wanted + 1,
    )
    from llmkb.cli import output, render, xref_render

    if view is View.matrix:
        with open_kb(ctx) as kb:
            grid = kb.matrix(query, by=(by or By.dataset).value, max_columns=columns or None)
        more = wanted is not None and len(grid.papers) > wanted
        if more:
            grid.papers = grid.papers[:wanted]
        output.emit(
            xref_render.matrix_rows(grid), fmt, data=lambda: xref_render.matrix_json(grid), empty=render.NO_MATCH
        )
        if grid.hidden_columns and grid.papers:
            kind = (by or By.dataset).value
            hidden = f"{grid.hidden_columns} more {kind}" + ("s" if grid.hidden_columns > 1 else "")
            err(f"note: {hidden} not shown (--columns 0 shows all)")
    else:
        with open_kb(ctx) as kb:
            result = kb.xref(query)
        more = wanted is not None and len(result.papers) > wanted
        if more:
            result.papers = result.papers[:wanted]
        output.emit(
            xref_render.xref_rows(result),
            fmt,
            data=lambda: xref_render.xref_json(result),
            items=lambda: xref_render.xref_json(result),
            empty=render.NO_MATCH,
        )
    if more:
        opt.note_more(ctx, wanted, "papers")


def _counts(
    ctx: typer.Context,
    kind: str,
    *,
    tag: list[str],
    role: Role | None,
    source: Source | None,
    unused: bool,
    unresolved: bool,
    limit: int,
    every: bool,
    fmt: Format | None,
) -> None:
    query = opt.paper_query(tag=tag, role=role, link_source=source, limit=None)
    with open_kb(ctx) as kb:
        entries = kb.counts(kind, query, unresolved=unresolved, unused=unused or unresolved)
    wanted = opt.limit_value(limit, every)
    more = wanted is not None and len(entries) > wanted
    shown = entries[:wanted] if more else entries
    if unresolved:
        empty = f"Every {kind} name is resolved."
    else:
        what = "has results" if kind == "metric" else "is linked to a paper"
        empty = f"No {kind} {what}" + (" under that tag." if tag else " yet.")
    from llmkb.cli import output, xref_render

    output.emit(
        xref_render.counts_rows(kind, shown, unresolved=unresolved),
        fmt,
        data=lambda: xref_render.counts_json(kind, shown),
        items=lambda: xref_render.counts_json(kind, shown),
        empty=empty,
    )
    if more:
        opt.note_more(ctx, wanted, f"{kind}s", total=len(entries))


_TAG = typer.Option(
    [],
    "--tag",
    "-t",
    metavar="TAG",
    help="Count only papers with this tag (repeatable).",
    autocompletion=complete.tags,
)
_ROLE = typer.Option(None, "--role", case_sensitive=False, help="Count only links in this role.")
_SOURCE = typer.Option(None, "--source", case_sensitive=False, help="Count only links from this source.")
_UNUSED = typer.Option(False, "--unused", help="Also list those no paper is linked to.")
_UNRESOLVED = typer.Option(False, "--unresolved", help="Only names kept as an imported list wrote them.")


def datasets(
    ctx: typer.Context,
    tag: list[str] = _TAG,
    role: Role = _ROLE,
    source: Source = _SOURCE,
    unused: bool = _UNUSED,
    unresolved: bool = _UNRESOLVED,
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Datasets with the number of papers linked to each, most used first.

    Examples:

    $ llmkb datasets -t pruning
    $ llmkb datasets --all -f csv > datasets.csv
    """
    _counts(
        ctx,
        "dataset",
        tag=tag,
        role=role,
        source=source,
        unused=unused,
        unresolved=unresolved,
        limit=limit,
        every=every,
        fmt=fmt,
    )


def models(
    ctx: typer.Context,
    tag: list[str] = _TAG,
    role: Role = _ROLE,
    source: Source = _SOURCE,
    unused: bool = _UNUSED,
    unresolved: bool = _UNRESOLVED,
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Models with the number of papers linked to each, most used first.

    Examples:

    $ llmkb models -t quantization
    $ llmkb models --unresolved
    """
    _counts(
        ctx,
        "model",
        tag=tag,
        role=role,
        source=source,
        unused=unused,
        unresolved=unresolved,
        limit=limit,
        every=every,
        fmt=fmt,
    )


def metrics(
    ctx: typer.Context,
    tag: list[str] = _TAG,
    unused: bool = _UNUSED,
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Metrics with the number of papers that have results in each, most used first.

    Examples:

    $ llmkb metrics
    $ llmkb metrics --unused -f json
    """
    _counts(
        ctx,
        "metric",
        tag=tag,
        role=None,
        source=None,
        unused=unused,
        unresolved=False,
        limit=limit,
        every=every,
        fmt=fmt,
    )


def leaderboard(
    ctx: typer.Context,
    dataset: str = typer.Argument(
        ..., metavar="DATASET", help="The dataset, e.g. PIQA or WikiText-2.", autocompletion=complete.datasets
    ),
    metric: str = typer.Option(
        None, "--metric", metavar="METRIC", help="Rank by this metric (default: the dataset's usual one)."
    ),
    model: str = typer.Option(
        None, "--model", "-m", metavar="MODEL", help="Only results of this model.", autocompletion=complete.models
    ),
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Results on one dataset, best first (higher accuracy, lower perplexity: the metric decides).

    Examples:

    $ llmkb leaderboard PIQA
    $ llmkb leaderboard WikiText-2 -m LLaMA-2-7B -f md
    """
    from llmkb.refs import check_text

    check_text(dataset, "dataset")
    with open_kb(ctx) as kb:
        board = kb.leaderboard(dataset, metric=metric, model=model, limit=opt.limit_value(limit, every))
    from llmkb.cli import output, xref_render

    empty = f"No results on {board.dataset}" + (f" in {board.metric}." if board.metric else ".")
    output.emit(xref_render.leaderboard_rows(board), fmt, data=lambda: xref_render.leaderboard_json(board), empty=empty)
    if board.total > len(board.rows) and board.rows:
        opt.note_more(ctx, len(board.rows), "results", total=board.total)
    for name, count in board.other_metrics:
        err(f"note: {count} result{'s' if count > 1 else ''} in {name} (--metric '{name}')")
