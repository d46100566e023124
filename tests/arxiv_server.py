"""A local stand-in for the arXiv query API, with fault injection.

It answers on 127.0.0.1 the way export.arxiv.org/api/query does (Atom feed with opensearch paging,
id_list lookups, an error entry with HTTP 400 for an ID it refuses, an empty feed for an unknown ID,
searches in a subset of arXiv's query language sorted by submission or update date when asked), so the
real HTTP path of the client is exercised without network. Faults queued with `fail_next` are served one
per request before normal answers resume; `hold_until` makes concurrent clients overlap.

Use the `arxiv_server` fixture: it points LLMKB_ARXIV_URL at the server and sets the delay and backoff
to zero.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest

__all__ = ["Fault", "FakeArxiv", "FakePaper", "arxiv_server"]

_NEW_ID = re.compile(r"\d{4}\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/\d{7}")


@dataclass
class FakePaper:
    id: str
    version: int = 1
    title: str = "A paper"
    summary: str = "An abstract."
    authors: list[str] = field(default_factory=lambda: ["Ada Lovelace"])
    published: str = "2024-03-06T18:59:59Z"
    updated: str | None = None
    primary_category: str = "cs.CL"
    categories: list[str] = field(default_factory=lambda: ["cs.CL"])
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    def entry(self, version: int | None = None) -> str:
        v = version or self.version
        updated = self.updated or self.published
        parts = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{self.id}v{v}</id>",
            f"    <title>{escape(self.title)}</title>",
            f"    <updated>{updated}</updated>",
            f'    <link href="https://arxiv.org/abs/{self.id}v{v}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{self.id}v{v}" rel="related" type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(self.summary)}</summary>",
            *(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>' for c in self.categories),
            f"    <published>{self.published}</published>",
        ]
        if self.comment:
            parts.append(f"    <arxiv:comment>{escape(self.comment)}</arxiv:comment>")
        parts.append(f"    <arxiv:primary_category term={quoteattr(self.primary_category)}/>")
        if self.journal_ref:
            parts.append(f"    <arxiv:journal_ref>{escape(self.journal_ref)}</arxiv:journal_ref>")
        parts += [f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in self.authors]
        if self.doi:
            parts.append(f"    <arxiv:doi>{escape(self.doi)}</arxiv:doi>")
            parts.append(f'    <link rel="related" href="https://doi.org/{escape(self.doi)}" title="doi"/>')
        parts.append("  </entry>")
        return "\n".join(parts)


@dataclass
class Fault:
    """What to do instead of answering one request."""

    kind: str  # "status", "hang", "truncate", "drop", "none" (answer normally)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def http(cls, status: int, retry_after: str | None = None) -> Fault:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return cls("status", status, headers, f"<html><body>Error {status}</body></html>".encode())

    @classmethod
    def none(cls) -> Fault:
        """Answer this request normally (to place faults on later requests)."""
        return cls("none")

    @classmethod
    def rejected(cls, bad_id: str = "abc") -> Fault:
        return cls("status", 400, {}, _error_feed(bad_id).encode())

    @classmethod
    def hang(cls) -> Fault:
        """Never answer (until the server stops): the client's timeout must fire."""
        return cls("hang")

    @classmethod
    def truncated(cls) -> Fault:
        """Answer 200 with the real feed cut in the middle (Content-Length matches the cut body)."""
        return cls("truncate")

    @classmethod
    def dropped(cls) -> Fault:
        """Close the connection without answering."""
        return cls("drop")


_FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"'
    ' xmlns="http://www.w3.org/2005/Atom">\n'
)


def _feed(title: str, entries: list[str], total: int, start: int, per_page: int) -> str:
    return (
        _FEED_HEAD
        + "  <id>https://arxiv.org/api/fake</id>\n"
        + f"  <title>arXiv Query: {escape(title)}</title>\n"
        + "  <updated>2026-04-12T22:09:26Z</updated>\n"
        + f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(e + "\n" for e in entries)
        + "</feed>\n"
    )


