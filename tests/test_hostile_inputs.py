"""Hostile inputs on the command line and hostile data in the database: every command answers in words (one
line, an exit code of 0, 1 or 2), never a traceback, never changes the database on a refused input, and never
lets imported text steer the terminal."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import LISTS, Cli
from kb_templates import copy_of, seed_template  # noqa: F401  (fixture)
from terminal import on_terminal
from test_safety_support import one_line, papers

HUGE = "99999999999999999999"
LONG_TAG = "x" * 60_000
HOSTILE = [
    f"kb-{HUGE}999",
    HUGE,
    f"https://arxiv.org/abs/2403.03853v{HUGE}",
    "http://[::1/abs/1",
    LONG_TAG,
    "２４０３.０３８５３",
    "\x1b[2J\x1b]52;c;ZXZpbA==\x07",
    "\u202etxt.exe",
    "[bold]x[/bold]",
    "",
    " ",
    "%s%n'; DROP TABLE paper;--",
    "-",
    "\x00",
]
# every command, with X where the hostile text goes
COMMANDS = [
    ["search", "X"],
    ["search", "-t", "X"],
    ["search", "-a", "X"],
    ["search", "--since", "X"],
    ["search", "-d", "X"],
    ["search", "-n", "X"],
    ["search", "--year", "X"],
    ["show", "X"],
    ["show", "X", "-f", "json"],
    ["tag", "add", "2403.03853", "X"],
    ["tag", "add", "X", "some-tag"],
    ["tag", "rm", "X", "pruning"],
    ["tag", "rename", "X", "other"],
    ["link", "X", "-d", "PIQA"],
    ["link", "2403.03853", "-d", "X"],
    ["link", "2403.03853", "-d", "PIQA", "--metric", "accuracy", "--value", "X"],
    ["unlink", "X", "-d", "PIQA"],
    ["import", "--dry-run", "X"],
    ["import", "X"],
    ["import", "--title", "X"],
    ["import", "--bib", "X"],
    ["refresh", "X"],
    ["import-list", "X"],
    ["export", "bib", "X"],
    ["export", "md", "-t", "X"],
    ["export", "csv", "--columns", "X"],
    ["xref", "-t", "X"],
    ["xref", "-m", "X"],
    ["xref", "matrix", "--columns", "X"],
    ["datasets", "-t", "X"],
    ["leaderboard", "X"],
    ["leaderboard", "PIQA", "-n", "X"],
    ["note", "X", "a note"],
    ["note", "2403.03853", "X"],
    ["open", "X"],
    ["rm", "X", "-y"],
    ["add", "--title", "X"],
    ["add", "--title", "t", "--url", "X"],
    ["add", "--title", "t", "--year", "X"],
]


@pytest.fixture
def seed_db(tmp_path, seed_template):  # noqa: F811
    return copy_of(seed_template, tmp_path / "seed-copy.sqlite")


@pytest.fixture
def hostile_env(monkeypatch):
    """No network (a closed port, no retries) and a browser that records instead of opening."""
    import webbrowser

    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "0")
    opened: list[str] = []

    class Browser:
        def open(self, url, *args, **kwargs):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda *a: Browser())
    return opened


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:24]))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_hostile_input_gets_a_traceback(seed_db, hostile_env, command, text):
    args = [text if word == "X" else word for word in command]
    result = Cli(seed_db)(*args, input="")
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), output
    assert "Traceback" not in output
    if result.exit_code and not (command[:2] == ["import", "--dry-run"] and "\tinvalid: " in result.stdout):
        lines = [line for line in result.stderr.splitlines() if not line.startswith(("note: ", "warning: "))]
        assert lines and lines[0].startswith("error: "), output
    assert "\x1b[2J" not in output and "\x1b]52" not in output and "\u202e" not in output


# --- each hostile item: one line out, state checked ----------------------------------------------------------------


def _content(db) -> list[str]:
    """Every row of every table (the file's bytes may differ: a write command switches a file to WAL mode)."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _unchanged(db, run):
    before = _content(db)
    result = run()
    assert _content(db) == before
    return result


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["show", f"kb-{HUGE}"], 1, f"no paper kb-{HUGE}"),
        (["tag", "add", f"kb-{HUGE}", "x"], 1, f"no paper kb-{HUGE}"),
        (["leaderboard", "PIQA", "--metric", HUGE], 2, f"unknown metric '{HUGE}'"),
        (["search", "-n", HUGE, "-f", "ids"], 0, None),
        (["leaderboard", "PIQA", "-n", HUGE], 0, None),
        (["xref", "matrix", "--columns", HUGE, "-f", "json"], 0, None),
        (["show", f"https://arxiv.org/abs/2403.03853v{HUGE}", "-f", "json"], 0, None),
        (["link", f"https://arxiv.org/abs/2403.03853v{HUGE}", "-d", "PIQA"], 0, None),
    ],
)
def test_integers_too_large_for_sqlite_are_one_line(seed_db, args, code, words):
    result = Cli(seed_db)(*args)
    assert result.exit_code == code, result.output
    if words:
        assert words in one_line(result.stderr)
    else:
        assert "Traceback" not in result.output


