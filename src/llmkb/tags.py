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
