"""`llmkb show ID_OR_TITLE`: every field of one paper, its tags, links, datasets, models and results."""

from __future__ import annotations

import typer

from llmkb.cli.common import err, open_kb, out_console


def show(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="An arXiv ID or URL (any form), kb-N, or a title (fuzzy)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show one paper."""
    from llmkb.cli import render
    from llmkb.errors import AmbiguousPaper, UsageError

    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    with open_kb(ctx) as kb:
        try:
            record = kb.get(paper)
        except AmbiguousPaper as exc:
            err(f"error: {exc}")
            candidates = kb.get_many([pid for pid, _title, _score in exc.candidates])
            if render.stdout_is_terminal():
                out_console().print(render.paper_table(candidates, title="Candidates"))
            else:
                render.print_tsv(candidates)
            raise typer.Exit(exc.exit_code) from None
    if fmt == "json":
        render.print_json(render.public([record])[0])
    else:
        out_console().print(render.paper_detail(record))
