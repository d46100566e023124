"""Ranking a huge match on two cores gives exactly the ranking of one: the same papers in the same order."""

import sqlite3
import sys

import pytest

from llmkb import fts_top
from llmkb.store.connection import connect

WEIGHTS = "10.0, 10.0, 1.0, 3.0, 2.0, 4.0, 2.0"
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the ranking child is forked on Linux only")


def _both(conn, monkeypatch, expression, limit):
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 10**9)
    alone = fts_top.best_matches(conn, expression, WEIGHTS, limit)
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 2)
    return alone, fts_top.best_matches(conn, expression, WEIGHTS, limit)


@linux_only
@pytest.mark.parametrize("word", ["models", "language", "pruning", "quantization", "efficient"])
@pytest.mark.parametrize("limit", [1, 3, 20, 200])
def test_two_halves_rank_as_the_whole(seed_db, monkeypatch, word, limit):
    conn = connect(seed_db)
    forks = []
    fork = fts_top._rank_in_child
    monkeypatch.setattr(fts_top, "_rank_in_child", lambda *a: forks.append(1) or fork(*a))
    alone, split = _both(conn, monkeypatch, f'"{word}"', limit)
    assert split == alone
    assert alone  # every word here is in the seed
    assert forks == [1]


@linux_only
def test_a_child_that_fails_leaves_the_upper_half_to_the_parent(seed_db, monkeypatch):
    conn = connect(seed_db)
    monkeypatch.setattr(fts_top, "file_uri", lambda path, mode: "file:/nonexistent/dir/kb.sqlite?mode=ro")
    alone, split = _both(conn, monkeypatch, '"language"', 20)
    assert split == alone and len(alone) == 20


def test_no_split_below_the_threshold_or_for_every_match(seed_db, monkeypatch):
    conn = connect(seed_db)
    monkeypatch.setattr(fts_top, "_rank_in_child", lambda *a: pytest.fail("forked"))
    assert len(fts_top.best_matches(conn, '"language"', WEIGHTS, 20)) == 20  # 39 matches: below SPLIT_FROM
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 2)
    assert len(fts_top.best_matches(conn, '"language"', WEIGHTS, -1)) == 39


def test_an_in_memory_database_is_ranked_in_one_process(monkeypatch):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE paper_fts USING fts5(title, short_name, abstract, authors, note, tags, cjk)")
    conn.executemany("INSERT INTO paper_fts(rowid, title) VALUES (?, ?)", [(i, f"model {i}") for i in range(1, 6)])
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 2)
    monkeypatch.setattr(fts_top, "_rank_in_child", lambda *a: pytest.fail("forked"))
    assert sorted(fts_top.best_matches(conn, '"model"', WEIGHTS, 3)) == [1, 2, 3]


@linux_only
def test_search_on_two_cores_prints_what_it_prints_on_one(seed_cli, monkeypatch):
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 10**9)
    alone = seed_cli("search", "language models", "--format", "ids")
    monkeypatch.setattr(fts_top, "SPLIT_FROM", 2)
    split = seed_cli("search", "language models", "--format", "ids")
    assert alone.exit_code == split.exit_code == 0
    assert split.stdout == alone.stdout and len(alone.stdout.split()) == 20
