"""Links an imported list states: its tables of models and datasets that cite the list's numbered papers.

A table under a heading such as "Models", "Calibration Dataset" or "For Evaluation" names a model or dataset
per row and cites the list's numbered papers ([1],[2]); the heading gives the kind and role. A name the
resolver cannot place with confidence is kept as written (resolved = false) and reported, never mapped to a
guess. Tables of methods or tools are skipped, with a warning. Runs inside the import's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from llmkb.linking.roles import DEFAULT_DATASET_ROLE, DEFAULT_MODEL_ROLE, LinkKind, role_kind

if TYPE_CHECKING:
    from sqlmodel import Session

    from llmkb.vocab.catalog import Catalog


# --- headings above list tables ------------------------------------------------------------------------

SKIP: Final = "skip"
# (kind, role) rows are linked as, or (None, None): each row is placed by its name
Target = tuple[LinkKind, str] | tuple[None, None]
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


def table_target(heading_path: Sequence[str]) -> Target | Literal["skip"]:
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
    """A list's reference tables, and which stored paper each reference number is."""

    tables: list  # llmkb.awesome_list.model.RefTable
    cited: dict[int, int] = field(default_factory=dict)  # reference number -> paper row ID


def cited_positions(parsed, papers: Sequence) -> dict[int, int]:
    """A parsed list's reference numbers, mapped to positions among the merged papers (`ListPaper`s)."""
    position_by_line = {line: position for position, paper in enumerate(papers) for line in paper.lines}
    cited = {}
    for ref, entry_index in parsed.references.items():
        position = position_by_line.get(parsed.entries[entry_index].line)
        if position is not None:
            cited[ref] = position
    return cited


def add_list_links(session: Session, catalog: Catalog, links: ListLinks, warnings: list[str]) -> int:
    """Inside an import's transaction: link the papers each table row cites to the row's dataset or model."""
    from llmkb.store.links_write import Link, add_links

    wanted: dict[LinkKind, list[Link]] = {"dataset": [], "model": []}
    for table in links.tables:
        target = table_target(table.heading_path)
        if target == SKIP:
            heading = " / ".join(table.heading_path)
            warnings.append(
                f"line {table.line}: the table under {heading!r} lists methods or tools, "
                "not datasets or models; not linked"
            )
            continue
        for row in table.rows:
            papers = []
            for ref in row.refs:
                if ref in links.cited:
                    papers.append(links.cited[ref])
                else:
                    warnings.append(
                        f"line {row.line}: {row.name} cites [{ref}], which is not a numbered paper of the list"
                    )
            placed = _place(session, catalog, row, target, warnings) if papers and row.name.strip() else None
            if placed is None:
                continue
            kind, name, role = placed
            entity = catalog.id_of(kind, name)
            wanted[kind] += [Link(paper_id, entity, role, "list") for paper_id in papers]
    return sum(add_links(session, kind, rows) for kind, rows in wanted.items())


def _place(
    session: Session, catalog: Catalog, row, target: Target, warnings: list[str]
) -> tuple[LinkKind, str, str] | None:
    """(kind, stored name, role) for one table row; unresolved names are kept as written and reported."""
    from llmkb.vocab.names import resolve

    kind, role = target
    if kind is None:  # no heading says: a name only one kind knows
        kinds: tuple[LinkKind, ...] = ("dataset", "model")
        hits = [(k, resolve(k, row.name)) for k in kinds]
        known = [(k, r.canonical) for k, r in hits if r.canonical]
        if len(known) != 1:
            warnings.append(f"line {row.line}: {row.name}: neither a known dataset nor a known model; not linked")
            return None
        kind, name = known[0]
        return kind, name, DEFAULT_DATASET_ROLE if kind == "dataset" else DEFAULT_MODEL_ROLE
    assert role is not None  # a heading that gives the kind gives the role
    resolution = resolve(kind, row.name)
    if resolution.canonical is not None:
        return kind, resolution.canonical, role
    name = catalog.keep_as_written(session, kind, row.name)
    shown = resolution.suggestions[:SUGGESTIONS_SHOWN]
    guess = f" ({'? '.join(shown)}?)" if shown else ""
    warnings.append(f"line {row.line}: {name}: not resolved{guess}; kept as written (see `llmkb {kind}s --unresolved`)")
    return kind, name, role
