"""Hostile servers, lists and settings: every download is bounded in size (after decompression) and in
time, redirects go only where they may and are reported, arXiv waits are capped, announced and bounded in
total, and no setting or dead network produces more than one line. All servers listen on 127.0.0.1."""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from arxiv_server import Fault
from conftest import LISTS
from llmkb.arxiv import client as arxiv_client
from llmkb.arxiv.client import ArxivFetchError, fetch_by_ids
from llmkb.awesome_list import source
from llmkb.errors import NetworkError, TooLargeError, UsageError, set_notice_handler
from llmkb.network import check_redirect, redirect_refusal
from test_safety_support import one_line

SMALL_LIST = (LISTS / "003_852aa6be1788eed6.txt").read_bytes()


@pytest.fixture
def notes():
    seen: list[str] = []
    previous = set_notice_handler(seen.append)
    yield seen
    set_notice_handler(previous)


@pytest.fixture
def sleeps(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(arxiv_client, "_sleep", waits.append)
    return waits


class Server:
    """A local server whose paths are functions of the request handler; `release` ends every wait."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.release = threading.Event()
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                route = routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)  # a client that stops reading is what the limits are for

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def localhost_is_ipv4():
    """Tests that redirect to the name `localhost` need it to reach the 127.0.0.1 server."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo("localhost", None)}
    except OSError:
        addresses = set()
    if "127.0.0.1" not in addresses:
        pytest.skip("localhost does not resolve to 127.0.0.1 here")


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stop()


def _send(handler, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(location: str):
    return lambda handler: _send(handler, b"", 302, {"Location": location})


def _endless(piece: bytes):
    def route(handler):
        handler.send_response(200)
        handler.end_headers()  # no length: the body ends when the connection does (never)
        while True:
            handler.wfile.write(piece)

    return route


# --- list downloads -------------------------------------------------------------------------------------


class TestListDownloads:
    def test_endless_body_stops_at_the_size_limit(self, cli, db_path, server, monkeypatch):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "1M")
        server.routes["/endless.md"] = _endless(b"- [a paper](https://arxiv.org/abs/2401.00001)\n" * 1000)
        result = cli("import-list", server.url("/endless.md"))
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert "larger than 1 MB, the limit for a list" in line and "LLMKB_MAX_LIST_BYTES" in line
        assert not db_path.exists()

    def test_gzip_bomb_is_measured_after_decompression(self, server, monkeypatch):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "2M")
        bomb = gzip.compress(b"a" * (64 * 1024 * 1024), compresslevel=9)
        assert len(bomb) < 200 * 1024
        server.routes["/bomb.md"] = lambda h: _send(h, bomb, headers={"Content-Encoding": "gzip"})
        with pytest.raises(TooLargeError, match="larger than 2 MB once decompressed"):
            source.read_list(server.url("/bomb.md"))

    def test_compressed_list_within_the_limit_is_read(self, server):
        server.routes["/list.md"] = lambda h: _send(h, gzip.compress(SMALL_LIST), headers={"Content-Encoding": "gzip"})
        text, name = source.read_list(server.url("/list.md"))
        assert text.encode() == SMALL_LIST and name == "list.md"

    def test_a_server_that_drips_forever_meets_the_deadline(self, server, monkeypatch):
        ticks = iter(range(0, 10**6, 7))  # every look at the clock: 7 s later
        monkeypatch.setattr(source, "_clock", lambda: float(next(ticks)))
        server.routes["/drip.md"] = _endless(b"-")
        with pytest.raises(NetworkError, match=r"not finished after 120 s, the time limit for a download"):
            source.read_list(server.url("/drip.md"))

    def test_a_silent_server_times_out(self, server, monkeypatch):
        monkeypatch.setattr(source, "TIMEOUT_S", 0.3)

        def silent(handler):
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b"#")
            handler.wfile.flush()
            server.release.wait()

        server.routes["/silent.md"] = silent
        with pytest.raises(NetworkError, match=r"no answer within 0.3 s"):
            source.read_list(server.url("/silent.md"))

    def test_declared_length_over_the_limit_is_refused_before_reading(self, server, monkeypatch):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "1000")

        def huge(handler):
            handler.send_response(200)
            handler.send_header("Content-Length", str(10**12))
            handler.end_headers()
            server.release.wait()

        server.routes["/huge.md"] = huge
        with pytest.raises(TooLargeError, match="larger than 1000 bytes"):
            source.read_list(server.url("/huge.md"))


