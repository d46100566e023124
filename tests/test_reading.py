"""Reading status: `llmkb mark`, `llmkb queue`, `search --status`, `export --status`."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kb_factory import build_small_kb
from llmkb.reading import checked_status, ids_from_lines


@pytest.fixture
def kb_cli(tmp_path):
    from conftest import Cli

    db = tmp_path / "small.sqlite"
    build_small_kb(db)
    return Cli(db)


def statuses(db) -> dict[str, tuple]:
    conn = sqlite3.connect(db)
    try:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT arxiv_id, status, status_at FROM paper")}
    finally:
        conn.close()


def set_marked_at(db, arxiv_id: str, when: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE paper SET status_at = ? WHERE arxiv_id = ?", (when, arxiv_id))
    conn.commit()
    conn.close()


def test_status_words():
    assert checked_status("To Read") == "to-read"
    assert checked_status("unread") == "to-read"
    assert checked_status("READ") == "read"
    assert checked_status("none") is None
    with pytest.raises(Exception, match="a reading status is one of new, to-read"):
        checked_status("later")


def test_ids_from_lines_take_the_first_tsv_column_and_skip_comments():
    lines = ["2403.03853\t2024\tShortGPT\tpruning\n", "\n", "# a comment\n", "  kb-5  \n"]
    assert list(ids_from_lines(lines)) == ["2403.03853", "kb-5"]


def test_mark_several_papers_records_the_date(kb_cli):
    result = kb_cli("mark", "2403.03853", "arXiv:2401.15024v2", "to-read")
    assert result.exit_code == 0, result.output
    assert result.stdout == "to-read: 2 papers (2403.03853, 2401.15024)\n"
    marked = statuses(kb_cli.db)
    assert marked["2403.03853"][0] == marked["2401.15024"][0] == "to-read"
    assert marked["2403.03853"][1].startswith("20") and marked["2403.03853"][1].endswith("+00:00")
    assert marked["2210.17323"] == (None, None)


def test_marking_the_same_status_again_keeps_the_date(kb_cli):
    kb_cli("mark", "2403.03853", "read")
    set_marked_at(kb_cli.db, "2403.03853", "2025-01-02T03:04:05+00:00")
    result = kb_cli("mark", "2403.03853", "2210.17323", "read")
    assert result.stdout == "read: 1 paper (2210.17323)\nalready read: 2403.03853\n"
    assert statuses(kb_cli.db)["2403.03853"] == ("read", "2025-01-02T03:04:05+00:00")


def test_mark_reads_ids_from_stdin_as_search_prints_them(kb_cli):
    piped = kb_cli("search", "-t", "pruning").stdout  # tab-separated, the ID first
    assert piped.count("\n") == 2
    result = kb_cli("mark", "-", "reading", input=piped)
    assert result.exit_code == 0, result.output
    assert {k for k, (s, _at) in statuses(kb_cli.db).items() if s == "reading"} == {"2403.03853", "2401.15024"}


def test_one_unknown_id_changes_nothing(kb_cli):
    result = kb_cli("mark", "2403.03853", "2409.99999", "read")
    assert result.exit_code == 1
    assert "no paper with arXiv ID 2409.99999" in result.stderr and "nothing was changed" in result.stderr
    assert statuses(kb_cli.db)["2403.03853"] == (None, None)


def test_mark_none_clears_and_bad_input_is_a_usage_error(kb_cli):
    kb_cli("mark", "2403.03853", "read")
    assert kb_cli("mark", "2403.03853", "none").stdout == "no status: 1 paper (2403.03853)\n"
    assert statuses(kb_cli.db)["2403.03853"] == (None, None)
    assert kb_cli("mark", "2403.03853").exit_code == 2
    bad = kb_cli("mark", "2403.03853", "skimmed")
    assert bad.exit_code == 2 and "a reading status is one of" in bad.stderr


def test_queue_lists_what_is_to_read_oldest_mark_first(kb_cli):
    kb_cli("mark", "2403.03853", "2401.15024", "2210.17323", "to-read")
    kb_cli("mark", "1503.02531", "read")
    set_marked_at(kb_cli.db, "2403.03853", "2026-03-01T00:00:00+00:00")
    set_marked_at(kb_cli.db, "2401.15024", "2026-01-01T00:00:00+00:00")
    set_marked_at(kb_cli.db, "2210.17323", "2026-02-01T00:00:00+00:00")
    assert kb_cli("queue", "--format", "ids").stdout.split() == ["2401.15024", "2210.17323", "2403.03853"]
    first = kb_cli("queue").stdout.splitlines()[0].split("\t")
    assert first[:3] == ["2401.15024", "2026-01-01", "2024"]
    assert kb_cli("queue", "--status", "read", "-f", "ids").stdout.split() == ["1503.02531"]
    assert kb_cli("queue", "-n", "1", "-f", "ids").stdout.split() == ["2401.15024"]
    data = json.loads(kb_cli("queue", "-f", "json").stdout)
    assert [d["status_at"][:10] for d in data] == ["2026-01-01", "2026-02-01", "2026-03-01"]


def test_empty_queue_says_so_on_stderr(kb_cli):
    result = kb_cli("queue")
    assert result.exit_code == 0 and result.stdout == ""
    assert "Nothing is to-read" in result.stderr


def test_queue_is_answered_from_the_status_index(kb_cli):
    from llmkb.store.connection import connect

    conn = connect(kb_cli.db)
    plan = " ".join(
        row[3]
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM paper WHERE status = ? ORDER BY status_at ASC, id ASC LIMIT ?",
            ("to-read", 5),
        )
    )
    conn.close()
    assert "ix_paper_status" in plan and "TEMP B-TREE" not in plan


def test_search_and_export_filter_by_status(kb_cli):
    kb_cli("mark", "2403.03853", "2210.17323", "to-read")
    found = kb_cli("search", "--status", "to-read", "--format", "ids").stdout.split()
    assert sorted(found) == ["2210.17323", "2403.03853"]
    assert kb_cli("search", "--status", "unread", "-f", "ids").stdout.split() == found  # the same status
    assert kb_cli("search", "--status", "maybe").exit_code == 2
    exported = kb_cli("export", "md", "--status", "to-read", "--since", "2024", "--group-by", "none").stdout
    assert "ShortGPT" in exported and "GPTQ" not in exported and "SliceGPT" not in exported


def test_mark_by_title_and_as_json(kb_cli):
    result = kb_cli("mark", "Distilling the Knowledge in a Neural Network", "kb-5", "reading", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "reading" and data["changed"] == ["1503.02531", "kb-5"] and data["unchanged"] == []
    assert data["at"] == statuses(kb_cli.db)["1503.02531"][1]
