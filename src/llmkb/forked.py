"""A forked child process that sends values back down a pipe: SQLite work for the other core.

Two reads split their SQLite work this way: search ranks a huge match in two halves (`llmkb.fts_top`) and the
dump of everything builds every other range of papers (`llmkb.store.record_dump`). Threads would gain
nothing: SQLite serialises its memory allocator across the connections of one process. The child touches
nothing it inherited (it opens its own connection) and leaves by `os._exit`, so it neither runs the parent's
clean-up nor flushes the parent's buffers a second time. Values travel as length-prefixed marshal data:
strings, numbers, tuples and lists, which is what SQLite rows are. Only on Linux, where forking is cheap and
safe for a process that runs no threads; elsewhere `fork` returns None and callers do the work themselves.
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import Any, BinaryIO

Send = Callable[[Any], None]

AVAILABLE = sys.platform == "linux"

_HEADER = 8  # bytes of the length that precedes each value


class Child:
    """The parent's end: the values the child sends, in order, then its exit."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self.pid = pid
        self.pipe = pipe

    def receive(self) -> Any:
        """The next value the child sent; EOFError once it has sent all it will (it ended, or died)."""
        header = self.pipe.read(_HEADER)
        if len(header) < _HEADER:
            raise EOFError("the child sent nothing more")
        size = int.from_bytes(header, "little")
        data = self.pipe.read(size)
        if len(data) < size:
            raise EOFError("the child stopped while sending")
        return marshal.loads(data)

    def finish(self) -> bool:
        """Waits for the child to end; whether its work returned without an error."""
        self.pipe.close()
        try:
            _pid, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return False
        return status == 0

    def stop(self) -> None:
        """Ends the child now, whatever it is doing (the parent has what it needs, or gave up), and reaps it."""
        self.pipe.close()
        with suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def fork(work: Callable[[Send], None]) -> Child | None:
    """A child running `work(send)`, which exits with status 0 if `work` returns and 1 if it raises; None when
    no child can be started here."""
    if not AVAILABLE:
        return None
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:

                def send(value: Any) -> None:
                    data = marshal.dumps(value)
                    out.write(len(data).to_bytes(_HEADER, "little"))
                    out.write(data)
                    out.flush()

                work(send)
            status = 0
        except BaseException:  # noqa: BLE001, S110 - the parent sees the status and does the work itself
            pass
        finally:
            os._exit(status)
    os.close(write)
    return Child(pid, os.fdopen(read, "rb"))