def _error_feed(bad_id: str) -> str:
    anchor = f"https://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad_id)}"
    entry = (
        "  <entry>\n"
        f"    <id>{anchor}</id>\n"
        "    <title>Error</title>\n"
        "    <updated>2026-04-12T22:59:06Z</updated>\n"
        f'    <link href="{anchor}" rel="alternate" type="text/html"/>\n'
        f"    <summary>incorrect id format for {escape(bad_id)}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        "  </entry>"
    )
    return (
        _FEED_HEAD
        + "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        + "  <updated>2026-04-12T22:59:06Z</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + entry
        + "\n</feed>\n"
    )


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_TOKEN = re.compile(r'\s*(?:(\()|(\))|(?:(\w+):)?"([^"]*)"|(?:(\w+):)?([^\s()"]+))')
_OPERATORS = ("AND", "OR", "ANDNOT")


def _tokens(query: str) -> list[tuple[str, str | None, str]]:
    """("(", None, "(") / (")", None, ")") / ("op", None, "AND") / ("term", field or None, value)."""
    out: list[tuple[str, str | None, str]] = []
    pos, text = 0, query.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read the query at {text[pos:]!r}")
        pos = m.end()
        opening, closing, quoted_field, phrase, field_name, word = m.groups()
        if opening or closing:
            out.append((opening or closing, None, opening or closing))
        elif phrase is not None:
            out.append(("term", quoted_field, phrase))
        elif field_name is None and word in _OPERATORS:
            out.append(("op", None, word))
        elif word is not None:
            out.append(("term", field_name, word))
    return out


def _term_matches(paper: FakePaper, field_name: str | None, value: str) -> bool:
    field_name = field_name or "all"
    if field_name == "cat":
        return value in paper.categories
    haystack = {
        "ti": paper.title,
        "abs": paper.summary,
        "au": " ".join(paper.authors),
        "id": paper.id,
        "all": " ".join([paper.title, paper.summary, *paper.authors]),
    }.get(field_name)
    if haystack is None:
        raise ValueError(f"unknown field {field_name!r}")
    wanted, have = _words(value), _words(haystack)
    return bool(wanted) and any(have[i : i + len(wanted)] == wanted for i in range(len(have)))


def _matches(paper: FakePaper, query: str) -> bool:
    """A subset of arXiv's query language: field:term or field:"phrase", parentheses, AND, OR and ANDNOT
    (OR binds loosest)."""
    tokens = _tokens(query)
    position = 0

    def peek() -> tuple[str, str | None, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str | None, str]:
        nonlocal position
        if position >= len(tokens):
            raise ValueError("the query ends too early")
        position += 1
        return tokens[position - 1]

    def atom() -> bool:
        kind, field_name, value = take()
        if kind == "(":
            inside = either()
            if take()[0] != ")":
                raise ValueError("unbalanced parentheses")
            return inside
        if kind != "term":
            raise ValueError(f"unexpected {value!r}")
        return _term_matches(paper, field_name, value)

    def both() -> bool:
        result = atom()
        while (nxt := peek()) is not None and nxt[0] == "op" and nxt[2] in ("AND", "ANDNOT"):
            operator = take()[2]
            right = atom()
            result = result and (not right if operator == "ANDNOT" else right)
        return result

    def either() -> bool:
        result = both()
        while (nxt := peek()) is not None and nxt[0] == "op" and nxt[2] == "OR":
            take()
            result = both() or result
        return result

    result = either()
    if position != len(tokens):
        raise ValueError("unexpected text after the query")
    return result


_SORT_KEYS = {
    "submittedDate": lambda p: p.published,
    "lastUpdatedDate": lambda p: p.updated or p.published,
}


