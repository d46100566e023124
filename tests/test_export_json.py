import io
import json

from export_records import paper, sample_papers
from llmkb.export.json_format import write_json, write_jsonl


def test_json_is_an_array_of_the_full_records():
    records = sample_papers()
    out = io.StringIO()
    assert write_json(records, out) == len(records)
    assert json.loads(out.getvalue()) == records
    assert "José Ramírez" in out.getvalue()  # readable UTF-8, not \u escapes


def test_empty_json_is_an_empty_array():
    out = io.StringIO()
    assert write_json([], out) == 0
    assert json.loads(out.getvalue()) == []


def test_jsonl_has_one_record_per_line():
    records = sample_papers()
    out = io.StringIO()
    assert write_jsonl(records, out) == len(records)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == records
    assert out.getvalue().endswith("\n")


def test_empty_jsonl_is_empty():
    out = io.StringIO()
    assert write_jsonl([], out) == 0
    assert out.getvalue() == ""


def _streamed(writer):
    """Each record must already be written before the next is asked for."""
    out = io.StringIO()

    def records():
        for number in range(3):
            if number:
                assert f"2403.0000{number - 1}" in out.getvalue()
            yield paper(f"2403.0000{number}")

    return writer(records(), out), out.getvalue()


def test_both_writers_stream_record_by_record():
    count, text = _streamed(write_json)
    assert count == 3 and len(json.loads(text)) == 3
    count, text = _streamed(write_jsonl)
    assert count == 3 and len(text.splitlines()) == 3


def test_values_json_cannot_encode_natively_are_written_as_text():
    import datetime

    out = io.StringIO()
    write_jsonl([paper(published=datetime.date(2024, 3, 6))], out)
    assert json.loads(out.getvalue())["published"] == "2024-03-06"


def test_records_serialised_by_sqlite_are_the_records_show_prints(seed_db):
    """Exports build JSON in SQL for speed; it must say exactly what the Python record says."""
    import sqlite3

    from llmkb.store.records import iter_record_json, records_for

    conn = sqlite3.connect(seed_db)
    conn.row_factory = sqlite3.Row
    ids = [row[0] for row in conn.execute("SELECT id FROM paper ORDER BY id DESC")]
    texts = list(iter_record_json(conn, ids))
    records = records_for(conn, ids)
    conn.close()
    assert len(texts) == len(records) == 74
    for text, record in zip(texts, records, strict=True):
        expected = {key: value for key, value in record.items() if key != "rowid"}
        assert json.loads(text) == expected
        assert list(json.loads(text)) == list(expected)  # same keys in the same order
