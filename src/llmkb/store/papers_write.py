"""Writing papers and their tags: the merge rules (`llmkb.imports.merge`) applied to stored rows.

Every import counts each paper as "added", "updated" or "unchanged", which is what summaries report; re-running
the same import is "unchanged" everywhere. The full-text index's CJK column is kept in step with the texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import text
from sqlmodel import Session, col, select

from llmkb.errors import PaperNotFound
from llmkb.fts import cjk_terms
from llmkb.imports.merge import FIELD_NAMES, PaperFields, merge
from llmkb.imports.report import ADDED, UNCHANGED, UPDATED
from llmkb.store.schema import Paper, PaperTag, Tag, TagAncestor
from llmkb.titles import title_key

__all__ = [
    "ADDED",
    "UNCHANGED",
    "UPDATED",
    "PaperFields",
    "TagCache",
    "add_tags",
    "find_paper",
    "find_papers",
    "remove_tags",
    "save_paper",
    "stored_id",
    "stored_paper",
]

_JSON_FIELDS = ("authors", "categories", "links")
_INDEXED_TEXTS = ("title", "short_name", "abstract", "note")


def fields_of(paper: Paper) -> PaperFields:
    """A stored row as the merge rules see it."""
    values = {}
    for name in FIELD_NAMES:
        value = getattr(paper, name)
        values[name] = json.loads(value) if name in _JSON_FIELDS else value
    return PaperFields(**values)


def _apply(paper: Paper, data: PaperFields, names: Iterable[str]) -> None:
    for name in names:
        value = getattr(data, name)
        setattr(paper, name, json.dumps(value, ensure_ascii=False) if name in _JSON_FIELDS else value)
    if paper.title:
        paper.title_key = title_key(paper.title)
    paper.cjk = cjk_terms(*(getattr(paper, n) for n in _INDEXED_TEXTS))


def find_papers(session: Session, arxiv_ids: Sequence[str]) -> dict[str, Paper]:
    """Stored papers by bare arXiv ID, fetched in chunks (one query per 500 IDs, not one per paper)."""
    found: dict[str, Paper] = {}
    ids = list(dict.fromkeys(arxiv_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for paper in session.exec(select(Paper).where(col(Paper.arxiv_id).in_(chunk))):
            assert paper.arxiv_id is not None  # selected by it
            found[paper.arxiv_id] = paper
    return found


def stored_paper(session: Session, paper_id: int) -> Paper:
    """The row of a paper a read found a moment ago; PaperNotFound if another process has deleted it since."""
    paper = session.get(Paper, paper_id)
    if paper is None:
        raise PaperNotFound(f"no paper kb-{paper_id}")
    return paper


def stored_id(paper: Paper) -> int:
    """The row ID of a paper that is stored: one read from the database, or added (`save_paper` flushes)."""
    if paper.id is None:
        raise ValueError(f"{paper.title!r} is not stored yet")
    return paper.id


def find_paper(session: Session, data: PaperFields) -> Paper | None:
    """The stored paper `data` describes: same arXiv ID, or (without one) the same normalized title."""
    if data.arxiv_id:
        return session.exec(select(Paper).where(Paper.arxiv_id == data.arxiv_id)).first()
    if data.title:
        key = title_key(data.title)
        return session.exec(select(Paper).where(Paper.title_key == key).order_by(col(Paper.id))).first()
    return None


def save_paper(
    session: Session,
    data: PaperFields,
    *,
    source: str,
    authoritative: bool,
    existing: Paper | None = None,
    look_up: bool = True,
) -> tuple[str, Paper]:
    """Insert or merge one paper; returns the outcome and the stored row.

    `existing` skips the look-up when the caller already fetched the row (batched imports); `look_up=False`
    says the caller knows it is new.
    """
    paper = existing if existing is not None else (find_paper(session, data) if look_up else None)
    if paper is None:
        if not data.title:
            raise ValueError("a new paper needs a title")
        merged, names = merge(None, data, authoritative=authoritative)
        assert merged.title is not None  # merged from data alone, which has one
        paper = Paper(title=merged.title, title_key=title_key(merged.title))
        _apply(paper, merged, names)
        paper.sources = json.dumps([source], ensure_ascii=False)
        session.add(paper)
        session.flush()
        return ADDED, paper

    merged, names = merge(fields_of(paper), data, authoritative=authoritative)
    sources = json.loads(paper.sources)
    if names:
        _apply(paper, merged, names)
    if source not in sources:
        paper.sources = json.dumps([*sources, source], ensure_ascii=False)
    if names:
        session.add(paper)
    # a record arXiv only confirmed again (a newer `verified`) is unchanged to the user
    if set(names) - {"verified"} or source not in sources:
        return UPDATED, paper
    return UNCHANGED, paper


class TagCache:
    """Tag rows by name for the life of one transaction, so a list of 5,000 items does not query per tag.

    A tag path's prefixes are tag rows too, and each new tag records its ancestors (`tag_ancestor`): that is
    what lets triggers keep every node's paper count (`tag.papers`) as papers are tagged and untagged.
    """

    def __init__(self, session: Session):
        self.session = session
        self._ids: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        if name not in self._ids:
            parts = name.split("/")
            chain = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
            for depth, path in enumerate(chain):
                if path not in self._ids:
                    self._ids[path] = self._find_or_create(path, chain[:depth])
        return self._ids[name]

    def _find_or_create(self, path: str, ancestors: list[str]) -> int:
        found = self.session.exec(select(Tag.id).where(Tag.name == path)).first()
        if found is not None:
            return found
        tag = Tag(name=path)
        self.session.add(tag)
        self.session.flush()
        assert tag.id is not None
        for ancestor in [*ancestors, path]:
            ancestor_id = tag.id if ancestor == path else self._ids[ancestor]
            self.session.add(TagAncestor(tag_id=tag.id, ancestor_id=ancestor_id))
        self.session.flush()
        return tag.id


def add_tags(
    session: Session, paper: Paper, names: Iterable[str], source: str, cache: TagCache | None = None
) -> list[str]:
    """Tag `paper`; returns the names that were new on it. A tag already there keeps its first source."""
    cache = cache or TagCache(session)
    paper_id = paper.id
    assert paper_id is not None, "tag a stored paper"
    have = {row for row in session.exec(select(PaperTag.tag_id).where(PaperTag.paper_id == paper_id))}
    added = []
    for name in dict.fromkeys(names):
        tag_id = cache.id_for(name)
        if tag_id not in have:
            session.add(PaperTag(paper_id=paper_id, tag_id=tag_id, source=source))
            have.add(tag_id)
            added.append(name)
    if added:
        session.flush()
    return added


def remove_tags(session: Session, paper: Paper, names: Iterable[str]) -> list[str]:
    """Untag `paper`; returns the names that were on it. Tags left with no paper are deleted."""
    removed = []
    for name in dict.fromkeys(names):
        tag = session.exec(select(Tag).where(Tag.name == name)).first()
        if tag is None:
            continue
        link = session.get(PaperTag, (paper.id, tag.id))
        if link is not None:
            session.delete(link)
            session.flush()
            removed.append(name)
    if removed:
        # tags no paper is under any more (the triggers keep `papers`), with their ancestors' rows
        session.execute(text("DELETE FROM tag WHERE papers = 0"))
        session.expire_all()
    return removed
