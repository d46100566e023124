"""Linking papers to datasets, models and results: from imported lists, from their text, and by hand.

- Lists: a table under a heading such as "Models", "Calibration Dataset" or "For Evaluation" names a model
  or dataset per row and cites the list's numbered papers ([1],[2]); the heading gives the kind and role.
  A name the resolver cannot place with confidence is kept as written (resolved = false) and reported,
  never mapped to a guess. Tables of methods or tools are skipped, with a warning.
- Text: dataset and model mentions in a paper's title, abstract and note (`llmkb.mentions`) become links
  with source "text", re-derived after every import or refresh of the paper in the same transaction.
- By hand: `link`, `unlink` and `import-results`, validated in full before anything is written.

Every write here runs inside the caller's write session or opens exactly one, so a failure leaves the
database as it was (import-results writes its good rows, all together, after checking every row).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.errors import InputError, LlmkbError, UsageError
from llmkb.links import DEFAULT_DATASET_ROLE, DEFAULT_MODEL_ROLE, check_role, role_kind

if TYPE_CHECKING:
    from sqlmodel import Session

    from llmkb.store.vocabulary_load import Catalog

# --- headings above list tables ------------------------------------------------------------------------

SKIP = "skip"
_ROLE_WORDS = (
    (re.compile(r"calibrat"), "calibration"),
    (re.compile(r"fine-?tun|instruction[- ]tun|\bsft\b"), "fine-tuning"),
    (re.compile(r"pre-?train"), "pre-training"),
    (re.compile(r"evaluat|\bbenchmark|\btest"), "evaluation"),
)
_DATASET_WORDS = re.compile(r"\b(datasets?|data|benchmarks?|corpus|corpora)\b")
_MODEL_WORDS = re.compile(r"\b(models?|llms?|backbones?|checkpoints?)\b")
_OTHER_WORDS = re.compile(r"\b(methods?|techniques?|tools?|approach(es)?|algorithms?|frameworks?|librar(y|ies))\b")
SUGGESTIONS_SHOWN = 3


def table_target(heading_path: Sequence[str]) -> tuple[str | None, str | None] | str:
    """(kind, role) a list table's rows are linked as, from the headings above it (innermost first);
    (None, None) when they do not say (each row is then placed by name); SKIP for methods and tools."""
    role = None
    for heading in reversed(heading_path):
        words = heading.casefold()
        if role is None:
            role = next((name for pattern, name in _ROLE_WORDS if pattern.search(words)), None)
        if _DATASET_WORDS.search(words):
            return "dataset", role if role and role_kind(role) == "dataset" else DEFAULT_DATASET_ROLE
        if _MODEL_WORDS.search(words):
            return "model", DEFAULT_MODEL_ROLE
        if _OTHER_WORDS.search(words):
            return SKIP
    return ("dataset", role) if role else (None, None)


# --- linking what an import wrote ----------------------------------------------------------------------


@dataclass
class ListLinks:
    """A list's reference tables, and which written paper each reference number is."""

    tables: list  # llmkb.awesome_list.model.RefTable
    cited: dict[int, int] = field(default_factory=dict)  # reference number -> position among the papers


def list_links(parsed, papers: Sequence) -> ListLinks:
    """Map a parsed list's reference numbers to the merged papers (`ListPaper`s) about to be written."""
    position_by_line = {line: position for position, paper in enumerate(papers) for line in paper.lines}
    cited = {}
    for ref, entry_index in parsed.references.items():
        position = position_by_line.get(parsed.entries[entry_index].line)
        if position is not None:
            cited[ref] = position
    return ListLinks(list(parsed.ref_tables), cited)


@dataclass
class LinkCounts:
    list_links: int = 0
    text_added: int = 0
    text_removed: int = 0


