"""What arXiv says about the IDs and titles a list names, asked once and kept in the user's database.

Lookups are batched like `import-list` (100 IDs per request, arXiv's spacing, the client's retries), so N
IDs cost ceil(N/100) requests, and every answer, "no such paper" included, goes to the `arxiv_record` table
in one transaction: a second run within ARXIV_CACHE_DAYS asks nothing. Two more kinds of question are asked
only where a finding needs them, within budgets: a title search for the ID a wrong title belongs to (or
the arXiv page of a paper linked as a PDF copy), and the titles of earlier versions when the list's title
is not arXiv's current one. A version's metadata never changes, so those answers are kept under the
versioned ID ("2308.16137v1") with no expiry; bare IDs hold the latest version, as the table's other users
expect.

No network when offline: answers already cached are still used, nothing is asked. When arXiv cannot be
reached the run goes on with what it has and says what it could not check.
"""

from __future__ import annotations

import datetime
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkb.errors import LlmkbError, notify
from llmkb.thresholds import (
    ARXIV_CACHE_DAYS,
    ARXIV_TITLE_MATCH,
    LINT_TITLE_SEARCHES,
    LINT_VERSIONS_PER_PAPER,
)
from llmkb.titles import title_key

_VERSIONED = re.compile(r"v\d+$")
_WITHDRAWN = re.compile(r"\bwithdr[ae]wn?\b", re.IGNORECASE)


@dataclass
class ArxivFact:
    arxiv_id: str  # bare, or "IDvN" for one version's answer
    found: bool
    version: int | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    fetched_at: str = ""

    @property
    def withdrawn(self) -> bool:
        return bool(self.comment and _WITHDRAWN.search(self.comment))


@dataclass
class FactStats:
    ids: int = 0
    cached: int = 0
    requests: int = 0
    searches: int = 0
    unreachable: str | None = None  # why arXiv could not be asked, when it could not


class ArxivFacts:
    """arXiv's answers for one lint run; checks read it, only `gather` fills it."""

    def __init__(self) -> None:
        self.records: dict[str, ArxivFact] = {}
        self.versions: dict[str, ArxivFact] = {}  # "IDvN" -> that version's answer
        self.title_hits: dict[str, ArxivFact | None] = {}  # title key -> best search hit (None: searched, none)
        self.stats = FactStats()

    def record(self, arxiv_id: str) -> ArxivFact | None:
        return self.records.get(arxiv_id)

    def version_titles(self, arxiv_id: str) -> dict[int, str]:
        out = {}
        for key, fact in self.versions.items():
            bare, _, number = key.rpartition("v")
            if bare == arxiv_id and fact.found and fact.title and number.isdigit():
                out[int(number)] = fact.title
        return out

    def title_hit(self, title: str) -> ArxivFact | None:
        return self.title_hits.get(title_key(title))

    def searched(self, title: str) -> bool:
        return title_key(title) in self.title_hits


# --- the cache ----------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def _row_fact(row: Sequence) -> ArxivFact:
    arxiv_id, found, version, title, authors, published, updated, comment, journal_ref, doi, fetched_at = row
    try:
        names = json.loads(authors) if authors else []
    except ValueError:
        names = []
    return ArxivFact(
        arxiv_id, bool(found), version, title, names, published, updated, comment, journal_ref, doi, fetched_at
    )


_COLUMNS = "arxiv_id, found, version, title, authors, published, updated, comment, journal_ref, doi, fetched_at"


