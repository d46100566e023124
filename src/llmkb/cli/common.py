"""What every command shares: the knowledge base it works on, the papers it is given, lines on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from llmkb.cli import output
from llmkb.cli.output import Format as OutputFormat  # noqa: F401  (the name commands have imported)

if TYPE_CHECKING:
    from rich.console import Console

    from llmkb.kb import KB


def db_option(ctx: typer.Context) -> str | None:
    """The database the command line, the environment or the config file names (None: the default)."""
    db = ctx.find_root().params.get("db")
    if db or os.environ.get("LLMKB_DB"):
        return db
    from llmkb.config import load

    configured = load().db
    return str(configured) if configured is not None else None


def open_kb(ctx: typer.Context, *, create: bool = False) -> KB:
    """The knowledge base `--db`, `$LLMKB_DB`, the config file or the user data folder names.

    Read commands pass `create=False`: a mistyped path is an error, not a new empty database. Commands
    that write create the database (the store says where, through `llmkb.errors.notify`).
    """
    from llmkb.kb import KB

    return KB(db_option(ctx), create=create)


def paper_refs(refs: Sequence[str] | None) -> tuple[list[str], bool]:
    """The papers named on the command line, with `-` replaced by the IDs on standard input; also whether
    they came from standard input (which then cannot answer a question)."""
    from llmkb.refs import check_text, expand_stdin

    expanded, from_stdin = expand_stdin(list(refs or []), sys.stdin)
    for ref in expanded:
        check_text(ref, "paper")
    return expanded, from_stdin


def err(message: str) -> None:
    """One line on stderr, never wrapped or styled, so scripts can read it."""
    output.err(message)


def out_console() -> Console:
    return output.console()


def confirm(question: str, *, yes: bool, from_stdin: bool = False) -> bool:
    """Whether to go ahead: `-y`, else the answer to `question` (no answer is no)."""
    if yes:
        return True
    if from_stdin:
        from llmkb.errors import UsageError

        raise UsageError("the papers came from standard input, so it cannot answer; add -y to go ahead")
    sys.stderr.write(output.clean(question) + " [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        sys.stderr.write("\n")
    return answer.strip().lower() in ("y", "yes")
