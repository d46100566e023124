"""Opening a database file: checked, brought to the newest schema, tuned for concurrent use.

Read commands call `connect(path)`, which never creates a file; write paths use
`llmkb.store.write_session`, which calls `ensure_current` (creating the database if there is none).
Alembic is imported only when a file actually needs an upgrade (or creating), so a search on an
up-to-date database never loads it.

What this module promises:

- every SQLite failure the user must act on (busy, damaged, not a database, read-only, disk full) comes out
  of a connection opened here as a one-line `DatabaseError` that is still an `sqlite3.Error` of the same
  class, so code that catches `sqlite3.OperationalError` keeps working;
- every database opened for writing is in WAL mode, so readers never block writers and writers queue on
  the busy timeout instead of failing at once;
- creating and upgrading a file happen under a lock (`NAME.lock`, `flock`), so two processes never
  migrate one file at the same time;
- before an upgrade the file is copied with SQLite's backup API (a consistent snapshot, WAL content
  included) to a name that did not exist (`NAME.bak-REV`, else `NAME.bak-REV.1`, ...), the copy is
  checked, and a failed upgrade is rolled back from it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn, Self
from urllib.parse import quote

from llmkb.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseError,
    DatabaseWriteError,
    LlmkbError,
    NewerDatabase,
    NoDatabaseError,
    notify,
)
from llmkb.store.schema_version import SchemaProblem, head_revision, stored_revision

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: creation and upgrades are not locked
    fcntl = None  # type: ignore[assignment]

BUSY_TIMEOUT_MS = 10_000
LOCK_POLL_S = 0.05

# SQLite primary result codes (the low byte of an extended code)
_SQLITE_ERROR = 1
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def busy_timeout_s() -> float:
    return BUSY_TIMEOUT_MS / 1000


# --- SQLite errors as one-line errors -------------------------------------------------------------------

_MIXED: dict[tuple[type, type], type] = {}


def _mixed(llmkb_class: type[DatabaseError], sqlite_class: type[sqlite3.Error]) -> type:
    """A class that is both the llmkb error (for the CLI) and the original sqlite3 error (for callers)."""
    key = (llmkb_class, sqlite_class)
    if key not in _MIXED:
        _MIXED[key] = type(llmkb_class.__name__, (llmkb_class, sqlite_class), {"__module__": __name__})
    return _MIXED[key]


def sqlite_error(exc: BaseException, path: os.PathLike[str] | str) -> DatabaseError | None:
    """The one-line error for an SQLite failure a user must act on, or None for the others (constraint
    violations, SQL mistakes: bugs or expected conditions the caller handles)."""
    if not isinstance(exc, sqlite3.Error) or isinstance(exc, LlmkbError):
        return None
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).strip() or type(exc).__name__
    kind: type[DatabaseError]
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        kind, message = DatabaseBusyError, f"the database is busy: another llmkb process is writing {path}; try again"
    elif code == _SQLITE_NOTADB:
        kind, message = DatabaseDamagedError, f"{path} is not an llmkb database ({text})"
    elif code == _SQLITE_CORRUPT:
        kind, message = (
            DatabaseDamagedError,
            f"the database {path} is damaged ({text})",
        )
    elif code == _SQLITE_FULL:
        kind, message = DatabaseWriteError, f"cannot write {path}: the disk is full"
    elif code == _SQLITE_READONLY:
        kind, message = DatabaseWriteError, f"cannot write {path}: it is read-only ({text})"
    elif code == _SQLITE_IOERR:
        kind, message = DatabaseWriteError, f"cannot read or write {path}: {text} (is the disk full or failing?)"
    elif code in (_SQLITE_CANTOPEN, _SQLITE_PERM):
        kind, message = DatabaseError, f"cannot open {path} ({text})"
    elif code == _SQLITE_ERROR and text.startswith(("no such table", "no such column")):
        kind, message = (
            DatabaseDamagedError,
            f"{path} lacks part of the llmkb schema ({text}); `llmkb db check` lists what is missing",
        )
    else:
        return None
    return _mixed(kind, type(exc))(message)


def _fail(exc: sqlite3.Error, conn: sqlite3.Connection) -> NoReturn:
    translated = sqlite_error(exc, getattr(conn, "llmkb_path", "the database"))
    if translated is None:
        raise exc
    raise translated from exc


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Self:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            _fail(exc, self.connection)

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            _fail(exc, self.connection)


class Connection(sqlite3.Connection):
    """An sqlite3 connection whose failures a user must act on are one-line `DatabaseError`s."""

    llmkb_path: Path
    read_only: bool = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _Cursor)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        return self.cursor().executescript(sql_script)

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            _fail(exc, self)


# --- opening --------------------------------------------------------------------------------------------


def file_uri(path: Path, mode: str, *, immutable: bool = False) -> str:
    """An SQLite URI for `path` (any characters) opened `ro`, `rw` (must exist) or `rwc` (may create)."""
    uri = f"file:{quote(str(Path(path).absolute()), safe='/')}?mode={mode}"
    return uri + "&immutable=1" if immutable else uri


def _open(path: Path, mode: str = "rw", *, immutable: bool = False) -> Connection:
    try:
        conn = sqlite3.connect(
            file_uri(path, mode, immutable=immutable), uri=True, timeout=busy_timeout_s(), factory=Connection
        )
    except sqlite3.Error as exc:
        translated = sqlite_error(exc, path) or DatabaseError(f"cannot open {path} ({exc})")
        raise translated from None
    conn.llmkb_path = path
    conn.read_only = mode == "ro"
    conn.row_factory = sqlite3.Row
    _tune(conn)
    return conn


def _tune(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    conn.execute("PRAGMA foreign_keys = ON")


_KINDS = (
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
)


def _existing(path: Path) -> os.stat_result | None:
    """The file at `path`, None if there is none; DatabaseError for anything that cannot hold a database."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise DatabaseError(f"{path} is a symbolic link to a missing file ({os.readlink(path)})") from None
        return None
    except NotADirectoryError:
        raise DatabaseError(f"cannot open {path}: a part of the path is a file, not a folder") from None
    except PermissionError:
        raise DatabaseError(f"cannot open {path}: permission denied") from None
    except OSError as exc:
        raise DatabaseError(f"cannot open {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseError(f"{path} is a directory, not a database file")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "special file")
        raise DatabaseError(f"{path} is a {kind}, not a database file")
    return st


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _not_writable_reason(path: Path) -> str | None:
    """Why the database at `path` cannot be written (the file, or its folder for the journal), or None."""
    with contextlib.suppress(OSError):
        if os.statvfs(_folder(path)).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    folder = _folder(path)
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only"
    return None


def _check(path: Path, conn: Connection) -> str | None:
    try:
        return stored_revision(conn)
    except SchemaProblem as exc:
        conn.close()
        raise SchemaProblem(f"{path} {exc}") from None
    except DatabaseError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path} is not an llmkb database ({exc})") from None