class TestRedirects:
    def test_redirect_on_the_same_host_is_followed_quietly(self, cli, server, notes):
        server.routes["/list.md"] = lambda h: _send(h, SMALL_LIST)
        server.routes["/old.md"] = _redirect("/list.md")
        result = cli("import-list", server.url("/old.md"), "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)[0]["added"] == 5
        assert not any("redirects to another host" in note for note in notes)

    def test_redirect_to_another_host_is_reported(self, server, notes, localhost_is_ipv4):
        server.routes["/list.md"] = lambda h: _send(h, SMALL_LIST)
        server.routes["/moved.md"] = _redirect(server.url("/list.md", host="localhost"))
        seen = []
        text, _name = source.read_list(server.url("/moved.md"), on_redirect=lambda a, b: seen.append((a, b)))
        assert text.encode() == SMALL_LIST
        assert seen == [(server.url("/moved.md"), server.url("/list.md", host="localhost"))]
        source.read_list(server.url("/moved.md"))
        assert notes == [f"{server.url('/moved.md')} redirects to another host: {server.url('/list.md', 'localhost')}"]

    @pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/list.md", "gopher://x/"])
    def test_redirect_to_another_scheme_is_refused(self, cli, db_path, server, location):
        server.routes["/list.md"] = _redirect(location)
        result = cli("import-list", server.url("/list.md"))
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert "refused to follow the redirect" in line and "only http and https" in line
        assert not db_path.exists()

    def test_redirect_loop_is_one_line(self, cli, server):
        server.routes["/loop.md"] = _redirect("/loop.md")
        result = cli("import-list", server.url("/loop.md"))
        assert result.exit_code == 1
        assert "more than 5 redirects" in one_line(result.stderr)

    @pytest.mark.parametrize(
        ("origin", "target", "refused"),
        [
            ("https://example.org/list.md", "https://raw.example.net/list.md", False),
            ("https://example.org/list.md", "http://127.0.0.1/admin", True),
            ("https://example.org/list.md", "http://localhost:8080/", True),
            ("https://example.org/list.md", "http://10.0.0.5/", True),
            ("https://example.org/list.md", "http://192.168.1.1/", True),
            ("https://example.org/list.md", "http://169.254.169.254/latest/meta-data/", True),
            ("https://example.org/list.md", "http://[::1]/", True),
            ("https://example.org/list.md", "http://[::ffff:127.0.0.1]/", True),
            ("https://example.org/list.md", "http://2130706433/", True),
            ("https://example.org/list.md", "http://0x7f.1/", True),
            ("https://example.org/list.md", "http://0.0.0.0/", True),
            ("https://example.org/list.md", "file:///etc/passwd", True),
            ("https://example.org/list.md", "javascript:alert(1)", True),
            ("http://127.0.0.1:8000/a.md", "http://127.0.0.1:9000/b.md", False),
            ("http://192.168.1.10/a.md", "https://example.org/b.md", False),
            ("http://localhost/a.md", "file:///etc/passwd", True),
        ],
    )
    def test_redirect_rules(self, origin, target, refused):
        assert (redirect_refusal(origin, target, resolve=False) is not None) is refused
        if refused:
            with pytest.raises(NetworkError, match="refused to follow the redirect"):
                check_redirect(origin, target, resolve=False)


class TestLocalLists:
    def test_a_huge_file_is_refused_without_reading_it(self, cli, db_path, tmp_path):
        huge = tmp_path / "huge.md"
        with open(huge, "wb") as file:
            file.truncate(50 * 1024 * 1024)  # sparse: 50 MB that cost nothing to make
        result = cli("import-list", str(huge))
        assert result.exit_code == 1
        assert one_line(result.stderr) == (
            f"error: {huge}: larger than 20 MB, the limit for a list; not read "
            "(set LLMKB_MAX_LIST_BYTES, e.g. LLMKB_MAX_LIST_BYTES=100M, for a bigger list)"
        )
        assert not db_path.exists()

    def test_the_limit_can_be_raised(self, cli, tmp_path, monkeypatch):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "100")
        path = tmp_path / "list.md"
        path.write_bytes(SMALL_LIST)
        assert cli("import-list", str(path)).exit_code == 1
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", str(len(SMALL_LIST)))
        assert cli("import-list", str(path)).exit_code == 0

    @pytest.mark.parametrize("value", ["lots", "-5", "0", "1T", "1.5M"])
    def test_a_nonsense_limit_is_a_usage_error(self, cli, tmp_path, monkeypatch, value):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", value)
        path = tmp_path / "list.md"
        path.write_bytes(SMALL_LIST)
        result = cli("import-list", str(path))
        assert result.exit_code == 2
        assert "LLMKB_MAX_LIST_BYTES" in one_line(result.stderr)

    def test_an_endless_device_is_cut_at_the_limit(self, monkeypatch):
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "64K")
        with pytest.raises(TooLargeError, match="/dev/zero: larger than 64 KB"):
            source.read_list("/dev/zero")

    def test_standard_input(self, cli, monkeypatch):
        result = cli("import-list", "-", "--format", "json", input=SMALL_LIST.decode())
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)[0]["added"] == 5
        assert json.loads(result.stdout)[0]["source"] == "stdin"
        monkeypatch.setenv("LLMKB_MAX_LIST_BYTES", "100")
        result = cli("import-list", "-", input=SMALL_LIST.decode())
        assert result.exit_code == 1
        assert "standard input: larger than 100 bytes" in one_line(result.stderr)

    def test_a_folder_and_a_missing_file(self, cli, tmp_path):
        assert "is a folder" in one_line(cli("import-list", str(tmp_path)).stderr)
        assert "no such file" in one_line(cli("import-list", "~no-such-user-llmkb/list.md").stderr)