def link_written_papers(session: Session, paper_ids: Sequence[int], links: ListLinks | None,
                        warnings: list[str]) -> LinkCounts:
    """Inside an import's transaction: add the list's table links and re-derive the papers' text links."""
    from llmkb.store.vocabulary_load import load_vocabulary

    catalog = load_vocabulary(session)
    counts = LinkCounts()
    if links is not None and links.tables:
        counts.list_links = _add_list_links(session, catalog, links, paper_ids, warnings)
    counts.text_added, counts.text_removed = derive_text_links(session, paper_ids, catalog)
    return counts


def _add_list_links(session: Session, catalog: Catalog, links: ListLinks, paper_ids: Sequence[int],
                    warnings: list[str]) -> int:
    from llmkb.store.links_write import Link, add_links

    wanted: dict[str, list[Link]] = {"dataset": [], "model": []}
    for table in links.tables:
        target = table_target(table.heading_path)
        if target == SKIP:
            heading = " / ".join(table.heading_path)
            warnings.append(f"line {table.line}: the table under {heading!r} lists methods or tools, "
                            "not datasets or models; not linked")
            continue
        for row in table.rows:
            papers = []
            for ref in row.refs:
                if ref in links.cited:
                    papers.append(paper_ids[links.cited[ref]])
                else:
                    warnings.append(f"line {row.line}: {row.name} cites [{ref}], which is not a numbered paper "
                                    "of the list")
            placed = _place(session, catalog, row, target, warnings) if papers and row.name.strip() else None
            if placed is None:
                continue
            kind, name, role = placed
            entity = catalog.id_of(kind, name)
            wanted[kind] += [Link(paper_id, entity, role, "list") for paper_id in papers]
    return sum(add_links(session, kind, rows) for kind, rows in wanted.items())


def _place(session: Session, catalog: Catalog, row, target: tuple[str | None, str | None],
           warnings: list[str]) -> tuple[str, str, str] | None:
    """(kind, stored name, role) for one table row; unresolved names are kept as written and reported."""
    from llmkb.names import resolve

    kind, role = target
    if kind is None:  # no heading says: a name only one kind knows
        hits = [(k, resolve(k, row.name)) for k in ("dataset", "model")]
        known = [(k, r.canonical) for k, r in hits if r.canonical]
        if len(known) != 1:
            warnings.append(f"line {row.line}: {row.name}: neither a known dataset nor a known model; not linked")
            return None
        kind, name = known[0]
        return kind, name, DEFAULT_DATASET_ROLE if kind == "dataset" else DEFAULT_MODEL_ROLE
    resolution = resolve(kind, row.name)
    if resolution.canonical is not None:
        return kind, resolution.canonical, role
    name = catalog.keep_as_written(session, kind, row.name)
    shown = resolution.suggestions[:SUGGESTIONS_SHOWN]
    guess = f" ({'? '.join(shown)}?)" if shown else ""
    warnings.append(f"line {row.line}: {name}: not resolved{guess}; kept as written "
                    f"(see `llmkb {kind}s --unresolved`)")
    return kind, name, role


# --- text ----------------------------------------------------------------------------------------------

_PROPOSES_AFTER = re.compile(r"\s*(?:[:,(—–-]\s|[:,]|$)")


def text_mentions(title: str | None, abstract: str | None, note: str | None) -> set[tuple[str, str, str]]:
    """(kind, canonical name, role) for every dataset and model the texts mention.

    A model whose name opens the title ("Mamba: Linear-Time ...", "DistilBERT, a distilled ...") is one
    the paper proposes; every other model is one it uses, and every dataset one it evaluates on.
    """
    from llmkb.mentions import find_mentions

    found: set[tuple[str, str, str]] = set()
    proposed: set[str] = set()
    for field_name, text in (("title", title), ("abstract", abstract), ("note", note)):
        if not text:
            continue
        opening = len(text) - len(text.lstrip())
        for mention in find_mentions(text):
            if mention.kind == "dataset":
                found.add(("dataset", mention.canonical, DEFAULT_DATASET_ROLE))
            elif (field_name == "title" and mention.start == opening
                  and _PROPOSES_AFTER.match(text, mention.end)):
                proposed.add(mention.canonical)
            else:
                found.add(("model", mention.canonical, DEFAULT_MODEL_ROLE))
    found -= {("model", name, DEFAULT_MODEL_ROLE) for name in proposed}
    found |= {("model", name, "proposes") for name in proposed}
    return found


