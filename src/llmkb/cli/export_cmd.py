"""`llmkb export FORMAT [QUERY]`: write the selected papers as markdown, BibTeX, CSV, JSON or JSON Lines."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TextIO

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.errors import UsageError

STDOUT = "-"


@contextlib.contextmanager
def _stdout_stream() -> Iterator[TextIO]:
    """UTF-8 on stdout whatever the locale says, line endings as written (CSV rows end in \\r\\n)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    finally:
        with contextlib.suppress(OSError, ValueError):
            stream.detach()  # sys.stdout keeps its buffer open


def _markdown_only(fmt: str, given: dict[str, object]) -> None:
    for option, value in given.items():
        if value is None or value is False:
            continue
        if option == "--with-xref" and fmt in ("md", "csv"):
            continue
        if fmt != "md":
            applies = "md and csv" if option == "--with-xref" else "md"
            raise UsageError(f"{option} applies to {applies} exports only, not {fmt}")


def _columns(text: str | None) -> list[str] | None:
    if text is None:
        return None
    columns = [column.strip().lower() for column in text.split(",") if column.strip()]
    if not columns:
        raise UsageError("--columns needs at least one of title, venue, year, authors, code, note")
    return columns


def export(
    ctx: typer.Context,
    fmt: str = typer.Argument(..., metavar="FORMAT", help="md, bib, csv, json or jsonl."),
    query: str = typer.Argument(None, help="Only papers matching these words, best match first."),
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
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most this many papers (default: all)."),
    output: str = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to FILE, complete or not at all (default: stdout)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    group_by: str = typer.Option(None, "--group-by", help="md: sections by tag (default), year, venue or none."),
    sort: str = typer.Option(None, "--sort", help="md: date (default, newest first) or title."),
    style: str = typer.Option(None, "--style", help="md: list (default) or table."),
    columns: str = typer.Option(
        None, "--columns", help="md: comma-separated fields of title, venue, year, authors, code, note."
    ),
    with_xref: bool = typer.Option(False, "--with-xref", help="md, csv: add each paper's datasets and models."),
    title: str = typer.Option(None, "--title", help="md: the document's title (default: Reading list)."),
) -> None:
    """Export papers: every paper matching the filters, newest first, or the papers a query finds."""
    from llmkb.export.write import ExportOptions, check_format, check_options

    fmt = check_format(fmt.strip().lower())
    _markdown_only(
        fmt,
        {
            "--group-by": group_by,
            "--sort": sort,
            "--style": style,
            "--columns": columns,
            "--title": title,
            "--with-xref": with_xref,
        },
    )
    to_file = output is not None and output != STDOUT
    options = ExportOptions(
        group_by=group_by or "tag",
        sort=sort or "date",
        style=style or "list",
        columns=_columns(columns),
        with_xref=with_xref,
        title=title,
        bom=to_file,  # Excel needs the BOM; programs reading a pipe do not
    )
    check_options(options)
    q = opt.paper_query(
        text=query,
        limit=limit,
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
    )

    from llmkb.export import atomic_output

    sink = atomic_output(output, force=force) if to_file else _stdout_stream()
    with open_kb(ctx) as kb, sink as out:
        result = kb.export(fmt, out, q, options)
    for c in result.corrections:
        err(f"note: searching for {c.replacement!r} instead of {c.original!r}")
    if result.broadened:
        err("note: no paper has all the words; exporting papers with any of them")
    count = result.count
    if count == 0:
        err("note: no paper matches; the export is empty")
    elif to_file:
        err(f"{count} papers written to {output}")