class Cache:
    """arxiv_record in the user's database: read with sqlite3, written in one SQLModel transaction."""

    def __init__(self, db: Path | None, max_age_days: float = ARXIV_CACHE_DAYS) -> None:
        self.db = db
        self.max_age_days = max_age_days  # 0: every cached answer is asked again
        self.cutoff = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=max_age_days)).replace(
            microsecond=0
        )
        self.pending: dict[str, ArxivFact] = {}
        self._conn: sqlite3.Connection | None = None
        self._usable = db is not None and db.exists()

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None and self._usable and self.db is not None:
            from llmkb.store.connection import connect

            try:
                self._conn = connect(self.db)
            except LlmkbError as exc:
                notify(f"arXiv answers cached in {self.db} not used: {exc}")
                self._usable = False
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def read(self, keys: Sequence[str], *, expire: bool = True) -> dict[str, ArxivFact]:
        conn = self._connection()
        if conn is None or not keys:
            return {}
        found: dict[str, ArxivFact] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"SELECT {_COLUMNS} FROM arxiv_record WHERE arxiv_id IN ({marks})", chunk):
                fact = _row_fact(row)
                if expire and (self.max_age_days <= 0 or not _fresh(fact.fetched_at, self.cutoff)):
                    continue
                found[fact.arxiv_id] = fact
        return found

    def by_title(self, titles: Iterable[str]) -> dict[str, ArxivFact]:
        """Cached papers (bare IDs, any age) whose title has the same key as one of `titles`."""
        conn = self._connection()
        wanted = {title_key(t) for t in titles}
        if conn is None or not wanted:
            return {}
        hits: dict[str, ArxivFact] = {}
        for row in conn.execute(f"SELECT {_COLUMNS} FROM arxiv_record WHERE found = 1 AND title IS NOT NULL"):
            fact = _row_fact(row)
            if _VERSIONED.search(fact.arxiv_id):
                continue  # a versioned answer: an old title must not stand for the paper
            key = title_key(fact.title or "")
            if key in wanted:
                hits.setdefault(key, fact)
        return hits

    def keep(self, fact: ArxivFact) -> None:
        self.pending[fact.arxiv_id] = fact

    def write(self) -> None:
        if not self.pending or self.db is None:
            return
        from llmkb.store.schema import ArxivRecord
        from llmkb.store.write_session import write_session

        self.close()
        try:
            with write_session(self.db) as session:
                for fact in self.pending.values():
                    session.merge(
                        ArxivRecord(
                            arxiv_id=fact.arxiv_id,
                            found=fact.found,
                            version=fact.version,
                            title=fact.title,
                            authors=json.dumps(fact.authors, ensure_ascii=False),
                            published=fact.published,
                            updated=fact.updated,
                            comment=fact.comment,
                            journal_ref=fact.journal_ref,
                            doi=fact.doi,
                            fetched_at=fact.fetched_at or _now(),
                        )
                    )
        except LlmkbError as exc:
            notify(f"arXiv's answers could not be kept in {self.db}: {exc}")
        self.pending.clear()


def _fresh(fetched_at: str, cutoff: datetime.datetime) -> bool:
    try:
        when = datetime.datetime.fromisoformat(fetched_at)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when >= cutoff


# --- asking arXiv ------------------------------------------------------------------------------------------


def _fact(paper, key: str | None = None) -> ArxivFact:
    return ArxivFact(
        arxiv_id=key or paper.arxiv_id,
        found=True,
        version=paper.version,
        title=paper.title,
        authors=list(paper.authors),
        published=paper.published,
        updated=paper.updated,
        comment=paper.comment,
        journal_ref=paper.journal_ref,
        doi=paper.doi,
        fetched_at=_now(),
    )


def gather_ids(facts: ArxivFacts, cache: Cache, ids: Sequence[str], *, offline: bool) -> None:
    """arXiv's record for every ID: cached ones from the cache, the rest in batches of 100."""
    wanted = list(dict.fromkeys(ids))
    facts.stats.ids = len(wanted)
    cached = cache.read(wanted)
    facts.records.update(cached)
    facts.stats.cached = len(cached)
    missing = [i for i in wanted if i not in cached]
    if offline or not missing or facts.stats.unreachable:
        if offline and missing:
            facts.records.update(cache.read(missing, expire=False))  # stale, but better than nothing offline
        return
    from llmkb.arxiv.client import ArxivFetchError, fetch_by_ids

    def count_request(_url: str) -> None:
        facts.stats.requests += 1

    try:
        for batch in fetch_by_ids(missing, on_request=count_request):
            for paper in batch.papers:
                fact = _fact(paper)
                facts.records[paper.arxiv_id] = fact
                cache.keep(fact)
            for absent in [*batch.not_found, *batch.invalid]:
                fact = ArxivFact(absent, found=False, fetched_at=_now())
                facts.records[absent] = fact
                cache.keep(fact)
    except ArxivFetchError as exc:
        facts.stats.unreachable = exc.reason
    except LlmkbError as exc:  # a setting out of range, a refused redirect
        facts.stats.unreachable = str(exc)


