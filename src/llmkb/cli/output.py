"""The one output layer: every command that prints papers or rows prints them through here.

- On a terminal, rows are a rich table that fits the terminal's width: long cells wrap, no column is ever
  dropped. Into a pipe or a file, the same rows are tab-separated lines (`--format table` forces the
  table), so `cut`, `sort` and `llmkb export bib -` can read them.
- `--format` has the same names everywhere: table, tsv, csv, json, jsonl, ids (and md where rows are
  shown). Results go to stdout; notes, warnings and "No paper matches." to stderr.
- Every string that reaches the terminal passes through `clean`: imported titles, notes and URLs come
  from lists anyone can write, and an escape sequence in them must not clear the screen, write the
  clipboard (OSC 52) or reverse the text (bidi overrides). Cells are rich `Text`, never markup, so
  `[bold]` in a title prints as written.
- Colour follows `NO_COLOR` and `--no-color`.

Standard library at import time: rich is loaded only when a table is drawn.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Format(str, Enum):
    """How rows are printed; without `--format`, table on a terminal and tsv elsewhere."""

    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    ids = "ids"
    md = "md"


class DetailFormat(str, Enum):
    """How one record's fields are printed (`show`, `db info`)."""

    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


class SummaryFormat(str, Enum):
    """How a write command reports what it did."""

    text = "text"
    json = "json"


# --- what may reach a terminal ----------------------------------------------------------------------------

# ESC-introduced sequences (CSI, OSC, DCS/SOS/PM/APC, two-character escapes) and their 8-bit C1 forms
_SEQUENCES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
# other C0/C1 controls, DEL, and the characters that reorder text (bidi embeddings, overrides, isolates)
_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_UNSAFE_IN_JSON = "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"


def clean(value: Any, *, lines: bool = False) -> str:
    """`value` as text that is safe on a terminal: escape sequences and control characters removed.

    One line (whitespace runs, tabs and line breaks become one space) unless `lines`, which keeps line
    breaks and turns tabs into spaces.
    """
    if value is None:
        return ""
    text = re.sub(_CONTROLS, "", re.sub(_SEQUENCES, "", str(value)))  # re caches the compiled patterns
    if lines:
        return "\n".join(line.replace("\t", " ").rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return " ".join(text.split())


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON as UTF-8 text in which no character can steer a terminal (controls and bidi marks escaped)."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return re.sub(_UNSAFE_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", text)


# --- where it goes ------------------------------------------------------------------------------------------

_color = {"enabled": True}


def set_color(enabled: bool) -> None:
    _color["enabled"] = enabled


def color_enabled() -> bool:
    return _color["enabled"] and not os.environ.get("NO_COLOR")


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def resolve(fmt: Format | None) -> Format:
    """The format to use: the one asked for, else a table on a terminal and tab-separated lines elsewhere."""
    if fmt is not None:
        return Format(fmt)
    return Format.table if stdout_is_terminal() else Format.tsv


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        no_color=not color_enabled(),
    )


def write(text: str) -> None:
    sys.stdout.write(text)


def say(line: str) -> None:
    """One line of a result on stdout (what a command did), cleaned, never wrapped or styled."""
    sys.stdout.write(clean(line, lines=True) + "\n")


def err(line: str) -> None:
    """One line on stderr (a note, a warning, an error), cleaned, never wrapped or styled."""
    sys.stderr.write(clean(line, lines=True).rstrip("\n") + "\n")


def print_json(data: Any) -> None:
    write(json_text(data) + "\n")


def print_jsonl(items: Iterable[Any]) -> None:
    for item in items:
        write(json_text(item, indent=None) + "\n")


# --- rows -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a table: long text wraps (`wrap`), short values (IDs, years, counts) never do."""

    name: str
    wrap: bool = True
    ratio: int | None = None
    justify: str = "left"
    style: str | None = None
    key: str | None = None  # the JSON key (default: the name in lower case, spaces as underscores)
    joiner: str = ", "  # how a list cell reads in a table ("\n": one item a line)

    @property
    def json_key(self) -> str:
        return self.key or self.name.lower().replace(" ", "_")


Cell = str | list[str]
"""A cell is text, or a list (tags, names) joined as each format reads best: ", " in tables, "," in
tab-separated lines (one field for `cut`), "; " in CSV as `export csv` does, an array in JSON."""