# --- arXiv ---------------------------------------------------------------------------------------------


class TestArxivWaits:
    def test_a_huge_retry_after_is_capped_and_announced(self, arxiv_server, sleeps):
        ids = arxiv_server.add_many(2)
        arxiv_server.fail_next(Fault.http(429, retry_after="3600"))
        waited = []
        outcomes = list(fetch_by_ids(ids, on_wait=lambda seconds, reason: waited.append((seconds, reason))))
        assert [p.arxiv_id for o in outcomes for p in o.papers] == ids
        assert sleeps == [60.0]
        assert waited == [(60.0, "arXiv answered HTTP 429 and asked to wait 3600 s (llmkb waits at most 60 s at once)")]

    def test_waits_are_notes_by_default(self, arxiv_server, sleeps, notes):
        ids = arxiv_server.add_many(1)
        arxiv_server.fail_next(Fault.http(503, retry_after="5"))
        list(fetch_by_ids(ids))
        assert notes == ["waiting 5 s before asking arXiv again: arXiv answered HTTP 503"]

    def test_max_wait_stops_the_import_and_keeps_what_was_fetched(self, arxiv_server, sleeps):
        ids = arxiv_server.add_many(150)
        outcomes = fetch_by_ids(ids, max_wait=45)
        first = next(outcomes)
        arxiv_server.fail_next(Fault.http(429, retry_after="30"), Fault.http(429, retry_after="30"))
        with pytest.raises(ArxivFetchError) as raised:
            next(outcomes)
        assert len(first.papers) == 100
        assert raised.value.unfetched == ids[100:]
        assert "the limit on waiting for arXiv is 45 s" in str(raised.value)
        assert sleeps == [30.0]

    def test_max_wait_from_the_environment_in_an_import(self, cli, db_path, arxiv_server, sleeps, monkeypatch):
        monkeypatch.setenv("LLMKB_ARXIV_MAX_WAIT", "10")
        ids = arxiv_server.add_many(150)
        arxiv_server.fail_next(Fault.none(), Fault.http(429, retry_after="3600"))
        result = cli("import", *ids)
        assert result.exit_code == 1
        assert "the limit on waiting for arXiv is 10 s" in one_line(result.stderr)
        assert sleeps == []
        import sqlite3

        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT count(*) FROM paper").fetchone()[0] == 100
        conn.close()

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("LLMKB_ARXIV_RETRIES", "99999999999"),
            ("LLMKB_ARXIV_RETRIES", "-1"),
            ("LLMKB_ARXIV_RETRIES", "NaN"),
            ("LLMKB_ARXIV_RETRIES", "9" * 5000),
            ("LLMKB_ARXIV_BACKOFF", "nan"),
            ("LLMKB_ARXIV_BACKOFF", "-0.5"),
            ("LLMKB_ARXIV_TIMEOUT", "1e308"),
            ("LLMKB_ARXIV_TIMEOUT", "inf"),
            ("LLMKB_ARXIV_TIMEOUT", "0"),
            ("LLMKB_ARXIV_DELAY", "86400"),
            ("LLMKB_ARXIV_MAX_WAIT", "-1"),
        ],
    )
    def test_absurd_settings_are_one_line_and_exit_2(self, cli, arxiv_server, name, value, monkeypatch):
        monkeypatch.setenv(name, value)
        result = cli("import", "2401.00001")
        assert result.exit_code == 2
        line = one_line(result.stderr)
        assert line.startswith(f"error: {name}=") and len(line) < 200
        assert arxiv_server.request_count == 0

    def test_max_wait_argument_is_checked(self, arxiv_server):
        with pytest.raises(UsageError, match="longest wait for arXiv"):
            list(fetch_by_ids(["2401.00001"], max_wait=float("nan")))


