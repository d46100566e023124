"""Results from a CSV file (`llmkb import-results`): every row checked, then the good rows written together."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from llmkb.errors import InputError, LlmkbError, UsageError
from llmkb.imports.report import ImportReport
from llmkb.linking.roles import DEFAULT_DATASET_ROLE, DEFAULT_MODEL_ROLE, parse_value

# --- results from CSV ----------------------------------------------------------------------------------

RESULT_COLUMNS = ("paper", "model", "dataset", "metric", "value", "setting")
REQUIRED_COLUMNS = ("paper", "dataset", "metric", "value")


@dataclass
class _ResultLine:
    line: int
    paper_id: int
    dataset: str
    model: str | None
    metric: str
    value: float
    setting: str | None


def import_results(db: Path, path: Path) -> ImportReport:
    """`llmkb import-results FILE.csv`: check every row, then write all good rows in one transaction.

    Columns (header line, any order, any case): paper, dataset, metric, value, and optionally model and
    setting. A missing column is a UsageError and nothing is written; a bad row is reported with its line
    number and the good rows are kept.
    """
    report = ImportReport(source=path.name)
    header, rows = _read_results_csv(path)
    columns = [name.strip().casefold() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise UsageError(
            f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(columns: {', '.join(RESULT_COLUMNS)}; model and setting may be left out)"
        )
    report.ignored_columns = [name for name in columns if name and name not in RESULT_COLUMNS]
    position = {name: columns.index(name) for name in RESULT_COLUMNS if name in columns}
    good = _check_rows(db, rows, position, report)
    if not good:
        return report

    from llmkb.store.links_write import Link, ResultRow, add_links, save_result
    from llmkb.store.write_session import write_session
    from llmkb.vocab.catalog import load_vocabulary

    with write_session(db) as session:
        catalog = load_vocabulary(session)
        for line in good:
            dataset_id = catalog.id_of("dataset", line.dataset)
            model_id = catalog.id_of("model", line.model) if line.model else None
            add_links(session, "dataset", [Link(line.paper_id, dataset_id, DEFAULT_DATASET_ROLE, "user")])
            if model_id is not None:
                add_links(session, "model", [Link(line.paper_id, model_id, DEFAULT_MODEL_ROLE, "user")])
            outcome = save_result(
                session,
                ResultRow(
                    line.paper_id,
                    dataset_id,
                    model_id,
                    catalog.id_of("metric", line.metric),
                    line.value,
                    line.setting,
                    "user",
                ),
            )
            report.count(outcome, f"line {line.line}")
    return report


def _read_results_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str] | str]]]:
    """The header and, for every non-blank line after it, (line number, cells or what is wrong with it).

    Every line is one row: no results column holds a line break, so a quoted field that does not close
    on its line is that line's error, instead of swallowing the rows after it into one field.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows: list[tuple[int, list[str] | str]] = []
            for number, line in enumerate(file, 1):
                cells = _parse_line(line.rstrip("\r\n"))
                if isinstance(cells, str) or any(cell.strip() for cell in cells):
                    rows.append((number, cells))
    except FileNotFoundError:
        raise InputError(f"no file {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not rows:
        raise UsageError(f"{path.name} is empty; a results CSV starts with the header {','.join(RESULT_COLUMNS)}")
    number, header = rows[0]
    if isinstance(header, str):
        raise InputError(f"{path.name}, line {number}: the header line is not valid CSV: {header}")
    return header, rows[1:]


def _parse_line(text: str) -> list[str] | str:
    """The cells of one CSV line, or what is wrong with it."""
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return 'a quoted field does not end on its line (a missing or extra ")'
    try:  # other irregular quoting is read as the csv module always read it
        return next(csv.reader([text]), [])
    except csv.Error as exc:
        return f"not valid CSV ({exc})"


def _check_rows(
    db: Path, rows: list[tuple[int, list[str] | str]], position: dict[str, int], report: ImportReport
) -> list[_ResultLine]:
    from llmkb.lookup import find_paper_id
    from llmkb.store.connection import connect
    from llmkb.vocab.stored_names import stored_name

    good: list[_ResultLine] = []
    papers: dict[str, int | LlmkbError] = {}  # the same paper is usually on many rows
    conn = connect(db)
    try:
        for line_number, parsed in rows:
            report.rows += 1
            if isinstance(parsed, str):
                report.errors.append(f"line {line_number}: {parsed}")
                continue
            cells = parsed

            def cell(name: str, cells: list[str] = cells) -> str:
                index = position.get(name)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            try:
                for name in REQUIRED_COLUMNS:
                    if not cell(name):
                        raise UsageError(f"no {name}")
                paper_text = cell("paper")
                if paper_text not in papers:
                    try:
                        papers[paper_text] = find_paper_id(conn, paper_text)
                    except LlmkbError as exc:
                        papers[paper_text] = exc
                paper = papers[paper_text]
                if isinstance(paper, LlmkbError):
                    raise paper
                model = cell("model")
                good.append(
                    _ResultLine(
                        line=line_number,
                        paper_id=paper,
                        dataset=stored_name(conn, "dataset", cell("dataset")),
                        model=stored_name(conn, "model", model) if model else None,
                        metric=stored_name(conn, "metric", cell("metric")),
                        value=parse_value(cell("value")),
                        setting=cell("setting") or None,
                    )
                )
            except LlmkbError as exc:
                report.errors.append(f"line {line_number}: {exc}")
    finally:
        conn.close()
    return good
