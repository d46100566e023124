"""Where things live: the user's database, the packaged seed database, the migrations.

Precedence for the database: `--db PATH` > `LLMKB_DB` > `platformdirs.user_data_dir("llmkb")/llmkb.sqlite`.
Packaged files are found next to the package in an installed wheel and at the repository root in a
source checkout (editable install), so the same code runs in both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def _packaged(wheel_relative: str, repo_relative: str) -> Path:
    in_wheel = _PACKAGE_DIR / wheel_relative
    return in_wheel if in_wheel.exists() else _REPO_ROOT / repo_relative


def migrations_dir() -> Path:
    return _packaged("migrations", "migrations")


def seed_db_path() -> Path:
    return _packaged("data/seed.sqlite", "data/seed.sqlite")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("llmkb", appauthor=False)) / "llmkb.sqlite"


def resolve_db_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """The database a command works on; on first use of the default location the seed is copied there."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("LLMKB_DB")
    if env:
        return Path(env).expanduser()
    path = default_db_path()
    if not path.exists():
        install_seed(path)
    return path


def install_seed(target: Path) -> None:
    """Copy the packaged seed to `target` (never opening the packaged file for writing).

    The copy goes to a temporary name first, so an interrupted first run leaves no half-written database.
    """
    seed = seed_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not seed.exists() or seed.stat().st_size == 0:
        return  # a source checkout without a built seed: the store creates an empty database
    fd, tmp = tempfile.mkstemp(prefix=".llmkb-seed-", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(seed, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
