"""The README cannot drift: its command reference is the live `--help`, and every `console` example runs, on a
fresh copy of the seed database, with the output shown (see `scripts/gen_cli_docs.py` for the convention)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _docs():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_cli_docs"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


docs = _docs()


def test_the_command_reference_is_the_live_help():
    assert docs.with_reference(README) == README, "run python scripts/gen_cli_docs.py"


def test_the_reference_covers_every_command():
    reference = README.split(docs.START, 1)[1].split(docs.END, 1)[0]
    for path in docs.command_paths():
        assert f"#### llmkb {' '.join(path)}\n" in reference
        assert f"Usage: llmkb {' '.join(path)} " in reference


def test_every_console_example_prints_what_the_readme_shows():
    stale = docs.stale_examples(README)
    assert not stale, "\n\n".join(
        f"$ {command}\nREADME:\n" + "\n".join(shown) + "\nactual:\n" + "\n".join(actual)
        for command, shown, actual in stale
    )


def test_there_are_examples_of_the_everyday_verbs():
    commands = [example.command for block in docs._BLOCK.finditer(README) for example in docs.examples(block.group(1))]
    for verb in ("search", "show", "tags", "tag add", "export", "xref", "link", "note", "add", "rm", "import-list"):
        assert any(c == f"llmkb {verb}" or c.startswith(f"llmkb {verb} ") for c in commands), verb
    assert any(" | llmkb export bib -" in c for c in commands)


@pytest.mark.parametrize(
    ("shown", "errors", "lines", "expected"),
    [
        (["note: a", "x", "y"], ["note: a"], ["x", "y"], True),
        (["x", "note: a", "y"], ["note: a"], ["x", "y"], True),
        (["x", "y"], ["note: a"], ["x", "y"], False),
        (["y", "x"], [], ["x", "y"], False),
        (["x", "y", "z"], [], ["x", "y"], False),
    ],
)
def test_stderr_lines_may_sit_anywhere_but_each_stream_keeps_its_order(shown, errors, lines, expected):
    assert docs.matches(shown, errors, lines) is expected
