"""Databases built once per test session and copied for each test: creating a schema or switching a file to
WAL costs a second of disk syncs, which hundreds of command-line tests need not pay each."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import SEED_DB
from kb_factory import build_small_kb
from llmkb.store.connection import ensure_current


def _settled(path: Path) -> Path:
    ensure_current(path).close()  # the newest schema, in WAL mode, as any write leaves it
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("templates") / "seed.sqlite"
    shutil.copyfile(SEED_DB, path)
    return _settled(path)


@pytest.fixture(scope="session")
def small_template(tmp_path_factory) -> Path:
    return _settled(build_small_kb(tmp_path_factory.mktemp("templates") / "small.sqlite"))


def copy_of(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target
