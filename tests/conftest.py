"""Fixtures shared by every test: an isolated user directory, temp databases, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arxiv_server import arxiv_server  # noqa: F401  (fixture: a local arXiv API with fault injection)
from llmkb.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
SEED_DB = ROOT / "data" / "seed.sqlite"
LISTS = ROOT / "data" / "lists"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user data folder or a database named in the environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("LLMKB_DB", raising=False)
    monkeypatch.delenv("LLMKB_CONFIG", raising=False)
    for name in ("VISUAL", "EDITOR", "NO_COLOR", "LLMKB_ARXIV_DELAY", "LLMKB_ARXIV_MAX_WAIT"):
        monkeypatch.delenv(name, raising=False)
    # No test reaches the network: imports stay offline unless a test starts the local arXiv stand-in
    # (`arxiv_server`), and anything that still asks arXiv meets a closed local port.
    monkeypatch.setenv("LLMKB_OFFLINE", "1")
    monkeypatch.setenv("LLMKB_ARXIV_URL", "http://127.0.0.1:9/api/query")
    return home


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    """A database migrated once per session through Alembic, the real way."""
    from llmkb.store import migrate

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    migrate.upgrade(path)
    return path


@pytest.fixture(autouse=True)
def _new_databases_from_the_template(request, _template_db, monkeypatch):
    """A new database gets the template's pages instead of a migration run: the same schema (the template
    was migrated by Alembic), without paying Alembic per test. Upgrades of existing files, and the tests of
    migrations themselves, still run Alembic."""
    if request.node.get_closest_marker("real_migrations") or request.module.__name__ == "test_migrations":
        return
    from llmkb.store import migrate

    real = migrate.upgrade

    def upgrade(path, revision: str = "head") -> None:
        import sqlite3

        conn = sqlite3.connect(path)
        try:
            blank = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            if blank and revision == "head":
                source = sqlite3.connect(_template_db)
                try:
                    source.backup(conn)
                finally:
                    source.close()
                return
        finally:
            conn.close()
        real(path, revision)

    monkeypatch.setattr(migrate, "upgrade", upgrade)


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A path for a new, empty database (created on first use)."""
    return tmp_path / "kb.sqlite"


@pytest.fixture
def seed_db(tmp_path) -> Path:
    """A private copy of the packaged seed database."""
    target = tmp_path / "seed-copy.sqlite"
    shutil.copyfile(SEED_DB, target)
    return target


class Cli:
    def __init__(self, db: Path | None):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        prefix = ["--db", str(self.db)] if self.db else []
        return self.runner.invoke(app, [*prefix, *args], input=input, catch_exceptions=False)


@pytest.fixture
def cli(db_path) -> Cli:
    """Run llmkb on the empty temp database: `result = cli("search", "x")`."""
    return Cli(db_path)


@pytest.fixture
def seed_cli(seed_db) -> Cli:
    """Run llmkb on a copy of the seed database."""
    return Cli(seed_db)
