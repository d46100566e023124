"""Saved arXiv queries (`llmkb watch add|ls|rm|edit`): checked once when saved, so a daily run from cron
fails only for reasons outside the user's hands.

A watch's query is arXiv's own syntax (`ti:`, `abs:`, `au:`, `cat:`, AND, OR, ANDNOT, parentheses,
quoted phrases); llmkb checks only what it can without asking arXiv (balanced quotes and parentheses) and
ANDs the categories on when it runs, so `watch edit -c` changes the categories without retyping the query.
Changing what a watch asks forgets how far it had read, so its next run looks back as a first run does;
nothing comes twice, because a run skips every paper the watch already brought in.

Listing watches reads with sqlite3 (`watch ls` and the feed are read commands); the functions that write
import SQLAlchemy themselves.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llmkb.errors import UsageError
from llmkb.slugs import checked_tags

UNDECIDED = "(p.status IS NULL OR p.status = 'new')"
"""A paper nobody has given a reading decision yet (SQL over the alias `p`): what the feed shows."""

MAX_NAME = 64
MAX_QUERY = 1000  # arXiv's own limit on a query is about this; longer ones are rejected there anyway
_NAME = re.compile(r"^\w[\w.-]*$", re.UNICODE)
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


@dataclass
class Watch:
    id: int
    name: str
    query: str
    categories: list[str]
    tags: list[str]
    created: str
    last_run: str | None  # the last run that finished
    seen_until: str | None  # submission time up to which every paper has been read
    found: int = 0  # papers it has brought in
    waiting: int = 0  # of those, the ones still in the feed

    @property
    def arxiv_query(self) -> str:
        """What is sent to arXiv: the query, ANDed with its categories."""
        return arxiv_query(self.query, self.categories)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "query": self.query,
            "categories": self.categories,
            "tags": self.tags,
            "arxiv_query": self.arxiv_query,
            "created": self.created,
            "last_run": self.last_run,
            "seen_until": self.seen_until,
            "found": self.found,
            "waiting": self.waiting,
        }


def arxiv_query(query: str, categories: Sequence[str]) -> str:
    if not categories:
        return query
    cats = " OR ".join(f"cat:{c}" for c in categories)
    return f"({query}) AND ({cats})" if len(categories) > 1 else f"({query}) AND {cats}"


# --- checks ---------------------------------------------------------------------------------------------


def checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not _NAME.match(name):
        raise UsageError(
            f"a watch name is 1 to {MAX_NAME} letters, digits, '-', '_' or '.', starting with a letter or digit,"
            f" not {name!r}"
        )
    return name


def checked_query(query: str) -> str:
    """The query with its spacing tidied; UsageError for what arXiv would refuse or misread."""
    query = " ".join(query.split())
    if not query:
        raise UsageError("the query is empty; give an arXiv query such as 'ti:pruning AND abs:llm'")
    if len(query) > MAX_QUERY:
        raise UsageError(f"the query is longer than {MAX_QUERY} characters")
    if query.count('"') % 2:
        raise UsageError(f"the query has an unclosed quote: {query!r}")
    depth = 0
    for char in re.sub(r'"[^"]*"', "", query):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        raise UsageError(f"the query's parentheses do not balance: {query!r}")
    if re.search(r"^(AND|OR|ANDNOT)\b|\b(AND|OR|ANDNOT)$", query):
        raise UsageError(f"the query starts or ends with an operator: {query!r}")
    return query


def checked_categories(categories: Sequence[str]) -> list[str]:
    """arXiv categories (`cs.CL`, `hep-th`, `cond-mat.stat-mech`); commas separate several in one value."""
    out: list[str] = []
    for value in categories:
        for category in (c.strip() for c in value.split(",")):
            if not category:
                continue
            if not _CATEGORY.match(category):
                raise UsageError(f"{category!r} is not an arXiv category (like cs.CL, stat.ML or hep-th)")
            out.append(category)
    return list(dict.fromkeys(out))


# --- reading --------------------------------------------------------------------------------------------

_COLUMNS = "w.id, w.name, w.query, w.categories, w.tags, w.created, w.last_run, w.seen_until"
_COUNTS = (
    "(SELECT count(*) FROM watch_paper wp WHERE wp.watch_id = w.id), "
    "(SELECT count(*) FROM watch_paper wp JOIN paper p ON p.id = wp.paper_id "
    f"WHERE wp.watch_id = w.id AND wp.dismissed = 0 AND {UNDECIDED})"
)


def _watch(row) -> Watch:
    return Watch(
        id=row[0],
        name=row[1],
        query=row[2],
        categories=json.loads(row[3]),
        tags=json.loads(row[4]),
        created=row[5],
        last_run=row[6],
        seen_until=row[7],
        found=row[8] if len(row) > 8 else 0,
        waiting=row[9] if len(row) > 9 else 0,
    )


def list_watches(conn: sqlite3.Connection) -> list[Watch]:
    return [_watch(row) for row in conn.execute(f"SELECT {_COLUMNS}, {_COUNTS} FROM watch w ORDER BY w.name")]


def get_watches(conn: sqlite3.Connection, names: Sequence[str]) -> list[Watch]:
    """The named watches in the order given (every watch, by name, for no names); UsageError naming the
    unknown ones, with the closest existing names."""
    every = list_watches(conn)
    if not names:
        return every
    by_name = {w.name: w for w in every}
    unknown = [n for n in dict.fromkeys(names) if n not in by_name]
    if unknown:
        raise unknown_watch(unknown[0], list(by_name))
    return [by_name[n] for n in dict.fromkeys(names)]


def unknown_watch(name: str, known: Sequence[str]) -> UsageError:
    import difflib

    if not known:
        return UsageError(f"no watch named {name!r}: there are no watches yet (llmkb watch add NAME QUERY)")
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; the watches are {', '.join(sorted(known)[:10])}"
    return UsageError(f"no watch named {name!r}{hint}")


# --- writing --------------------------------------------------------------------------------------------


def _now() -> str:
    from llmkb.reading import now_iso

    return now_iso()


def _names_in(session) -> list[str]:
    from sqlalchemy import text

    return [row[0] for row in session.execute(text("SELECT name FROM watch"))]


def add_watch(db: Path, name: str, query: str, *, categories: Sequence[str] = (), tags: Sequence[str] = ()) -> Watch:
    from sqlalchemy import text

    from llmkb.store.write_session import write_session

    name, query = checked_name(name), checked_query(query)
    cats, tag_paths = checked_categories(categories), checked_tags(tags)
    created = _now()
    with write_session(db) as session:
        if name in _names_in(session):
            raise UsageError(f"a watch named {name!r} exists (change it with: llmkb watch edit {name})")
        session.execute(
            text("INSERT INTO watch (name, query, categories, tags, created) VALUES (:n, :q, :c, :t, :at)"),
            {
                "n": name,
                "q": query,
                "c": json.dumps(cats),
                "t": json.dumps(tag_paths, ensure_ascii=False),
                "at": created,
            },
        )
        row = session.execute(text("SELECT id FROM watch WHERE name = :n"), {"n": name}).one()
    return Watch(row[0], name, query, cats, tag_paths, created, None, None)


@dataclass
class Removed:
    name: str
    found: int  # papers it had brought in (they stay in the knowledge base)
    still_new: int  # of those, papers with the status `new` that no other watch links


def remove_watches(db: Path, names: Sequence[str]) -> list[Removed]:
    """Deletes the watches and their record of what they found; the papers stay, with their status."""
    from sqlalchemy import text

    from llmkb.store.write_session import write_session

    if not names:
        raise UsageError("name the watches to remove")
    removed: list[Removed] = []
    with write_session(db) as session:
        ids = {row[1]: row[0] for row in session.execute(text("SELECT id, name FROM watch"))}
        unknown = [n for n in names if n not in ids]
        if unknown:
            raise unknown_watch(unknown[0], list(ids))
        for name in dict.fromkeys(names):
            params = {"w": ids[name]}
            found = session.execute(text("SELECT count(*) FROM watch_paper WHERE watch_id = :w"), params).scalar()
            still_new = session.execute(
                text(
                    "SELECT count(*) FROM watch_paper wp JOIN paper p ON p.id = wp.paper_id "
                    "WHERE wp.watch_id = :w AND p.status = 'new' AND NOT EXISTS "
                    "(SELECT 1 FROM watch_paper o WHERE o.paper_id = wp.paper_id AND o.watch_id != :w)"
                ),
                params,
            ).scalar()
            session.execute(text("DELETE FROM watch_paper WHERE watch_id = :w"), params)
            session.execute(text("DELETE FROM watch WHERE id = :w"), params)
            removed.append(Removed(name, found or 0, still_new or 0))
    return removed


@dataclass
class Edited:
    watch: Watch
    restarted: bool  # what it asks changed (or --restart): the next run looks back as a first run


def edit_watch(
    db: Path,
    name: str,
    *,
    query: str | None = None,
    categories: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    rename: str | None = None,
    restart: bool = False,
) -> Edited:
    """Changes what is given (None: unchanged; an empty list clears categories or tags)."""
    from sqlalchemy import text

    from llmkb.store.write_session import write_session

    if query is None and categories is None and tags is None and rename is None and not restart:
        raise UsageError("nothing to change: give --query, --category, --tag, --rename or --restart")
    new_query = checked_query(query) if query is not None else None
    new_cats = checked_categories(categories) if categories is not None else None
    new_tags = checked_tags(tags) if tags is not None else None
    new_name = checked_name(rename) if rename is not None else None
    with write_session(db) as session:
        rows = {row[1]: row for row in session.execute(text(f"SELECT {_COLUMNS} FROM watch w"))}
        if name not in rows:
            raise unknown_watch(name, list(rows))
        watch = _watch(rows[name])
        if new_name is not None and new_name != name and new_name in rows:
            raise UsageError(f"a watch named {new_name!r} exists already")
        asks_other = (new_query is not None and new_query != watch.query) or (
            new_cats is not None and new_cats != watch.categories
        )
        watch.query = new_query if new_query is not None else watch.query
        watch.categories = new_cats if new_cats is not None else watch.categories
        watch.tags = new_tags if new_tags is not None else watch.tags
        watch.name = new_name or watch.name
        restarted = restart or asks_other
        if restarted:
            watch.seen_until = None
        session.execute(
            text("UPDATE watch SET name = :n, query = :q, categories = :c, tags = :t, seen_until = :s WHERE id = :id"),
            {
                "n": watch.name,
                "q": watch.query,
                "c": json.dumps(watch.categories),
                "t": json.dumps(watch.tags, ensure_ascii=False),
                "s": watch.seen_until,
                "id": watch.id,
            },
        )
    return Edited(watch, restarted)
