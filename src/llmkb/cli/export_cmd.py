"""`llmkb export [FORMAT] [WORDS | ID...]`: the selected papers as markdown, BibTeX, CSV, JSON or JSON Lines."""

import contextlib
import io
import sys
from collections.abc import Iterator
from enum import Enum
from typing import TextIO

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.errors import UsageError

STDOUT = "-"


class ExportFormat(str, Enum):
    md = "md"
    bib = "bib"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


class GroupBy(str, Enum):
    tag = "tag"
    year = "year"
    venue = "venue"
    none = "none"


class Sort(str, Enum):
    date = "date"
    title = "title"  # type: ignore[assignment]  # str.title, shadowed on purpose: the choice's name


class Style(str, Enum):
    list = "list"
    table = "table"


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
        if option == "--raw":
            if fmt != "csv":
                raise UsageError(f"--raw applies to csv exports only, not {fmt}")
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


def _split_format(words: list[str], fmt: ExportFormat | None) -> tuple[str, list[str]]:
    """The format (the first word or -f) and the rest of the line."""
    first = words[0].strip().lower() if words else None
    if first is not None and first in ExportFormat.__members__:
        if fmt is not None and fmt.value != first:
            raise UsageError(f"two formats given: {first} and -f {fmt.value}")
        return first, words[1:]
    if fmt is not None:
        return fmt.value, words
    from llmkb.export.write import check_format

    if first is None:
        raise UsageError("say which format: llmkb export md|bib|csv|json|jsonl (or -f FORMAT)")
    return check_format(first), words  # raises: unknown format, with the valid ones


def _format_names() -> list[str]:
    return [choice.value for choice in ExportFormat]


def export(
    ctx: typer.Context,
    words: list[str] = typer.Argument(
        None,
        metavar="[FORMAT] [WORDS|ID]",
        help="md, bib, csv, json or jsonl (or -f), then words to search for or paper IDs; - reads IDs from "
        "standard input.",
        autocompletion=_format_names,
    ),
    fmt: ExportFormat = typer.Option(None, "--format", "-f", case_sensitive=False, help="The format."),
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
    status: str = opt.STATUS,
    order: str = opt.ORDER,
    limit: int = typer.Option(
        None, "--limit", "-n", metavar="N", parser=opt.parse_count, help="At most N papers (default: all)."
    ),
    output: str = opt.OUTPUT,
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    group_by: GroupBy = typer.Option(
        None, "--group-by", case_sensitive=False, help="md: sections by tag (default), year, venue or none."
    ),
    sort: Sort = typer.Option(None, "--sort", case_sensitive=False, help="md: date (default, newest first) or title."),
    style: Style = typer.Option(None, "--style", case_sensitive=False, help="md: list (default) or table."),
    columns: str = typer.Option(
        None,
        "--columns",
        metavar="COLUMN,...",
        help="md: comma-separated fields of title, venue, year, authors, code, note.",
    ),
    with_xref: bool = typer.Option(False, "--with-xref", help="md, csv: add each paper's datasets and models."),
    title: str = typer.Option(
        None, "--title", metavar="TEXT", help="md: the document's title (default: Reading list)."
    ),
    raw: bool = typer.Option(
        False, "--raw", help="csv: cells exactly as stored (by default a cell a spreadsheet would run is quoted)."
    ),
) -> None:
    """Export papers as md (an awesome list), bib, csv, json or jsonl.

    Without words, every paper the filters let through, newest first; with words, the papers a search
    finds, best first; with IDs (or - and IDs on standard input), exactly those papers in that order.
    Defaults for md's --columns and --group-by can be set in the config file (see llmkb db info).

    Examples:

    $ llmkb export bib 2403.03853 2401.15024
    $ llmkb search kv cache -f ids | llmkb export bib -
    $ llmkb export md -t quantization --group-by year -o quantization.md
    $ llmkb export -f csv --with-xref -t pruning > pruning.csv
    """
    from llmkb.export.write import ExportOptions, check_options

    fmt_name, words = _split_format(list(words or []), fmt)
    _markdown_only(
        fmt_name,
        {
            "--group-by": group_by,
            "--sort": sort,
            "--style": style,
            "--columns": columns,
            "--title": title,
            "--with-xref": with_xref,
            "--raw": raw,
        },
    )
    config_columns = config_group_by = None
    if fmt_name == "md" and (columns is None or group_by is None):
        from llmkb.config import load

        settings = load()
        config_columns, config_group_by = settings.export_columns, settings.export_group_by
    to_file = output is not None and output != STDOUT
    options = ExportOptions(
        group_by=group_by.value if group_by else config_group_by or "tag",
        sort=sort.value if sort else "date",
        style=style.value if style else "list",
        columns=_columns(columns) if columns is not None else config_columns,
        with_xref=with_xref,
        title=title,
        bom=to_file,  # Excel needs the BOM; programs reading a pipe do not
        raw=raw,
    )
    check_options(options)
    from llmkb.refs import STDIN, check_words, looks_like_id

    ids = None
    if STDIN in words or (words and all(looks_like_id(w) for w in words)):
        if not all(w == STDIN or looks_like_id(w) for w in words):
            raise UsageError("- reads paper IDs from standard input; it cannot be mixed with search words")
        from llmkb.cli.common import paper_refs

        ids, _ = paper_refs(words)
    else:
        check_words(words)
    q = opt.paper_query(
        text=words if ids is None else None,
        limit=opt.limit_value(limit, False),
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
        status=status,
        order=order,
    )

    from llmkb.export import atomic_output

    with open_kb(ctx) as kb:
        if ids is not None:
            from llmkb.refs import ref_for

            rowids = kb.lookup_all(ids) if ids else []
            # an empty `ids` means "no restriction" to a query; kb-0 names no paper (row IDs start at 1)
            q = q.but(ids=[ref_for(rowid) for rowid in rowids] or [ref_for(0)])
        sink = atomic_output(output, force=force) if to_file else _stdout_stream()
        with sink as out:
            result = kb.export(fmt_name, out, q, options)
    for c in result.corrections:
        err(f"note: searching for {c.replacement!r} instead of {c.original!r}")
    if result.broadened:
        err("note: no paper has all the words; exporting papers with any of them")
    count = result.count
    if count == 0:
        err(
            "note: no paper IDs were given; the export is empty"
            if ids == []
            else "note: no paper matches; the export is empty"
        )
    elif to_file:
        err(f"{count} paper{'s' if count != 1 else ''} written to {output}")