@pytest.mark.parametrize("option", ["--year", "-n"])
def test_numbers_too_large_for_an_option_are_a_usage_error_or_no_limit(seed_db, option):
    result = Cli(seed_db)("search", option, HUGE, "-f", "ids")
    if option == "-n":
        assert result.exit_code == 0 and len(result.stdout.split()) == 74
    else:
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"error: Invalid value for '--year': '{HUGE}' is not a four-digit year",
            "try 'llmkb search --help'",
        ]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "X"],
        ["search", "X"],
        ["tag", "add", "X", "t"],
        ["link", "X", "-d", "PIQA"],
        ["import", "X"],
        ["refresh", "X"],
        ["import-list", "X"],
        ["export", "bib", "X"],
    ],
)
def test_a_malformed_url_is_one_line_and_changes_nothing(seed_db, args):
    cli = Cli(seed_db)
    result = _unchanged(seed_db, lambda: cli(*[("http://[::1/abs/1" if a == "X" else a) for a in args]))
    assert result.exit_code == 2
    assert "is not a valid link" in one_line(result.stderr.replace(f"try 'llmkb {args[0]} --help'\n", ""))


@pytest.mark.parametrize(
    "args",
    [
        ["search", "-t", LONG_TAG],
        ["export", "md", "-t", LONG_TAG],
        ["xref", "-T", LONG_TAG],
        ["datasets", "-t", LONG_TAG],
        ["tag", "add", "2403.03853", LONG_TAG],
        ["import", "2403.03853", "-t", LONG_TAG],
        ["import-list", str(LISTS / "003_852aa6be1788eed6.txt"), "-t", LONG_TAG],
        ["add", "--title", "t", "-t", LONG_TAG],
        ["tag", "rename", "pruning", LONG_TAG],
    ],
)
def test_a_60000_character_tag_is_one_line_and_changes_nothing(seed_db, args):
    cli = Cli(seed_db)
    result = _unchanged(seed_db, lambda: cli(*args))
    assert result.exit_code == 2
    assert "longer than 200 characters" in one_line(result.stderr)
    assert len(result.stderr) < 400


@pytest.mark.parametrize(
    "args",
    [
        ["show", "２４０３.０３８５３"],
        ["show", "kb-１２"],
        ["export", "bib", "２４０３.０３８５３"],
        ["import", "--dry-run", "２４０３.０３８５３"],
        ["refresh", "２４０３.０３８５３"],
        ["search", "--since", "２０２４"],
    ],
)
def test_full_width_digits_are_not_ids_or_dates(seed_db, args):
    result = _unchanged(seed_db, lambda: Cli(seed_db)(*args))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


# --- imported data on the terminal ---------------------------------------------------------------------------------

EVIL_TITLE = "ShortGPT \x1b[2J\x1b[H\x1b]52;c;ZXZpbA==\x07 \u202eevil\u202c [bold red]markup[/bold red] \x9b31m"


@pytest.fixture
def evil_db(seed_db):
    conn = sqlite3.connect(seed_db)
    conn.execute(
        "UPDATE paper SET title = ?, note = ? WHERE arxiv_id = '2403.03853'", (EVIL_TITLE, "note \x1b[31mred\x07")
    )
    conn.commit()
    conn.close()
    return seed_db


def _safe(text: str) -> None:
    for bad in ("\x1b[2J", "\x1b[H", "\x1b]52", "\x07", "\u202e", "\u202c", "\x9b"):
        assert bad not in text, repr(bad)
    assert "[bold red]markup[/bold red]" in text  # markup in data is printed, not interpreted


@pytest.mark.parametrize(
    "args",
    [
        ["search", "2403.03853"],
        ["search", "2403.03853", "-f", "table"],
        ["search", "2403.03853", "-f", "md"],
        ["search", "2403.03853", "-f", "csv"],
        ["show", "2403.03853"],
        ["show", "2403.03853", "-f", "table"],
        ["xref", "-d", "PIQA", "-t", "pruning"],
        ["xref", "-d", "PIQA", "-t", "pruning", "-f", "table"],
        ["xref", "matrix", "-t", "pruning", "-f", "table"],
    ],
)
def test_escape_sequences_in_imported_text_never_reach_a_pipe(evil_db, args):
    from typer.testing import CliRunner

    from llmkb.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(evil_db), *args], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout + result.stderr
    if "matrix" in args:
        assert "\x1b" not in text
        return
    _safe(text)


