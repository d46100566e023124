"""Papers as rows and as detail views, for the output layer (`llmkb.cli.output`).

Standard library only at import time; the display rules themselves live in `llmkb.display`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from llmkb.cli import output
from llmkb.cli.output import Column, Format, Rows
from llmkb.display import authors_text, linked_sources_text, result_text, tags_text, title_text, year_text

NO_MATCH = "No paper matches."


def public(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Records as scripts see them: without the internal row ID (`id` is the ID to use)."""
    return [{k: v for k, v in r.items() if k != "rowid"} for r in records]


# name -> (column, cell)
RECORD_COLUMNS = {
    "id": (Column("ID", wrap=False, style="cyan"), lambda r: r["id"]),
    "year": (Column("Year", wrap=False), year_text),
    "title": (Column("Title", ratio=3), title_text),
    "tags": (Column("Tags", ratio=1, style="green", joiner="\n"), lambda r: sorted(r["tags"])),
    "authors": (Column("Authors", ratio=2), lambda r: authors_text(r["authors"], 3)),
    "venue": (Column("Venue", ratio=1), lambda r: r.get("venue") or ""),
    "status": (Column("Status", wrap=False), lambda r: r.get("status") or ""),
}
DEFAULT_COLUMNS = ("id", "year", "title", "tags")


def paper_rows(
    records: Sequence[Mapping[str, Any]], columns: Sequence[str] = DEFAULT_COLUMNS, title: str | None = None
) -> Rows:
    specs = [RECORD_COLUMNS[name] for name in columns]
    return Rows(
        [spec[0] for spec in specs],
        [[cell(r) for _column, cell in specs] for r in records],
        title=title,
    )


def emit_papers(
    records: Sequence[Mapping[str, Any]],
    fmt: Format | None,
    *,
    empty: str | None = NO_MATCH,
    title: str | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
) -> None:
    """Papers in any row format; json and jsonl give the full records."""
    output.emit(
        paper_rows(records, columns, title),
        fmt,
        data=lambda: public(records),
        items=lambda: public(records),
        empty=empty,
    )


def paper_detail(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every field of a paper that has a value, as (label, value) pairs, in reading order."""
    pairs: list[tuple[str, str]] = []

    def row(label: str, value) -> None:
        if value not in (None, "", []):
            pairs.append((label, str(value)))

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
    row("Status", record.get("status"))
    row("URL", record.get("url"))
    for link in record["links"]:
        row(str(link.get("kind") or "link").capitalize(), link.get("url"))
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
    return pairs


# --- the names commands written before the output layer use ---------------------------------------------------


def print_json(data) -> None:
    output.print_json(data)


def print_ids(records: Iterable[dict]) -> None:
    output.write("".join(output.clean(r["id"]) + "\n" for r in records))


def print_tsv(records: Sequence[dict]) -> None:
    emit_papers(records, Format.tsv, empty=None)


def stdout_is_terminal() -> bool:
    return output.stdout_is_terminal()


def paper_table(records: Sequence[dict], *, title: str | None = None):
    return output.table(paper_rows(records, title=title))