def _journal_mode(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()


def _ensure_wal(conn: Connection, *, wait: bool) -> None:
    """Switch the file to WAL when a command is about to write it (waiting the busy timeout, failing as
    busy). A command that only reads changes nothing in the file, not even its journal mode: a database
    named with --db (the packaged seed in a checkout, say) stays byte for byte as it was."""
    if not wait or conn.read_only or _journal_mode(conn) == "wal":
        return
    if not wait:
        conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except DatabaseError:
        if wait:
            conn.close()
            raise
    finally:
        if not wait:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")


def _open_existing(path: Path, *, writable: bool) -> Connection:
    if writable:
        return _open(path, "rw")
    conn = _open(path, "ro")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        if not isinstance(exc, sqlite3.OperationalError) or "unable to open" not in str(exc.__cause__ or exc):
            conn.close()
            raise
        # A WAL file in a folder we cannot write: SQLite cannot create its shared-memory file. Nobody
        # else can be writing it through this folder either, so read it as an unchanging file.
        conn.close()
        conn = _open(path, "ro", immutable=True)
    return conn


def _open_checked(path: Path, *, create: bool, write: bool) -> Connection:
    path = Path(path)
    if _existing(path) is None:
        if not create:
            raise NoDatabaseError(f"no database at {path} (a command that writes, such as `llmkb import`, creates one)")
        return _bring_to_head(path)
    reason = _not_writable_reason(path)
    if write and reason is not None:
        raise DatabaseWriteError(f"cannot write {path}: {reason}")
    conn = _open_existing(path, writable=reason is None)
    stored = _check(path, conn)
    head = head_revision()
    if stored == head:
        if reason is None:
            _ensure_wal(conn, wait=write)
        return conn
    conn.close()
    if stored is None:
        if not create:
            raise NoDatabaseError(
                f"{path} is an empty database, not an llmkb one yet (a command that writes, such as "
                "`llmkb import`, creates the tables)"
            )
    elif stored > head:
        raise NewerDatabase(f"{path} has schema revision {stored}, newer than this llmkb knows ({head}); upgrade llmkb")
    elif reason is not None:
        raise DatabaseWriteError(
            f"{path} has schema revision {stored} and this llmkb needs {head}, but it cannot be upgraded: {reason}"
        )
    return _bring_to_head(path)


def ensure_current(path: Path) -> Connection:
    """Return a connection to `path` at the newest schema, creating or upgrading the file as needed.

    A file from a newer llmkb is refused and left untouched. Before an upgrade the file is backed up to
    `NAME.bak-<revision>` (or `.1`, `.2`, ... if that name is taken), so a failed or unwanted upgrade
    loses nothing. Creating or upgrading reports itself with `llmkb.errors.notify`.
    """
    return _open_checked(Path(path), create=True, write=True)


def connect(path: Path, *, create: bool = False) -> Connection:
    """A connection for read commands. It never creates a file (NoDatabaseError when there is none,
    unless `create`), reads a read-only file, and upgrades an old file like `ensure_current` does."""
    return _open_checked(Path(path), create=create, write=create)


# --- creating and upgrading -----------------------------------------------------------------------------


@contextlib.contextmanager
def _schema_lock(path: Path):
    """Hold `NAME.lock` (flock) while the file is created or upgraded; busy after the busy timeout."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + busy_timeout_s()
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise DatabaseWriteError(
                f"cannot create or upgrade {path}: cannot create the lock file {lock_path} ({exc.strerror or exc})"
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DatabaseBusyError(
                            f"the database is busy: another llmkb process is creating or upgrading {path}; try again"
                        ) from None
                    time.sleep(LOCK_POLL_S)
                except OSError as exc:
                    if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
                        raise DatabaseError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
                    break  # a file system without flock (some network ones): go on unlocked, as before
            try:
                held, named = os.fstat(fd), os.stat(lock_path, follow_symlinks=False)
                current = (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(fd)
            raise
        if current:
            break
        os.close(fd)  # the holder removed the file we locked; lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


def _describe(exc: BaseException, path: Path) -> str:
    """What went wrong, in words, for an error out of SQLite, SQLAlchemy/Alembic or the OS."""
    if isinstance(exc, LlmkbError):
        return str(exc)
    original = getattr(exc, "orig", None)
    if isinstance(original, sqlite3.Error):
        exc = original
    translated = sqlite_error(exc, path)
    if translated is not None:
        return str(translated)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{type(exc).__name__}: {first_line[:200]}"


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm")]


def _remove(path: Path) -> None:
    for name in [path, *_sidecars(path)]:
        with contextlib.suppress(OSError):
            name.unlink()


def _bring_to_head(path: Path) -> Connection:
    """Create the database or upgrade it to the newest schema, under the lock, then open it."""
    from llmkb.store.migrate import upgrade

    head = head_revision()
    with _schema_lock(path):
        existed = _existing(path) is not None
        stored = None
        if existed:
            conn = _open(path, "rw")
            stored = _check(path, conn)
            if stored == head:  # another process did it while we waited for the lock
                _ensure_wal(conn, wait=True)
                return conn
            if stored is not None and stored > head:
                conn.close()
                raise NewerDatabase(
                    f"{path} has schema revision {stored}, newer than this llmkb knows ({head}); upgrade llmkb"
                )
            try:
                backup = _backup(conn, path, stored) if stored is not None else None
            finally:
                conn.close()
        else:
            backup = None
        try:
            upgrade(path)
            conn = _open(path, "rw")
            conn.execute("PRAGMA journal_mode = WAL")
        except BaseException as exc:
            if backup is None:
                if not existed:
                    _remove(path)
                if isinstance(exc, KeyboardInterrupt):
                    raise
                raise DatabaseError(f"cannot create the database at {path}: {_describe(exc, path)}") from exc
            restored = _restore(backup, path)
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome = (
                f"it was restored from the backup {backup}"
                if restored
                else f"its contents before the upgrade are in {backup}"
            )
            raise DatabaseError(f"cannot upgrade {path} to schema {head} ({_describe(exc, path)}); {outcome}") from exc
    if backup is None:
        notify(f"created a new llmkb database at {path}")
    else:
        notify(f"upgraded {path} from schema {stored} to {head}; the file as it was is kept in {backup}")
    return conn


def _new_backup_file(path: Path, revision: str, mode: int) -> tuple[Path, int]:
    """A name that did not exist, created (O_EXCL, not through a symlink) and returned with its descriptor."""
    base = f"{path.name}.bak-{revision}"
    for number in range(1000):
        candidate = path.with_name(base if number == 0 else f"{base}.{number}")
        if any(os.path.lexists(side) for side in _sidecars(candidate)):
            continue  # SQLite would apply a leftover journal to the new file
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise DatabaseWriteError(
                f"cannot back up {path} before upgrading it: cannot create {candidate} ({exc.strerror or exc}); "
                "nothing was changed"
            ) from None
        return candidate, fd
    raise DatabaseError(f"cannot back up {path} before upgrading it: {base} and 999 numbered names are taken")


def _backup(conn: Connection, path: Path, revision: str) -> Path:
    """Copy the database (a consistent snapshot, WAL content included) to a new file and check the copy."""
    size = os.stat(path).st_size
    folder = _folder(path)
    free = shutil.disk_usage(folder).free
    if free < size:
        raise DatabaseWriteError(
            f"cannot back up {path} before upgrading it: {size // 1024} KiB needed, {free // 1024} KiB free "
            f"in {folder}; nothing was changed"
        )
    backup, fd = _new_backup_file(path, revision, os.stat(path).st_mode & 0o666)
    try:
        dest = sqlite3.connect(file_uri(backup, "rw"), uri=True)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            checked = [row[0] for row in dest.execute("PRAGMA quick_check")]
            copied = dest.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            dest.close()
        if checked != ["ok"]:
            raise DatabaseDamagedError(f"the copy fails SQLite's check: {'; '.join(checked[:3])}")
        if copied is None or copied[0] != revision:
            raise DatabaseDamagedError("the copy does not hold the schema revision of the original")
        held, named = os.fstat(fd), os.lstat(backup)
        if (held.st_dev, held.st_ino) != (named.st_dev, named.st_ino):
            raise DatabaseError(f"{backup} was replaced while the backup was written")
    except BaseException as exc:
        with contextlib.suppress(OSError):
            named = os.lstat(backup)
            held = os.fstat(fd)
            if (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
                _remove(backup)
        os.close(fd)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise DatabaseError(
            f"cannot back up {path} to {backup} before upgrading it ({_describe(exc, backup)}); nothing was changed"
        ) from exc
    os.close(fd)
    return backup


def _restore(backup: Path, path: Path) -> bool:
    """Put the backup's contents back into `path` after a failed upgrade; False if that failed too."""
    try:
        source = sqlite3.connect(file_uri(backup, "ro"), uri=True)
        try:
            target = sqlite3.connect(file_uri(path, "rw"), uri=True, timeout=busy_timeout_s())
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError):
        return False
    return True
