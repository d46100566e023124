"""Write an export file so that readers only ever see the old file or the complete new one.

The text goes to a temporary file in the target's directory (so the final rename stays on one filesystem)
and replaces the target only when the writer finished without error. An existing file is never replaced
unless the caller says so.

Only regular files are ever replaced, and only new paths are created. What is not a regular file is
written *through*, never replaced: a named pipe or a character device (`/dev/null`, a terminal) is opened
and written directly, and `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` write to the descriptor this process
already has. A symbolic link is followed: the file it points to is what gets written. Directories, block
devices and sockets are refused.
"""

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from llmkb.errors import LlmkbError, UsageError

_INHERITED = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _refuse_existing(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    if os.path.lexists(path) and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")


def _inherited_fd(path: Path) -> int | None:
    text = str(path)
    if text in _STANDARD:
        return _STANDARD[text]
    m = _INHERITED.match(text)
    return int(m.group(1)) if m else None


def _write_error(target: Path, error: OSError) -> LlmkbError:
    return LlmkbError(f"cannot write {target}: {error.strerror or error}")


@contextlib.contextmanager
def _through(fd: int, target: Path, *, close: bool) -> Iterator[TextIO]:
    """Text written straight to `fd` (a pipe, device or inherited descriptor): no temporary file."""
    for standard in (sys.stdout, sys.stderr):  # what the process wrote before comes first
        with contextlib.suppress(Exception):
            standard.flush()
    try:
        stream = os.fdopen(fd, "w", encoding="utf-8", newline="", closefd=close)
    except OSError as error:
        if close:
            os.close(fd)
        raise _write_error(target, error) from None
    try:
        with stream:
            yield stream
            stream.flush()
    except OSError as error:
        raise _write_error(target, error) from error


def _open_special(target: Path, mode: int) -> int:
    """A descriptor for a named pipe or character device, without creating, truncating or blocking."""
    flags = os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC
    if stat.S_ISFIFO(mode):
        flags |= os.O_NONBLOCK  # no reader: fail now instead of waiting for one for ever
    try:
        fd = os.open(target, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise UsageError(f"cannot write {target}: it is a named pipe and nothing is reading from it") from None
        raise _write_error(target, error) from None
    if stat.S_ISFIFO(mode):
        os.set_blocking(fd, True)
    return fd


def _stat(target: Path) -> os.stat_result | None:
    """What `target` is, following symbolic links; None when nothing is there (or a link points nowhere)."""
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise UsageError(f"cannot write {target}: {target.parent} is not a directory") from None
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool) -> Iterator[TextIO]:
    """Yield a UTF-8 text stream that becomes `path` when the block ends without an exception.

    Lines are written as given (newline=""), so "\\n" stays "\\n" and the CSV writer's "\\r\\n" is kept.
    Raises UsageError when `path` exists and `force` is false, or when its directory cannot take a file.
    Pipes, character devices and `/dev/stdout` are written through (see the module docstring).
    """
    target = Path(path)
    inherited = _inherited_fd(target)
    if inherited is not None:
        try:
            os.fstat(inherited)
        except OSError:
            raise UsageError(f"cannot write {target}: descriptor {inherited} is not open") from None
        with _through(inherited, target, close=False) as stream:
            yield stream
        return

    info = _stat(target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"cannot write {target}: it is a directory")
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            with _through(_open_special(target, info.st_mode), target, close=True) as stream:
                yield stream
            return
        kind = "block device" if stat.S_ISBLK(info.st_mode) else "socket" if stat.S_ISSOCK(info.st_mode) else "file"
        raise UsageError(f"cannot write {target}: it is a {kind}, and exports only replace regular files")
    if os.path.islink(target):
        if not force:
            what = "a symbolic link" if info is not None else "a symbolic link to a missing file"
            raise UsageError(f"{target} already exists ({what}); use --force to write the file it points to")
        target = Path(os.path.realpath(target))  # replace the file the link points to, keep the link
    with _replacing(target, force=force) as stream:
        yield stream


@contextlib.contextmanager
def _replacing(target: Path, *, force: bool) -> Iterator[TextIO]:
    import tempfile  # only exports to a file need it

    _refuse_existing(target, force=force)
    directory = target.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise UsageError(f"cannot write {target}: directory {directory} does not exist") from None
    except NotADirectoryError:
        raise UsageError(f"cannot write {target}: {directory} is not a directory") from None
    except PermissionError:
        raise UsageError(f"cannot write {target}: directory {directory} is not writable") from None
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None

    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        current = _stat(target)
        if current is not None and not stat.S_ISREG(current.st_mode):
            raise UsageError(f"cannot write {target}: it stopped being a regular file during the export")
        mode = current.st_mode & 0o7777 if current is not None else _default_mode()
        os.chmod(temp, mode)
        # Checked again: the file may have appeared while the export was running.
        _refuse_existing(target, force=force)
        if force:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            raise _write_error(target, error) from error
        raise


def _link_new(temp: Path, target: Path) -> None:
    """Give the finished file its name only if the name is still free (atomic where links exist)."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; use --force to overwrite it") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        os.replace(temp, target)  # a file system without hard links: checked just before
        return
    temp.unlink()
