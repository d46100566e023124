"""Run Alembic on a database file. Imported only when a file must be created or upgraded."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from llmkb import locations


def alembic_config(path: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(locations.migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return cfg


def upgrade(path: Path, revision: str = "head") -> None:
    command.upgrade(alembic_config(path), revision)
