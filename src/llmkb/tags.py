"""Tags: the tree with paper counts (read, sqlite3), and tagging by hand (write, through the store)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from llmkb.errors import UsageError
from llmkb.slugs import tag_path


@dataclass
class TagNode:
    name: str  # this segment
    path: str  # full path
    count: int = 0  # distinct papers tagged with this path or any path below it
    children: dict[str, TagNode] = field(default_factory=dict)


def tag_tree(conn: sqlite3.Connection) -> TagNode:
    """The tag paths with papers, as a tree; each node's count is kept by the store (`tag.papers`), so the
    tree costs one read of the (small) tag table however many papers there are."""
    root = TagNode("", "")
    for name, count in tag_counts(conn):
        node = root
        parts = name.split("/")
        for depth, part in enumerate(parts, 1):
            node = node.children.setdefault(part, TagNode(part, "/".join(parts[:depth])))
        node.count = count
    return root


def tag_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every tag path with papers, and how many distinct papers are tagged with it or a path below it."""
    return [(row[0], row[1]) for row in conn.execute("SELECT name, papers FROM tag WHERE papers > 0 ORDER BY name")]


def _paths(names: list[str]) -> list[str]:
    paths = [tag_path(n) for n in names]
    if not all(paths):
        raise UsageError("a tag needs letters or digits")
    return paths


@dataclass
class TagChange:
    paper: str
    changed: list[str]
    unchanged: list[str]


def change_tags(db: Path, paper_text: str, names: list[str], *, add: bool) -> TagChange:
    from llmkb.lookup import find_paper_id
    from llmkb.store.connection import connect
    from llmkb.store.papers_write import add_tags, remove_tags, stored_paper
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session

    paths = _paths(names)
    conn = connect(db)
    try:
        rowid = find_paper_id(conn, paper_text)
    finally:
        conn.close()

    with write_session(db) as session:
        paper = stored_paper(session, rowid)
        done = add_tags(session, paper, paths, "user") if add else remove_tags(session, paper, paths)
        ref = paper_ref(paper.arxiv_id, rowid)
    return TagChange(ref, done, [p for p in paths if p not in done])


@dataclass
class TagRename:
    renamed: list[tuple[str, str]]  # (old path, new path), the tag itself and every tag below it
    papers: int  # distinct papers whose tags changed
    merged: bool = False


def _below(session, path: str) -> list:
    """The tags at or under `path` that papers carry themselves, as rows (id, name)."""
    from sqlalchemy import text

    escaped = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        session.execute(
            text(
                "SELECT id, name FROM tag WHERE (name = :p OR name LIKE :below ESCAPE '\\') "
                "AND EXISTS (SELECT 1 FROM paper_tag WHERE tag_id = tag.id) ORDER BY name"
            ),
            {"p": path, "below": escaped + "/%"},
        )
    )


def rename_tag(db: Path, old: str, new: str, *, merge: bool = False) -> TagRename:
    """Renames tag `old` (and every tag below it) to `new` on every paper, in one transaction.

    Papers are moved from each old tag to its new one (the store's triggers then keep the full-text index
    and every node's paper count), and tags left with no paper go. Without `merge`, a name that already
    exists is an error (nothing changes); with it, papers of `old` join `new`.
    """
    from sqlalchemy import text

    from llmkb.slugs import checked_tags
    from llmkb.store.papers_write import TagCache
    from llmkb.store.write_session import write_session

    (old_path,) = checked_tags([old])
    (new_path,) = checked_tags([new])
    if old_path == new_path:
        raise UsageError(f"{old_path!r} and {new_path!r} are the same tag")
    if new_path.startswith(old_path + "/"):
        raise UsageError(f"cannot move {old_path!r} under itself ({new_path!r})")
    with write_session(db) as session:
        rows = _below(session, old_path)
        if not rows:
            raise UsageError(f"no tag {old_path!r} (llmkb tags lists them)")
        cache = TagCache(session)
        renamed: list[tuple[str, str]] = []
        papers: set[int] = set()
        for tag_id, name in rows:
            target = new_path + name[len(old_path) :]
            taken = session.execute(text("SELECT 1 FROM tag WHERE name = :n AND papers > 0"), {"n": target}).first()
            if taken and not merge:
                raise UsageError(f"tag {target!r} exists already; `llmkb tag merge {old_path} {new_path}` merges them")
            members = [
                r[0] for r in session.execute(text("SELECT paper_id FROM paper_tag WHERE tag_id = :t"), {"t": tag_id})
            ]
            session.execute(
                text(
                    "INSERT OR IGNORE INTO paper_tag (paper_id, tag_id, source) "
                    "SELECT paper_id, :target, source FROM paper_tag WHERE tag_id = :t"
                ),
                {"target": cache.id_for(target), "t": tag_id},
            )
            session.execute(text("DELETE FROM paper_tag WHERE tag_id = :t"), {"t": tag_id})
            renamed.append((name, target))
            papers.update(members)
        session.execute(text("DELETE FROM tag WHERE papers = 0"))
    return TagRename(renamed, len(papers), merged=merge)
