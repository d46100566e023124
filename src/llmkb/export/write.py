"""Writing a selection of papers in one export format: the path `llmkb export` and its benchmark share.

Records are fetched in batches as the writer asks for them (`iter_records`), so bib, csv, json and jsonl
hold one batch of papers at a time whatever the size of the selection; markdown keeps one rendered line
per paper, because it sorts and groups before it writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from llmkb.errors import UsageError
from llmkb.export import markdown, write_bibtex, write_csv, write_markdown
from llmkb.export.json_format import write_json_texts
from llmkb.store.records import iter_record_json, iter_records

FORMATS = ("md", "bib", "csv", "json", "jsonl")


@dataclass
class ExportOptions:
    """How to render; all but `with_xref` (md, csv) and `bom` (csv) shape the markdown list only."""

    group_by: str = "tag"
    sort: str = "date"
    style: str = "list"
    columns: list[str] | None = None
    with_xref: bool = False
    title: str | None = None
    bom: bool = False
    raw: bool = False  # csv: cells as stored, not neutralised against formula injection


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return fmt


def check_options(options: ExportOptions) -> None:
    """Reject bad markdown choices before the database is opened or a file created."""
    for name, value, choices in (
        ("--group-by", options.group_by, markdown.GROUP_BY),
        ("--sort", options.sort, markdown.SORTS),
        ("--style", options.style, markdown.STYLES),
    ):
        if value not in choices:
            raise UsageError(f"unknown {name} value {value!r}; choose from {', '.join(choices)}")
    for column in options.columns or ():
        if column not in markdown.COLUMNS:
            raise UsageError(f"unknown column {column!r}; choose from {', '.join(markdown.COLUMNS)}")


def write_export(
    conn: sqlite3.Connection, fmt: str, paper_ids: Iterable[int], out: TextIO, options: ExportOptions
) -> int:
    """Write the papers in `fmt` to `out`, in the order of `paper_ids`; returns how many were written."""
    if fmt in ("json", "jsonl"):
        return write_json_texts(iter_record_json(conn, paper_ids), out, lines=fmt == "jsonl")
    records = iter_records(conn, paper_ids)
    if fmt == "md":
        return write_markdown(
            records,
            out,
            group_by=options.group_by,
            sort=options.sort,
            style=options.style,
            columns=options.columns,
            with_xref=options.with_xref,
            title=options.title,
        )
    if fmt == "csv":
        return write_csv(records, out, with_xref=options.with_xref, bom=options.bom, raw=options.raw)
    if fmt == "bib":
        return write_bibtex(records, out)
    raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
