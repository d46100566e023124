"""`llmkb search [QUERY]`: ranked, typo-tolerant search with tag, author, date and category filters."""

from __future__ import annotations

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import OutputFormat, err, open_kb, out_console


def search(
    ctx: typer.Context,
    query: str = typer.Argument(None, help="Words to look for in titles, abstracts, authors, notes, tags."),
    tag: list[str] = opt.TAG,
    not_tag: list[str] = opt.NOT_TAG,
    author: str = opt.AUTHOR,
    year: int = opt.YEAR,
    since: str = opt.SINCE,
    until: str = opt.UNTIL,
    category: str = opt.CATEGORY,
    dataset: list[str] = opt.DATASET,
    model: list[str] = opt.MODEL,
    flagged: bool = opt.FLAGGED,
    unverified: bool = opt.UNVERIFIED,
    order: str = opt.ORDER,
    status: str = opt.STATUS,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many papers."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.table,
        "--format",
        "-f",
        help="table (tab-separated when piped), json (full records) or ids (one per line).",
    ),
) -> None:
    """Search papers (no query and no filter: every paper, newest first)."""
    q = opt.paper_query(
        text=query,
        tag=tag,
        not_tag=not_tag,
        author=author,
        year=year,
        since=since,
        until=until,
        category=category,
        dataset=dataset,
        model=model,
        flagged=flagged,
        unverified=unverified,
        order=order,
        status=status,
        limit=limit,
    )
    with open_kb(ctx) as kb:
        result = kb.search(query=q)
    for c in result.corrections:
        err(f"note: searching for {c.replacement!r} instead of {c.original!r}")
    if result.broadened:
        err("note: no paper has all the words; showing papers with any of them")
    from llmkb.cli import render

    if fmt is OutputFormat.json:
        render.print_json(render.public(result.papers))
    elif fmt is OutputFormat.ids:
        render.print_ids(result.papers)
    elif not result.papers:
        print("No paper matches." + (" Try fewer filters or other words." if query else ""))
    elif render.stdout_is_terminal():
        out_console().print(render.paper_table(result.papers))
    else:
        render.print_tsv(result.papers)
