"""Every paper's record as JSON text, for dumps of everything (`export json|jsonl` with no filter).

SQLite's JSON functions build the text, one range of paper IDs at a time: the paper's own columns with one
scan of the primary key, its tags, datasets, models and results with one range scan of each related table
(their keys start with paper_id) instead of four look-ups per paper. That is all CPU work in SQLite, so a
large dump splits it: a helper process builds every other range on the other core and sends the text down
a pipe, and a million papers dump in less than twice the time `sqlite3 -json` takes to print their rows.

The helper reads the same snapshot as this process: both read transactions start while a third connection
holds the write lock (so no import can commit between them), and the lock is let go before anything else is
read. When the lock cannot be had at once (an import is writing, the file is read-only), or on a platform
without `fork`, every range is built here, in one transaction; the text is the same either way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from llmkb import forked
from llmkb.store.records import RECORD_JSON

STEP = 5_000
"""Papers per range: the unit both processes read and the most text either holds at once (~5 MB)."""

HELPER_FROM = 20_000
"""Papers from which a helper pays for itself (forking and a second connection cost a few milliseconds)."""

_BASE_JSON = RECORD_JSON[: RECORD_JSON.index("'tags'")].rstrip().rstrip(",") + ")"
_PAPERS = f"SELECT p.id, {_BASE_JSON}, p.arxiv_id FROM paper p WHERE p.id BETWEEN ? AND ? ORDER BY p.id"
_RELATED = (
    "SELECT pt.paper_id, json_group_array(t.name) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.paper_id BETWEEN ? AND ? GROUP BY pt.paper_id",
    "SELECT l.paper_id, json_group_array(json_object('name', e.name, 'role', l.role, 'source', l.source)) "
    "FROM paper_dataset l JOIN dataset e ON e.id = l.dataset_id WHERE l.paper_id BETWEEN ? AND ? GROUP BY l.paper_id",
    "SELECT l.paper_id, json_group_array(json_object('name', e.name, 'role', l.role, 'source', l.source)) "
    "FROM paper_model l JOIN model e ON e.id = l.model_id WHERE l.paper_id BETWEEN ? AND ? GROUP BY l.paper_id",
    "SELECT r.paper_id, json_group_array(json_object('dataset', d.name, 'model', m.name, 'metric', x.name, "
    "'value', r.value, 'setting', r.setting, 'source', r.source)) FROM result r "
    "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id LEFT JOIN model m ON m.id = r.model_id "
    "WHERE r.paper_id BETWEEN ? AND ? GROUP BY r.paper_id",
)
"""Tags, datasets, models and results of a range of papers as JSON arrays by paper. A scan of each key gives
the order within a paper that `records_for` uses (the order the store keeps)."""

_URL = '"https://arxiv.org/abs/%s"'


def iter_all_record_json(path: str | Path) -> Iterator[str]:
    """Every paper's public record as JSON text, in the order papers were added."""
    conn = sqlite3.connect(path, isolation_level=None)
    helper: forked.Child | None = None
    try:
        span = conn.execute("SELECT max(id) - min(id) + 1 FROM paper").fetchone()[0] or 0
        gate = _write_lock(path) if span >= HELPER_FROM and forked.AVAILABLE else None
        try:
            conn.execute("BEGIN")
            first, last = conn.execute("SELECT min(id), max(id) FROM paper").fetchone()
            ranges = [] if first is None else [(lo, min(lo + STEP - 1, last)) for lo in range(first, last + 1, STEP)]
            if gate is not None and ranges:
                helper = _start_helper(str(path), ranges)
        finally:
            _release(gate)
        for number, (lo, hi) in enumerate(ranges):
            yield from _from_helper(helper) if helper and number % 2 else records_in(conn, lo, hi)
    finally:
        if helper:
            helper.stop()
        conn.close()


def records_in(conn: sqlite3.Connection, lo: int, hi: int) -> list[str]:
    """The records of the papers whose IDs lie from `lo` to `hi`, in ID order."""
    rows = conn.execute(_PAPERS, (lo, hi)).fetchall()
    tags, datasets, models, results = (dict(conn.execute(sql, (lo, hi))).get for sql in _RELATED)
    return [
        f'{base[:-1]},"tags":{tags(pid, "[]")},"url":{"null" if arxiv_id is None else _URL % arxiv_id},'
        f'"datasets":{datasets(pid, "[]")},"models":{models(pid, "[]")},"results":{results(pid, "[]")}}}'
        for pid, base, arxiv_id in rows
    ]


def _write_lock(path: str | Path) -> sqlite3.Connection | None:
    """A connection holding the write lock, or None when it is not free at once (or may not be taken)."""
    gate = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        gate.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        gate.close()
        return None
    return gate


def _release(gate: sqlite3.Connection | None) -> None:
    if gate is not None:
        with suppress(sqlite3.Error):
            gate.execute("ROLLBACK")
        gate.close()


def _start_helper(path: str, ranges: list[tuple[int, int]]) -> forked.Child | None:
    """A child building every other range, once its read transaction has begun; None if it could not start."""
    helper = forked.fork(lambda send: _serve(path, ranges, send))
    if helper is None:
        return None
    try:
        ready = helper.receive()
    except EOFError:
        ready = None
    if ready != "ready":
        helper.stop()
        return None
    return helper


def _from_helper(helper: forked.Child) -> list[str]:
    """The records of the helper's next range (it sends them in order, at most a range ahead: a pipe holds little)."""
    try:
        message = helper.receive()
    except EOFError:
        raise sqlite3.OperationalError("the helper process of the dump stopped") from None
    if isinstance(message, str):
        raise sqlite3.OperationalError(message)
    records: list[str] = message
    return records


def _serve(path: str, ranges: list[tuple[int, int]], send: forked.Send) -> None:
    """The helper's whole life: begin the read transaction, say so, then send the records of every other range."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("SELECT 1 FROM paper LIMIT 1").fetchall()
        send("ready")
        for lo, hi in ranges[1::2]:
            send(records_in(conn, lo, hi))
    except sqlite3.Error as error:
        send(f"{type(error).__name__}: {error}")  # the reader raises it: a helper has no stderr of its own