def derive_text_links(session: Session, paper_ids: Sequence[int], catalog: Catalog | None = None) -> tuple[int, int]:
    """Replace the text links of these papers with what their title, abstract and note now mention;
    returns (links added, links removed)."""
    from sqlalchemy import select

    from llmkb.models import Paper
    from llmkb.store.links_write import Link, sync_text_links
    from llmkb.store.vocabulary_load import load_vocabulary

    ids = list(dict.fromkeys(paper_ids))
    if not ids:
        return 0, 0
    catalog = catalog or load_vocabulary(session)
    wanted: dict[str, set[Link]] = {"dataset": set(), "model": set()}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = session.execute(select(Paper.id, Paper.title, Paper.abstract, Paper.note).where(Paper.id.in_(chunk)))
        for paper_id, title, abstract, note in rows:
            for kind, name, role in text_mentions(title, abstract, note):
                wanted[kind].add(Link(paper_id, catalog.id_of(kind, name), role, "text"))
    added = removed = 0
    for kind, links in wanted.items():
        a, r = sync_text_links(session, kind, ids, links)
        added, removed = added + a, removed + r
    return added, removed


# --- by hand -------------------------------------------------------------------------------------------


def parse_value(text: str) -> float:
    """A result value: a finite number ("71.2", "-0.5", "1e3"); UsageError otherwise."""
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise UsageError(f"value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"value {text!r} is not a number")
    return value


def describe_result(dataset: str, model: str | None, metric: str, value: float, setting: str | None) -> str:
    head = " · ".join(part for part in (dataset, model) if part)
    return f"{head}: {metric} {value:g}" + (f" ({setting})" if setting else "")


@dataclass
class LinkChange:
    paper: str  # the ID a user sees
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    result: tuple[str, str] | None = None  # (added | updated | unchanged, description)


@dataclass
class _HandLink:
    paper_id: int
    dataset: str | None
    model: str | None
    metric: str | None


def link_by_hand(db: Path, paper_text: str, *, dataset: str | None = None, model: str | None = None,
                 role: str | None = None, metric: str | None = None, value: str | None = None,
                 setting: str | None = None) -> LinkChange:
    """`llmkb link`: link one paper to a dataset and/or model, optionally with a result; all or nothing."""
    from llmkb.store.links_write import Link, ResultRow, add_links, save_result
    from llmkb.store.records import paper_ref
    from llmkb.store.vocabulary_load import load_vocabulary
    from llmkb.store.write_session import write_session

    role = check_role(role)
    if dataset is None and model is None:
        raise UsageError("say what to link: --dataset and/or --model")
    if role is not None and role_kind(role) == "dataset" and dataset is None:
        raise UsageError(f"--role {role} is a dataset role; give --dataset")
    if role is not None and role_kind(role) == "model" and model is None:
        raise UsageError(f"--role {role} is a model role; give --model")
    if (metric is None) != (value is None):
        raise UsageError("--metric and --value go together")
    if metric is not None and dataset is None:
        raise UsageError("a result needs --dataset")
    if setting is not None and metric is None:
        raise UsageError("--setting describes a result; give --metric and --value too")
    number = parse_value(value) if value is not None else None
    setting = setting.strip() or None if setting is not None else None
    target = _resolve_hand_link(db, paper_text, dataset, model, metric)

    with write_session(db) as session:
        catalog = load_vocabulary(session)
        from llmkb.models import Paper

        paper = session.get(Paper, target.paper_id)
        change = LinkChange(paper_ref(paper.arxiv_id, paper.id))
        for kind, name, default in (("dataset", target.dataset, DEFAULT_DATASET_ROLE),
                                    ("model", target.model, DEFAULT_MODEL_ROLE)):
            if name is None:
                continue
            link_role = role if role is not None and role_kind(role) == kind else default
            new = add_links(session, kind, [Link(paper.id, catalog.id_of(kind, name), link_role, "user")])
            (change.added if new else change.unchanged).append(f"{name} ({link_role})")
        if target.metric is not None:
            outcome = save_result(session, ResultRow(
                paper.id, catalog.id_of("dataset", target.dataset),
                catalog.id_of("model", target.model) if target.model else None,
                catalog.id_of("metric", target.metric), number, setting, "user"))
            change.result = (outcome, describe_result(target.dataset, target.model, target.metric, number, setting))
    return change


def _resolve_hand_link(db: Path, paper_text: str, dataset: str | None, model: str | None,
                       metric: str | None) -> _HandLink:
    from llmkb.services.entity_names import stored_name
    from llmkb.services.lookup import find_paper_id
    from llmkb.store.connection import connect

    conn = connect(db)
    try:
        # names first: a typo in a name is the likelier mistake, and checking it needs no paper
        names = [stored_name(conn, kind, text) if text is not None else None
                 for kind, text in (("dataset", dataset), ("model", model), ("metric", metric))]
        return _HandLink(find_paper_id(conn, paper_text), *names)
    finally:
        conn.close()


@dataclass
class UnlinkChange:
    paper: str
    removed: list[str] = field(default_factory=list)  # "PIQA (evaluation, list)"
    kept_text: list[str] = field(default_factory=list)  # text links: they come back with the text
    results_removed: int = 0
    results_kept: int = 0


def unlink_by_hand(db: Path, paper_text: str, *, dataset: str | None = None, model: str | None = None,
                   role: str | None = None, results: bool = False) -> UnlinkChange:
    """`llmkb unlink`: remove a paper's user and list links (to one dataset or model, in one role, or
    both), and with `results` its results on them; text links stay, as the text would bring them back."""
    from llmkb.store.links_write import existing_links, remove_links, remove_results
    from llmkb.store.records import paper_ref
    from llmkb.store.vocabulary_load import load_vocabulary
    from llmkb.store.write_session import write_session

    role = check_role(role)
    if dataset is None and model is None and role is None:
        raise UsageError("say what to unlink: --dataset, --model and/or --role")
    if role is not None and dataset is None and model is None:
        kinds = [role_kind(role)]
    else:
        kinds = [kind for kind, name in (("dataset", dataset), ("model", model)) if name is not None]
        if role is not None and role_kind(role) not in kinds:
            raise UsageError(f"--role {role} is a {role_kind(role)} role; give --{role_kind(role)}")
    target = _resolve_hand_link(db, paper_text, dataset, model, None)

    with write_session(db) as session:
        catalog = load_vocabulary(session)
        from llmkb.models import Paper

        paper = session.get(Paper, target.paper_id)
        change = UnlinkChange(paper_ref(paper.arxiv_id, paper.id))
        names = {kind: {row_id: name for name, row_id in catalog.ids[kind].items()} for kind in ("dataset", "model")}
        for kind in kinds:
            name = target.dataset if kind == "dataset" else target.model
            entity = catalog.id_of(kind, name) if name is not None else None
            link_role = role if role is not None and role_kind(role) == kind else None
            removed = remove_links(session, kind, paper.id, entity_id=entity, role=link_role)
            change.removed += sorted(f"{names[kind][link.entity_id]} ({link.role}, {link.source})"
                                     for link in removed)
            change.kept_text += sorted(
                f"{names[kind][link.entity_id]} ({link.role}, text)"
                for link in existing_links(session, kind, [paper.id], source="text")
                if (entity is None or link.entity_id == entity) and (link_role is None or link.role == link_role)
            )
        dataset_id = catalog.id_of("dataset", target.dataset) if target.dataset else None
        model_id = catalog.id_of("model", target.model) if target.model else None
        if dataset_id is not None or model_id is not None:
            if results:
                change.results_removed = remove_results(session, paper.id, dataset_id=dataset_id, model_id=model_id)
            else:
                from sqlalchemy import func, select

                from llmkb.models import Result

                query = select(func.count()).select_from(Result).where(Result.paper_id == paper.id)
                if dataset_id is not None:
                    query = query.where(Result.dataset_id == dataset_id)
                if model_id is not None:
                    query = query.where(Result.model_id == model_id)
                change.results_kept = session.execute(query).scalar_one()
    return change


# --- results from CSV ----------------------------------------------------------------------------------

RESULT_COLUMNS = ("paper", "model", "dataset", "metric", "value", "setting")
REQUIRED_COLUMNS = ("paper", "dataset", "metric", "value")


@dataclass
class ResultsImport:
    rows: int = 0  # data rows read (blank ones not counted)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # "line 4: value 'n/a' is not a number"
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _ResultLine:
    paper_id: int
    dataset: str
    model: str | None
    metric: str
    value: float
    setting: str | None


def import_results(db: Path, path: Path) -> ResultsImport:
    """`llmkb import-results FILE.csv`: check every row, then write all good rows in one transaction.

    Columns (header line, any order, any case): paper, dataset, metric, value, and optionally model and
    setting. A missing column is a UsageError and nothing is written; a bad row is reported with its line
    number and the good rows are kept.
    """
    report = ResultsImport()
    header, rows = _read_results_csv(path)
    columns = [name.strip().casefold() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise UsageError(f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"(columns: {', '.join(RESULT_COLUMNS)}; model and setting may be left out)")
    report.ignored_columns = [name for name in columns if name and name not in RESULT_COLUMNS]
    position = {name: columns.index(name) for name in RESULT_COLUMNS if name in columns}
    good = _check_rows(db, rows, position, report)
    if not good:
        return report

    from llmkb.store.links_write import ADDED, UPDATED, Link, ResultRow, add_links, save_result
    from llmkb.store.vocabulary_load import load_vocabulary
    from llmkb.store.write_session import write_session

    with write_session(db) as session:
        catalog = load_vocabulary(session)
        for line in good:
            dataset_id = catalog.id_of("dataset", line.dataset)
            model_id = catalog.id_of("model", line.model) if line.model else None
            add_links(session, "dataset", [Link(line.paper_id, dataset_id, DEFAULT_DATASET_ROLE, "user")])
            if model_id is not None:
                add_links(session, "model", [Link(line.paper_id, model_id, DEFAULT_MODEL_ROLE, "user")])
            outcome = save_result(session, ResultRow(line.paper_id, dataset_id, model_id,
                                                     catalog.id_of("metric", line.metric), line.value,
                                                     line.setting, "user"))
            if outcome == ADDED:
                report.added += 1
            elif outcome == UPDATED:
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def _read_results_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line number, cells) of every non-blank row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            rows = []
            try:
                for cells in reader:
                    if any(cell.strip() for cell in cells):
                        rows.append((reader.line_num, cells))
            except csv.Error as exc:
                raise InputError(f"{path.name}, line {reader.line_num}: not valid CSV ({exc})") from None
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
    return rows[0][1], rows[1:]


def _check_rows(db: Path, rows: list[tuple[int, list[str]]], position: dict[str, int],
                report: ResultsImport) -> list[_ResultLine]:
    from llmkb.services.entity_names import stored_name
    from llmkb.services.lookup import find_paper_id
    from llmkb.store.connection import connect

    good: list[_ResultLine] = []
    papers: dict[str, int | LlmkbError] = {}  # the same paper is usually on many rows
    conn = connect(db)
    try:
        for line_number, cells in rows:
            report.rows += 1

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
                good.append(_ResultLine(
                    paper_id=paper,
                    dataset=stored_name(conn, "dataset", cell("dataset")),
                    model=stored_name(conn, "model", model) if model else None,
                    metric=stored_name(conn, "metric", cell("metric")),
                    value=parse_value(cell("value")),
                    setting=cell("setting") or None,
                ))
            except LlmkbError as exc:
                report.errors.append(f"line {line_number}: {exc}")
    finally:
        conn.close()
    return good
