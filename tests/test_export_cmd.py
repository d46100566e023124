"""`llmkb export`: every format to stdout and to a file, overwriting rules, errors, empty selections, filters."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kb_factory import build_small_kb

FORMATS = ["md", "bib", "csv", "json", "jsonl"]
NEWEST_FIRST = ["2403.03853", "2401.15024", "2211.17192", "2210.17323", "1503.02531", "kb-5"]
ADDED = ["2403.03853", "2401.15024", "2210.17323", "1503.02531", "kb-5", "2211.17192"]  # kb_factory's order
PRUNING = {"2403.03853", "2401.15024"}


@pytest.fixture
def kb(cli, db_path):
    build_small_kb(db_path)
    return cli


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def csv_ids(result) -> list[str]:
    import csv
    import io

    return [row["id"] for row in csv.DictReader(io.StringIO(ok(result).stdout))]


def jsonl_ids(result) -> list[str]:
    return [json.loads(line)["id"] for line in ok(result).stdout.splitlines()]


def bib_entries(text: str):
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return library.entries


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def papers_in(fmt: str, text: str) -> int:
    """How many papers an export holds, read back with a parser for its format."""
    if fmt == "md":
        from llmkb.awesome_list.export_reader import read_exported_list

        return len({entry.title for entry in read_exported_list(text)})
    if fmt == "bib":
        return len(bib_entries(text))
    if fmt == "csv":
        return len(csv_rows(text.removeprefix("\ufeff")))
    if fmt == "json":
        return len(json.loads(text))
    return len([json.loads(line) for line in text.splitlines()])


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_goes_to_stdout_plain_and_parseable(kb, fmt):
    result = ok(kb("export", fmt))
    assert papers_in(fmt, result.stdout) == len(NEWEST_FIRST)
    assert "\x1b[" not in result.stdout
    assert not result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_goes_to_a_file_with_the_same_content(kb, tmp_path, fmt):
    target = tmp_path / f"papers.{fmt}"
    result = ok(kb("export", fmt, "-o", str(target)))
    assert result.stdout == ""
    assert "6 papers written" in result.stderr
    written = target.read_bytes()
    expected = ok(kb("export", fmt)).stdout_bytes
    if fmt == "csv":  # only the file meant for spreadsheets carries the byte-order mark
        assert written == b"\xef\xbb\xbf" + expected
    else:
        assert written == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_dash_means_stdout(kb):
    assert ok(kb("export", "jsonl", "-o", "-")).stdout == ok(kb("export", "jsonl")).stdout


def test_existing_file_is_kept_without_force_and_replaced_with_it(kb, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("precious")
    refused = kb("export", "json", "-o", str(target))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert target.read_text() == "precious"

    ok(kb("export", "json", "-o", str(target), "--force"))
    assert len(json.loads(target.read_text())) == len(NEWEST_FIRST)


@pytest.mark.parametrize("fmt", ["xml", "pdf", ""])
def test_unknown_format_is_one_line_and_exit_2(kb, fmt):
    result = kb("export", fmt)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: unknown format {fmt!r}; choose from md, bib, csv, json, jsonl"]
    assert result.stdout == ""


def test_unwritable_path_is_one_line_and_exit_2(kb, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    for target in (blocker / "out.md", tmp_path / "missing" / "out.md"):
        result = kb("export", "md", "-o", str(target))
        assert result.exit_code == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1 and str(target) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("kb.sqlite")) == ["file.txt"]


def test_a_directory_as_output_is_refused(kb, tmp_path):
    result = kb("export", "md", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "directory" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda text: json.loads(text) == []),
        ("jsonl", lambda text: text == ""),
        ("csv", lambda text: text.splitlines()[0].startswith("id,title,") and len(text.splitlines()) == 1),
        ("bib", lambda text: bib_entries(text) == []),
        ("md", lambda text: text.startswith("# Reading list\n") and "- [" not in text),
    ],
)
def test_empty_selection_is_a_valid_empty_file_and_a_note(kb, tmp_path, fmt, check):
    result = ok(kb("export", fmt, "-t", "no-such-topic"))
    assert check(result.stdout)
    assert result.stderr == "note: no paper matches; the export is empty\n"

    target = tmp_path / f"empty.{fmt}"
    result = ok(kb("export", fmt, "-t", "no-such-topic", "-o", str(target)))
    assert check(target.read_text(encoding="utf-8-sig"))
    assert "no paper matches" in result.stderr


def test_without_query_every_paper_newest_first(kb):
    assert csv_ids(kb("export", "csv")) == NEWEST_FIRST
    assert jsonl_ids(kb("export", "jsonl", "--order", "newest")) == NEWEST_FIRST


def test_json_dumps_come_in_the_order_papers_were_added(kb):
    assert jsonl_ids(kb("export", "jsonl")) == ADDED
    assert [p["id"] for p in json.loads(ok(kb("export", "json")).stdout)] == ADDED
    assert jsonl_ids(kb("export", "jsonl", "-t", "pruning")) == ["2403.03853", "2401.15024"]


def test_no_default_limit_but_limit_option(kb):
    assert jsonl_ids(kb("export", "jsonl", "-n", "2", "--order", "newest")) == NEWEST_FIRST[:2]
    assert jsonl_ids(kb("export", "jsonl", "--limit", "100", "--order", "newest")) == NEWEST_FIRST
    assert jsonl_ids(kb("export", "jsonl", "-n", "2")) == ADDED[:2]


def test_tag_filters(kb):
    assert set(jsonl_ids(kb("export", "jsonl", "-t", "pruning"))) == PRUNING
    assert set(jsonl_ids(kb("export", "jsonl", "-t", "model-compression", "-T", "quantization"))) == PRUNING


def test_date_year_and_author_filters(kb):
    assert jsonl_ids(kb("export", "jsonl", "--since", "2024")) == ["2403.03853", "2401.15024"]
    assert jsonl_ids(kb("export", "jsonl", "--since", "2022-11", "--until", "2024-01")) == [
        "2401.15024",
        "2211.17192",
    ]
    assert jsonl_ids(kb("export", "jsonl", "--year", "2006")) == ["kb-5"]
    assert set(jsonl_ids(kb("export", "jsonl", "--author", "Saleh Ashkbos"))) == {"2401.15024", "2210.17323"}


def test_query_takes_the_search_ranking(kb):
    for query in ("quantization", "prunning", "layers"):
        searched = ok(kb("search", query, "--format", "ids")).stdout.split()
        assert searched
        assert jsonl_ids(kb("export", "jsonl", query)) == searched


def test_query_reports_its_spelling_correction(kb):
    result = ok(kb("export", "bib", "prunning"))
    assert len(bib_entries(result.stdout)) == 2
    assert "'pruning' instead of 'prunning'" in result.stderr


def test_query_and_filters_combine(kb):
    assert jsonl_ids(kb("export", "jsonl", "gpt", "-t", "quantization")) == ["2210.17323"]


def test_bibtex_reads_back_with_keys_and_fields(kb):
    entries = {entry.key: entry for entry in bib_entries(ok(kb("export", "bib", "-t", "pruning")).stdout)}
    assert set(entries) == {"men2024shortgpt", "ashkboos2024slicegpt"}
    shortgpt = entries["men2024shortgpt"]
    assert shortgpt["eprint"] == "2403.03853"
    assert shortgpt["year"] == "2024"
    assert "Men, Xin" in shortgpt["author"]


def test_csv_reads_back_with_one_row_per_paper(kb):
    rows = csv_rows(ok(kb("export", "csv", "-t", "distillation")).stdout)
    assert [row["id"] for row in rows] == ["1503.02531", "kb-5"]
    assert rows[0]["authors"] == "Geoffrey Hinton; Oriol Vinyals; Jeff Dean"
    assert rows[1]["venue"] == "KDD" and rows[1]["year"] == "2006"
    assert "datasets" not in rows[0]


def test_csv_with_xref_adds_dataset_and_model_columns(kb):
    rows = csv_rows(ok(kb("export", "csv", "--with-xref")).stdout)
    assert {"datasets", "models"} <= set(rows[0])


def test_markdown_options(kb):
    grouped = ok(kb("export", "md", "--group-by", "year", "--title", "Compression papers")).stdout
    assert grouped.startswith("# Compression papers\n")
    assert "## 2024\n" in grouped and "## 2006\n" in grouped

    table = ok(kb("export", "md", "--style", "table", "--columns", "title,year", "--group-by", "none")).stdout
    assert "| Paper | Year |" in table
    assert table.count("\n| [") + table.count("\n| Model compression") == len(NEWEST_FIRST)

    from llmkb.awesome_list.export_reader import read_exported_list

    by_title = ok(kb("export", "md", "--sort", "title", "--group-by", "none")).stdout
    titles = [entry.title for entry in read_exported_list(by_title)]
    assert len(titles) == len(NEWEST_FIRST)
    assert titles == sorted(titles, key=str.casefold)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["md", "--group-by", "author"], "'author' is not one of 'tag', 'year', 'venue', 'none'."),
        (["md", "--style", "cards"], "'cards' is not one of 'list', 'table'."),
        (["md", "--sort", "citations"], "'citations' is not one of 'date', 'title'."),
        (["-f", "xml"], "'xml' is not one of 'md', 'bib', 'csv', 'json', 'jsonl'."),
    ],
)
def test_a_bad_choice_is_one_line_naming_the_valid_ones_and_exit_2(kb, args, message):
    result = kb("export", *args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2
    assert result.stderr.splitlines()[0].endswith(message)
    assert result.stderr.splitlines()[1] == "try 'llmkb export --help'"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["md", "--columns", "title,doi"],
        ["json", "--group-by", "year"],
        ["csv", "--title", "x"],
        ["bib", "--with-xref"],
        ["jsonl", "--since", "2024-13"],
        ["jsonl", "--dataset", "NoSuchBenchmarkAtAll"],
    ],
)
def test_bad_options_exit_2_with_one_line(kb, args):
    result = kb("export", *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
