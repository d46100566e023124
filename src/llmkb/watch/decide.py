"""Triage decisions, written: keep (to-read), dismiss (for the watches that found the paper), tag.

Keeping is a reading status, so it takes a paper out of every watch's feed. Dismissing is recorded on the
watch's link (`watch_paper.dismissed`): that query never shows the paper again, because a run skips every
paper the watch is already linked to. A paper that only a watch brought in (status `new`) also gets the
status `dismissed`; a paper that was in the knowledge base before keeps the status it had.

All IDs are resolved and checked before the one transaction starts, so a typo changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkb.errors import UsageError
from llmkb.reading import now_iso, resolve
from llmkb.slugs import checked_tags
from llmkb.watch.store import get_watches

KEEP = "to-read"
_KEEPABLE = (None, "new", "dismissed")  # statuses keeping changes; to-read, reading and read stay


@dataclass
class Decisions:
    kept: list[str] = field(default_factory=list)  # now to-read
    already: list[str] = field(default_factory=list)  # kept, but already to-read, reading or read
    dismissed: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tag paths given to the kept papers

    def as_dict(self) -> dict:
        return {"kept": self.kept, "already": self.already, "dismissed": self.dismissed, "tags": self.tags}


def decide(
    db: Path,
    conn: sqlite3.Connection,
    *,
    keep: Sequence[str] = (),
    dismiss: Sequence[str] = (),
    watches: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Decisions:
    """Keeps and dismisses papers (any ID form, kb-N or title); `watches` limits dismissing to those
    watches (default: every watch that found the paper); `tags` go to the kept papers."""
    if not keep and not dismiss:
        raise UsageError("nothing to decide: give --keep ID or --dismiss ID")
    tag_paths = checked_tags(tags)
    if tag_paths and not keep:
        raise UsageError("--tag applies to the papers kept with --keep")
    keep_ids, dismiss_ids = resolve(conn, keep) if keep else [], resolve(conn, dismiss) if dismiss else []
    both = set(keep_ids) & set(dismiss_ids)
    if both:
        raise UsageError(f"{_ref(conn, min(both))} is both kept and dismissed; say one")
    scope = [w.id for w in get_watches(conn, watches)] if watches else None
    links = _links(conn, dismiss_ids, scope)
    lost = [pid for pid in dismiss_ids if not links.get(pid)]
    if lost:
        where = f"the feed of {', '.join(watches)}" if watches else "any watch's feed"
        raise UsageError(f"{_ref(conn, lost[0])} is not in {where}; nothing was changed (to stop reading it: mark)")

    from sqlalchemy import text

    from llmkb.store.papers_write import TagCache, add_tags
    from llmkb.store.records import paper_ref
    from llmkb.store.schema import Paper
    from llmkb.store.write_session import write_session

    done = Decisions(tags=tag_paths)
    at = now_iso()
    with write_session(db) as session:
        cache = TagCache(session) if tag_paths else None
        for pid in keep_ids:
            paper = session.get(Paper, pid)
            if paper is None:
                raise UsageError(f"kb-{pid} was deleted while it was being kept; nothing was changed")
            ref = paper_ref(paper.arxiv_id, pid)
            if paper.status in _KEEPABLE:
                paper.status, paper.status_at = KEEP, at
                session.add(paper)
                done.kept.append(ref)
            else:
                done.already.append(ref)
            if tag_paths:
                add_tags(session, paper, tag_paths, "user", cache)
        for pid in dismiss_ids:
            session.execute(
                text(
                    "UPDATE watch_paper SET dismissed = 1 WHERE paper_id = :p AND watch_id IN "
                    "(SELECT value FROM json_each(:w))"
                ),
                {"p": pid, "w": _json(links[pid])},
            )
            session.execute(
                text("UPDATE paper SET status = 'dismissed', status_at = :at WHERE id = :p AND status = 'new'"),
                {"p": pid, "at": at},
            )
            row = session.execute(text("SELECT arxiv_id FROM paper WHERE id = :p"), {"p": pid}).first()
            done.dismissed.append(paper_ref(row[0] if row else None, pid))
    return done


def _links(conn: sqlite3.Connection, paper_ids: Sequence[int], scope: list[int] | None) -> dict[int, list[int]]:
    """For each paper, the watches in `scope` (None: any) linked to it."""
    out: dict[int, list[int]] = {}
    for pid in paper_ids:
        rows = conn.execute("SELECT watch_id FROM watch_paper WHERE paper_id = ?", (pid,))
        out[pid] = [w for (w,) in rows if scope is None or w in scope]
    return out


def _json(values: list[int]) -> str:
    return json.dumps(values)


def _ref(conn: sqlite3.Connection, pid: int) -> str:
    from llmkb.store.records import paper_ref

    row = conn.execute("SELECT arxiv_id FROM paper WHERE id = ?", (pid,)).fetchone()
    return paper_ref(row[0] if row else None, pid)
