"""`llmkb mark ID... STATUS` and `llmkb queue`: reading status by hand, and what is waiting to be read."""

from __future__ import annotations

import sys

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import open_kb
from llmkb.cli.output import Format
from llmkb.errors import UsageError


def expand_ids(values: list[str]) -> list[str]:
    """Arguments with `-` replaced by the IDs on standard input (one a line, or a TSV's first column)."""
    from llmkb.reading import ids_from_lines

    out: list[str] = []
    for value in values:
        if value == "-":
            out.extend(ids_from_lines(sys.stdin))
        else:
            out.append(value)
    return out


def mark(
    ctx: typer.Context,
    ids: list[str] = typer.Argument(
        ..., metavar="ID", help="Papers: arXiv ID, kb-N or title; - reads IDs from standard input."
    ),
    status: str = typer.Argument(
        ..., metavar="STATUS", help="new, to-read, reading, read, dismissed, or none to clear it."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Set the reading status of papers (the date is recorded).

    Examples:

    $ llmkb mark 2403.03853 to-read
    $ llmkb search -t pruning -f ids | llmkb mark - reading
    $ llmkb mark 2401.15024 none
    """
    from llmkb.reading import checked_status

    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    wanted = checked_status(status)
    refs = expand_ids(ids)
    with open_kb(ctx) as kb:
        change = kb.mark(refs, wanted)
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json({"status": wanted, "at": change.at, "changed": change.changed, "unchanged": change.unchanged})
        return
    label = wanted or "no status"
    if change.changed:
        papers = "paper" if len(change.changed) == 1 else "papers"
        print(f"{label}: {len(change.changed)} {papers} ({_shown(change.changed)})")
    if change.unchanged:
        print(f"already {label}: {_shown(change.unchanged)}")


def _shown(ids: list[str], most: int = 10) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def queue(
    ctx: typer.Context,
    status: str = typer.Option("to-read", "--status", metavar="STATUS", help="List this status instead."),
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """List the papers to read, the longest waiting first.

    Into a pipe the rows are tab-separated: ID, date marked, year, title, tags.

    Examples:

    $ llmkb queue
    $ llmkb queue --status reading
    """
    from llmkb.reading import checked_status

    wanted = checked_status(status)
    if wanted is None:
        raise UsageError("--status takes a status; papers without one are every other paper (llmkb search)")
    with open_kb(ctx) as kb:
        papers = kb.queue(status=wanted, limit=None if every else limit)
    from llmkb.cli import output, render
    from llmkb.display import title_text, year_text

    rows = output.Rows(
        [
            output.Column("ID", wrap=False, style="cyan"),
            output.Column("Marked", wrap=False),
            output.Column("Year", wrap=False),
            output.Column("Title", ratio=3),
            output.Column("Tags", ratio=1, style="green"),
        ],
        [[r["id"], (r.get("status_at") or "")[:10], year_text(r), title_text(r), sorted(r["tags"])] for r in papers],
        title=f"{wanted} ({len(papers)})",
    )
    empty = f"Nothing is {wanted}." + (
        " Keep papers with: llmkb triage, or llmkb mark ID to-read" if wanted == "to-read" else ""
    )
    public = render.public(papers)
    output.emit(rows, fmt, data=lambda: public, items=lambda: public, empty=empty)
