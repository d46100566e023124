"""The dump of everything (`export json|jsonl` with no filter): the same text whether a helper process reads
half the ranges or this process reads them all, whoever holds the write lock, whatever the caller buffered."""

import json
import sqlite3
import subprocess
import sys

import pytest

from llmkb.store import record_dump
from llmkb.store.records import records_for


def _records(db):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    ids = [row[0] for row in conn.execute("SELECT id FROM paper ORDER BY id")]
    records = records_for(conn, ids)
    conn.close()
    return [{key: value for key, value in record.items() if key != "rowid"} for record in records]


@pytest.fixture
def small_ranges(monkeypatch):
    """Ranges of ten papers, and a helper from the first paper: the seed's 74 papers make eight ranges."""
    monkeypatch.setattr(record_dump, "STEP", 10)
    monkeypatch.setattr(record_dump, "HELPER_FROM", 1)


@pytest.mark.skipif(sys.platform != "linux", reason="the helper process is forked on Linux only")
def test_a_helper_reads_every_other_range_and_the_dump_is_each_papers_record(seed_db, small_ranges, monkeypatch):
    started = []
    start = record_dump._start_helper
    monkeypatch.setattr(record_dump, "_start_helper", lambda *a: started.append(1) or start(*a))
    dumped = [json.loads(text) for text in record_dump.iter_all_record_json(seed_db)]
    assert started == [1]
    assert dumped == _records(seed_db)
    assert len(dumped) == 74
    assert any(r["datasets"] for r in dumped) and any(not r["datasets"] for r in dumped)


def test_with_an_import_holding_the_write_lock_the_dump_is_read_here_alone(seed_db, small_ranges, monkeypatch):
    """No helper without the write lock (it is what makes the two snapshots one); the text is the same."""
    monkeypatch.setattr(record_dump, "_start_helper", lambda *a: pytest.fail("a helper without the lock"))
    writer = sqlite3.connect(seed_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE paper SET note = 'uncommitted' WHERE id = (SELECT min(id) FROM paper)")
    try:
        dumped = [json.loads(text) for text in record_dump.iter_all_record_json(seed_db)]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert dumped == _records(seed_db)
    assert all(r["note"] != "uncommitted" for r in dumped)


def test_small_knowledge_bases_never_take_the_lock(seed_db, monkeypatch):
    monkeypatch.setattr(record_dump, "_write_lock", lambda path: pytest.fail("locked for 74 papers"))
    assert len(list(record_dump.iter_all_record_json(seed_db))) == 74


def test_an_empty_knowledge_base_dumps_nothing(db_path, small_ranges):
    from llmkb.store import migrate

    migrate.upgrade(db_path)
    assert list(record_dump.iter_all_record_json(db_path)) == []


@pytest.mark.skipif(sys.platform != "linux", reason="the helper process is forked on Linux only")
def test_text_the_caller_left_unflushed_is_printed_once(seed_db):
    """The helper is forked with a copy of the caller's stdout buffer; it must not print it again."""
    code = (
        "import sys\n"
        "from llmkb.store import record_dump\n"
        "record_dump.STEP, record_dump.HELPER_FROM = 10, 1\n"
        "sys.stdout.write('before the dump|')\n"
        f"count = sum(1 for _ in record_dump.iter_all_record_json({str(seed_db)!r}))\n"
        "sys.stdout.write(f'{count} records')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "before the dump|74 records"
    assert done.stderr == ""


@pytest.mark.skipif(sys.platform != "linux", reason="the helper process is forked on Linux only")
def test_a_reader_that_stops_early_leaves_no_helper_behind(seed_db, small_ranges, monkeypatch):
    import os

    from llmkb import forked

    children = []
    fork = forked.fork
    monkeypatch.setattr(forked, "fork", lambda work: children.append(fork(work)) or children[-1])
    records = record_dump.iter_all_record_json(seed_db)
    assert json.loads(next(records))["id"]
    assert len(children) == 1 and os.waitpid(children[0].pid, os.WNOHANG) == (0, 0)  # still running
    records.close()
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(children[0].pid, os.WNOHANG)
