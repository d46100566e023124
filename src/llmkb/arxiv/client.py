"""Fetching paper metadata from the arXiv API, robust to what the API really does.

The `arxiv` package (4.x) builds the queries, pages and parses the Atom feed; this module supplies what it
lacks for bulk imports: an HTTP timeout, retries with backoff only where a retry can help (timeouts, dropped
connections, 5xx, 429 with Retry-After, bodies that are not a complete feed), isolation of the ID arXiv
rejects with HTTP 400 (it fails the whole batch for one ID), and batches of exactly 100 IDs per request.
No database access here: callers store each yielded batch before the next request is made.

Settings come from the environment at call time: LLMKB_ARXIV_URL (query endpoint), LLMKB_ARXIV_DELAY
(seconds between requests, arXiv asks for 3), LLMKB_ARXIV_RETRIES, LLMKB_ARXIV_BACKOFF (first backoff,
doubled per retry), LLMKB_ARXIV_TIMEOUT (seconds per HTTP request), LLMKB_ARXIV_MAX_WAIT (seconds an import
may spend waiting to retry, in all). Each has a sane range; a value outside it is a UsageError.

Waiting is bounded and never silent: one wait is at most MAX_RETRY_AFTER seconds whatever Retry-After says,
every wait is announced to `on_wait(seconds, reason)` (default: a note through `llmkb.errors.notify`), and
`max_wait` bounds their sum, after which the import stops with what it fetched kept. A server that refuses
connections or a host that does not resolve (no network) is retried at most once, after at most a second.
Redirects are followed only to http(s), never from a public address to a private one, and one to another
host is announced (`llmkb.network`).
"""

from __future__ import annotations

import email.utils
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import arxiv
import requests
from lxml import etree

from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id
from llmkb.errors import NetworkError, UsageError, notify
from llmkb.network import crosses_hosts, failure_reason, is_unreachable, note_redirect, redirect_refusal

__all__ = [
    "BATCH_SIZE",
    "ArxivFetchError",
    "BatchOutcome",
    "FetchedPaper",
    "Settings",
    "canonical_id",
    "fetch_by_ids",
    "requests_needed",
    "search",
    "search_title",
]

DEFAULT_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 100
SEARCH_PAGE_SIZE = 100
# The longest single wait, whatever Retry-After or the backoff say: an import should fail visibly (or be
# bounded by max_wait) rather than sleep for minutes in silence.
MAX_RETRY_AFTER = 60.0
# Connection refused, unknown host, no route: retried at most this often, after at most this long.
UNREACHABLE_RETRIES = 1
UNREACHABLE_BACKOFF = 1.0
MAX_REDIRECTS = 5
# Waits shorter than this are not announced by default (backoffs of a fraction of a second are noise).
ANNOUNCED_WAIT = 1.0

WaitHook = Callable[[float, str], None]

# The arxiv package logs skipped entries at WARNING; without a handler Python would print them to stderr.
logging.getLogger("arxiv").addHandler(logging.NullHandler())

SORTS = {
    "relevance": arxiv.SortCriterion.Relevance,
    "submitted": arxiv.SortCriterion.SubmittedDate,
    "updated": arxiv.SortCriterion.LastUpdatedDate,
}


@dataclass
class FetchedPaper:
    arxiv_id: str
    version: int | None
    title: str
    abstract: str
    authors: list[str]
    published: str | None
    updated: str | None
    primary_category: str | None
    categories: list[str]
    comment: str | None
    journal_ref: str | None
    doi: str | None
    links: list[dict[str, str]] = field(default_factory=list)
    # the first version's submission time, UTC to the second ("2024-03-06T18:59:59Z"): arXiv sorts by it,
    # and saved queries (`llmkb.watch`) remember up to which one they have read
    published_at: str | None = None


@dataclass
class BatchOutcome:
    papers: list[FetchedPaper] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    # Rejected by arXiv itself (HTTP 400) although the local parser accepted them.
    invalid: list[str] = field(default_factory=list)


