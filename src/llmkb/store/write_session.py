"""Transactions for write paths: one `with write_session(path) as s:` block is one SQLite transaction.

An exception or Ctrl-C inside the block rolls everything in it back, so no command leaves half a paper.
Engines are cached per file; they keep no connection open between transactions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from llmkb.store.connection import BUSY_TIMEOUT_MS, ensure_current


@cache
def _engine(path: Path) -> Engine:
    # no pool: a connection lives exactly as long as its transaction, so nothing holds the file afterwards
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
    with Session(_engine(path), expire_on_commit=False) as session, session.begin():
        yield session
