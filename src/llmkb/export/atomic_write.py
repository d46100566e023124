"""Write an export file so that readers only ever see the old file or the complete new one.

The text goes to a temporary file in the target's directory (so the final rename stays on one filesystem)
and replaces the target only when the writer finished without error. An existing file is never replaced
unless the caller says so.
"""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from llmkb.errors import LlmkbError, UsageError


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _refuse_existing(path: Path, force: bool) -> None:
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool) -> Iterator[TextIO]:
    """Yield a UTF-8 text stream that becomes `path` when the block ends without an exception.

    Lines are written as given (newline=""), so "\\n" stays "\\n" and the CSV writer's "\\r\\n" is kept.
    Raises UsageError when `path` exists and `force` is false, or when its directory cannot take a file.
    """
    import tempfile  # only exports to a file need it

    target = Path(path)
    _refuse_existing(target, force)
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
        mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
        os.chmod(temp, mode)
        # Checked again: the file may have appeared while the export was running.
        _refuse_existing(target, force)
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            raise LlmkbError(f"cannot write {target}: {error.strerror or error}") from error
        raise
