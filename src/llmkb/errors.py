"""Errors a user can cause and fix, and the exit codes the command line turns them into.

Every error llmkb raises on purpose derives from `LlmkbError`; the Python API (`llmkb.KB`) raises them, and
the command line's one handler (`llmkb.cli.app`) prints each as one line on stderr and exits with its
`exit_code`. Anything else that escapes is a bug. Standard library only: every command imports this.

Notes (`notify`) are one-line messages about something the user did not ask for but should know: the seed
was copied on a first run, a new database was created, a file was upgraded (and where its backup is), a
list's URL redirected to another host, arXiv asked us to wait. Library code calls `notify`; the CLI decides
where they go with `set_notice_handler` (nothing is printed until it does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the command ran and something it was asked could not be done
    USAGE = 2  # the command line asks for something impossible
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class LlmkbError(Exception):
    exit_code: ExitCode = ExitCode.FAILURE


class UsageError(LlmkbError):
    """The command line asks for something impossible (unknown name, bad value)."""

    exit_code = ExitCode.USAGE


class InvalidArxivId(UsageError, ValueError):
    """The text cannot be an arXiv identifier; str(error) says why in words a user understands."""


class DatabaseError(LlmkbError):
    """The database file cannot be used: not a database, corrupt, locked, missing."""


class NewerDatabase(DatabaseError):
    """The file was written by a newer llmkb; it is left untouched."""


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


class PaperNotFound(LlmkbError):
    """No stored paper has this ID or title."""


class AmbiguousPaper(LlmkbError):
    """A title fits several papers about equally well; `candidates` holds (row ID, title, score)."""

    def __init__(self, text: str, candidates: Sequence[tuple[int, str, float]]):
        self.text = text
        self.candidates = list(candidates)
        super().__init__(f"{text!r} fits several papers; give one of their IDs")


class UnknownName(UsageError):
    """A dataset, model or metric name the vocabulary cannot place; `suggestions` are the closest names."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        super().__init__(message)


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
