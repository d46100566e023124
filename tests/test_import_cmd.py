"""`llmkb import` and `llmkb refresh` against the local arXiv stand-in."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from arxiv_server import FakePaper, Fault
from llmkb.arxiv import client as arxiv_client


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(arxiv_client, "_sleep", waits.append)
    return waits


def stored(db_path) -> dict[str, sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return {row["arxiv_id"]: row for row in conn.execute("SELECT * FROM paper")}
    finally:
        conn.close()


def summary(result) -> dict:
    assert result.stdout.strip(), result.output
    return json.loads(result.stdout)


def test_import_by_id_url_and_old_style(cli, db_path, arxiv_server):
    arxiv_server.add(
        FakePaper("2403.03853", version=2, title="ShortGPT", authors=["Xin Men"], categories=["cs.CL"]),
        FakePaper("2401.15024", title="SliceGPT"),
        FakePaper("hep-th/9901001", title="An old one", primary_category="hep-th", categories=["hep-th"]),
    )
    result = cli("import", "2403.03853", "https://arxiv.org/pdf/2401.15024v2", "hep-th/9901001")
    assert result.exit_code == 0, result.output
    assert "added            3" in result.stdout
    papers = stored(db_path)
    assert set(papers) == {"2403.03853", "2401.15024", "hep-th/9901001"}
    assert papers["2403.03853"]["arxiv_version"] == 2
    assert json.loads(papers["2403.03853"]["authors"]) == ["Xin Men"]
    assert json.loads(papers["2403.03853"]["sources"]) == ["arxiv"]
    shown = json.loads(cli("show", "2403.03853", "--format", "json").stdout)
    assert shown["title"] == "ShortGPT"
    assert arxiv_server.request_count == 1


def test_summary_as_json_and_exit_1_for_not_found_and_invalid(cli, db_path, arxiv_server):
    arxiv_server.add(FakePaper("2401.00001"))
    result = cli("import", "2401.00001", "2401.99999", "1501.0001", "--format", "json")
    assert result.exit_code == 1
    data = summary(result)
    assert data["added"] == ["2401.00001"]
    assert data["not_found"] == ["2401.99999"]
    assert data["invalid"] == [
        {"input": "1501.0001", "reason": "IDs from 1501 on have a 5-digit number, '1501.0001' has 4"}
    ]
    assert data["ok"] is False
    # The invalid ID was never sent.
    assert arxiv_server.id_lists() == [["2401.00001", "2401.99999"]]


def test_text_summary_names_the_ids_of_unchanged_not_found_and_invalid(cli, arxiv_server):
    arxiv_server.add(FakePaper("2401.00001"))
    cli("import", "2401.00001")
    result = cli("import", "2401.00001", "2401.99999", "abc")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["added", "0"]
    assert lines[2].split() == ["unchanged", "1", "2401.00001"]
    assert lines[3].split() == ["not", "found", "1", "2401.99999"]
    assert lines[4].startswith("invalid") and "abc (" in lines[4]


def test_reimport_is_unchanged_unless_arxiv_has_a_newer_version(cli, db_path, arxiv_server):
    arxiv_server.add(FakePaper("2401.00001", title="First title", summary="Old abstract."))
    assert cli("import", "2401.00001").exit_code == 0
    assert cli("tag", "add", "2401.00001", "pruning").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE paper SET note = 'read this' WHERE arxiv_id = '2401.00001'")
    conn.commit()
    conn.close()

    arxiv_server.papers["2401.00001"].summary = "Same version, silently edited."
    data = summary(cli("import", "2401.00001", "--format", "json"))
    assert data["unchanged"] == ["2401.00001"]
    assert stored(db_path)["2401.00001"]["abstract"] == "Old abstract."

    arxiv_server.add(FakePaper("2401.00001", version=2, title="Second title", summary="New abstract."))
    data = summary(cli("import", "2401.00001", "--format", "json"))
    assert data["updated"] == ["2401.00001"]
    row = stored(db_path)["2401.00001"]
    assert (row["title"], row["abstract"], row["arxiv_version"]) == ("Second title", "New abstract.", 2)
    assert row["note"] == "read this"
    shown = json.loads(cli("show", "2401.00001", "--format", "json").stdout)
    assert shown["tags"] == ["pruning"]


def test_import_fills_a_list_paper_with_the_same_title_instead_of_duplicating(cli, db_path, arxiv_server):
    from llmkb.store.papers_write import PaperFields, save_paper
    from llmkb.store.write_session import write_session

    with write_session(db_path) as session:
        save_paper(session, PaperFields(title="Attention Is All You Need."), source="list:x", authoritative=False)
    arxiv_server.add(FakePaper("1706.03762", title="Attention Is All You Need", summary="Transformers."))
    data = summary(cli("import", "1706.03762", "--format", "json"))
    assert data["updated"] == ["1706.03762"]
    papers = stored(db_path)
    assert list(papers) == ["1706.03762"]
    assert json.loads(papers["1706.03762"]["sources"]) == ["list:x", "arxiv"]


def test_stdin_lines(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(3)
    text = f"# my reading list\n{ids[0]}\n\nhttps://arxiv.org/abs/{ids[1]}v1\nSee (arXiv:{ids[2]}) [cs.CL]\n"
    result = cli("import", "-", "--format", "json", input=text)
    assert result.exit_code == 0, result.output
    assert summary(result)["added"] == ids
    assert set(stored(db_path)) == set(ids)


def test_dry_run_prints_each_input_and_touches_nothing(cli, db_path, arxiv_server):
    result = cli("import", "--dry-run", "arXiv:2403.03853v2", "https://arxiv.org/abs/hep-th/9901001", "2413.00001")
    assert result.stdout.splitlines() == [
        "arXiv:2403.03853v2\t2403.03853v2",
        "https://arxiv.org/abs/hep-th/9901001\thep-th/9901001",
        "2413.00001\tinvalid: month 13 does not exist",
    ]
    assert result.exit_code == 1
    assert arxiv_server.request_count == 0
    assert not db_path.exists()


def test_dry_run_json(cli, arxiv_server):
    result = cli("import", "--dry-run", "--format", "json", "2403.03853v2")
    assert json.loads(result.stdout) == [{"input": "2403.03853v2", "id": "2403.03853", "version": 2, "invalid": None}]
    assert result.exit_code == 0


def test_250_ids_take_3_requests_and_no_progress_bar_off_a_terminal(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(250)
    result = cli("import", *ids, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(summary(result)["added"]) == 250
    assert arxiv_server.request_count == 3
    assert len(stored(db_path)) == 250
    assert result.stderr == f"note: created a new llmkb database at {db_path}\n"


def test_tags_are_added_to_everything_imported(cli, arxiv_server):
    ids = arxiv_server.add_many(2)
    cli("import", ids[0])
    result = cli("import", *ids, "--tag", "Model Compression/Pruning", "--tag", "to-read")
    assert result.exit_code == 0, result.output
    for paper_id in ids:
        shown = json.loads(cli("show", paper_id, "--format", "json").stdout)
        assert shown["tags"] == ["model-compression/pruning", "to-read"]


def test_exhausted_retries_keep_earlier_batches_and_name_the_rest(cli, db_path, arxiv_server, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "1")
    ids = arxiv_server.add_many(150)
    arxiv_server.fail_next(Fault.none(), Fault.http(503), Fault.http(503))
    result = cli("import", *ids)
    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if not line.startswith("note: ")]
    assert len(error_lines) == 1
    assert error_lines[0].startswith("error: arXiv answered HTTP 503")
    assert ids[100] in error_lines[0] and "and 30 more" in error_lines[0]
    assert len(stored(db_path)) == 100
    assert "not fetched     50" in result.stdout
    # A re-run completes the import.
    data = summary(cli("import", *ids, "--format", "json"))
    assert (len(data["added"]), len(data["unchanged"]), data["ok"]) == (50, 100, True)


def test_400_for_a_batch_imports_the_others(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(10)
    arxiv_server.refused.add(ids[4])
    data = summary(cli("import", *ids, "--format", "json"))
    assert data["invalid"] == [{"input": ids[4], "reason": "rejected by arXiv"}]
    assert len(stored(db_path)) == 9


def test_faults_are_retried_transparently(cli, db_path, arxiv_server, monkeypatch, no_backoff_sleep):
    monkeypatch.setenv("LLMKB_ARXIV_TIMEOUT", "0.2")
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "4")
    ids = arxiv_server.add_many(5)
    arxiv_server.fail_next(Fault.http(503), Fault.truncated(), Fault.hang(), Fault.http(429, retry_after="2"))
    result = cli("import", *ids)
    assert result.exit_code == 0, result.output
    assert len(stored(db_path)) == 5
    assert arxiv_server.request_count == 5
    assert 2.0 in no_backoff_sleep


def test_unreachable_arxiv_is_one_error_line(cli, monkeypatch):
    monkeypatch.setenv("LLMKB_ARXIV_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "0")
    result = cli("import", "2401.00001")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot reach arXiv")
    assert "2401.00001" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_title_with_a_close_match_is_imported(cli, db_path, arxiv_server):
    arxiv_server.add(
        FakePaper("1503.02531", title="Distilling the Knowledge in a Neural Network"),
        FakePaper("2006.05525", title="Knowledge Distillation: A Survey"),
    )
    result = cli("import", "--title", "Distilling the knowledge in a neural network.", "--format", "json")
    assert result.exit_code == 0, result.output
    assert summary(result)["added"] == ["1503.02531"]
    assert list(stored(db_path)) == ["1503.02531"]


def test_title_without_a_close_match_lists_candidates_and_imports_nothing(cli, db_path, arxiv_server):
    arxiv_server.add(FakePaper("2006.05525", title="Knowledge Distillation: A Survey of Methods"))
    result = cli("import", "--title", "Knowledge Distillation")
    assert result.exit_code == 1
    assert "candidates" in result.stdout
    assert "2006.05525  Knowledge Distillation: A Survey of Methods" in result.stdout
    assert not db_path.exists() or stored(db_path) == {}


def test_query_imports_pages_of_results(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(150)
    arxiv_server.add(FakePaper("2402.00001", title="Unrelated"))
    result = cli("import", "--query", 'ti:"Paper number"', "--limit", "120", "--format", "json")
    assert result.exit_code == 0, result.output
    assert summary(result)["added"] == ids[:120]
    assert arxiv_server.request_count == 2


def test_refresh_missing_fills_papers_without_abstract(cli, db_path, arxiv_server):
    from llmkb.store.papers_write import PaperFields, save_paper
    from llmkb.store.write_session import write_session

    ids = arxiv_server.add_many(3)
    cli("import", ids[0])
    with write_session(db_path) as session:
        for paper_id in ids[1:]:
            save_paper(session, PaperFields(arxiv_id=paper_id, title="x"), source="list:a", authoritative=False)
    data = summary(cli("refresh", "--missing", "--format", "json"))
    assert data["updated"] == ids[1:]
    assert arxiv_server.id_lists()[-1] == ids[1:]
    assert all(stored(db_path)[i]["abstract"] == f"Abstract of {i}." for i in ids)


def test_refresh_all_writes_what_changed(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(2)
    cli("import", *ids)
    arxiv_server.papers[ids[1]].journal_ref = "NeurIPS 2024"
    data = summary(cli("refresh", "--all", "--format", "json"))
    assert (data["updated"], data["unchanged"]) == ([ids[1]], [ids[0]])
    assert stored(db_path)[ids[1]]["journal_ref"] == "NeurIPS 2024"


def test_refresh_needs_something_to_refresh(cli):
    result = cli("refresh")
    assert result.exit_code == 2
    assert "--all" in result.stderr


def test_killed_between_batches_keeps_earlier_batches_and_a_rerun_completes(cli, db_path, arxiv_server):
    ids = arxiv_server.add_many(250)
    arxiv_server.fail_next(Fault.none(), Fault.none(), Fault.hang())
    proc = subprocess.Popen(
        [sys.executable, "-m", "llmkb", "--db", str(db_path), "import", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    try:
        proc.stdin.write("\n".join(ids).encode())
        proc.stdin.close()
        # The third request is only sent after the second batch is committed.
        assert arxiv_server.wait_for_requests(3)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert set(stored(db_path)) == set(ids[:200])
    check = cli("db", "check")
    assert check.exit_code == 0, check.output
    data = summary(cli("import", *ids, "--format", "json"))
    assert (data["added"], len(data["unchanged"])) == (ids[200:], 200)


def test_import_list_resolve_looks_up_items_without_arxiv_links(cli, db_path, arxiv_server, tmp_path):
    arxiv_server.add(
        FakePaper("1503.02531", title="Distilling the Knowledge in a Neural Network", authors=["Geoffrey Hinton"]),
        FakePaper("2006.05525", title="Knowledge Distillation: A Survey"),
    )
    listing = tmp_path / "kd.md"
    listing.write_text(
        "# Awesome Distillation\n\n## Classics\n"
        "- [Distilling the knowledge in a neural network](https://example.org/hinton15.pdf)\n"
        "- [A paper arXiv does not have at all](https://example.org/other.pdf)\n"
    )
    result = cli("import-list", str(listing), "--resolve")
    assert result.exit_code == 0, result.output
    assert "'A paper arXiv does not have at all' not found on arXiv" in result.stderr
    rows = stored(db_path)
    assert rows["1503.02531"]["title"] == "Distilling the Knowledge in a Neural Network"
    assert json.loads(rows["1503.02531"]["authors"]) == ["Geoffrey Hinton"]
    assert "arxiv" in json.loads(rows["1503.02531"]["sources"])
    tags = cli("show", "1503.02531", "--format", "json")
    assert json.loads(tags.stdout)["tags"] == ["classics", "distillation"]
