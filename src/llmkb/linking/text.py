"""Links a paper's own text states: dataset and model mentions in its title, abstract and note.

They are stored with source "text" and re-derived after every import or refresh of the paper, in the same
transaction, so they always match the text as stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmkb.linking.roles import DEFAULT_DATASET_ROLE, DEFAULT_MODEL_ROLE, LinkKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from llmkb.vocab.catalog import Catalog


# --- text ----------------------------------------------------------------------------------------------

_PROPOSES_AFTER = re.compile(r"\s*(?:[:,(—–-]\s|[:,]|$)")


def text_mentions(title: str | None, abstract: str | None, note: str | None) -> set[tuple[LinkKind, str, str]]:
    """(kind, canonical name, role) for every dataset and model the texts mention.

    A model whose name opens the title ("Mamba: Linear-Time ...", "DistilBERT, a distilled ...") is one
    the paper proposes; every other model is one it uses, and every dataset one it evaluates on.
    """
    from llmkb.vocab.mentions import find_mentions

    found: set[tuple[LinkKind, str, str]] = set()
    proposed: set[str] = set()
    for field_name, text in (("title", title), ("abstract", abstract), ("note", note)):
        if not text:
            continue
        opening = len(text) - len(text.lstrip())
        for mention in find_mentions(text):
            if mention.kind == "dataset":
                found.add(("dataset", mention.canonical, DEFAULT_DATASET_ROLE))
            elif field_name == "title" and mention.start == opening and _PROPOSES_AFTER.match(text, mention.end):
                proposed.add(mention.canonical)
            else:
                found.add(("model", mention.canonical, DEFAULT_MODEL_ROLE))
    found -= {("model", name, DEFAULT_MODEL_ROLE) for name in proposed}
    found |= {("model", name, "proposes") for name in proposed}
    return found


Mentions = dict[tuple[str | None, str | None, str | None], set[tuple[LinkKind, str, str]]]
"""`text_mentions` of (title, abstract, note) texts, found ahead of time (by the processes parsing a list)."""


def text_links(
    paper_id: int,
    title: str | None,
    abstract: str | None,
    note: str | None,
    catalog: Catalog,
    known: Mentions | None = None,
) -> list[tuple[LinkKind, int, int, str]]:
    """(kind, paper row ID, dataset or model row ID, role) for each mention in a paper's texts, in a stable order;
    `known` may already hold the mentions of these very texts."""
    found = known.get((title, abstract, note)) if known else None
    if found is None:
        found = text_mentions(title, abstract, note)
    links: list[tuple[LinkKind, int, int, str]] = []
    for kind, name, role in sorted(found):
        link_kind: LinkKind = "dataset" if kind == "dataset" else "model"
        links.append((link_kind, paper_id, catalog.id_of(link_kind, name), role))
    return links


def derive_text_links(session: Session, paper_ids: Sequence[int], catalog: Catalog | None = None) -> tuple[int, int]:
    """Replace the text links of these papers with what their title, abstract and note now mention;
    returns (links added, links removed)."""
    from sqlalchemy import select
    from sqlmodel import col

    from llmkb.store.links_write import Link, sync_text_links
    from llmkb.store.schema import Paper
    from llmkb.vocab.catalog import load_vocabulary

    ids = list(dict.fromkeys(paper_ids))
    if not ids:
        return 0, 0
    catalog = catalog or load_vocabulary(session)
    wanted: dict[LinkKind, set[Link]] = {"dataset": set(), "model": set()}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(col(Paper.id), col(Paper.title), col(Paper.abstract), col(Paper.note)).where(
                col(Paper.id).in_(chunk)
            )
        )
        for paper_id, title, abstract, note in rows:
            for kind, pid, entity, role in text_links(paper_id, title, abstract, note, catalog):
                wanted[kind].add(Link(pid, entity, role, "text"))
    added = removed = 0
    for kind, links in wanted.items():
        a, r = sync_text_links(session, kind, ids, links)
        added, removed = added + a, removed + r
    return added, removed
