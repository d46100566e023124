"""Transactions for write paths: one `with write_session(path) as s:` block is one SQLite transaction.

An exception or Ctrl-C inside the block rolls everything in it back, so no command leaves half a paper.
Engines are cached per file; they keep no connection open between transactions. SQLite failures a user
must act on (busy past the busy timeout, disk full, read-only, damaged file) leave the block as one-line
`DatabaseError`s, whichever statement hit them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from llmkb.store import connection
from llmkb.store.connection import ensure_current, sqlite_error


@cache
def _engine(path: Path, busy_timeout_ms: int) -> Engine:
    from llmkb.store.migrate import sqlalchemy_url

    # no pool: a connection lives exactly as long as its transaction, so nothing holds the file afterwards
    engine = create_engine(
        sqlalchemy_url(path, "rw"),
        connect_args={"timeout": busy_timeout_ms / 1000},
        poolclass=NullPool,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        # let SQLAlchemy, not pysqlite, decide when a transaction begins (BEGIN IMMEDIATE below)
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def write_session(path: Path) -> Iterator[Session]:
    path = Path(path).resolve()
    ensure_current(path).close()
    try:
        engine = _engine(path, int(connection.BUSY_TIMEOUT_MS))
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except (DBAPIError, sqlite3.Error) as exc:
        original = exc.orig if isinstance(exc, DBAPIError) else exc
        translated = sqlite_error(original, path) if original is not None else None
        if translated is None:
            raise
        raise translated from exc