class ArxivFetchError(NetworkError):
    """arXiv could not be reached after every retry; `unfetched` lists the IDs never answered."""

    def __init__(self, reason: str, unfetched: Sequence[str] = ()):
        self.reason = reason
        self.unfetched = list(unfetched)
        message = reason
        if self.unfetched:
            shown = ", ".join(self.unfetched[:20])
            more = f" and {len(self.unfetched) - 20} more" if len(self.unfetched) > 20 else ""
            message = f"{reason}; not fetched: {shown}{more}"
        super().__init__(message)


# --- settings -------------------------------------------------------------------------------------------


# name -> (lowest, highest) accepted value
LIMITS = {
    "LLMKB_ARXIV_DELAY": (0.0, 60.0),
    "LLMKB_ARXIV_RETRIES": (0, 10),
    "LLMKB_ARXIV_BACKOFF": (0.0, 60.0),
    "LLMKB_ARXIV_TIMEOUT": (0.01, 600.0),
    "LLMKB_ARXIV_MAX_WAIT": (0.0, 86400.0),
}


@dataclass(frozen=True)
class Settings:
    url: str = DEFAULT_URL
    delay: float = 3.0
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 30.0
    max_wait: float | None = None  # seconds of waiting to retry allowed per import; None: no total limit

    @classmethod
    def from_env(cls) -> Settings:
        max_wait = _env_number("LLMKB_ARXIV_MAX_WAIT", -1.0)
        return cls(
            url=os.environ.get("LLMKB_ARXIV_URL") or DEFAULT_URL,
            delay=_env_number("LLMKB_ARXIV_DELAY", cls.delay),
            retries=int(_env_number("LLMKB_ARXIV_RETRIES", cls.retries, integer=True)),
            backoff=_env_number("LLMKB_ARXIV_BACKOFF", cls.backoff),
            timeout=_env_number("LLMKB_ARXIV_TIMEOUT", cls.timeout),
            max_wait=None if max_wait < 0 else max_wait,
        )


def _env_number(name: str, default: float, *, integer: bool = False) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    low, high = LIMITS[name]
    kind = "a whole number" if integer else "a number of seconds"
    try:
        value = int(raw.strip()) if integer else float(raw)
    except ValueError:
        raise UsageError(f"{name}={raw[:40]!r} is not {kind} (from {low:g} to {high:g})") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise UsageError(f"{name}={raw[:40]!r} is out of range: give {kind} from {low:g} to {high:g}")
    return value


def check_max_wait(value: float | None) -> float | None:
    """A `max_wait` given in code or on the command line, checked like LLMKB_ARXIV_MAX_WAIT."""
    if value is None:
        return None
    low, high = LIMITS["LLMKB_ARXIV_MAX_WAIT"]
    if not math.isfinite(value) or not low <= value <= high:
        raise UsageError(f"the longest wait for arXiv must be from {low:g} to {high:g} seconds, not {value:g}")
    return float(value)


def requests_needed(id_count: int) -> int:
    return math.ceil(id_count / BATCH_SIZE)


def canonical_id(text: str) -> str:
    """The bare ID as arXiv itself spells it (the parser already drops versions and old-style subject
    classes: math.GT/0309136v2 -> math/0309136)."""
    return parse_arxiv_id(text).id


# --- transport ------------------------------------------------------------------------------------------


class _IncompleteFeed(Exception):
    """A 200 answer whose body is not a whole Atom feed (cut off, an HTML error page, empty)."""


_ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"


def _is_complete_feed(body: bytes) -> bool:
    # The arxiv package parses with recover=True, which turns a truncated body into a shorter feed;
    # a strict parse first tells a cut-off answer from a short one.
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return False
    return root is not None and root.tag == _ATOM_FEED


