"""Help that teaches (metavars a person types, usage lines without Python types, examples on every screen) and
shell completion of commands, options and names from the database, fast on a large one."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kb_templates import copy_of, seed_template  # noqa: F401  (fixture)
from llmkb.cli.app import app, click_app
from terminal import in_pipe


@pytest.fixture
def seed_db(tmp_path, seed_template):  # noqa: F811
    return copy_of(seed_template, tmp_path / "seed-copy.sqlite")


def _paths(group=None, prefix=()):
    group = group or click_app()
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = list(_paths())


def _help(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("path", [(), ("tag",), ("db",), *COMMANDS], ids=lambda p: " ".join(p) or "llmkb")
def test_help_names_what_to_type_never_a_python_type(path):
    text = _help(*path)
    assert not re.search(r"<(str|bool|int|float|path|list\[[^>]*\]|[a-z]+ range)>", text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "[[" not in usage and "{" not in usage and "}" not in usage, usage


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_shows_an_example(path):
    text = _help(*path)
    assert "Examples:" in text
    examples = [line.strip() for line in text.splitlines() if line.strip().startswith("$ ")]
    assert examples and all("llmkb" in line for line in examples)
    assert any(f"llmkb {' '.join(path)}" in line for line in examples)


def test_the_top_help_ends_with_the_commands_a_new_user_needs():
    text = _help()
    start = text.index("Start here:")
    lines = [line.strip() for line in text[start:].splitlines() if line.strip().startswith("llmkb ")]
    assert [line.split()[1] for line in lines[:5]] == ["search", "show", "import", "tag", "export"]
    assert "--install-completion" in text[start:]


@pytest.mark.parametrize(
    ("args", "metavar"),
    [
        (["search"], "-t, --tag TAG"),
        (["search"], "-n, --limit N"),
        (["export"], "-o, --output FILE"),
        (["show"], "ID..."),
        (["rm"], "-y, --yes"),
        (["import-list"], "FILE..."),
    ],
)
def test_metavars_say_what_goes_there(args, metavar):
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    words = " ".join(result.stdout.replace("│", " ").split())
    parts = metavar.replace(",", "").split()
    assert all(part in words for part in parts), words


# --- completion ----------------------------------------------------------------------------------------------


def _bash(words: str, **env: str) -> list[str]:
    count = len(words.split()) - (0 if words.endswith(" ") else 1)
    result = in_pipe([], _LLMKB_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(count), **env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("llmkb se", {"search"}),
        ("llmkb ta", {"tags", "tag"}),
        ("llmkb search --ta", {"--tag"}),
        ("llmkb search -t prun", {"pruning"}),
        ("llmkb xref -d PI", {"PIQA"}),
        ("llmkb search -m LLaMA-2-1", {"LLaMA-2-13B"}),
        ("llmkb show 2403.0385", {"2403.03853"}),
        (
            "llmkb tag add 2403.03853 compression/quantization/p",
            {"compression/quantization/post-training-quantization-ptq"},
        ),
    ],
)
def test_bash_completes_commands_options_and_names_from_the_database(seed_db, words, expected):
    assert expected <= set(_bash(words, LLMKB_DB=str(seed_db)))


def test_completion_reads_the_database_named_by_db(seed_db):
    assert "2403.03853" in _bash(f"llmkb --db {seed_db} show 2403.038")


def test_completion_without_a_database_completes_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.sqlite"
    assert _bash("llmkb show 2403", LLMKB_DB=str(missing)) == []
    assert not missing.exists()


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_names_with_a_description(seed_db, shell):
    env = {
        "_LLMKB_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "llmkb show 2403.0385",
        "LLMKB_DB": str(seed_db),
    }
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = in_pipe([], **env)
    assert result.returncode == 0, result.stderr
    assert "2403.03853" in result.stdout and "ShortGPT" in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_for_each_shell(shell):
    result = in_pipe(["--show-completion", shell])
    assert result.returncode == 0, result.stderr
    assert "_LLMKB_COMPLETE" in result.stdout


@pytest.mark.parametrize("args", [[], ["tag"], ["db"]])
def test_a_group_without_a_command_shows_its_help_and_no_empty_error(args):
    result = CliRunner().invoke(app, args)
    assert "Usage: llmkb" in result.stdout and "Commands" in result.stdout
    assert result.stderr == ""
