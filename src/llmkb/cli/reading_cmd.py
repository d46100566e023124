"""`llmkb mark ID... STATUS` and `llmkb queue`: reading status by hand, and what is waiting to be read."""

from __future__ import annotations

import sys

import typer

from llmkb.cli.common import OutputFormat, err, open_kb, out_console
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
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="Show at most this many papers (default: all)."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="table (tab-separated when piped), json or ids."
    ),
) -> None:
    """List the papers to read, the longest waiting first.

    Examples:

    $ llmkb queue
    $ llmkb queue --status reading
    """
    from llmkb.reading import checked_status

    wanted = checked_status(status)
    if wanted is None:
        raise UsageError("--status takes a status; papers without one are every other paper (llmkb search)")
    with open_kb(ctx) as kb:
        papers = kb.queue(status=wanted, limit=limit)
    from llmkb.cli import render

    if fmt is OutputFormat.json:
        render.print_json(render.public(papers))
    elif fmt is OutputFormat.ids:
        render.print_ids(papers)
    elif not papers:
        err(
            f"Nothing is {wanted}."
            + (" Keep papers with: llmkb triage, or llmkb mark ID to-read" if wanted == "to-read" else "")
        )
    elif render.stdout_is_terminal():
        out_console().print(_queue_table(papers, wanted))
    else:
        sys.stdout.write("".join(_tsv_line(r) for r in papers))


def _tsv_line(r: dict) -> str:
    from llmkb.display import year_text

    cells = (r["id"], (r.get("status_at") or "")[:10], year_text(r), " ".join(r["title"].split()), ",".join(r["tags"]))
    return "\t".join(cells) + "\n"


def _queue_table(records: list[dict], status: str):
    from rich.table import Table

    from llmkb.display import title_text, year_text

    table = Table(title=f"{status} ({len(records)})", expand=False)
    table.add_column("ID", no_wrap=True, style="cyan")
    table.add_column("Marked", no_wrap=True)
    table.add_column("Year", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Tags", overflow="fold", ratio=1, style="green")
    for r in records:
        table.add_row(r["id"], (r.get("status_at") or "")[:10], year_text(r), title_text(r), ", ".join(r["tags"]))
    return table
