"""Opening a database file: checked, brought to the newest schema, tuned for concurrent use.

Every command goes through `connect`. Read commands then query with plain `sqlite3`; write paths use
`llmkb.store.write_session`, which calls `ensure_current` itself. Alembic is imported only when a file
actually needs an upgrade (or creating), so a search on an up-to-date database never loads it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from llmkb.errors import DatabaseError
from llmkb.store.schema_version import head_revision, stored_revision

BUSY_TIMEOUT_MS = 10_000


def _tune(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    _tune(conn)
    return conn


def _check(path: Path, conn: sqlite3.Connection) -> str | None:
    try:
        return stored_revision(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path} is not an llmkb database ({exc})") from None


def ensure_current(path: Path) -> sqlite3.Connection:
    """Return a connection to `path` at the newest schema, creating or upgrading the file as needed.

    A file from a newer llmkb is refused and left untouched. Before an upgrade the file is copied to
    `NAME.bak-<revision>`, so a failed or unwanted upgrade loses nothing.
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if not path.parent.exists():
        raise DatabaseError(f"cannot create {path}: folder {path.parent} does not exist")
    try:
        conn = _open(path)
    except sqlite3.OperationalError as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    stored = _check(path, conn)
    head = head_revision()
    if stored == head:
        return conn
    if stored is not None and stored > head:
        conn.close()
        raise DatabaseError(f"{path} has schema revision {stored}, newer than this llmkb knows ({head}); upgrade llmkb")
    if stored is not None:
        backup = path.with_name(f"{path.name}.bak-{stored}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copy2(path, backup)
    else:
        conn.close()
    from llmkb.store.migrate import upgrade

    upgrade(path)
    conn = _open(path)
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection for read commands; same checks as `ensure_current`. `create=False`: a path with no
    database is an error, not a new empty database (a mistyped `--db` must not look like an empty one)."""
    if not create and not Path(path).exists():
        raise DatabaseError(f"no database at {path} (commands that write, such as `llmkb import`, create one)")
    return ensure_current(Path(path))
