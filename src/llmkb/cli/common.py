"""What every command shares: the database path, error reporting, output format choices, consoles."""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path

import typer

from llmkb.errors import LlmkbError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    ids = "ids"


def db_path(ctx: typer.Context) -> Path:
    from llmkb.locations import resolve_db_path

    return resolve_db_path(ctx.find_root().params.get("db"))


def open_read(ctx: typer.Context):
    from llmkb.store.connection import connect

    return connect(db_path(ctx))


def err(message: str) -> None:
    """One line on stderr, never wrapped or styled, so scripts can read it."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def out_console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def handles_errors(fn):
    """Turn an `LlmkbError` into one line on stderr and its exit code, for the command `fn`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LlmkbError as exc:
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper
