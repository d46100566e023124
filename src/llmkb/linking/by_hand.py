"""Links a user states: `llmkb link` and `llmkb unlink`, validated in full before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.errors import UsageError
from llmkb.linking.roles import (
    DEFAULT_DATASET_ROLE,
    DEFAULT_MODEL_ROLE,
    check_role,
    describe_result,
    parse_value,
    role_kind,
)

if TYPE_CHECKING:
    from llmkb.vocab.vocabulary import Kind


# --- by hand -------------------------------------------------------------------------------------------


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


def link_by_hand(
    db: Path,
    paper_text: str,
    *,
    dataset: str | None = None,
    model: str | None = None,
    role: str | None = None,
    metric: str | None = None,
    value: str | None = None,
    setting: str | None = None,
) -> LinkChange:
    """`llmkb link`: link one paper to a dataset and/or model, optionally with a result; all or nothing."""
    from llmkb.store.links_write import Link, ResultRow, add_links, save_result
    from llmkb.store.papers_write import stored_paper
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session
    from llmkb.vocab.catalog import load_vocabulary

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
        paper_id = target.paper_id
        paper = stored_paper(session, paper_id)
        change = LinkChange(paper_ref(paper.arxiv_id, paper_id))
        links: tuple[tuple[Kind, str | None, str], ...] = (
            ("dataset", target.dataset, DEFAULT_DATASET_ROLE),
            ("model", target.model, DEFAULT_MODEL_ROLE),
        )
        for kind, name, default in links:
            if name is None:
                continue
            link_role = role if role is not None and role_kind(role) == kind else default
            new = add_links(session, kind, [Link(paper_id, catalog.id_of(kind, name), link_role, "user")])
            (change.added if new else change.unchanged).append(f"{name} ({link_role})")
        if target.metric is not None:
            # checked above: a result comes with a dataset and a value
            assert target.dataset is not None and number is not None
            outcome = save_result(
                session,
                ResultRow(
                    paper_id,
                    catalog.id_of("dataset", target.dataset),
                    catalog.id_of("model", target.model) if target.model else None,
                    catalog.id_of("metric", target.metric),
                    number,
                    setting,
                    "user",
                ),
            )
            change.result = (outcome, describe_result(target.dataset, target.model, target.metric, number, setting))
    return change


def _resolve_hand_link(
    db: Path, paper_text: str, dataset: str | None, model: str | None, metric: str | None
) -> _HandLink:
    from llmkb.lookup import find_paper_id
    from llmkb.store.connection import connect
    from llmkb.vocab.stored_names import stored_name

    conn = connect(db)
    try:
        # names first: a typo in a name is the likelier mistake, and checking it needs no paper
        typed: tuple[tuple[Kind, str | None], ...] = (("dataset", dataset), ("model", model), ("metric", metric))
        names = [stored_name(conn, kind, text) if text is not None else None for kind, text in typed]
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


def unlink_by_hand(
    db: Path,
    paper_text: str,
    *,
    dataset: str | None = None,
    model: str | None = None,
    role: str | None = None,
    results: bool = False,
) -> UnlinkChange:
    """`llmkb unlink`: remove a paper's user and list links (to one dataset or model, in one role, or
    both), and with `results` its results on them; text links stay, as the text would bring them back."""
    from llmkb.store.links_write import existing_links, remove_links, remove_results
    from llmkb.store.papers_write import stored_paper
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session
    from llmkb.vocab.catalog import load_vocabulary

    role = check_role(role)
    if dataset is None and model is None and role is None:
        raise UsageError("say what to unlink: --dataset, --model and/or --role")
    kinds: list[Kind]
    if role is not None and dataset is None and model is None:
        kinds = [role_kind(role)]
    else:
        named: tuple[tuple[Kind, str | None], ...] = (("dataset", dataset), ("model", model))
        kinds = [kind for kind, name in named if name is not None]
        if role is not None and role_kind(role) not in kinds:
            raise UsageError(f"--role {role} is a {role_kind(role)} role; give --{role_kind(role)}")
    target = _resolve_hand_link(db, paper_text, dataset, model, None)

    with write_session(db) as session:
        catalog = load_vocabulary(session)
        paper_id = target.paper_id
        paper = stored_paper(session, paper_id)
        change = UnlinkChange(paper_ref(paper.arxiv_id, paper_id))
        linked: tuple[Kind, ...] = ("dataset", "model")
        names = {kind: {row_id: name for name, row_id in catalog.ids[kind].items()} for kind in linked}
        for kind in kinds:
            name = target.dataset if kind == "dataset" else target.model
            entity = catalog.id_of(kind, name) if name is not None else None
            link_role = role if role is not None and role_kind(role) == kind else None
            removed = remove_links(session, kind, paper_id, entity_id=entity, role=link_role)
            change.removed += sorted(f"{names[kind][link.entity_id]} ({link.role}, {link.source})" for link in removed)
            change.kept_text += sorted(
                f"{names[kind][link.entity_id]} ({link.role}, text)"
                for link in existing_links(session, kind, [paper_id], source="text")
                if (entity is None or link.entity_id == entity) and (link_role is None or link.role == link_role)
            )
        dataset_id = catalog.id_of("dataset", target.dataset) if target.dataset else None
        model_id = catalog.id_of("model", target.model) if target.model else None
        if dataset_id is not None or model_id is not None:
            if results:
                change.results_removed = remove_results(session, paper_id, dataset_id=dataset_id, model_id=model_id)
            else:
                from sqlalchemy import func, select
                from sqlmodel import col

                from llmkb.store.schema import Result

                query = select(func.count()).select_from(Result).where(col(Result.paper_id) == paper_id)
                if dataset_id is not None:
                    query = query.where(col(Result.dataset_id) == dataset_id)
                if model_id is not None:
                    query = query.where(col(Result.model_id) == model_id)
                change.results_kept = session.execute(query).scalar_one()
    return change
