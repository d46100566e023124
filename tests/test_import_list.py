"""`llmkb import-list`: files and URLs, counts, idempotence, warnings, and all-or-nothing writes."""

from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import LISTS, ROOT
from llmkb.awesome_list.source import raw_url

PRUNING_LIST = LISTS / "003_852aa6be1788eed6.txt"
OVERVIEW_LIST = LISTS / "002_a4a4b4dee48e642a.txt"


def summary(result) -> dict:
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    return report


def test_import_counts_and_reimport_changes_nothing(cli, db_path):
    first = summary(cli("import-list", str(OVERVIEW_LIST), "--format", "json"))
    assert (first["added"], first["updated"], first["unchanged"]) == (30, 0, 0)
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT * FROM paper ORDER BY id").fetchall()
    conn.close()
    second = summary(cli("import-list", str(OVERVIEW_LIST), "--format", "json"))
    assert (second["added"], second["updated"], second["unchanged"], second["tags_added"]) == (0, 0, 30, 0)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT * FROM paper ORDER BY id").fetchall() == before
    conn.close()


def test_conflicting_titles_for_one_id_are_warned(cli):
    result = cli("import-list", str(OVERVIEW_LIST))
    assert result.exit_code == 0
    assert "2203.02155 is given two titles" in result.stderr
    assert "30 papers" in result.stdout


def test_document_title_is_a_topic_and_short_names_are_searchable(cli):
    cli("import-list", str(PRUNING_LIST))
    assert len(cli("search", "-t", "pruning", "--format", "ids").stdout.split()) == 5
    cli("import-list", str(OVERVIEW_LIST))
    found = json.loads(cli("search", "slicegpt", "--format", "json").stdout)
    assert found[0]["short_name"] == "SLICEGPT"
    assert found[0]["tags"] == ["compression/pruning"]


def test_paper_in_two_sections_gets_both_tags(cli):
    cli("import-list", str(LISTS / "000_34b8ae8875d9948c.txt"))
    record = json.loads(cli("show", "2310.01334", "--format", "json").stdout)
    assert record["tags"] == ["model-compression/low-rank-decomposition", "model-compression/pruning"]
    assert {"kind": "code", "url": "https://github.com/UNITES-Lab/MC-SMoE"} in record["links"]
    assert record["venue"] == "arXiv" and record["year"] == 2024


def test_extra_tags_apply_to_every_paper(cli):
    cli("import-list", str(PRUNING_LIST), "--tag", "Reading Group")
    assert len(cli("search", "-t", "reading-group", "--format", "ids").stdout.split()) == 5


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "tests" / "lists").glob("*.md")))
def test_other_layouts_import_without_errors(cli, name):
    result = cli("import-list", str(ROOT / "tests" / "lists" / name), "--format", "json")
    report = summary(result)
    assert report["added"] >= 1
    assert "Traceback" not in result.stderr


def test_an_error_mid_import_leaves_the_database_as_it_was(cli, db_path, monkeypatch):
    cli("import-list", str(PRUNING_LIST))
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
    conn.close()
    import llmkb.store.papers_write as papers_write

    calls = {"n": 0}
    real = papers_write.TagCache.id_for

    def interrupted(self, name):  # every paper's tags are looked up: the 10th paper's write is interrupted
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt
        return real(self, name)

    monkeypatch.setattr(papers_write.TagCache, "id_for", interrupted)
    assert cli("import-list", str(OVERVIEW_LIST)).exit_code != 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM paper").fetchone()[0] == before
    conn.close()
    assert cli("db", "check").exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x00\x01\x02binary", "not a text file"),
    ],
)
def test_unreadable_input_is_one_line(cli, tmp_path, content, message):
    path = tmp_path / "list.md"
    if content is not None:
        path.write_bytes(content)
    result = cli("import-list", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_github_blob_urls_mean_the_raw_file():
    assert raw_url("https://github.com/a/awesome/blob/main/README.md") == (
        "https://raw.githubusercontent.com/a/awesome/main/README.md"
    )
    assert raw_url("https://example.org/list.md") == "https://example.org/list.md"


@pytest.fixture
def list_server():
    body = PRUNING_LIST.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/list.md":
                self.send_response(200)
                self.send_header("Content-Type", "text/markdown; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_import_from_url(cli, list_server):
    report = summary(cli("import-list", f"{list_server}/list.md", "--format", "json"))
    assert report["added"] == 5
    missing = cli("import-list", f"{list_server}/nothing.md")
    assert missing.exit_code == 1
    assert "HTTP 404" in missing.stderr
