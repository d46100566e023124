"""`llmkb show ID_OR_TITLE`: every field of one paper, its tags, links, datasets, models and results."""

from __future__ import annotations

import typer

from llmkb.cli.common import err, handles_errors, open_read, out_console


@handles_errors
def show(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="An arXiv ID or URL (any form), kb-N, or a title (fuzzy)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show one paper."""
    from llmkb.errors import UsageError
    from llmkb.lookup import AmbiguousPaper, find_paper_id
    from llmkb.store.records import records_for

    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    conn = open_read(ctx)
    try:
        try:
            rowid = find_paper_id(conn, paper)
        except AmbiguousPaper as exc:
            from llmkb.cli import render

            err(f"error: {exc}")
            candidates = records_for(conn, [pid for pid, _title, _score in exc.candidates])
            if render.stdout_is_terminal():
                out_console().print(render.paper_table(candidates, title="Candidates"))
            else:
                render.print_tsv(candidates)
            raise typer.Exit(exc.exit_code) from None
        (record,) = records_for(conn, [rowid])
    finally:
        conn.close()
    from llmkb.cli import render

    if fmt == "json":
        render.print_json(record)
    else:
        out_console().print(render.paper_detail(record))
