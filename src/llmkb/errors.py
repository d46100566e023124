"""Errors a user can cause and fix, and notes the user should see.

Every error the CLI reports as one line on stderr derives from `LlmkbError`; its `exit_code` is what the
process exits with. Anything else that escapes is a bug.

Notes (`notify`) are one-line messages about something the user did not ask for but should know: the seed
was copied on a first run, a new database was created, a file was upgraded (and where its backup is), a
list's URL redirected to another host, arXiv asked us to wait. Library code calls `notify`; the CLI decides
where they go with `set_notice_handler` (nothing is printed until it does).
"""

from __future__ import annotations

from collections.abc import Callable


class LlmkbError(Exception):
    exit_code = 1


class UsageError(LlmkbError):
    """The command line asks for something impossible (unknown name, bad value)."""

    exit_code = 2


class DatabaseError(LlmkbError):
    """The database file cannot be used: not a database, from a newer llmkb, corrupt, locked."""


class NoDatabaseError(DatabaseError):
    """A command that only reads was pointed at a path where no database exists (nothing is created)."""


class DatabaseBusyError(DatabaseError):
    """Another process holds the database for longer than the busy timeout."""


class DatabaseDamagedError(DatabaseError):
    """SQLite reports the file as corrupt, or tables llmkb needs are missing."""


class DatabaseWriteError(DatabaseError):
    """The database cannot be written: read-only file or folder, full disk, I/O error."""


class NetworkError(LlmkbError):
    """A remote service could not be reached or answered nonsense after every retry."""


class InputError(LlmkbError):
    """A file or text the user gave could not be read as what it claims to be."""


class TooLargeError(InputError):
    """An input is larger than the limit set for it (the message names the limit and how to raise it)."""


# --- notes ----------------------------------------------------------------------------------------------

NoticeHandler = Callable[[str], None]
_notice_handler: NoticeHandler | None = None


def set_notice_handler(handler: NoticeHandler | None) -> NoticeHandler | None:
    """Send every later `notify` message to `handler` (None: drop them); returns the previous handler."""
    global _notice_handler
    previous, _notice_handler = _notice_handler, handler
    return previous


def notify(message: str) -> None:
    """Tell the user something in one line, if the program has said how (see `set_notice_handler`)."""
    if _notice_handler is not None:
        _notice_handler(" ".join(message.split()))
