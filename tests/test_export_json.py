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


def test_serialised_records_are_written_whole_across_batches():
    """Serialised records go out a thousand at a time; no record is lost or split at a batch's edge."""
    from llmkb.export.json_format import write_json_texts

    texts = [json.dumps({"i": i}) for i in range(2500)]
    out = io.StringIO()
    assert write_json_texts(iter(texts), out, lines=True) == 2500
    assert [json.loads(line)["i"] for line in out.getvalue().splitlines()] == list(range(2500))
    out = io.StringIO()
    assert write_json_texts(iter(texts), out, lines=False) == 2500
    assert [record["i"] for record in json.loads(out.getvalue())] == list(range(2500))
    out = io.StringIO()
    assert write_json_texts(iter([]), out, lines=False) == 0
    assert out.getvalue() == "[]\n"


def test_a_dump_of_everything_says_what_each_record_says(seed_db):
    """The dump of every paper merges grouped scans of tags, links and results; each line must equal the
    paper's own record, papers with no links included."""
    import sqlite3

    from llmkb.store.record_dump import iter_all_record_json
    from llmkb.store.records import records_for

    conn = sqlite3.connect(seed_db)
    conn.row_factory = sqlite3.Row
    ids = [row[0] for row in conn.execute("SELECT id FROM paper ORDER BY id")]
    records = records_for(conn, ids)
    conn.close()
    dumped = [json.loads(text) for text in iter_all_record_json(seed_db)]
    assert len(dumped) == len(records) == 74
    assert any(not r["datasets"] for r in dumped) and any(r["datasets"] for r in dumped)
    for text, record in zip(dumped, records, strict=True):
        assert text == {key: value for key, value in record.items() if key != "rowid"}