class _FeedSession(requests.Session):
    """The session the arxiv Client sends through: adds the timeout it lacks, keeps the last response
    (for Retry-After) and refuses incomplete feeds before the lenient parser sees them."""

    def __init__(self, timeout: float, on_request: Callable[[str], None] | None = None):
        super().__init__()
        self.timeout = timeout
        self.on_request = on_request
        self.on_redirect: Callable[[str, str], None] | None = None
        self.last_response: requests.Response | None = None

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout or None)
        kwargs["allow_redirects"] = False  # followed below, each one checked
        self.last_response = None
        if self.on_request is not None:
            self.on_request(url)
        response = super().request(method, url, *args, **kwargs)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if not response.is_redirect:
                break
            target = urljoin(current, response.headers["location"])
            response.close()
            why = redirect_refusal(url, target) if _hop < MAX_REDIRECTS else f"more than {MAX_REDIRECTS} redirects"
            if why is not None:
                raise _RedirectRefused(f"arXiv's address {url} redirected to {target}, which was not followed: {why}")
            if crosses_hosts(current, target):
                (self.on_redirect or note_redirect)(current, target)
            current = target
            response = super().request(method, target, *args, **kwargs)
        self.last_response = response
        if response.status_code == 200 and not _is_complete_feed(response.content):
            raise _IncompleteFeed(f"incomplete feed from {url}")
        return response


class _RedirectRefused(Exception):
    """The endpoint redirected somewhere a fetch must not go."""


class _Waits:
    """The waits of one import: each announced, their sum bounded by `max_wait`."""

    def __init__(self, on_wait: WaitHook | None, max_wait: float | None):
        self.on_wait = on_wait
        self.max_wait = max_wait
        self.waited = 0.0

    def wait(self, seconds: float, reason: str) -> None:
        if self.max_wait is not None and self.waited + seconds > self.max_wait:
            raise ArxivFetchError(
                f"{reason}; stopped instead of waiting {seconds:g} s more: the limit on waiting for arXiv is "
                f"{self.max_wait:g} s (LLMKB_ARXIV_MAX_WAIT)"
            )
        if seconds > 0:
            (self.on_wait or _announce_wait)(seconds, reason)
        self.waited += seconds
        _sleep(seconds)


def _announce_wait(seconds: float, reason: str) -> None:
    if seconds >= ANNOUNCED_WAIT:
        notify(f"waiting {seconds:g} s before asking arXiv again: {reason}")


