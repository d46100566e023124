"""`llmkb feed`: the watches' undecided papers by day, most relevant first inside a day."""

from __future__ import annotations

import datetime
import json
import sqlite3

import pytest

from arxiv_server import FakePaper
from llmkb.arxiv import client as arxiv_client
from llmkb.watch.feed import FEED_SQL, profile_words, query_words, since_bound

NOW = datetime.datetime.now(datetime.UTC)
TODAY = NOW.date().isoformat()
YESTERDAY = (NOW.date() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    monkeypatch.setattr(arxiv_client, "_sleep", lambda _s: None)


def stamp(hours_ago: float) -> str:
    return (NOW - datetime.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def paper(number: int, hours_ago: float, title: str, summary: str, authors=("Ada Lovelace",)) -> FakePaper:
    return FakePaper(
        f"2401.{number:05d}", title=title, summary=summary, published=stamp(hours_ago), authors=list(authors)
    )


def execute(db, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        out = conn.execute(sql, params).fetchall()
        conn.commit()
        return out
    finally:
        conn.close()


def found_on(db, arxiv_id: str, day: str) -> None:
    """As if the watch had found the paper on `day` (an earlier run)."""
    execute(
        db,
        "UPDATE watch_paper SET found_at = ? WHERE paper_id = (SELECT id FROM paper WHERE arxiv_id = ?)",
        (f"{day}T06:00:00+00:00", arxiv_id),
    )


def feed_ids(cli, *args: str) -> list[str]:
    result = cli("feed", *args, "--format", "ids")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.fixture
def kv_feed(cli, arxiv_server):
    """A kv-cache watch that found four papers: three today, one (the most relevant) yesterday."""
    arxiv_server.add(
        paper(1, 1, "Speculative decoding with drafts", "We keep a small cache of drafts."),
        paper(2, 3, "KV cache quantization", "We quantize the KV cache to two bits, and the cache shrinks."),
        paper(3, 2, "Serving systems at scale", "The KV cache dominates memory when serving."),
        paper(4, 4, "KV cache eviction for KV cache reuse", "KV cache eviction keeps the KV cache small."),
        paper(5, 5, "Music generation", "Nothing about memory."),
    )
    assert cli("watch", "add", "kv", "abs:kv OR abs:cache").exit_code == 0
    assert cli("watch", "run").exit_code == 0
    found_on(cli.db, "2401.00004", YESTERDAY)
    return cli


def test_newest_day_first_then_relevance_to_the_query(kv_feed):
    # submitted order would be 1, 3, 2; relevance puts the title and abstract hit first
    assert feed_ids(kv_feed) == ["2401.00002", "2401.00003", "2401.00001", "2401.00004"]
    lines = kv_feed("feed").stdout.splitlines()
    assert lines[0].split("\t") == ["2401.00002", TODAY, stamp(3)[:10], "kv", "KV cache quantization", ""]
    assert lines[3].split("\t")[1] == YESTERDAY


def test_since_and_limit(kv_feed):
    assert feed_ids(kv_feed, "--since", TODAY) == ["2401.00002", "2401.00003", "2401.00001"]
    assert feed_ids(kv_feed, "--since", "today", "-n", "1") == ["2401.00002"]
    assert feed_ids(kv_feed, "--since", "1d")[-1] == "2401.00004"
    bad = kv_feed("feed", "--since", "last week")
    assert bad.exit_code == 2 and "--since takes YYYY-MM-DD" in bad.stderr


def test_json_says_which_query_found_each_paper_and_when(kv_feed):
    data = json.loads(kv_feed("feed", "--format", "json").stdout)
    assert [d["id"] for d in data][:1] == ["2401.00002"]
    assert data[0]["found_by"] == ["kv"] and data[0]["found_at"].startswith(TODAY)
    relevance = [d["relevance"] for d in data]
    assert relevance[3] == 1.0  # yesterday's paper is the watch's best match
    assert 1.0 > relevance[0] > relevance[1] > relevance[2] > 0
    assert "rowid" not in data[0] and data[0]["status"] == "new"


def test_a_paper_two_watches_found_shows_once_with_both(kv_feed, arxiv_server):
    assert kv_feed("watch", "add", "drafts", "ti:drafts").exit_code == 0
    assert kv_feed("watch", "run", "drafts").exit_code == 0
    data = json.loads(kv_feed("feed", "-f", "json").stdout)
    assert [d["id"] for d in data].count("2401.00001") == 1
    assert next(d for d in data if d["id"] == "2401.00001")["found_by"] == ["drafts", "kv"]
    assert feed_ids(kv_feed, "drafts") == ["2401.00001"]
    unknown = kv_feed("feed", "nope")
    assert unknown.exit_code == 2 and "no watch named 'nope'" in unknown.stderr


def test_decided_papers_leave_the_feed(kv_feed):
    assert kv_feed("mark", "2401.00002", "read").exit_code == 0
    assert kv_feed("mark", "2401.00003", "to-read").exit_code == 0
    assert feed_ids(kv_feed) == ["2401.00001", "2401.00004"]
    listed = json.loads(kv_feed("watch", "ls", "-f", "json").stdout)[0]
    assert (listed["found"], listed["waiting"]) == (4, 2)


def test_a_query_without_subject_words_is_ranked_by_its_tags_profile(cli, arxiv_server):
    from llmkb.store.papers_write import PaperFields, add_tags, save_paper
    from llmkb.store.write_session import write_session

    titles = ["Pruning layers of large models", "Structured pruning of attention layers", "Pruning heads"]
    with write_session(cli.db) as session:
        for number, title in enumerate(titles, 1):
            _, row = save_paper(
                session, PaperFields(arxiv_id=f"2301.0000{number}", title=title), source="x", authoritative=True
            )
            add_tags(session, row, ["pruning"], "user")
    arxiv_server.add(
        paper(1, 1, "Generating music with transformers", "Songs."),
        paper(2, 2, "Pruning layers of transformers", "Fewer layers."),
        paper(3, 3, "Weather forecasts", "Rain."),
    )
    assert cli("watch", "add", "ada", 'au:"Ada Lovelace"', "-t", "pruning").exit_code == 0
    assert query_words('au:"Ada Lovelace"') == []
    assert cli("watch", "run").exit_code == 0
    assert feed_ids(cli)[0] == "2401.00002"

    conn = sqlite3.connect(cli.db)
    try:
        found = [row[0] for row in conn.execute("SELECT id FROM paper WHERE arxiv_id LIKE '2401.%'")]
        words = profile_words(conn, ["pruning"], exclude=found)  # the profile is what was there before
    finally:
        conn.close()
    assert sorted(words) == ["layers", "pruning"]  # in two or more of the tagged papers


def test_query_words_keep_what_papers_are_about():
    query = 'ti:"KV cache" AND (abs:quantization OR abs:pruning) ANDNOT (ti:survey OR ti:review) AND cat:cs.CL'
    assert query_words(query) == ["kv", "cache", "quantization", "pruning"]
    assert query_words("au:Hinton AND all:distillation ANDNOT abs:vision") == ["distillation"]
    assert query_words("ti:(sparse attention)") == ["sparse", "attention"]
    assert query_words("au:(Hinton OR Dean) AND abs:distillation") == ["distillation"]


def test_since_bounds():
    today = datetime.date(2026, 11, 20)
    assert since_bound("2026-11", today=today) == "2026-11"
    assert since_bound("3d", today=today) == "2026-11-17"
    assert since_bound("yesterday", today=today) == "2026-11-19"
    with pytest.raises(Exception, match="--since takes"):
        since_bound("2026-13", today=today)


def test_the_feed_reads_the_watch_index_not_every_paper(kv_feed):
    plan = " | ".join(row[3] for row in execute(kv_feed.db, "EXPLAIN QUERY PLAN " + FEED_SQL, (1, "2026")))
    assert "ix_watch_paper_found_at" in plan
    assert "SCAN p" not in plan and "SCAN paper" not in plan


@pytest.mark.parametrize("args", [["feed"], ["feed", "kv", "-f", "json"], ["queue"], ["watch", "ls"]])
def test_reading_the_feed_does_not_load_the_write_stack(kv_feed, args):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "llmkb", "--db", str(kv_feed.db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "llmkb" in loaded
    assert not loaded & {"sqlmodel", "sqlalchemy", "alembic", "arxiv", "httpx"}