def _joined(cell: Cell, sep: str) -> str:
    return sep.join(cell) if isinstance(cell, list) else cell


def _table_cell(cell: Cell, joiner: str) -> str:
    if isinstance(cell, list):
        return joiner.join(clean(item) for item in cell)
    return clean(cell)


@dataclass
class Rows:
    """A table of cells, ready for any format."""

    columns: list[Column]
    rows: list[list[Cell]]
    title: str | None = None
    caption: str | None = None
    id_column: int = 0  # what `--format ids` prints
    extra_md: list[str] = field(default_factory=list)


def emit(
    rows: Rows,
    fmt: Format | None,
    *,
    data: Callable[[], Any] | None = None,
    items: Callable[[], Iterable[Any]] | None = None,
    empty: str | None = None,
) -> None:
    """Print `rows` in `fmt`; `data` (json) and `items` (jsonl) give richer shapes than the rows.

    With no rows, `empty` goes to stderr (json still prints its empty value, so scripts can parse it).
    """
    fmt = resolve(fmt)
    if fmt is Format.json:
        print_json(data() if data is not None else _dicts(rows))
        return
    if fmt is Format.jsonl:
        print_jsonl(items() if items is not None else _dicts(rows))
        return
    if not rows.rows:
        if empty:
            err(empty)
        return
    if rows.title and fmt in (Format.tsv, Format.csv, Format.ids):
        err(rows.title)  # a heading is not a row: scripts read stdout, people see it here
    if fmt is Format.ids:
        write("".join(clean(_joined(row[rows.id_column], ",")) + "\n" for row in rows.rows))
    elif fmt is Format.tsv:
        write("".join("\t".join(clean(_joined(cell, ",")) for cell in row) + "\n" for row in rows.rows))
    elif fmt is Format.csv:
        write_csv_rows([c.name for c in rows.columns], ([_joined(c, "; ") for c in row] for row in rows.rows))
    elif fmt is Format.md:
        write_md(rows)
    else:
        out = console()
        for part in tables(rows, out.width):
            out.print(part)


def _dicts(rows: Rows) -> list[dict[str, Cell]]:
    keys = [c.json_key for c in rows.columns]
    return [dict(zip(keys, row, strict=True)) for row in rows.rows]


def write_csv_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """CSV (RFC 4180) with cells a spreadsheet would run as formulas neutralised, as `export csv` does."""
    import csv
    import io

    from llmkb.export.csv_format import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(clean(cell)) for cell in row])
    write(buffer.getvalue())


def _md(text: str) -> str:
    return clean(text).replace("\\", "\\\\").replace("|", "\\|")


def write_md(rows: Rows) -> None:
    out = [clean(line) for line in rows.extra_md]
    out.append("| " + " | ".join(_md(c.name) for c in rows.columns) + " |")
    out.append("|" + "|".join("---" for _ in rows.columns) + "|")
    out += ["| " + " | ".join(_md(_joined(cell, ", ")) for cell in row) + " |" for row in rows.rows]
    write("\n".join(out) + "\n")


WRAP_MIN = 16  # a wrapping column is never narrower than this (or its longest word, if shorter)
ITEM_MIN = 30  # a column of one item a line (tags) keeps items up to this long whole
_PER_COLUMN = 3  # a rich table spends a border and two spaces of padding on every column


def _min_width(column: Column, cells: list[str]) -> int:
    texts = [column.name, *cells]
    if not column.wrap:
        return max(len(line) for t in texts for line in t.split("\n"))
    longest = max((len(word) for t in texts for word in t.split()), default=1)
    return max(min(longest, ITEM_MIN if column.joiner == "\n" else WRAP_MIN), 1)


def column_groups(rows: Rows, width: int) -> list[list[int]]:
    """The columns in groups that each fit `width` at their narrowest, the ID column in every group: a table
    too wide for the terminal is printed as several, and no column is ever dropped or squeezed to nothing."""
    cells = [[_table_cell(row[i], c.joiner) for row in rows.rows] for i, c in enumerate(rows.columns)]
    need = [_min_width(c, cells[i]) + _PER_COLUMN for i, c in enumerate(rows.columns)]
    anchor = rows.id_column
    groups: list[list[int]] = []
    current = [anchor]
    used = 1 + need[anchor]
    for i in range(len(rows.columns)):
        if i == anchor:
            continue
        if used + need[i] > width and len(current) > 1:
            groups.append(current)
            current, used = [anchor], 1 + need[anchor]
        current.append(i)
        used += need[i]
    groups.append(current)
    return [sorted(group) for group in groups]


