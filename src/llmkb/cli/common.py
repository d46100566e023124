"""What every command shares: the knowledge base it works on, and lines on stderr."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from llmkb.kb import KB


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    ids = "ids"


def open_kb(ctx: typer.Context, *, create: bool = False) -> KB:
    """The knowledge base `--db`, `$LLMKB_DB` or the user data folder names.

    Read commands pass `create=False`: a mistyped path is an error, not a new empty database. Commands
    that write create the database (the store says where, through `llmkb.errors.notify`).
    """
    from llmkb.kb import KB

    return KB(ctx.find_root().params.get("db"), create=create)


def err(message: str) -> None:
    """One line on stderr, never wrapped or styled, so scripts can read it."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)
