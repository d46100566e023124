"""Which schema revision a database file has, and which one this code wants, without importing Alembic.

Revisions are named `NNNN` and live in `migrations/versions/NNNN_<slug>.py`, so the newest one is the
largest number among the file names: reading a directory listing is far cheaper than loading Alembic on
every command. `tests/test_migrations.py` checks that this agrees with Alembic's own idea of the head.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from llmkb import locations


@cache
def head_revision() -> str:
    versions = locations.migrations_dir() / "versions"
    numbers = [p.name.split("_", 1)[0] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py")]
    if not numbers:
        raise RuntimeError(f"no migrations found in {versions}")
    return max(numbers)


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """The revision recorded in the file; None for a file with no tables at all (a new database)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        (count,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if count == 0:
            return None
        raise
    return row[0] if row else None
