"""Writing the links between papers and datasets or models, and results, inside a write session.

A link is a row keyed by (paper, dataset or model, role, source), so adding one that exists changes
nothing and re-running an import adds nothing. Text links are the one kind that gets replaced:
`sync_text_links` makes a paper's text links exactly what its title, abstract and note now mention,
writing only the difference. A result is identified by paper, dataset, model, metric and setting; saving
one again updates its value instead of adding a second row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import ColumnElement, delete, insert, select, tuple_, update
from sqlmodel import Session, col

from llmkb.store.schema import PaperDataset, PaperModel, Result, table_of

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"
_CHUNK = 500


class Link(NamedTuple):
    paper_id: int
    entity_id: int  # a dataset's or a model's row ID, by the kind of link
    role: str
    source: str


class ResultRow(NamedTuple):
    paper_id: int
    dataset_id: int
    model_id: int | None
    metric_id: int
    value: float
    setting: str | None
    source: str


def _table(kind: str):
    if kind == "dataset":
        return PaperDataset, PaperDataset.dataset_id
    if kind == "model":
        return PaperModel, PaperModel.model_id
    raise ValueError(f"no links to {kind!r}")


def _chunks(items: Sequence) -> Iterable[Sequence]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def existing_links(session: Session, kind: str, paper_ids: Sequence[int], *, source: str | None = None) -> set[Link]:
    table, column = _table(kind)
    found: set[Link] = set()
    for chunk in _chunks(list(dict.fromkeys(paper_ids))):
        query = select(table.paper_id, column, table.role, table.source).where(table.paper_id.in_(chunk))
        if source is not None:
            query = query.where(table.source == source)
        found.update(Link(*row) for row in session.execute(query))
    return found


def add_links(session: Session, kind: str, links: Iterable[Link]) -> int:
    """Add the links not stored yet; returns how many were new."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return 0
    have = existing_links(session, kind, [link.paper_id for link in wanted])
    new = [link for link in wanted if link not in have]
    if new:
        table, column = _table(kind)
        session.execute(
            insert(table),
            [
                {"paper_id": link.paper_id, column.key: link.entity_id, "role": link.role, "source": link.source}
                for link in new
            ],
        )
    return len(new)


def sync_text_links(session: Session, kind: str, paper_ids: Sequence[int], wanted: Iterable[Link]) -> tuple[int, int]:
    """Make the text links of `paper_ids` exactly `wanted`; returns (added, removed)."""
    wanted = {link._replace(source="text") for link in wanted}
    have = existing_links(session, kind, paper_ids, source="text")
    stale = have - wanted
    if stale:
        table, column = _table(kind)
        for chunk in _chunks(sorted(stale)):
            session.execute(
                delete(table).where(
                    tuple_(table.paper_id, column, table.role, table.source).in_([tuple(link) for link in chunk])
                )
            )
    added = add_links(session, kind, sorted(wanted - have))  # sorted: the same rows in the same order every run
    return added, len(stale)


def remove_links(
    session: Session,
    kind: str,
    paper_id: int,
    *,
    entity_id: int | None = None,
    role: str | None = None,
    sources: Sequence[str] = ("user", "list"),
) -> list[Link]:
    """Delete a paper's links to one dataset or model (or all of them), in one role or all; returns them."""
    table, column = _table(kind)
    condition = [table.paper_id == paper_id, table.source.in_(list(sources))]
    if entity_id is not None:
        condition.append(column == entity_id)
    if role is not None:
        condition.append(table.role == role)
    gone = [
        Link(*row)
        for row in session.execute(select(table.paper_id, column, table.role, table.source).where(*condition))
    ]
    if gone:
        session.execute(delete(table).where(*condition))
    return gone


def _same_result(row: ResultRow) -> tuple[ColumnElement[bool], ...]:
    model_id, setting = col(Result.model_id), col(Result.setting)
    return (
        col(Result.paper_id) == row.paper_id,
        col(Result.dataset_id) == row.dataset_id,
        model_id.is_(None) if row.model_id is None else model_id == row.model_id,
        col(Result.metric_id) == row.metric_id,
        setting.is_(None) if row.setting is None else setting == row.setting,
    )


def save_result(session: Session, row: ResultRow) -> str:
    """Add a result, or update the value of the one with the same paper, dataset, model, metric, setting."""
    stored = session.execute(select(col(Result.id), col(Result.value)).where(*_same_result(row))).first()
    if stored is None:
        session.execute(insert(Result), [row._asdict()])
        return ADDED
    if stored.value == row.value:
        return UNCHANGED
    table = table_of(Result)
    session.execute(update(table).where(table.c.id == stored.id).values(value=row.value, source=row.source))
    return UPDATED


def remove_results(
    session: Session, paper_id: int, *, dataset_id: int | None = None, model_id: int | None = None
) -> int:
    condition = [col(Result.paper_id) == paper_id]
    if dataset_id is not None:
        condition.append(col(Result.dataset_id) == dataset_id)
    if model_id is not None:
        condition.append(col(Result.model_id) == model_id)
    count = len(session.execute(select(col(Result.id)).where(*condition)).all())
    if count:
        session.execute(delete(Result).where(*condition))
    return count
