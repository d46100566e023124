"""`llmkb search [QUERY]`: ranked, typo-tolerant search with tag, author, date and category filters."""

from __future__ import annotations

import typer

from llmkb.cli.common import OutputFormat, err, handles_errors, open_read, out_console


@handles_errors
def search(
    ctx: typer.Context,
    query: str = typer.Argument(None, help="Words to look for in titles, abstracts, authors, notes, tags."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Only papers with this tag (repeatable)."),
    not_tag: list[str] = typer.Option([], "--not-tag", "-T", help="Leave out papers with this tag."),
    author: str = typer.Option(None, "--author", help="Only papers by this author (typos tolerated)."),
    year: int = typer.Option(None, "--year", help="Only papers of this year."),
    since: str = typer.Option(None, "--since", help="Only papers from YYYY or YYYY-MM on."),
    until: str = typer.Option(None, "--until", help="Only papers up to YYYY or YYYY-MM."),
    category: str = typer.Option(None, "--category", help="Only papers in this arXiv category, e.g. cs.CL."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many papers."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f",
        help="table (tab-separated when piped), json (full records) or ids (one per line).",
    ),
) -> None:
    """Search papers (no query and no filter: every paper, newest first)."""
    from llmkb.services.paper_query import PaperFilter
    from llmkb.services.search import search as run_search

    flt = PaperFilter(tags=tag, not_tags=not_tag, author=author, year=year, since=since, until=until,
                      category=category)
    conn = open_read(ctx)
    try:
        result = run_search(conn, query, flt, limit)
    finally:
        conn.close()
    for c in result.corrections:
        err(f"note: searching for {c.replacement!r} instead of {c.original!r}")
    if result.broadened:
        err("note: no paper has all the words; showing papers with any of them")
    from llmkb.cli import render

    if fmt is OutputFormat.json:
        render.print_json(result.records)
    elif fmt is OutputFormat.ids:
        render.print_ids(result.records)
    elif not result.records:
        print("No paper matches." + (" Try fewer filters or other words." if query else ""))
    elif render.stdout_is_terminal():
        out_console().print(render.paper_table(result.records))
    else:
        render.print_tsv(result.records)
