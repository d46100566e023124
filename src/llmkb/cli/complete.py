"""Shell completion of values from the database: tags, datasets, models and paper IDs.

Completion runs on every Tab, so it must answer in a few milliseconds whatever the size of the database:
plain `sqlite3` opened read-only (never creating, copying or upgrading anything), prefix queries the
indexes answer, and at most `LIMIT` candidates. Any problem (no database yet, a locked or damaged file)
completes nothing rather than printing an error into the user's prompt.
"""

import os
from pathlib import Path
from urllib.parse import quote

import typer

LIMIT = 50
_TOP = "\U0010ffff"  # sorts after every character: [prefix, prefix + _TOP) is "starts with prefix"


def _db_path(ctx: typer.Context | None) -> Path | None:
    db = None
    if ctx is not None:
        try:
            db = ctx.find_root().params.get("db")
        except AttributeError:
            db = None
    if db:
        return Path(db).expanduser()
    env = os.environ.get("LLMKB_DB")
    if env:
        return Path(env).expanduser()
    from llmkb.config import load
    from llmkb.errors import LlmkbError

    try:
        configured = load().db
    except LlmkbError:
        return None
    if configured is not None:
        return configured
    from llmkb.locations import default_db_path

    return default_db_path()


def _rows(ctx: typer.Context | None, sql: str, params: tuple) -> list[tuple]:
    import sqlite3

    try:
        path = _db_path(ctx)
        if path is None or not path.is_file():
            return []
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, RuntimeError, ValueError):
        return []


def _help(text: str | None) -> str:
    from llmkb.cli.output import clean

    text = clean(text)
    return text if len(text) <= 70 else text[:69] + "…"


def tags(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.strip()
    rows = _rows(
        ctx,
        "SELECT name, papers FROM tag WHERE name >= ? AND name < ? ORDER BY name LIMIT ?",
        (prefix, prefix + _TOP, LIMIT),
    )
    return [(name, f"{count} papers") for name, count in rows]


def _names(ctx: typer.Context, table: str, incomplete: str) -> list[tuple[str, str]]:
    # case as stored: the shell keeps only candidates that start with exactly what was typed
    prefix = incomplete.strip()
    rows = _rows(
        ctx,
        f"SELECT name, papers FROM {table} WHERE name >= ? AND name < ? ORDER BY name LIMIT ?",
        (prefix, prefix + _TOP, LIMIT),
    )
    return [(name, f"{count} papers") for name, count in rows]


def datasets(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _names(ctx, "dataset", incomplete)


def models(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _names(ctx, "model", incomplete)


def papers(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.strip()
    if prefix.lower().startswith("kb-"):
        digits = prefix[3:]
        if not (digits.isascii() and (digits.isdigit() or not digits)):
            return []
        rows = _rows(
            ctx,
            "SELECT 'kb-' || id, title FROM paper WHERE arxiv_id IS NULL AND CAST(id AS TEXT) LIKE ? "
            "ORDER BY id LIMIT ?",
            (digits + "%", LIMIT),
        )
    elif prefix:
        rows = _rows(
            ctx,
            "SELECT arxiv_id, title FROM paper WHERE arxiv_id >= ? AND arxiv_id < ? ORDER BY arxiv_id LIMIT ?",
            (prefix, prefix + _TOP, LIMIT),
        )
    else:
        rows = _rows(
            ctx,
            # the newest papers; the bound lets SQLite walk the primary key from the end, not the table
            "SELECT COALESCE(arxiv_id, 'kb-' || id), title FROM paper "
            "WHERE id <= (SELECT max(id) FROM paper) ORDER BY id DESC LIMIT ?",
            (LIMIT,),
        )
    return [(ref, _help(title)) for ref, title in rows]