def column_widths(rows: Rows, width: int) -> list[int]:
    """Each column's width (without padding) so the table fits `width`: every column gets its narrowest,
    then the wrapping ones share what is left (by `ratio`) up to what their longest cell needs. Computed
    here rather than by rich so a table never comes out a character wider than the terminal."""
    cells = [[_table_cell(row[i], c.joiner) for row in rows.rows] for i, c in enumerate(rows.columns)]
    natural = [
        max(len(line) for t in [c.name, *cells[i]] for line in t.split("\n")) for i, c in enumerate(rows.columns)
    ]
    widths = [_min_width(c, cells[i]) for i, c in enumerate(rows.columns)]
    spare = width - (_PER_COLUMN * len(widths) + 1) - sum(widths)
    while spare > 0:
        growing = [i for i, c in enumerate(rows.columns) if c.wrap and widths[i] < natural[i]]
        if not growing:
            break
        shares = sum(rows.columns[i].ratio or 1 for i in growing)
        given = 0
        for i in growing:
            extra = min(natural[i] - widths[i], max(1, spare * (rows.columns[i].ratio or 1) // shares), spare - given)
            widths[i] += extra
            given += extra
            if given >= spare:
                break
        spare -= given
    # a column a few characters short of its longest cell takes them from the column with most to spare,
    # so "pruning-for-llms" does not wrap its last letter while a title wraps anyway
    for i, column in enumerate(rows.columns):
        gap = natural[i] - widths[i]
        if column.wrap and 0 < gap <= 4:
            donors = [j for j, c in enumerate(rows.columns) if j != i and c.wrap and natural[j] - widths[j] > gap]
            donors = [j for j in donors if widths[j] - gap >= _min_width(rows.columns[j], cells[j])]
            if donors:
                donor = max(donors, key=lambda j: natural[j] - widths[j])
                widths[donor] -= gap
                widths[i] += gap
    return widths


def tables(rows: Rows, width: int) -> list:
    """Rich tables for `rows` that fit `width`: one when the columns fit, else one per column group."""
    groups = column_groups(rows, width)
    out = []
    for number, group in enumerate(groups):
        part = Rows(
            [rows.columns[i] for i in group],
            [[row[i] for i in group] for row in rows.rows],
            title=rows.title if number == 0 else None,
            caption=rows.caption if number == len(groups) - 1 else None,
        )
        out.append(table(part, column_widths(part, width)))
    return out


def table(rows: Rows, widths: list[int] | None = None):
    """A rich table with the given column widths (default: rich decides)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(
        title=Text(clean(rows.title)) if rows.title else None,
        caption=Text(clean(rows.caption)) if rows.caption else None,
        box=box.HEAVY_HEAD,
        safe_box=True,  # ASCII lines where the output encoding has no box characters
    )
    for i, column in enumerate(rows.columns):
        t.add_column(
            Text(clean(column.name)),
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=not column.wrap,
            overflow="fold",
            width=widths[i] if widths else None,
            style=column.style if color_enabled() else None,
        )
    for row in rows.rows:
        t.add_row(*(Text(_table_cell(cell, column.joiner)) for cell, column in zip(row, rows.columns, strict=True)))
    return t


def detail(pairs: Sequence[tuple[str, str]], fmt: DetailFormat | Format | None) -> None:
    """Label/value lines: an aligned grid on a terminal (or `--format table`), `label<TAB>value` elsewhere."""
    if resolve(Format(fmt.value) if fmt is not None else None) is Format.table:
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold" if color_enabled() else None)
        grid.add_column(overflow="fold")
        for label, value in pairs:
            grid.add_row(Text(clean(label)), Text(clean(value, lines=True)))
        console().print(grid)
    else:
        write("".join(f"{clean(label)}\t{clean(value)}\n" for label, value in pairs))