def gather_titles(facts: ArxivFacts, cache: Cache, titles: Sequence[str], *, offline: bool) -> None:
    """The arXiv paper each title names, when arXiv's title search finds one close enough."""
    wanted = [t for t in dict.fromkeys(titles) if title_key(t) and title_key(t) not in facts.title_hits]
    if not wanted:
        return
    for key, fact in cache.by_title(wanted).items():
        facts.title_hits[key] = fact
    remaining = [t for t in wanted if title_key(t) not in facts.title_hits]
    if offline or facts.stats.unreachable:
        return
    from llmkb.arxiv.client import ArxivFetchError

    for title in remaining[: max(LINT_TITLE_SEARCHES - facts.stats.searches, 0)]:
        facts.stats.searches += 1
        try:
            hits = _search(title)
        except ArxivFetchError as exc:
            facts.stats.unreachable = exc.reason
            return
        except LlmkbError:
            facts.title_hits[title_key(title)] = None  # arXiv refused the query: nothing to suggest
            continue
        best = _best_hit(title, hits)
        facts.title_hits[title_key(title)] = best
        if best is not None:
            facts.records.setdefault(best.arxiv_id, best)
            cache.keep(best)


def _search(title: str) -> list:
    """arXiv's hits for a title: the client's phrase and all-words queries, then, for a long title that
    found nothing, its first words only, since a list's slip in one word ("effective" for "optimal") defeats
    both. Hits are only taken if the whole title is close (`_best_hit`)."""
    from llmkb.arxiv.client import search, search_title

    hits = search_title(title, limit=5)
    words = re.sub(r"[^\w\s-]+", " ", title).split()
    if hits or len(words) < 8:
        return hits
    head = words[: len(words) // 2 + 1]
    return [paper for page in search(" AND ".join(f"ti:{w}" for w in head), 5) for paper in page]


def _best_hit(title: str, hits) -> ArxivFact | None:
    from rapidfuzz import fuzz

    key = title_key(title)
    scored = [(fuzz.ratio(key, title_key(h.title)), h) for h in hits if h.title]
    scored = [(score, h) for score, h in scored if score >= ARXIV_TITLE_MATCH]
    if not scored:
        return None
    return _fact(max(scored, key=lambda pair: pair[0])[1])


def gather_versions(facts: ArxivFacts, cache: Cache, latest: dict[str, int], *, offline: bool) -> None:
    """The titles of earlier versions (v1 .. latest-1, at most LINT_VERSIONS_PER_PAPER) of some papers."""
    keys = [
        f"{arxiv_id}v{n}" for arxiv_id, last in latest.items() for n in range(1, min(last, LINT_VERSIONS_PER_PAPER + 1))
    ]
    if not keys:
        return
    facts.versions.update(cache.read(keys, expire=False))
    missing = [k for k in keys if k not in facts.versions]
    if offline or not missing or facts.stats.unreachable:
        return
    try:
        for key, paper in _fetch_versions(missing, facts):
            fact = _fact(paper, key) if paper is not None else ArxivFact(key, found=False, fetched_at=_now())
            facts.versions[key] = fact
            cache.keep(fact)
    except LlmkbError as exc:
        facts.stats.unreachable = str(exc)


def _fetch_versions(keys: list[str], facts: ArxivFacts):
    """(versioned ID, paper or None) for each key, 100 per request.

    The client's `fetch_by_ids` asks for the latest version of each ID by design, so the versioned query
    goes through its transport: the same spacing, timeout, retries and redirect rules.
    """
    import arxiv

    from llmkb.arxiv.client import BATCH_SIZE, _papers, _Rejected, _transport, _waits

    def count_request(_url: str) -> None:
        facts.stats.requests += 1

    transport = _transport(count_request)
    waits = _waits(transport.settings, None, None)
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        try:
            results = transport.fetch(arxiv.Search(id_list=chunk), 0, len(chunk), waits)
        except _Rejected:
            yield from ((key, None) for key in chunk)
            continue
        by_key = {}
        for paper in _papers(results):
            by_key[f"{paper.arxiv_id}v{paper.version}"] = paper
        for key in chunk:
            yield key, by_key.get(key)


class Session:
    """A lint run's conversation with arXiv: asked in rounds (IDs, then titles and versions the first
    answers call for), written to the cache once at the end."""

    def __init__(self, db: Path | None, *, offline: bool, max_age_days: float = ARXIV_CACHE_DAYS) -> None:
        self.offline = offline
        self.facts = ArxivFacts()
        self.cache = Cache(db, max_age_days)

    def ids(self, ids: Sequence[str]) -> None:
        gather_ids(self.facts, self.cache, ids, offline=self.offline)

    def titles(self, titles: Sequence[str]) -> None:
        gather_titles(self.facts, self.cache, titles, offline=self.offline)

    def versions(self, latest: dict[str, int]) -> None:
        gather_versions(self.facts, self.cache, latest, offline=self.offline)

    def finish(self) -> ArxivFacts:
        self.cache.close()
        if not self.offline:
            self.cache.write()
        return self.facts
