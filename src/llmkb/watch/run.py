"""Running a watch: arXiv's newest submissions for its query, read down to where the last run stopped.

arXiv lists a query's papers newest submission first, 100 a page, 3 s apart (the client's spacing,
retries and fault handling apply unchanged). A run reads pages until it meets a paper submitted before its
boundary: `seen_until`, the newest submission time a finished run has read, less LATE_ANNOUNCEMENTS (the
first run: `days` before now). Papers the watch already brought in are skipped by ID, so overlap costs a
request at most, never a duplicate.

Resuming and concurrency follow from two rules:
- each page is stored in its own transaction (BEGIN IMMEDIATE): papers, tags, the `new` status and the
  watch's links together or not at all, and a paper's link is keyed by (watch, paper);
- `seen_until` and `last_run` move only when a run has read down to its boundary.
A run that fails half way (arXiv gives up, Ctrl-C) keeps the pages it stored and leaves `seen_until`
where it was, so the next run reads the same stretch again, skipping what is already linked, and goes on
past the point of failure. Two runs at once queue on the write lock page by page; whichever stores a
paper first adds it, the other finds it linked and skips it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.errors import LlmkbError, UsageError

if TYPE_CHECKING:
    from llmkb.arxiv.client import FetchedPaper
    from llmkb.watch.store import Watch

DEFAULT_DAYS = 7
DEFAULT_MAX = 1000
MAX_DAYS = 3650

LATE_ANNOUNCEMENTS = datetime.timedelta(days=2)
"""How far before `seen_until` a run reads again. arXiv lists papers by first submission, but announces a
paper put on hold by its moderators, or cross-listed to a category later, after papers submitted after it;
reading the last two days again catches the usual holds, for the requests two days of the query's papers
take (none beyond the first page for most watches)."""

STATUS_NEW = "new"


@dataclass
class RunResult:
    """What one watch's run did; `complete` says it read down to its boundary (and moved it)."""

    name: str
    new: list[tuple[str, str]] = field(default_factory=list)  # (ID, title) added to the knowledge base
    known: list[tuple[str, str]] = field(default_factory=list)  # already stored; now linked to the watch
    seen: int = 0  # already linked to this watch: skipped
    requests: int = 0
    complete: bool = False
    truncated: bool = False  # stopped at `max_results` before the boundary
    error: str | None = None
    seen_until: str | None = None
    boundary: str | None = None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "new": [{"id": i, "title": t} for i, t in self.new],
            "known": [{"id": i, "title": t} for i, t in self.known],
            "seen": self.seen,
            "requests": self.requests,
            "complete": self.complete,
            "truncated": self.truncated,
            "error": self.error,
            "seen_until": self.seen_until,
        }


