"""Where things live: the user's database, the packaged seed database, the migrations.

Precedence for the database: `--db PATH` > `LLMKB_DB` > `platformdirs.user_data_dir("llmkb")/llmkb.sqlite`.
Packaged files are found next to the package in an installed wheel and at the repository root in a
source checkout (editable install), so the same code runs in both.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from llmkb.errors import DatabaseError, UsageError, notify

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent

SeedCopied = Callable[[Path, int], None]


def _packaged(wheel_relative: str, repo_relative: str) -> Path:
    in_wheel = _PACKAGE_DIR / wheel_relative
    return in_wheel if in_wheel.exists() else _REPO_ROOT / repo_relative


def migrations_dir() -> Path:
    return _packaged("migrations", "migrations")


def seed_db_path() -> Path:
    return _packaged("data/seed.sqlite", "data/seed.sqlite")


def default_db_path() -> Path:
    from platformdirs import user_data_dir  # only when neither --db nor LLMKB_DB names the file

    return Path(user_data_dir("llmkb", appauthor=False)) / "llmkb.sqlite"


def expand(value: str | os.PathLike[str], *, what: str = "--db") -> Path:
    """`value` with a leading `~` or `~user` expanded; UsageError for a user that does not exist."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        user = str(value)[1:].split("/", 1)[0]
        raise UsageError(f"{what} {value}: there is no user {user!r} whose home folder `~{user}` could mean") from None


def seed_note(path: Path, papers: int) -> str:
    count = f" ({papers} papers)" if papers >= 0 else ""
    return f"first run: copied the seed database{count} to {path}"


def resolve_db_path(cli_value: str | os.PathLike[str] | None, *, on_seed_copied: SeedCopied | None = None) -> Path:
    """The database a command works on; on first use of the default location the seed is copied there.

    A first-run copy is reported to `on_seed_copied(path, papers)`, by default as a note
    (`llmkb.errors.notify`: "first run: copied the seed database (73 papers) to PATH").
    """
    if cli_value:
        return expand(cli_value)
    env = os.environ.get("LLMKB_DB")
    if env:
        return expand(env, what="LLMKB_DB")
    path = default_db_path()
    if not os.path.lexists(path):
        papers = install_seed(path)
        if papers is not None:
            if on_seed_copied is not None:
                on_seed_copied(path, papers)
            else:
                notify(seed_note(path, papers))
    return path


def _seed_error(target: Path, exc: OSError) -> DatabaseError:
    return DatabaseError(
        f"cannot put the database in {target.parent}: {exc.strerror or exc}; "
        "set LLMKB_DB or pass --db PATH to keep it elsewhere"
    )


def install_seed(target: Path) -> int | None:
    """Copy the packaged seed to `target` (never opening the packaged file for writing).

    Returns None when nothing was copied (no built seed, or another process put a database there first),
    else the number of papers in the copy (-1 if it could not be counted). The copy goes to a temporary
    name, is switched to WAL (so concurrent writers queue instead of failing), and is then linked to
    `target` only if nothing is there: an interrupted first run leaves no half-written database, and two
    first runs at once never replace a database the other one has started writing.
    """
    import sqlite3

    seed = seed_db_path()
    if not seed.exists() or seed.stat().st_size == 0:
        return None  # a source checkout without a built seed: a writing command creates an empty database
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.is_dir():
            raise NotADirectoryError(20, "not a folder")
        fd, tmp = tempfile.mkstemp(prefix=".llmkb-seed-", suffix=".sqlite", dir=target.parent)
    except FileExistsError as exc:
        raise _seed_error(target, OSError(exc.errno, "a file is in the way of a folder")) from None
    except OSError as exc:
        raise _seed_error(target, exc) from None
    os.close(fd)
    papers = -1
    try:
        shutil.copyfile(seed, tmp)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            with contextlib.suppress(sqlite3.Error):
                papers = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
        finally:
            conn.close()
        try:
            os.link(tmp, target)
        except FileExistsError:
            return None
        except OSError:  # a file system without hard links
            if os.path.lexists(target):
                return None
            os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot copy the seed database to {target}: {exc}") from None
    except OSError as exc:
        raise _seed_error(target, exc) from None
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
    return papers