class TestArxivUnreachable:
    def test_connection_refused_is_words_and_is_not_retried_for_long(self, cli, monkeypatch, sleeps):
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        monkeypatch.setenv("LLMKB_ARXIV_URL", f"http://127.0.0.1:{port}/api/query")
        monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "10")
        monkeypatch.setenv("LLMKB_ARXIV_BACKOFF", "30")
        result = cli("import", "2401.00001")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith(f"error: cannot reach arXiv at http://127.0.0.1:{port}/api/query: connection refused")
        for library_text in ("HTTPConnectionPool", "Max retries", "NewConnectionError", "urllib3", "Errno"):
            assert library_text not in line
        assert sleeps == [1.0]

    def test_no_name_resolution_is_words(self, monkeypatch, sleeps):
        def no_dns(*args, **kwargs):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        monkeypatch.setattr(socket, "getaddrinfo", no_dns)
        monkeypatch.setenv("LLMKB_ARXIV_URL", "https://export.arxiv.org/api/query")
        monkeypatch.setenv("LLMKB_ARXIV_DELAY", "0")
        with pytest.raises(ArxivFetchError) as raised:
            list(fetch_by_ids(["2401.00001"]))
        assert "the host name could not be resolved" in str(raised.value)
        assert len(sleeps) <= 1 and all(s <= 1.0 for s in sleeps)


class TestArxivRedirects:
    def test_redirect_to_another_host_is_followed_and_reported(
        self, arxiv_server, server, monkeypatch, notes, localhost_is_ipv4
    ):
        arxiv_port = arxiv_server.url.split(":")[2].split("/")[0]

        def moved(handler):
            query = handler.path.split("?", 1)[1]
            _send(handler, b"", 301, {"Location": f"http://localhost:{arxiv_port}/api/query?{query}"})

        server.routes["/api/query"] = moved
        monkeypatch.setenv("LLMKB_ARXIV_URL", server.url("/api/query"))
        ids = arxiv_server.add_many(1)
        seen = []
        outcomes = list(fetch_by_ids(ids, on_redirect=lambda a, b: seen.append(b)))
        assert [p.arxiv_id for o in outcomes for p in o.papers] == ids
        assert len(seen) == 1 and seen[0].startswith(f"http://localhost:{arxiv_port}/api/query?")
        list(fetch_by_ids(ids))
        assert len(notes) == 1 and "redirects to another host" in notes[0]

    def test_redirect_to_another_scheme_is_refused(self, cli, server, monkeypatch, sleeps):
        server.routes["/api/query"] = _redirect("file:///etc/passwd")
        monkeypatch.setenv("LLMKB_ARXIV_URL", server.url("/api/query"))
        result = cli("import", "2401.00001")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert "redirected to file:///etc/passwd, which was not followed" in line
        assert sleeps == []