class FakeArxiv:
    """The server's state: papers, the fault queue, IDs it refuses and the log of requests."""

    def __init__(self) -> None:
        self.papers: dict[str, FakePaper] = {}
        self.refused: set[str] = set()
        self.faults: deque[Fault] = deque()
        self.requests: list[str] = []  # query strings, in arrival order
        self.held_until = 0  # requests wait until this many have arrived (see `hold_until`)
        self._lock = threading.Condition()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/query"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def start(self) -> FakeArxiv:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def add(self, *papers: FakePaper) -> None:
        for paper in papers:
            self.papers[paper.id] = paper

    def add_many(self, count: int, *, month: str = "2401", first: int = 1) -> list[str]:
        """`count` distinct new-style papers 2401.00001, 2401.00002, ...; returns their IDs."""
        ids = [f"{month}.{n:05d}" for n in range(first, first + count)]
        self.add(*(FakePaper(i, title=f"Paper number {i}", summary=f"Abstract of {i}.") for i in ids))
        return ids

    def wait_for_requests(self, count: int, timeout: float = 20.0) -> bool:
        """Block until `count` requests have arrived (for tests that act on another process)."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self.requests) >= count, timeout)

    def hold_until(self, count: int) -> None:
        """Answer no request until `count` requests have arrived (bounded by a timeout): clients that
        start together then overlap, without a test having to sleep."""
        self.held_until = count

    def searches(self) -> list[dict[str, str]]:
        """The parameters of every search request (not ID look-ups), in order."""
        out = []
        for query in self.requests:
            params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
            if params.get("search_query") and not params.get("id_list"):
                out.append(params)
        return out

    def fail_next(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def id_lists(self) -> list[list[str]]:
        """The id_list of every request, in order (empty list for a search)."""
        out = []
        for query in self.requests:
            raw = parse_qs(query).get("id_list", [""])[0]
            out.append([i for i in raw.split(",") if i])
        return out

    # -- answering --

    def answer(self, query: str) -> tuple[int, dict[str, str], bytes, Fault | None]:
        with self._lock:
            self.requests.append(query)
            fault = self.faults.popleft() if self.faults else None
            self._lock.notify_all()
            if self.held_until:
                self._lock.wait_for(lambda: len(self.requests) >= self.held_until, 20.0)
        if fault is not None and fault.kind == "status":
            return fault.status, fault.headers, fault.body, None
        if fault is not None and fault.kind in ("hang", "drop"):
            return 0, {}, b"", fault
        status, body = self._feed_for(parse_qs(query, keep_blank_values=True))
        data = body.encode("utf-8")
        if fault is not None and fault.kind == "truncate":
            data = data[: max(len(data) // 2, 1)]
        return status, {}, data, None

    def _feed_for(self, params: dict[str, list[str]]) -> tuple[int, str]:
        query = params.get("search_query", [""])[0]
        id_list = [i for i in params.get("id_list", [""])[0].split(",") if i]
        start = int(params.get("start", ["0"])[0])
        per_page = int(params.get("max_results", ["10"])[0])
        title = f"search_query={query}&id_list={','.join(id_list)}&start={start}&max_results={per_page}"
        if id_list:
            entries = []
            for raw in id_list:
                bare, version = re.fullmatch(r"(.*?)(?:v(\d+))?", raw).groups()
                if (
                    raw in self.refused
                    or bare in self.refused
                    or not (_NEW_ID.fullmatch(bare) or _OLD_ID.fullmatch(bare))
                ):
                    return 400, _error_feed(raw)
                paper = self.papers.get(bare)
                if paper is not None and (not query or _matches(paper, query)):
                    entries.append(paper.entry(int(version) if version else None))
        elif query:
            try:
                found = [p for p in self.papers.values() if _matches(p, query)]
            except ValueError:
                return 400, _error_feed(query)
            sort_key = _SORT_KEYS.get(params.get("sortBy", ["relevance"])[0])
            if sort_key is not None:  # relevance: the order papers were added
                descending = params.get("sortOrder", ["descending"])[0] != "ascending"
                found.sort(key=sort_key, reverse=descending)
            entries = [p.entry() for p in found]
        else:
            return 400, _error_feed("")
        page = entries[start : start + per_page]
        return 200, _feed(title, page, len(entries), start, per_page)


def _handler_for(state: FakeArxiv) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            if parts.path != "/api/query":
                self._send(404, {}, b"not found")
                return
            status, headers, body, fault = state.answer(parts.query)
            if fault is not None and fault.kind == "hang":
                state._release.wait(30)
                self.close_connection = True
                return
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                return
            self._send(status, headers, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def arxiv_server(monkeypatch: pytest.MonkeyPatch):
    server = FakeArxiv().start()
    monkeypatch.setenv("LLMKB_ARXIV_URL", server.url)
    monkeypatch.delenv("LLMKB_OFFLINE", raising=False)
    monkeypatch.setenv("LLMKB_ARXIV_DELAY", "0")
    monkeypatch.setenv("LLMKB_ARXIV_BACKOFF", "0")
    monkeypatch.setenv("LLMKB_ARXIV_TIMEOUT", "5")
    try:
        yield server
    finally:
        server.stop()
