"""Every command has help text and appears in the README, and the README's two set-up commands are the
ones CI runs."""

from __future__ import annotations

from conftest import ROOT
from llmkb.cli.app import COMMANDS, click_app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


def test_every_command_has_help_and_is_in_the_readme():
    commands = dict(_commands(click_app()))
    assert {
        "search",
        "show",
        "tags",
        "tag add",
        "import",
        "import-list",
        "refresh",
        "export",
        "xref",
        "leaderboard",
        "link",
        "db info",
        "db check",
    } <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"llmkb {name} has no help text"
        assert f"llmkb {name}" in README, f"llmkb {name} is not in README.md"


def test_the_help_listing_says_what_each_command_says_of_itself():
    """`llmkb --help` lists commands from a table, without importing them; the table must not drift."""
    group = click_app()
    for name, (_module, _attribute, listed) in COMMANDS.items():
        own = (group.commands[name].help or "").strip().split("\n\n")[0]
        assert " ".join(own.split()) == listed, f"COMMANDS[{name!r}] differs from the command's own help"


def test_readme_starts_with_the_two_set_up_commands_and_ci_runs_the_test_one():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert lines == ["pip install . && llmkb search pruning", "pip install -e '.[test]' && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[test]'" in ci
    assert "\npython -m pytest\n" in ci