class _Transport:
    """One arxiv Client per endpoint and settings, reused so the delay between requests holds across
    calls in one process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        client = arxiv.Client(page_size=BATCH_SIZE, delay_seconds=settings.delay, num_retries=0)
        endpoint = settings.url.replace("{", "{{").replace("}", "}}")
        client.query_url_format = endpoint + ("&" if "?" in endpoint else "?") + "{}"
        self.session = _FeedSession(settings.timeout)
        # arxiv 4.x has no public way to pass a session; its requests all go through this attribute.
        client._session = self.session
        self.client = client

    def fetch(self, search: arxiv.Search, offset: int, count: int, waits: _Waits) -> list[arxiv.Result]:
        """Up to `count` results from `offset`, retried per the settings; raises _Rejected on HTTP 400
        and ArxivFetchError (without IDs) once retries or the waiting budget are exhausted."""
        s = self.settings
        attempt = 0
        while True:
            self.client.page_size = count
            search.max_results = offset + count
            retries, longest = s.retries, MAX_RETRY_AFTER
            try:
                return list(self.client.results(search, offset=offset))
            except arxiv.HTTPError as err:
                if err.status == 400:
                    raise _Rejected(self._error_summary()) from None
                if err.status != 429 and err.status < 500:
                    raise ArxivFetchError(f"arXiv answered HTTP {err.status} for {err.url}") from None
                reason = f"arXiv answered HTTP {err.status}"
                wait, asked = _retry_after(self.session.last_response)
                if asked is not None and asked > MAX_RETRY_AFTER:
                    reason += f" and asked to wait {asked:g} s (llmkb waits at most {MAX_RETRY_AFTER:g} s at once)"
            except requests.Timeout:
                reason, wait = f"arXiv did not answer within {s.timeout:g} s", None
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as err:
                reason, wait = f"cannot reach arXiv at {s.url}: {failure_reason(err)}", None
                if is_unreachable(err):  # no network, nothing listening: retrying for long cannot help
                    retries, longest = min(retries, UNREACHABLE_RETRIES), UNREACHABLE_BACKOFF
            except (_IncompleteFeed, arxiv.UnexpectedEmptyPageError):
                reason, wait = "arXiv sent an incomplete answer", None
            except _RedirectRefused as err:
                raise ArxivFetchError(str(err)) from None
            except requests.RequestException as err:
                raise ArxivFetchError(f"cannot query arXiv at {s.url}: {failure_reason(err)}") from None
            if attempt >= retries:
                tries = "try" if attempt == 0 else "tries"
                raise ArxivFetchError(f"{reason} (gave up after {attempt + 1} {tries})")
            if wait is None:
                wait = s.backoff * (2**attempt)
            attempt += 1
            waits.wait(min(wait, longest), reason)

    def _error_summary(self) -> str:
        response = self.session.last_response
        if response is not None:
            m = re.search(rb"<summary>([^<]{1,200})</summary>", response.content)
            if m:
                return m.group(1).decode("utf-8", "replace").strip()
        return "rejected by arXiv (HTTP 400)"


class _Rejected(Exception):
    """HTTP 400: arXiv refuses the query as a whole."""


def _sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def _retry_after(response: requests.Response | None) -> tuple[float | None, float | None]:
    """(the wait to use, the wait asked for) from a Retry-After header; (None, None) without one."""
    raw = response.headers.get("Retry-After") if response is not None else None
    if not raw:
        return None, None
    raw = raw.strip()
    if raw.isdigit():
        asked = float(raw) if len(raw) < 16 else math.inf
    else:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, OverflowError):
            return None, None
        asked = max(when.timestamp() - time.time(), 0.0)
    return min(asked, MAX_RETRY_AFTER), asked


_current: _Transport | None = None


def _transport(
    on_request: Callable[[str], None] | None = None, on_redirect: Callable[[str, str], None] | None = None
) -> _Transport:
    global _current
    settings = Settings.from_env()
    if _current is None or _current.settings != settings:
        if _current is not None:
            _current.session.close()
        _current = _Transport(settings)
    _current.session.on_request = on_request
    _current.session.on_redirect = on_redirect
    return _current


def _waits(settings: Settings, on_wait: WaitHook | None, max_wait: float | None) -> _Waits:
    return _Waits(on_wait, check_max_wait(max_wait) if max_wait is not None else settings.max_wait)


# --- results --------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", text).strip()
    return cleaned or None


def _to_paper(result: arxiv.Result) -> FetchedPaper | None:
    try:
        parsed = parse_arxiv_id(result.get_short_id())
    except InvalidArxivId:
        return None  # error entries and anything else that is not a paper
    links = [{"kind": "pdf", "url": result.pdf_url}] if result.pdf_url else []
    links += [{"kind": "doi", "url": link.href} for link in result.links if link.title == "doi"]
    return FetchedPaper(
        arxiv_id=parsed.id,
        version=parsed.version,
        title=_clean(result.title) or "",
        abstract=_clean(result.summary) or "",
        authors=[name for a in result.authors if (name := _clean(a.name))],
        published=result.published.date().isoformat() if result.published else None,
        updated=result.updated.date().isoformat() if result.updated else None,
        primary_category=result.primary_category or None,
        categories=list(dict.fromkeys(result.categories)),
        comment=_clean(result.comment),
        journal_ref=_clean(result.journal_ref),
        doi=_clean(result.doi),
        links=links,
        published_at=result.published.strftime("%Y-%m-%dT%H:%M:%SZ") if result.published else None,
    )


def _papers(results: list[arxiv.Result]) -> list[FetchedPaper]:
    return [paper for result in results if (paper := _to_paper(result)) is not None]


# --- by ID ----------------------------------------------------------------------------------------------


class _Exhausted(Exception):
    def __init__(self, partial: BatchOutcome, unfetched: list[str], error: ArxivFetchError):
        self.partial, self.unfetched, self.error = partial, unfetched, error


def _fetch_batch(transport: _Transport, ids: list[str], outcome: BatchOutcome, waits: _Waits) -> None:
    """Fetches `ids` into `outcome`; on HTTP 400 halves the batch until the refused IDs stand alone."""
    try:
        results = transport.fetch(arxiv.Search(id_list=ids), 0, len(ids), waits)
    except _Rejected:
        if len(ids) == 1:
            outcome.invalid.append(ids[0])
            return
        middle = len(ids) // 2
        for index, half in enumerate((ids[:middle], ids[middle:])):
            try:
                _fetch_batch(transport, half, outcome, waits)
            except _Exhausted as exhausted:
                if index == 0:
                    exhausted.unfetched.extend(ids[middle:])
                raise
        return
    except ArxivFetchError as err:
        raise _Exhausted(outcome, list(ids), err) from None
    wanted = set(ids)
    found: set[str] = set()
    for paper in _papers(results):
        if paper.arxiv_id in wanted and paper.arxiv_id not in found:
            found.add(paper.arxiv_id)
            outcome.papers.append(paper)
    outcome.not_found.extend(i for i in ids if i not in found)


def fetch_by_ids(
    ids: Sequence[str],
    *,
    on_request: Callable[[str], None] | None = None,
    on_wait: WaitHook | None = None,
    max_wait: float | None = None,
    on_redirect: Callable[[str, str], None] | None = None,
) -> Iterator[BatchOutcome]:
    """Latest metadata for each ID (any form the parser takes; versions are ignored, the newest version
    is fetched), one BatchOutcome per batch of 100 so the caller can store it before the next request.

    IDs must be valid (reject invalid ones with the parser first); duplicates are fetched once.
    `on_request(url)` is called before every HTTP request, retries included; `on_wait(seconds, reason)`
    before every wait to retry (default: a note for waits of a second or more); `on_redirect(from, to)`
    for a redirect to another host (default: a note). `max_wait` (default LLMKB_ARXIV_MAX_WAIT, else no
    limit) bounds the seconds spent waiting in all. Raises ArxivFetchError, after yielding whatever the
    failing batch did fetch, with every ID not fetched.
    """
    wanted = list(dict.fromkeys(canonical_id(i) for i in ids))
    if not wanted:
        return
    transport = _transport(on_request, on_redirect)
    waits = _waits(transport.settings, on_wait, max_wait)
    for start in range(0, len(wanted), BATCH_SIZE):
        outcome = BatchOutcome()
        try:
            _fetch_batch(transport, wanted[start : start + BATCH_SIZE], outcome, waits)
        except _Exhausted as exhausted:
            partial = exhausted.partial
            if partial.papers or partial.not_found or partial.invalid:
                yield partial
            unfetched = exhausted.unfetched + wanted[start + BATCH_SIZE :]
            raise ArxivFetchError(exhausted.error.reason, unfetched) from None
        yield outcome


# --- search ---------------------------------------------------------------------------------------------


def search(
    query: str,
    max_results: int,
    *,
    sort: str = "relevance",
    on_request: Callable[[str], None] | None = None,
    on_wait: WaitHook | None = None,
    max_wait: float | None = None,
    on_redirect: Callable[[str, str], None] | None = None,
) -> Iterator[list[FetchedPaper]]:
    """The first `max_results` hits of an arXiv search query (arXiv syntax: ti:, au:, abs:, cat:, AND),
    one page of up to 100 at a time. The hooks and `max_wait` work as in `fetch_by_ids`."""
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    if not query.strip():
        raise UsageError("the search query is empty")
    transport = _transport(on_request, on_redirect)
    waits = _waits(transport.settings, on_wait, max_wait)
    offset = 0
    while offset < max_results:
        count = min(SEARCH_PAGE_SIZE, max_results - offset)
        arxiv_search = arxiv.Search(query=query, sort_by=SORTS[sort])
        try:
            results = transport.fetch(arxiv_search, offset, count, waits)
        except _Rejected as rejected:
            raise UsageError(f"arXiv rejected the query {query!r}: {rejected}") from None
        papers = _papers(results)
        if papers:
            yield papers
        if len(results) < count:
            return
        offset += len(results)


_TITLE_NOISE = re.compile(r"[^\w\s-]+")


def search_title(title: str, limit: int = 10) -> list[FetchedPaper]:
    """Candidates for a title, best-ranked by arXiv first: the exact phrase, else all its words."""
    words = _TITLE_NOISE.sub(" ", title).split()
    if not words:
        raise UsageError("the title is empty")
    phrase = " ".join(words)
    for query in (f'ti:"{phrase}"', " AND ".join(f"ti:{w}" for w in words)):
        hits = [paper for page in search(query, limit) for paper in page]
        if hits:
            return hits
    return []
