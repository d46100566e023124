"""The output layer: every listing prints the same way into a pipe, as a table that fits on a terminal, in the
same `--format` names everywhere; results on stdout and messages on stderr."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from kb_templates import copy_of, seed_template  # noqa: F401  (fixture)
from llmkb.cli import output
from llmkb.cli.output import Column, Rows
from terminal import ANSI, on_terminal

# every command that prints rows, with arguments that give some on the seed database
LISTINGS = [
    ["search", "pruning"],
    ["xref", "-t", "pruning", "-d", "PIQA"],
    ["xref", "matrix", "-t", "pruning"],
    ["datasets", "-t", "pruning"],
    ["models", "-t", "pruning"],
    ["tags"],
]
ROW_FORMATS = ["table", "tsv", "csv", "json", "jsonl", "ids", "md"]


@pytest.fixture
def seed_db(tmp_path, seed_template):  # noqa: F811
    return copy_of(seed_template, tmp_path / "seed-copy.sqlite")


@pytest.fixture
def with_results(seed_cli, tmp_path):
    rows = "paper,model,dataset,metric,value,setting\n2403.03853,LLaMA-2-7B,PIQA,accuracy,75.6,0-shot\n"
    (tmp_path / "r.csv").write_text(rows)
    assert seed_cli("import-results", str(tmp_path / "r.csv")).exit_code == 0
    return seed_cli


@pytest.mark.parametrize("args", [*LISTINGS, ["leaderboard", "PIQA"], ["metrics"]])
def test_into_a_pipe_every_listing_is_tab_separated_lines(with_results, args):
    result = with_results(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    widths = {len(line.split("\t")) for line in lines}
    assert len(widths) == 1 and widths.pop() >= 2, lines[:3]
    assert not any(ch in result.stdout for ch in "┃│┏━")


@pytest.mark.parametrize("args", [["show", "2403.03853"], ["db", "info"]])
def test_a_detail_into_a_pipe_is_label_tab_value_without_padding(seed_cli, args):
    lines = seed_cli(*args).stdout.splitlines()
    assert lines and all(len(line.split("\t")) == 2 for line in lines)
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize("args", LISTINGS)
@pytest.mark.parametrize("fmt", ROW_FORMATS)
def test_every_listing_takes_every_format_name(seed_cli, args, fmt):
    result = seed_cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if fmt == "json":
        assert json.loads(text)
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in text.splitlines())
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
    elif fmt == "md":
        assert text.splitlines()[0].startswith("| ") and text.splitlines()[1].startswith("|---")
    elif fmt == "ids":
        assert all("\t" not in line and line.strip() for line in text.splitlines())
    elif fmt == "table":
        assert ("┏" if args != ["tags"] else "├──") in text  # forced: a table (the tags tree) even into a pipe


def test_search_ids_are_the_ids_of_the_rows(seed_cli):
    rows = [line.split("\t")[0] for line in seed_cli("search", "pruning").stdout.splitlines()]
    assert seed_cli("search", "pruning", "-f", "ids").stdout.split() == rows


@pytest.mark.parametrize(
    "args",
    [
        ["search", "zzzzqqqq"],
        ["xref", "-d", "GSM8K"],
        ["xref", "matrix", "-d", "GSM8K"],
        ["leaderboard", "GSM8K"],
        ["datasets", "--unresolved"],
    ],
)
def test_nothing_found_is_said_on_stderr_and_stdout_stays_empty(seed_cli, args):
    result = seed_cli(*args)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip()


def test_nothing_found_as_json_is_still_json(seed_cli):
    assert json.loads(seed_cli("search", "zzzzqqqq", "-f", "json").stdout) == []
    assert seed_cli("search", "zzzzqqqq", "-f", "jsonl").stdout == ""


# --- on a terminal -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ["search", "pruning"],
        ["xref", "-t", "pruning", "-d", "PIQA"],
        ["xref", "matrix", "-t", "pruning", "--columns", "0"],
        ["datasets", "-t", "pruning", "--all"],
        ["show", "2403.03853"],
    ],
)
def test_on_a_terminal_tables_fit_its_width_and_keep_every_column(seed_db, args, columns):
    run = on_terminal(["--db", str(seed_db), *args], columns=columns)
    assert run.code == 0, run.output
    lines = [line for line in run.plain.splitlines() if not line.startswith("note: ")]
    assert lines
    assert max(len(line) for line in lines) <= columns, "\n".join(lines)
    if args[0] == "show":
        assert "ShortGPT" in run.plain
        return
    header = {"search": ["ID", "Year", "Title", "Tags"], "datasets": ["Dataset", "Papers", "Task", "Usual metric"]}
    expected = header.get(args[0], ["ID"])
    for name in expected:
        assert f" {name} " in run.plain
    if args[:2] == ["xref", "matrix"]:
        pipe = on_terminal(["--db", str(seed_db), *args, "-f", "json"], columns=columns)
        for dataset in json.loads(pipe.plain)["columns"]:
            assert dataset in run.plain.replace("\n", " ")  # every column is there, in some part of the table


def _colours(text: str) -> list[str]:
    """The SGR codes in `text` that set a colour (bold and dim are not colours)."""
    found = []
    for code in ANSI.findall(text):
        if code.endswith("m"):
            params = [int(p) for p in code[2:-1].split(";") if p.isdigit()]
            if any(30 <= p <= 49 or 90 <= p <= 107 for p in params):
                found.append(code)
    return found


def test_no_color_and_NO_COLOR_turn_colours_off(seed_db):
    coloured = on_terminal(["--db", str(seed_db), "search", "pruning", "-n", "2"])
    assert _colours(coloured.output)
    for run in (
        on_terminal(["--db", str(seed_db), "--no-color", "search", "pruning", "-n", "2"]),
        on_terminal(["--db", str(seed_db), "search", "pruning", "-n", "2"], NO_COLOR="1"),
    ):
        assert run.code == 0
        assert not _colours(run.output)
        assert "2402.11187" in run.output


# --- the layer's own rules ------------------------------------------------------------------------------------


def test_table_widths_never_exceed_the_width_and_split_rather_than_drop():
    rows = Rows(
        [Column("ID", wrap=False), Column("Title", ratio=3), *(Column(f"Dataset{i}") for i in range(12))],
        [["2403.03853", "A long title " * 5, *("✓" for _ in range(12))]],
    )
    for width in (40, 80, 200):
        groups = output.column_groups(rows, width)
        assert sorted({i for g in groups for i in g}) == list(range(14))
        assert all(g[0] == 0 for g in groups)
        for group in groups:
            part = Rows([rows.columns[i] for i in group], [[rows.rows[0][i] for i in group]])
            widths = output.column_widths(part, width)
            assert sum(widths) + 3 * len(widths) + 1 <= width or len(group) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain title", "plain title"),
        ("clear\x1b[2Jscreen", "clearscreen"),
        ("osc\x1b]52;c;ZXZpbA==\x07 52", "osc 52"),
        ("osc\x1b]0;title\x1b\\ done", "osc done"),
        ("bidi \u202ereversed\u202c text", "bidi reversed text"),
        ("c1 \x9b31m red", "c1 red"),
        ("nul\x00 and bell\x07", "nul and bell"),
        ("tabs\tand\nlines", "tabs and lines"),
        ("[bold]markup[/bold]", "[bold]markup[/bold]"),
    ],
)
def test_clean_removes_what_could_steer_a_terminal(text, expected):
    assert output.clean(text) == expected


def test_json_escapes_what_could_steer_a_terminal_and_still_parses():
    data = {"title": "x\x1b[2J\u202e\x9by"}
    text = output.json_text(data)
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    assert json.loads(text) == data


def test_no_color_reaches_the_help_too(seed_db):
    assert _colours(on_terminal(["search", "--help"]).output)
    assert not _colours(on_terminal(["--no-color", "search", "--help"]).output)
    assert "NO_COLOR" not in os.environ  # set for one run only


def test_the_render_names_older_commands_use_go_through_the_same_layer(capsys):
    from llmkb.cli import render

    record = {"id": "2403.03853", "year": 2024, "title": "A \x1b[2Jtitle", "short_name": None, "tags": ["a", "b"]}
    render.print_tsv([record])
    render.print_ids([record])
    render.print_json({"title": "\x1b[2J"})
    assert capsys.readouterr().out == '2403.03853\t2024\tA title\ta,b\n2403.03853\n{\n  "title": "\\u001b[2J"\n}\n'


def test_export_csv_neutralises_formulas_unless_raw(seed_cli, seed_db):
    import sqlite3

    conn = sqlite3.connect(seed_db)
    conn.execute("UPDATE paper SET title = '=HYPERLINK(\"http://x\")' WHERE arxiv_id = '2403.03853'")
    conn.commit()
    conn.close()

    def title(*extra: str) -> str:
        result = seed_cli("export", "csv", "2403.03853", *extra)
        assert result.exit_code == 0, result.stderr
        return next(csv.DictReader(io.StringIO(result.stdout)))["title"]

    assert title() == '\'=HYPERLINK("http://x")'
    assert title("--raw") == '=HYPERLINK("http://x")'
    refused = seed_cli("export", "md", "--raw")
    assert refused.exit_code == 2 and refused.stderr == "error: --raw applies to csv exports only, not md\n"
