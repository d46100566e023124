"""Schema revisions: a new file gets the newest schema, old files are backed up and upgraded, newer ones
are refused untouched, and the SQLModel models and the migrations describe the same schema."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from llmkb import locations
from llmkb.errors import DatabaseError
from llmkb.store import schema_version
from llmkb.store.connection import connect


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_revision_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from llmkb.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(locations.migrations_dir() / "x.sqlite"))
    assert script.get_current_head() == schema_version.head_revision()


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_new_database_matches_the_models_exactly(db_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import llmkb.store.schema  # noqa: F401

    connect(db_path, create=True).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": lambda name, type_, _parents: not (type_ == "table" and name.startswith("paper_fts"))
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []
    # Alembic cannot compare expression indexes on SQLite; the SQL they were made with must be the models'
    from llmkb.store.schema import PAPER_DATE_SQL, PAPER_YEAR_SQL

    conn = sqlite3.connect(db_path)
    made = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('ix_paper_date', 'ix_paper_year_of')"))
    conn.close()
    assert made == {
        "ix_paper_date": f"CREATE INDEX ix_paper_date ON paper ({PAPER_DATE_SQL})",
        "ix_paper_year_of": f"CREATE INDEX ix_paper_year_of ON paper ({PAPER_YEAR_SQL})",
    }


def test_new_database_has_fts_index_and_wal(db_path):
    conn = connect(db_path, create=True)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"paper", "tag", "paper_tag", "paper_fts", "paper_fts_vocab", "paper_fts_insert"} <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_database_from_newer_version_is_refused_and_untouched(db_path, cli):
    connect(db_path, create=True).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(db_path)
    result = cli("search", "pruning")
    assert result.exit_code == 1
    assert "newer than this llmkb" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _digest(db_path) == before


def test_file_that_is_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseError, match="not an llmkb database"):
        connect(bad)
    assert bad.read_text().startswith("these are my notes")


def test_old_database_is_backed_up_then_upgraded(db_path, tmp_path, monkeypatch):
    connect(db_path, create=True).close()
    head = schema_version.head_revision()
    following = f"{int(head) + 1:04d}"
    newer = tmp_path / "migrations"
    shutil.copytree(locations.migrations_dir(), newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / f"{following}_add_reading_minutes.py").write_text(
        '"""test revision"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '{following}'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n    op.add_column('paper', sa.Column('reading_minutes', sa.Integer(), nullable=True))\n"
        "def downgrade():\n    op.drop_column('paper', 'reading_minutes')\n"
    )
    monkeypatch.setattr(locations, "migrations_dir", lambda: newer)
    schema_version.head_revision.cache_clear()
    try:
        conn = connect(db_path)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(paper)")}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        conn.close()
    finally:
        schema_version.head_revision.cache_clear()
    assert "reading_minutes" in columns
    assert revision == following
    backup = db_path.with_name(db_path.name + f".bak-{head}")
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    old.close()
