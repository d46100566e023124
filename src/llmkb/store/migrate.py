"""Run Alembic on a database file. Imported only when a file must be created or upgraded."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from alembic import command
from alembic.config import Config

from llmkb import locations
from llmkb.store.connection import file_uri


def sqlalchemy_url(path: Path, mode: str = "rwc") -> str:
    """An SQLAlchemy URL for any file name: the path goes percent-encoded in an SQLite URI, so `?`, `#`
    and `%` in a folder or file name are part of the name, never of the URL. `mode` as in `file_uri`.
    SQLAlchemy decodes the database part once before SQLite decodes the URI, hence the second quoting."""
    sqlite_uri, query = file_uri(path, mode).split("?", 1)
    return f"sqlite:///{quote(sqlite_uri, safe='/:')}?{query}&uri=true"


def alembic_config(path: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(locations.migrations_dir()))
    # Alembic's config is a ConfigParser: a literal % must be written %%
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(path).replace("%", "%%"))
    return cfg


def upgrade(path: Path, revision: str = "head") -> None:
    command.upgrade(alembic_config(path), revision)
