"""Keep README.md true: its command reference is the live `--help`, its examples are real runs.

- Between `<!-- commands:start -->` and `<!-- commands:end -->`, the README holds `llmkb COMMAND --help` of
  every command, as a terminal 100 columns wide shows it.
- Every ```console block is a session: each `$ llmkb ...` line runs (in order, on one fresh copy of the seed
  database, so later examples see what earlier ones changed) and the lines below it are its output as a
  terminal 100 columns wide shows it. A pipeline of llmkb commands (`a | llmkb b`) feeds a's output to b,
  and `| head -N` keeps N lines; notes and warnings are stderr, shown where they appear. ```sh blocks are
  not run (they need the network or files of your own).

`tests/test_readme.py` fails when either part is stale; this script rewrites both.

Usage: python scripts/gen_cli_docs.py [--check]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
WIDTH = 100
START, END = "<!-- commands:start -->", "<!-- commands:end -->"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


# --- the command reference ------------------------------------------------------------------------------


def command_paths() -> list[list[str]]:
    """Every command as the words that name it, in the order `llmkb --help` lists them."""
    from llmkb.cli.app import click_app

    paths: list[list[str]] = []

    def walk(group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            if getattr(command, "hidden", False):
                continue
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])
            else:
                paths.append([*prefix, name])

    walk(click_app(), [])
    return paths


@contextmanager
def _help_width() -> Iterator[None]:
    from typer import rich_utils

    saved = (rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM)
    rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM = WIDTH, False, None
    try:
        yield
    finally:
        rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM = saved


def help_text(path: list[str]) -> str:
    from typer.testing import CliRunner

    from llmkb.cli.app import app

    with _help_width():
        result = CliRunner().invoke(app, [*path, "--help"], env={"NO_COLOR": "1", "COLUMNS": str(WIDTH)})
    if result.exit_code != 0:
        raise SystemExit(f"llmkb {' '.join(path)} --help failed: {result.output}")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def reference() -> str:
    parts = [START, "", "`llmkb --help`:", "", "```text", help_text([]), "```"]
    for path in command_paths():
        name = " ".join(path)
        parts += ["", f"#### llmkb {name}", "", "```text", help_text(path), "```"]
    parts += ["", END]
    return "\n".join(parts)


def with_reference(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + reference() + tail


# --- the examples --------------------------------------------------------------------------------------------


@dataclass
class Example:
    command: str
    shown: list[str]


def examples(block: str) -> list[Example]:
    out: list[Example] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(Example(line[2:], []))
        elif out:
            out[-1].shown.append(line)
    return out


def _stages(command: str) -> list[list[str]]:
    return [shlex.split(stage) for stage in command.split(" | ")]


def run_example(command: str) -> tuple[list[str], list[str]]:
    """What `command` prints on a terminal WIDTH columns wide: (stderr lines, stdout lines)."""
    from typer.testing import CliRunner

    from llmkb.cli import output
    from llmkb.cli.app import app

    stages = _stages(command)
    stdin: str | None = None
    errors: list[str] = []
    for index, words in enumerate(stages):
        last = index == len(stages) - 1
        if words[0] == "head":
            count = int(words[1].lstrip("-n")) if len(words) > 1 else 10
            stdin = "".join((stdin or "").splitlines(keepends=True)[:count])
            continue
        if words[0] != "llmkb":
            raise SystemExit(f"README example {command!r}: only llmkb and head can run")
        to_terminal = last
        saved = output.stdout_is_terminal
        output.stdout_is_terminal = (lambda: True) if to_terminal else (lambda: False)  # type: ignore[assignment]
        try:
            result = CliRunner().invoke(app, words[1:], input=stdin, env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
        finally:
            output.stdout_is_terminal = saved  # type: ignore[assignment]
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        errors += result.stderr.splitlines()
        stdin = result.stdout
    return [line.rstrip() for line in errors], [line.rstrip() for line in (stdin or "").splitlines()]


def matches(shown: list[str], errors: list[str], lines: list[str]) -> bool:
    """Whether `shown` is stdout's lines with stderr's lines put in anywhere, each stream in its order (a
    terminal interleaves them as they come)."""
    found = 0
    rest = []
    for line in shown:
        if found < len(errors) and line == errors[found]:
            found += 1
        else:
            rest.append(line)
    return found == len(errors) and rest == lines


@contextmanager
def seed_session() -> Iterator[Path]:
    """A fresh copy of the seed database as LLMKB_DB, a scratch working folder that sees data/, no config."""
    saved_env = {k: os.environ.get(k) for k in ("LLMKB_DB", "LLMKB_CONFIG", "LLMKB_OFFLINE", "NO_COLOR")}
    saved_cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "llmkb.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
        (folder / "data").symlink_to(ROOT / "data")
        os.environ.update({"LLMKB_DB": str(db), "LLMKB_CONFIG": str(folder / "no-config.toml"), "LLMKB_OFFLINE": "1"})
        os.chdir(folder)
        try:
            yield db
        finally:
            os.chdir(saved_cwd)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def with_examples(text: str) -> str:
    """README text with every console example's output replaced by what it prints now."""

    def rewrite(block: re.Match) -> str:
        lines: list[str] = []
        for example in examples(block.group(1)):
            errors, printed = run_example(example.command)
            fresh = example.shown if matches(example.shown, errors, printed) else errors + printed
            lines += [f"$ {example.command}", *fresh]
        return "```console\n" + "\n".join(lines) + "\n```"

    with seed_session():
        return _BLOCK.sub(rewrite, text)


def stale_examples(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(command, shown, actual) for every console example whose output is not what it prints."""
    stale = []
    with seed_session():
        for block in _BLOCK.finditer(text):
            for example in examples(block.group(1)):
                errors, printed = run_example(example.command)
                if not matches(example.shown, errors, printed):
                    stale.append((example.command, example.shown, errors + printed))
    return stale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 if README.md is stale; write nothing.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    text = README.read_text(encoding="utf-8")
    fresh = with_examples(with_reference(text))
    if args.check:
        if fresh != text:
            print("README.md is stale: run python scripts/gen_cli_docs.py", file=sys.stderr)
            raise SystemExit(1)
        return
    if fresh != text:
        README.write_text(fresh, encoding="utf-8")
        print("README.md updated")


if __name__ == "__main__":
    main()
