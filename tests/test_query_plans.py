"""No read scans every paper: the SQL each path really runs is explained, and SQLite must use an index (or the
full-text index) to reach `paper`, never read the whole table. Not timed: plans, not seconds."""

from __future__ import annotations

import sqlite3

import pytest

from kb_factory import build_small_kb
from llmkb.cli import complete
from llmkb.kb import KB
from llmkb.query import PaperQuery


@pytest.fixture
def kb(db_path):
    build_small_kb(db_path)
    with KB(db_path) as kb:
        yield kb


def _statements(kb: KB, run) -> list[str]:
    """The statements `run(kb)` executes on the read connection, with their parameters filled in."""
    seen: list[str] = []
    kb.conn.set_trace_callback(seen.append)
    try:
        run(kb)
    finally:
        kb.conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def _full_scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return [
        step
        for step in plan
        if step.startswith("SCAN")
        and ("paper " in step + " " or step.endswith(" p"))
        and "USING" not in step
        and "VIRTUAL TABLE" not in step
    ]


PATHS = {
    "listing, newest first": lambda kb: kb.search(),
    "listing, oldest first": lambda kb: kb.search(order="oldest"),
    "date range": lambda kb: kb.search(since="2023", until="2024-06"),
    "year": lambda kb: kb.search(year=2024),
    "tag": lambda kb: kb.search(tags=["pruning"]),
    "tag left out": lambda kb: kb.search(tags=["model-compression"], not_tags=["quantization"]),
    "author": lambda kb: kb.search(author="Geoffry Hinton"),
    "words": lambda kb: kb.search("quantization"),
    "a typo": lambda kb: kb.search("quantisaton"),
    "IDs": lambda kb: kb.search("2403.03853 kb-5"),
    "IDs from stdin": lambda kb: kb.search(ids=["2403.03853", "1503.02531"]),
    "show by ID": lambda kb: kb.get("2401.15024"),
    "show by title": lambda kb: kb.get("ShortGPT: Layers in Large Language Models are More Redundant"),
    "show by fuzzy title": lambda kb: kb.get("distiling knowledge neural network"),
    "status": lambda kb: kb.search(status="to-read"),
    "flagged": lambda kb: kb.search(flagged=True),
    "unverified": lambda kb: kb.search(unverified=True),
    "xref by dataset": lambda kb: kb.xref(PaperQuery(datasets=["PIQA"], limit=20)),
    "tags": lambda kb: kb.tags(),
    "dataset counts": lambda kb: kb.counts("dataset"),
}


@pytest.mark.parametrize("name", list(PATHS))
def test_no_read_scans_the_paper_table(kb, name):
    statements = _statements(kb, PATHS[name])
    assert statements, "the path ran no query at all"
    for sql in statements:
        assert _full_scans(kb.conn, sql) == [], sql


def test_the_check_itself_sees_a_full_scan(kb):
    assert _full_scans(kb.conn, "SELECT id FROM paper WHERE note LIKE '%x%'") != []


COMPLETIONS = [
    (complete.tags, "prun"),
    (complete.tags, ""),
    (complete.models, "LLaMA"),
    (complete.datasets, "PI"),
    (complete.papers, "2403.0"),
    (complete.papers, "kb-1"),
    (complete.papers, ""),
]


@pytest.mark.parametrize(("completer", "incomplete"), COMPLETIONS)
def test_completion_reads_through_indexes(kb, db_path, monkeypatch, completer, incomplete):
    """Completion runs on every Tab: prefix queries an index answers, whatever the size of the database."""
    monkeypatch.setenv("LLMKB_DB", str(db_path))
    seen: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    found = completer(None, incomplete)
    monkeypatch.setattr(sqlite3, "connect", connect)
    assert all(value.startswith(incomplete) for value, _help in found)
    assert seen, "completion ran no query"
    for sql in seen:
        plan = [row[3] for row in kb.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert _full_scans(kb.conn, sql) == [], sql
        assert not [step for step in plan if step.startswith("SCAN") and "USING" not in step], (sql, plan)
