"""Which schema revision a database file has, and which one this code wants, without importing Alembic.

Revisions are named `NNNN` and live in `migrations/versions/NNNN_<slug>.py`, so the newest one is the
largest number among the file names: reading a directory listing is far cheaper than loading Alembic on
every command. `tests/test_migrations.py` checks that this agrees with Alembic's own idea of the head.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from llmkb import locations
from llmkb.errors import DatabaseError

REVISION = re.compile(r"\d{4}")


class SchemaProblem(DatabaseError):
    """The file is an SQLite database but its record of the schema revision is missing or makes no sense."""


@cache
def head_revision() -> str:
    versions = locations.migrations_dir() / "versions"
    numbers = [p.name.split("_", 1)[0] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py")]
    if not numbers:
        raise RuntimeError(f"no migrations found in {versions}")
    return max(numbers)


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """The revision recorded in the file; None for a file with no tables at all (a new database).

    Raises SchemaProblem when tables exist but `alembic_version` is missing, empty, holds several rows or
    a value that is not a revision number. Any other SQLite error (locked, not a database) propagates:
    only a missing table means "not an llmkb database", never a lock.
    """
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "alembic_version" not in tables:
        if {"paper", "tag"} <= tables:
            raise SchemaProblem(
                "has llmkb tables but no alembic_version table, so its schema revision is unknown: the file is damaged"
            )
        raise SchemaProblem("is not an llmkb database (it has no alembic_version table)")
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if not rows:
        raise SchemaProblem("records no schema revision (its alembic_version table is empty): the file is damaged")
    if len(rows) > 1:
        raise SchemaProblem(f"records {len(rows)} schema revisions instead of one: the file is damaged")
    revision = rows[0][0]
    if not isinstance(revision, str) or not REVISION.fullmatch(revision):
        raise SchemaProblem(f"records the schema revision {revision!r}, which is not one llmkb writes")
    return revision
