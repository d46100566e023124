"""Writing papers and their tags, with the merge rules every import shares.

Two kinds of source write papers:
- authoritative ones (arXiv, the seed metadata) own the bibliographic fields and overwrite them;
- lists and users only fill what is missing, and add links, tags and notes.
Either way the outcome is "added", "updated" or "unchanged", which is what import summaries count, and
re-running the same import is "unchanged" everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from sqlmodel import Session, col, select

from llmkb.store.schema import Paper, PaperTag, Tag
from llmkb.titles import title_key

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"

# Fields an authoritative source (arXiv) owns. A list never overwrites them once set.
BIBLIOGRAPHIC = (
    "title",
    "abstract",
    "authors",
    "published",
    "updated",
    "primary_category",
    "categories",
    "comment",
    "journal_ref",
    "doi",
    "arxiv_version",
)
_JSON_FIELDS = ("authors", "categories", "links")


@dataclass
class PaperFields:
    """What a source knows about one paper; None means "this source does not say"."""

    arxiv_id: str | None = None
    arxiv_version: int | None = None
    title: str | None = None
    short_name: str | None = None
    abstract: str | None = None
    authors: list[str] | None = None
    published: str | None = None
    updated: str | None = None
    primary_category: str | None = None
    categories: list[str] | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    venue: str | None = None
    year: int | None = None
    month: int | None = None
    note: str | None = None
    links: list[dict] = field(default_factory=list)


def _stored(paper: Paper, name: str):
    value = getattr(paper, name)
    return json.loads(value) if name in _JSON_FIELDS else value


def _store(paper: Paper, name: str, value) -> None:
    setattr(paper, name, json.dumps(value, ensure_ascii=False) if name in _JSON_FIELDS else value)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def find_papers(session: Session, arxiv_ids: Sequence[str]) -> dict[str, Paper]:
    """Stored papers by bare arXiv ID, fetched in chunks (one query per 500 IDs, not one per paper)."""
    found: dict[str, Paper] = {}
    ids = list(dict.fromkeys(arxiv_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for paper in session.exec(select(Paper).where(col(Paper.arxiv_id).in_(chunk))):
            found[paper.arxiv_id] = paper
    return found


def find_paper(session: Session, data: PaperFields) -> Paper | None:
    """The stored paper `data` describes: same arXiv ID, or (without one) the same normalized title."""
    if data.arxiv_id:
        return session.exec(select(Paper).where(Paper.arxiv_id == data.arxiv_id)).first()
    if data.title:
        key = title_key(data.title)
        return session.exec(select(Paper).where(Paper.title_key == key).order_by(Paper.id)).first()
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
        paper = Paper(title=data.title, title_key=title_key(data.title))
        for f in fields(PaperFields):
            value = getattr(data, f.name)
            if f.name != "title" and not _empty(value):
                _store(paper, f.name, value)
        _store_sources(paper, [source])
        session.add(paper)
        session.flush()
        return ADDED, paper

    changed = False
    for f in fields(PaperFields):
        name = f.name
        new = getattr(data, name)
        if _empty(new) or name == "arxiv_id" and paper.arxiv_id:
            continue
        old = _stored(paper, name)
        if name == "links":
            merged = old + [link for link in new if link not in old]
            if merged != old:
                _store(paper, name, merged)
                changed = True
            continue
        overwrite = authoritative and name in BIBLIOGRAPHIC
        if (overwrite or _empty(old)) and old != new:
            _store(paper, name, new)
            changed = True
    if changed and data.title and paper.title_key != title_key(paper.title):
        paper.title_key = title_key(paper.title)
    if source not in json.loads(paper.sources):
        _store_sources(paper, json.loads(paper.sources) + [source])
        changed = True
    if changed:
        session.add(paper)
    return (UPDATED if changed else UNCHANGED), paper


def _store_sources(paper: Paper, sources: list[str]) -> None:
    paper.sources = json.dumps(sources, ensure_ascii=False)


class TagCache:
    """Tag rows by name for the life of one transaction, so a list of 5,000 items does not query per tag."""

    def __init__(self, session: Session):
        self.session = session
        self._ids: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        if name not in self._ids:
            tag = self.session.exec(select(Tag).where(Tag.name == name)).first()
            if tag is None:
                tag = Tag(name=name)
                self.session.add(tag)
                self.session.flush()
            self._ids[name] = tag.id
        return self._ids[name]


def add_tags(
    session: Session, paper: Paper, names: Iterable[str], source: str, cache: TagCache | None = None
) -> list[str]:
    """Tag `paper`; returns the names that were new on it. A tag already there keeps its first source."""
    cache = cache or TagCache(session)
    have = {row for row in session.exec(select(PaperTag.tag_id).where(PaperTag.paper_id == paper.id))}
    added = []
    for name in dict.fromkeys(names):
        tag_id = cache.id_for(name)
        if tag_id not in have:
            session.add(PaperTag(paper_id=paper.id, tag_id=tag_id, source=source))
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
            if session.exec(select(PaperTag).where(PaperTag.tag_id == tag.id)).first() is None:
                session.delete(tag)
    session.flush()
    return removed