@pytest.mark.parametrize(
    "args", [["search", "2403.03853"], ["show", "2403.03853"], ["xref", "-d", "PIQA", "-t", "pruning"]]
)
def test_escape_sequences_in_imported_text_never_reach_a_terminal(evil_db, args):
    run = on_terminal(["--db", str(evil_db), "--no-color", *args], columns=200)
    assert run.code == 0, run.output
    _safe(run.output)
    assert "\x1b[" not in run.output.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[2m", "")


def test_json_output_escapes_them_and_keeps_the_text(evil_db):
    import json

    result = Cli(evil_db)("show", "2403.03853", "-f", "json")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert json.loads(result.stdout)["title"] == EVIL_TITLE


def test_hostile_names_in_error_messages_are_cleaned(seed_db):
    result = Cli(seed_db)("link", "2403.03853", "-d", "\x1b]52;c;ZXZpbA==\x07PIQA\u202e")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr


# --- stdout closed, full, or not UTF-8 -----------------------------------------------------------------------------


def _llmkb(db, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "llmkb", "--db", str(db), *args], capture_output=True, **kwargs)


def test_a_closed_pipe_ends_quietly(seed_db):
    read, write = os.pipe()
    os.close(read)  # like `| head -1` after its line: every write now fails with EPIPE
    proc = subprocess.run(
        [sys.executable, "-m", "llmkb", "--db", str(seed_db), "search", "--all"],
        stdout=write,
        stderr=subprocess.PIPE,
        check=False,
    )
    os.close(write)
    assert proc.returncode == 0
    assert proc.stderr == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["search", "--all"], ["show", "2403.03853"], ["tags"], ["export", "bib"]])
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(seed_db, args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "llmkb", "--db", str(seed_db), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert proc.returncode == 1
    line = one_line(proc.stderr.decode())
    assert line.startswith("error: ") and os.strerror(errno.ENOSPC) in line


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}])
@pytest.mark.parametrize(
    "args",
    [
        ["show", "2401.15024"],
        ["search", "slicegpt", "-f", "table"],
        ["tags", "-f", "table"],
        ["xref", "matrix", "-f", "table"],
    ],
)
def test_an_output_encoding_without_unicode_never_gets_a_traceback(seed_db, env, args):
    proc = _llmkb(seed_db, *args, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr and b"UnicodeEncodeError" not in proc.stderr
    assert b"2401.15024" in proc.stdout or b"compression" in proc.stdout or b"ID" in proc.stdout


# --- import-list: interrupted, or given something that is not a list -----------------------------------------------


def test_ctrl_c_during_import_list_is_exit_130_one_line_and_nothing_half_done(seed_db, monkeypatch):
    import llmkb.store.papers_write as papers_write

    before = papers(seed_db)
    calls = {"n": 0}
    real = papers_write.add_tags

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(papers_write, "add_tags", interrupted)
    monkeypatch.setenv("LLMKB_OFFLINE", "1")
    result = Cli(seed_db)("import-list", str(LISTS / "001_fe4d9f8c502d677f.txt"), "-t", "brand-new-tag")
    assert result.exit_code == 130
    assert one_line(result.stderr) == "interrupted: nothing half-done was kept"
    assert papers(seed_db) == before
    assert Cli(seed_db)("search", "-t", "brand-new-tag", "-f", "ids").stdout == ""


def test_ctrl_c_on_the_second_list_keeps_the_first(db_path, monkeypatch):
    from llmkb import kb as kb_module

    real = kb_module.KB.import_list
    calls = {"n": 0}

    def second_interrupted(self, source, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, source, **kwargs)

    monkeypatch.setattr(kb_module.KB, "import_list", second_interrupted)
    first, second = LISTS / "003_852aa6be1788eed6.txt", LISTS / "001_fe4d9f8c502d677f.txt"
    result = Cli(db_path)("import-list", str(first), str(second))
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == f"interrupted: {first.name} imported; nothing of {second} was kept"
    assert papers(db_path) == 5


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00binary",
        b"# Just a heading\n\nNo links here at all.\n",
    ],
)
def test_a_file_that_is_not_a_list_is_an_error_not_zero_papers(seed_db, tmp_path, content):
    path = tmp_path / "list.md"
    path.write_bytes(content)
    result = _unchanged(seed_db, lambda: Cli(seed_db)("import-list", str(path)))
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith("error: ") and ("not an awesome list" in line or "not a text file" in line)
    assert "0 papers" not in result.stdout
