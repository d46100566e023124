"""`llmkb watch add|ls|rm|edit|run` against the local arXiv stand-in: paging down a submission-date-sorted
feed, faults on the way, runs that fail half way and resume, and two runs at once."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from arxiv_server import FakePaper, Fault
from llmkb.arxiv import client as arxiv_client

NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(arxiv_client, "_sleep", waits.append)
    return waits


def stamp(hours_ago: float) -> str:
    return (NOW - datetime.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def fake(number: int, hours_ago: float, *, title: str | None = None, categories=("cs.CL",), summary=None):
    return FakePaper(
        f"2401.{number:05d}",
        title=title or f"Sparse attention study {number}",
        summary=summary or f"We study sparse attention, case {number}.",
        published=stamp(hours_ago),
        primary_category=categories[0],
        categories=list(categories),
    )


def add_series(server, count: int, *, first: int = 1, start_hours: float = 1.0, step_hours: float = 0.5) -> list[str]:
    """`count` matching papers, the first submitted `start_hours` ago, each `step_hours` older than the last."""
    papers = [fake(first + i, start_hours + i * step_hours) for i in range(count)]
    server.add(*papers)
    return [p.id for p in papers]


def rows(db_path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def linked(db_path, name: str = "attn") -> list[str]:
    return sorted(
        r[0]
        for r in rows(
            db_path,
            "SELECT p.arxiv_id FROM watch_paper wp JOIN watch w ON w.id = wp.watch_id "
            "JOIN paper p ON p.id = wp.paper_id WHERE w.name = ?",
            (name,),
        )
    )


def watch_row(db_path, name: str = "attn") -> dict:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM watch WHERE name = ?", (name,)).fetchone())
    finally:
        conn.close()


def run_json(cli, *args: str) -> tuple[int, list[dict]]:
    result = cli("watch", "run", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


# --- saving watches -------------------------------------------------------------------------------------


def test_add_ls_and_the_query_sent_with_its_categories(cli, db_path, arxiv_server):
    result = cli("watch", "add", "attn", "abs:attention", "-c", "cs.CL", "-c", "cs.LG", "-t", "Sparse Attention")
    assert result.exit_code == 0, result.output
    assert result.stdout == "watch attn: (abs:attention) AND (cat:cs.CL OR cat:cs.LG); tags sparse-attention\n"
    listed = json.loads(cli("watch", "ls", "--format", "json").stdout)
    assert [(w["name"], w["query"], w["categories"], w["tags"], w["last_run"]) for w in listed] == [
        ("attn", "abs:attention", ["cs.CL", "cs.LG"], ["sparse-attention"], None)
    ]
    tsv = cli("watch", "ls").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["attn", "(abs:attention) AND (cat:cs.CL OR cat:cs.LG)", "sparse-attention"]

    add_series(arxiv_server, 3)
    arxiv_server.add(fake(90, 2, categories=("math.GT",)))  # matches the words, not the categories
    assert cli("watch", "run").exit_code == 0
    [search] = arxiv_server.searches()
    assert search["search_query"] == "(abs:attention) AND (cat:cs.CL OR cat:cs.LG)"
    assert (search["sortBy"], search["sortOrder"]) == ("submittedDate", "descending")
    assert linked(db_path) == ["2401.00001", "2401.00002", "2401.00003"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad name", "ti:x"], "a watch name is"),
        (["ok", "   "], "the query is empty"),
        (["ok", "(ti:x AND abs:y"], "parentheses do not balance"),
        (["ok", 'ti:"open phrase'], "unclosed quote"),
        (["ok", "ti:x AND"], "starts or ends with an operator"),
        (["ok", "ti:x", "-c", "computer science"], "is not an arXiv category"),
        (["ok", "ti:x", "-t", "!!"], "has no letters or digits"),
    ],
)
def test_add_refuses_what_arxiv_would_refuse_or_misread(cli, db_path, args, message):
    result = cli("watch", "add", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_names_are_unique_and_unknown_names_get_a_suggestion(cli):
    assert cli("watch", "add", "kv-cache", "abs:cache").exit_code == 0
    again = cli("watch", "add", "kv-cache", "abs:other")
    assert again.exit_code == 2 and "a watch named 'kv-cache' exists" in again.stderr
    typo = cli("watch", "run", "kv-cahce")
    assert typo.exit_code == 2 and "did you mean 'kv-cache'?" in typo.stderr


def test_edit_changes_what_it_asks_and_forgets_how_far_it_read(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention", "-c", "cs.CL", "-t", "old-tag")
    add_series(arxiv_server, 2)
    cli("watch", "run")
    assert watch_row(db_path)["seen_until"] == stamp(1)

    only_tags = cli("watch", "edit", "attn", "-t", "new-tag")
    assert only_tags.exit_code == 0 and "next run looks back" not in only_tags.stderr
    assert watch_row(db_path)["seen_until"] == stamp(1)

    result = cli("watch", "edit", "attn", "--query", "ti:sparse", "--all-categories", "--rename", "sparse")
    assert result.exit_code == 0, result.output
    assert result.stdout == "watch sparse: ti:sparse; tags new-tag\n"
    assert "next run looks back" in result.stderr
    row = watch_row(db_path, "sparse")
    assert (row["query"], json.loads(row["categories"]), row["seen_until"]) == ("ti:sparse", [], None)
    assert linked(db_path, "sparse") == ["2401.00001", "2401.00002"]  # what it found stays its own

    assert cli("watch", "edit", "sparse").exit_code == 2
    assert cli("watch", "edit", "sparse", "-c", "cs.CL", "--all-categories").exit_code == 2


def test_rm_keeps_the_papers_and_their_status(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    add_series(arxiv_server, 3)
    cli("watch", "run")
    cli("mark", "2401.00001", "read")
    result = cli("watch", "rm", "attn")
    assert result.exit_code == 0
    assert result.stdout == "removed watch attn; the 3 papers it found stay (2 still new: llmkb search --status new)\n"
    assert rows(db_path, "SELECT count(*) FROM watch_paper") == [(0,)]
    statuses = dict(rows(db_path, "SELECT arxiv_id, status FROM paper"))
    assert statuses == {"2401.00001": "read", "2401.00002": "new", "2401.00003": "new"}
    assert cli("watch", "rm", "attn").exit_code == 2


# --- running --------------------------------------------------------------------------------------------


def test_first_run_looks_back_days_and_stores_papers_as_new_with_the_watch_tags(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention", "-t", "sparse-attention")
    arxiv_server.add(fake(1, 1), fake(2, 30), fake(3, 60), fake(4, 200))
    arxiv_server.add(FakePaper("2401.00099", title="Unrelated", summary="Nothing to do with it.", published=stamp(2)))
    code, [result] = run_json(cli, "--days", "2")
    assert code == 0
    assert [p["id"] for p in result["new"]] == ["2401.00001", "2401.00002"]
    assert result["complete"] is True and result["seen_until"] == stamp(1)
    stored = {r[0]: r[1:] for r in rows(db_path, "SELECT arxiv_id, status, status_at FROM paper")}
    assert set(stored) == {"2401.00001", "2401.00002"}
    assert all(status == "new" and at for status, at in stored.values())
    tags = rows(db_path, "SELECT DISTINCT t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id")
    assert tags == [("sparse-attention",)]
    assert watch_row(db_path)["last_run"] is not None


def test_pages_down_a_sorted_feed_and_a_second_run_brings_nothing_twice(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    ids = add_series(arxiv_server, 250)  # 1 h to 125.5 h ago: inside the 7 days, 3 pages of 100
    arxiv_server.add(*(fake(500 + i, 24 * 9 + i) for i in range(20)))  # older than the first run's 7 days
    code, [first] = run_json(cli)
    assert code == 0
    assert [p["id"] for p in first["new"]] == ids  # newest first, as arXiv sorted them
    assert first["requests"] == 3
    assert [s["start"] for s in arxiv_server.searches()] == ["0", "100", "200"]
    assert linked(db_path) == sorted(ids)

    code, [second] = run_json(cli)
    assert code == 0
    assert second["new"] == [] and second["known"] == []
    assert second["requests"] == 1  # the boundary (two days before the newest paper) is on the first page
    assert second["seen"] == 97  # submitted 1 h to 49 h ago, already linked: skipped
    assert rows(db_path, "SELECT count(*), count(DISTINCT arxiv_id) FROM paper") == [(250, 250)]

    arxiv_server.add(fake(900, 0.5), fake(901, 0.25))
    code, [third] = run_json(cli)
    assert [p["id"] for p in third["new"]] == ["2401.00901", "2401.00900"]
    assert third["seen_until"] == stamp(0.25)
    assert rows(db_path, "SELECT count(*) FROM watch_paper") == [(252,)]


def test_text_output_names_what_came_per_query(cli, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    cli("watch", "add", "quiet-one", "ti:nothing")
    add_series(arxiv_server, 25)
    result = cli("watch", "run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "attn: 25 new (1 request)"
    assert lines[1] == "  2401.00001  Sparse attention study 1"
    assert lines[21] == "  and 5 more (llmkb feed attn)"
    assert lines[22] == "quiet-one: nothing new (1 request)"
    assert cli("watch", "run", "--quiet").stdout == ""


def test_a_paper_already_stored_is_linked_but_keeps_its_status(cli, db_path, arxiv_server):
    from llmkb.store.papers_write import PaperFields, save_paper
    from llmkb.store.write_session import write_session

    cli("watch", "add", "attn", "abs:attention")
    arxiv_server.add(fake(1, 1), fake(2, 2), fake(3, 3))
    with write_session(db_path) as session:
        _, read = save_paper(
            session,
            PaperFields(arxiv_id="2401.00001", title="Sparse attention study 1"),
            source="x",
            authoritative=False,
        )
        read.status, read.status_at = "read", "2026-01-01T00:00:00+00:00"
        # a list's paper without arXiv ID, under the same title: becomes this paper, not a second one
        save_paper(
            session, PaperFields(title="Sparse Attention Study 2", venue="ICML"), source="list:x", authoritative=False
        )
    code, [result] = run_json(cli)
    assert [p["id"] for p in result["new"]] == ["2401.00003"]
    assert sorted(p["id"] for p in result["known"]) == ["2401.00001", "2401.00002"]
    papers = {r[0]: r[1:] for r in rows(db_path, "SELECT arxiv_id, status, status_at, venue FROM paper")}
    assert papers == {
        "2401.00001": ("read", "2026-01-01T00:00:00+00:00", None),
        "2401.00002": (None, None, "ICML"),
        "2401.00003": ("new", papers["2401.00003"][1], None),
    }
    assert linked(db_path) == ["2401.00001", "2401.00002", "2401.00003"]


# --- faults ---------------------------------------------------------------------------------------------


def test_a_503_then_success_is_retried_and_the_run_completes(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    add_series(arxiv_server, 5)
    arxiv_server.fail_next(Fault.http(503))
    code, [result] = run_json(cli)
    assert code == 0
    assert len(result["new"]) == 5 and result["requests"] == 2 and result["complete"]


def test_a_timeout_is_retried(cli, monkeypatch, arxiv_server):
    monkeypatch.setenv("LLMKB_ARXIV_TIMEOUT", "0.3")
    cli("watch", "add", "attn", "abs:attention")
    add_series(arxiv_server, 5)
    arxiv_server.fail_next(Fault.hang())
    code, [result] = run_json(cli)
    assert code == 0
    assert len(result["new"]) == 5 and result["requests"] == 2


def test_a_truncated_page_is_asked_again_not_taken_as_the_end(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    ids = add_series(arxiv_server, 150)
    arxiv_server.fail_next(Fault.none(), Fault.truncated())  # the second page is cut in the middle
    code, [result] = run_json(cli)
    assert code == 0
    assert [p["id"] for p in result["new"]] == ids
    assert [s["start"] for s in arxiv_server.searches()] == ["0", "100", "100"]


def test_a_run_that_fails_half_way_keeps_its_pages_and_the_next_run_resumes(cli, db_path, monkeypatch, arxiv_server):
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "1")
    cli("watch", "add", "attn", "abs:attention")
    ids = add_series(arxiv_server, 250)
    arxiv_server.fail_next(Fault.none(), Fault.http(503), Fault.http(503))  # page 2 fails twice: given up
    result = cli("watch", "run")
    assert result.exit_code == 1
    assert result.stdout.startswith("attn: 100 new (3 requests)\n")
    assert "error: attn: arXiv answered HTTP 503 (gave up after 2 tries); 100 new kept" in result.stderr
    assert linked(db_path) == sorted(ids[:100])
    row = watch_row(db_path)
    assert (row["seen_until"], row["last_run"]) == (None, None)  # the boundary did not move

    code, [again] = run_json(cli)
    assert code == 0
    assert [p["id"] for p in again["new"]] == ids[100:]
    assert again["seen"] == 100
    assert linked(db_path) == sorted(ids)
    assert rows(db_path, "SELECT count(*) FROM paper WHERE status = 'new'") == [(250,)]
    assert watch_row(db_path)["seen_until"] == stamp(1)


def test_a_query_arxiv_rejects_fails_that_watch_only(cli, db_path, arxiv_server):
    cli("watch", "add", "broken", "ti:x")
    cli("watch", "add", "attn", "abs:attention")
    add_series(arxiv_server, 2)
    arxiv_server.fail_next(Fault.none(), Fault.rejected("ti:x"))  # watches run by name: attn, then broken
    result = cli("watch", "run")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "attn: 2 new (1 request)"
    assert "error: broken: arXiv rejected the query" in result.stderr
    assert watch_row(db_path, "broken")["last_run"] is None


def test_run_limits_are_checked(cli):
    cli("watch", "add", "attn", "abs:attention")
    assert "--days takes 1 to" in cli("watch", "run", "--days", "0").stderr
    assert "--max must be at least 1" in cli("watch", "run", "--max", "0").stderr


def test_max_stops_a_broad_first_run_and_says_so(cli, db_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention")
    ids = add_series(arxiv_server, 30)
    result = cli("watch", "run", "--max", "10")
    assert result.exit_code == 0
    assert "stopped at --max papers" in result.stderr
    assert linked(db_path) == sorted(ids[:10])
    assert watch_row(db_path)["seen_until"] == stamp(1)


# --- two runs at once -----------------------------------------------------------------------------------


def test_two_runs_at_once_store_and_link_each_paper_once(cli, db_path, tmp_path, arxiv_server):
    cli("watch", "add", "attn", "abs:attention", "-t", "sparse-attention")
    ids = add_series(arxiv_server, 230)
    arxiv_server.hold_until(2)  # neither process gets an answer before both have asked: they overlap
    env = {**os.environ, "LLMKB_ARXIV_URL": arxiv_server.url, "LLMKB_ARXIV_DELAY": "0", "LLMKB_ARXIV_BACKOFF": "0"}
    command = [sys.executable, "-m", "llmkb", "--db", str(db_path), "watch", "run", "--format", "json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    results = [json.loads(out)[0] for out, _err in outputs]
    new = [{p["id"] for p in r["new"]} for r in results]
    assert new[0] | new[1] == set(ids)
    assert not new[0] & new[1]  # each paper was added by one run; the other found it linked
    assert all(r["complete"] for r in results)
    assert rows(db_path, "SELECT count(*), count(DISTINCT arxiv_id) FROM paper") == [(230, 230)]
    assert rows(db_path, "SELECT count(*) FROM watch_paper") == [(230,)]
    assert rows(db_path, "SELECT count(*) FROM paper_tag") == [(230,)]
    assert arxiv_server.request_count >= 4  # both read the pages


def test_a_run_of_a_watch_edited_meanwhile_does_not_move_its_boundary(cli, db_path):
    from llmkb.kb import KB
    from llmkb.watch.run import finish

    cli("watch", "add", "attn", "abs:attention")
    with KB(db_path) as kb:
        [before_edit] = kb.watch_list(["attn"])
    cli("watch", "edit", "attn", "--query", "abs:sparsity")
    assert finish(db_path, before_edit, stamp(1)) is None
    assert watch_row(db_path)["seen_until"] is None
    with KB(db_path) as kb:
        [current] = kb.watch_list(["attn"])
    assert finish(db_path, current, stamp(1)) == stamp(1)
    assert finish(db_path, current, stamp(5)) == stamp(1)  # never backwards
