"""Render papers as CSV: one row per paper, one column per field, for spreadsheets and scripts.

List fields are joined with "; ". Rows end in "\\r\\n" and fields with commas, quotes or newlines are quoted
(RFC 4180), so a note with a line break stays in its cell. No byte-order mark by default: piped output is
read by programs that would take it for part of the first column name. Pass ``bom=True`` for a file meant
for Excel, which otherwise guesses a legacy encoding for UTF-8 without one.

Cells a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, or their
full-width forms) get a leading apostrophe, OWASP's rule against CSV injection: a title from a hostile list
must not become `=HYPERLINK(...)` in someone's spreadsheet. ``raw=True`` writes them unchanged, for
programs that read the values rather than spreadsheets.
"""

import csv
import itertools
from collections.abc import Iterable
from typing import Any, TextIO

from llmkb.export.record_fields import Record, code_urls, xref_names

COLUMNS = (
    "id",
    "title",
    "authors",
    "year",
    "month",
    "venue",
    "published",
    "updated",
    "primary_category",
    "categories",
    "tags",
    "doi",
    "journal_ref",
    "url",
    "code",
    "note",
)
XREF_COLUMNS = ("datasets", "models")
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading apostrophe before a formula-like start."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value if item is not None)
    return str(value)


def _row(record: Record, *, with_xref: bool, raw: bool) -> list[str]:
    row = [_cell(record.get(column)) for column in COLUMNS]
    row[COLUMNS.index("code")] = _cell(code_urls(record))
    if with_xref:
        row += [_cell(xref_names(record, column)) for column in XREF_COLUMNS]
    return row if raw else [neutralise(cell) for cell in row]


def write_csv(
    records: Iterable[Record], out: TextIO, *, with_xref: bool | None = None, bom: bool = False, raw: bool = False
) -> int:
    """Write a header and one row per paper; returns the number of rows.

    ``with_xref`` adds the datasets and models columns; left as None they are added when the first record
    carries them (the rows are streamed, so the header cannot wait for the others). ``raw`` leaves
    formula-like cells as they are (see the module docstring).
    """
    rows = iter(records)
    first = next(rows, None)
    if with_xref is None:
        with_xref = first is not None and ("datasets" in first or "models" in first)
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + XREF_COLUMNS if with_xref else COLUMNS)
    if first is None:
        return 0
    count = 0
    for record in itertools.chain([first], rows):
        writer.writerow(_row(record, with_xref=with_xref, raw=raw))
        count += 1
    return count