def _stamp(when: datetime.datetime) -> str:
    """A time as arXiv's submission times are compared (`FetchedPaper.published_at`)."""
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(stamp: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def boundary_for(watch: Watch, *, days: int, now: datetime.datetime) -> str:
    """The oldest submission time this run reads down to."""
    if watch.seen_until:
        return _stamp(_parse(watch.seen_until) - LATE_ANNOUNCEMENTS)
    return _stamp(now - datetime.timedelta(days=days))


def check_limits(days: int, max_results: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days takes 1 to {MAX_DAYS}, not {days}")
    if max_results < 1:
        raise UsageError(f"--max must be at least 1, not {max_results}")


def run_watches(
    db: Path,
    watches: Sequence[Watch],
    *,
    days: int = DEFAULT_DAYS,
    max_results: int = DEFAULT_MAX,
    now: datetime.datetime | None = None,
    on_done: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Runs each watch in turn; one that fails does not stop the others (its result holds the error)."""
    check_limits(days, max_results)
    results = []
    for watch in watches:
        results.append(run_watch(db, watch, days=days, max_results=max_results, now=now))
        if on_done is not None:
            on_done(results[-1])
    return results


def run_watch(
    db: Path,
    watch: Watch,
    *,
    days: int = DEFAULT_DAYS,
    max_results: int = DEFAULT_MAX,
    now: datetime.datetime | None = None,
) -> RunResult:
    from llmkb.arxiv.client import ArxivFetchError, search

    now = now or datetime.datetime.now(datetime.UTC)
    result = RunResult(watch.name, seen_until=watch.seen_until)
    boundary = result.boundary = boundary_for(watch, days=days, now=now)
    newest = watch.seen_until
    listed = 0  # papers arXiv listed, stored or not

    def count_request(_url: str) -> None:
        result.requests += 1

    try:
        passed = False
        for page in search(watch.arxiv_query, max_results, sort="submitted", on_request=count_request):
            listed += len(page)
            recent: list[FetchedPaper] = []
            for paper in page:
                if paper.published_at is None:
                    continue
                if paper.published_at < boundary:
                    passed = True
                    break
                recent.append(paper)
            if recent:
                store_page(db, watch, recent, result)
                top = max(p.published_at for p in recent if p.published_at)
                newest = max(newest, top) if newest else top
            if passed:
                break
        result.truncated = not passed and listed >= max_results
        result.complete = True
    except (ArxivFetchError, WatchRemoved) as exc:
        result.error = str(exc)
    except UsageError as exc:  # arXiv refused the query itself (HTTP 400)
        result.error = str(exc)
    if result.complete:
        result.seen_until = finish(db, watch, newest or boundary)
    return result


class WatchRemoved(LlmkbError):
    """The watch was removed while it ran."""


def store_page(db: Path, watch: Watch, papers: Sequence[FetchedPaper], result: RunResult) -> None:
    """One page in one transaction: the papers (merged by arXiv ID, or by title into a list's paper without
    one), the watch's tags, `new` for papers not stored before, and the watch's links to them."""
    from sqlalchemy import text
    from sqlmodel import col, select

    from llmkb.arxiv.importer import fields_from_arxiv
    from llmkb.imports.report import ADDED
    from llmkb.linking.text import derive_text_links
    from llmkb.reading import now_iso
    from llmkb.store.papers_write import TagCache, add_tags, find_papers, save_paper, stored_id
    from llmkb.store.records import paper_ref
    from llmkb.store.schema import Paper
    from llmkb.store.write_session import write_session
    from llmkb.titles import title_key

    unique = list({p.arxiv_id: p for p in papers}.values())
    found_at = now_iso()
    with write_session(db) as session:
        if session.execute(text("SELECT 1 FROM watch WHERE id = :w"), {"w": watch.id}).first() is None:
            raise WatchRemoved(f"the watch {watch.name!r} was removed while it ran")
        by_id = find_papers(session, [p.arxiv_id for p in unique])
        stored_ids = [p.id for p in by_id.values()]
        marks = ", ".join(f":p{i}" for i in range(len(stored_ids)))
        linked = {
            row[0]
            for row in session.execute(
                text(f"SELECT paper_id FROM watch_paper WHERE watch_id = :w AND paper_id IN ({marks or 'NULL'})"),
                {"w": watch.id, **{f"p{i}": pid for i, pid in enumerate(stored_ids)}},
            )
        }
        keys = {title_key(p.title): p.arxiv_id for p in unique if p.arxiv_id not in by_id}
        by_title: dict[str, Paper] = {}
        if keys:
            query = select(Paper).where(col(Paper.arxiv_id).is_(None), col(Paper.title_key).in_(list(keys)))
            for row in session.exec(query.order_by(col(Paper.id))):
                by_title.setdefault(keys[row.title_key], row)
        cache = TagCache(session) if watch.tags else None
        written: list[int] = []
        links: list[dict] = []
        for fetched in unique:
            stored = by_id.get(fetched.arxiv_id) or by_title.get(fetched.arxiv_id)
            if stored is not None and stored.id in linked:
                result.seen += 1
                continue
            if stored is not None and stored.arxiv_id and _is_current(stored, fetched):
                outcome, row = "unchanged", stored
            else:
                outcome, row = save_paper(
                    session,
                    fields_from_arxiv(fetched),
                    source="arxiv",
                    authoritative=True,
                    existing=stored,
                    look_up=False,
                )
                written.append(stored_id(row))
            row_id = stored_id(row)
            if outcome == ADDED:
                row.status, row.status_at = STATUS_NEW, found_at
                session.add(row)
                result.new.append((paper_ref(row.arxiv_id, row_id), row.title))
            else:
                result.known.append((paper_ref(row.arxiv_id, row_id), row.title))
            if watch.tags:
                add_tags(session, row, watch.tags, "user", cache)
            links.append({"w": watch.id, "p": row_id, "at": found_at})
        session.flush()
        if links:
            session.execute(
                text(
                    "INSERT OR IGNORE INTO watch_paper (watch_id, paper_id, found_at, dismissed) "
                    "VALUES (:w, :p, :at, 0)"
                ),
                links,
            )
        derive_text_links(session, written)


def _is_current(stored, fetched: FetchedPaper) -> bool:
    """Stored at this version with abstract and authors: nothing to write (as `llmkb import` decides)."""
    if stored.arxiv_version is None or not stored.abstract or stored.authors in (None, "", "[]"):
        return False
    return (fetched.version or 0) <= stored.arxiv_version


def finish(db: Path, watch: Watch, newest: str) -> str:
    """Records a finished run: `seen_until` only ever moves forward (a concurrent run may have moved it), and
    not at all if the watch was edited to ask something else meanwhile (its next run starts afresh)."""
    from sqlalchemy import text

    from llmkb.reading import now_iso
    from llmkb.store.write_session import write_session

    with write_session(db) as session:
        session.execute(
            text(
                "UPDATE watch SET last_run = :now, seen_until = CASE WHEN seen_until IS NULL OR seen_until < :s "
                "THEN :s ELSE seen_until END WHERE id = :w AND query = :q AND categories = :c"
            ),
            {"now": now_iso(), "s": newest, "w": watch.id, "q": watch.query, "c": json.dumps(watch.categories)},
        )
        row = session.execute(text("SELECT seen_until FROM watch WHERE id = :w"), {"w": watch.id}).first()
    return row[0] if row else newest
