"""Reading status: where each paper stands for its reader (`llmkb mark`, `llmkb queue`, `search --status`).

A status is one of `llmkb.query.STATUSES` with the time it was set (`paper.status_at`, UTC), so the queue
can list what has waited longest and an export can ask for what was kept this week. Saved queries
(`llmkb.watch`) give the papers they bring in the status `new`; triage turns that into `to-read` or
`dismissed`. Setting the status a paper already has keeps its date: marking a paper read twice does not
make it look recently read.

Reads use the plain `sqlite3` connection; each write is one transaction, and every ID is resolved before
it starts, so a typo in the fifth of ten IDs changes nothing.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkb.errors import AmbiguousPaper, PaperNotFound, UsageError
from llmkb.query import STATUSES

CLEAR = ("none", "clear")
"""Words that remove a status instead of setting one."""

_ALIASES = {"toread": "to-read", "unread": "to-read", "todo": "to-read"}


def checked_status(text: str) -> str | None:
    """A typed status as stored (`To Read` -> `to-read`); None for a word in CLEAR."""
    wanted = text.strip().casefold().replace("_", "-").replace(" ", "-")
    wanted = _ALIASES.get(wanted, wanted)
    if wanted in CLEAR:
        return None
    if wanted not in STATUSES:
        raise UsageError(f"a reading status is one of {', '.join(STATUSES)} (or none to clear it), not {text!r}")
    return wanted


def ids_from_lines(lines: Iterable[str]) -> Iterator[str]:
    """Paper IDs from standard input: one a line, or the first column of tab-separated lines (what `search`,
    `feed` and `queue` print into a pipe). Blank lines and `#` comments are skipped."""
    for raw in lines:
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line.split("\t", 1)[0].strip()


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def resolve(conn: sqlite3.Connection, refs: Sequence[str]) -> list[int]:
    """The row IDs `refs` name, in order and without repeats; PaperNotFound naming every ref that fails."""
    from llmkb.lookup import find_paper_id

    found: list[int] = []
    problems: list[str] = []
    for ref in refs:
        try:
            found.append(find_paper_id(conn, ref))
        except (PaperNotFound, AmbiguousPaper) as exc:
            problems.append(str(exc))
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise PaperNotFound("; ".join(problems[:3]) + more + "; nothing was changed")
    return list(dict.fromkeys(found))


@dataclass
class StatusChange:
    status: str | None  # None: cleared
    changed: list[str] = field(default_factory=list)  # paper IDs as a user sees them
    unchanged: list[str] = field(default_factory=list)  # already had this status
    at: str = ""


def set_status(db: Path, conn: sqlite3.Connection, refs: Sequence[str], status: str | None) -> StatusChange:
    """Gives every paper `refs` name the status (None clears it), in one transaction."""
    if not refs:
        raise UsageError("name at least one paper (an ID, kb-N or a title; - reads IDs from standard input)")
    rowids = resolve(conn, refs)
    change = StatusChange(status, at=now_iso())
    # the write stack for this write only: `queue` and `resolve` serve read commands
    from sqlalchemy import text

    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session

    with write_session(db) as session:
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            marks = ", ".join(f":p{i}" for i in range(len(chunk)))
            params = {f"p{i}": rowid for i, rowid in enumerate(chunk)}
            rows = session.execute(text(f"SELECT id, arxiv_id, status FROM paper WHERE id IN ({marks})"), params)
            current = {row[0]: (paper_ref(row[1], row[0]), row[2]) for row in rows}
            if len(current) < len(chunk):  # deleted since it was looked up: roll everything back
                raise PaperNotFound("a paper was deleted while it was being marked; nothing was changed")
            to_change = {rowid for rowid in chunk if current[rowid][1] != status}
            for rowid in chunk:
                (change.changed if rowid in to_change else change.unchanged).append(current[rowid][0])
            if to_change:
                session.execute(
                    text("UPDATE paper SET status = :status, status_at = :at WHERE id = :id"),
                    [
                        {"status": status, "at": change.at if status else None, "id": rowid}
                        for rowid in sorted(to_change)
                    ],
                )
    return change


def queue(conn: sqlite3.Connection, *, status: str = "to-read", limit: int | None = None) -> list[int]:
    """Papers with `status`, the longest waiting first (answered from the (status, status_at) index)."""
    sql = "SELECT id FROM paper WHERE status = ? ORDER BY status_at ASC, id ASC LIMIT ?"
    return [row[0] for row in conn.execute(sql, (status, -1 if limit is None else limit))]
