"""Rendering papers for people (rich tables, detail views) and for scripts (JSON, IDs)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from llmkb.display import linked_sources_text, result_text, tags_text, title_text, year_text


def public(records):
    """Records as scripts see them: without the internal row ID (`id` is the ID to use)."""
    return [{k: v for k, v in r.items() if k != "rowid"} for r in records]


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_ids(records: Iterable[dict]) -> None:
    sys.stdout.write("".join(r["id"] + "\n" for r in records))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def print_tsv(records: Iterable[dict]) -> None:
    """The table's columns, tab-separated, one paper a line: what `search` prints into a pipe or file."""
    lines = (
        "\t".join((r["id"], year_text(r), " ".join(r["title"].split()), tags_text(r, ","))) + "\n" for r in records
    )
    sys.stdout.write("".join(lines))


def paper_table(records: list[dict], *, title: str | None = None):
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("ID", no_wrap=True, style="cyan")
    table.add_column("Year", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Tags", overflow="fold", ratio=1, style="green")
    for r in records:
        table.add_row(r["id"], year_text(r), title_text(r), tags_text(r))
    return table


def paper_detail(record: dict):
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value) -> None:
        if value not in (None, "", []):
            grid.add_row(label, str(value))

    row("ID", record["id"] + (f" (v{record['version']})" if record.get("version") else ""))
    row("Title", record["title"])
    row("List title", record.get("list_title"))
    row("Flag", record.get("flag"))
    row("Short name", record.get("short_name"))
    row("Authors", ", ".join(record["authors"]))
    row("Published", record.get("published"))
    row("Updated", record.get("updated"))
    if record.get("venue"):
        row("Venue", " ".join(str(x) for x in (record["venue"], record.get("year")) if x))
    else:
        row("Year", record.get("year"))
    row("Categories", ", ".join(record["categories"]))
    row("Comment", record.get("comment"))
    row("Journal ref", record.get("journal_ref"))
    row("DOI", record.get("doi"))
    row("Tags", tags_text(record))
    row("URL", record.get("url"))
    for link in record["links"]:
        row(link["kind"].capitalize(), link["url"])
    row("Note", record.get("note"))
    row("Abstract", record.get("abstract"))
    if record.get("datasets"):
        row("Datasets", linked_sources_text(record["datasets"]))
    if record.get("models"):
        row("Models", linked_sources_text(record["models"]))
    for res in record.get("results", []):
        row("Result", result_text(res))
    row("Sources", ", ".join(record["sources"]))
    if record.get("arxiv_id"):
        row("Verified", f"by arXiv, {record['verified'][:10]}" if record.get("verified") else "not yet (llmkb refresh)")
    return grid
