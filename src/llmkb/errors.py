"""Errors a user can cause and fix, and the exit codes the command line turns them into.

Every error llmkb raises on purpose derives from `LlmkbError`; the Python API (`llmkb.KB`) raises them, and
the command line's one handler (`llmkb.cli.app`) prints each as one line on stderr and exits with its
`exit_code`. Anything else that escapes is a bug. Standard library only: every command imports this.
"""

from __future__ import annotations

from collections.abc import Sequence
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


class DatabaseError(LlmkbError):
    """The database file cannot be used: not a database, corrupt, locked, missing."""


class NewerDatabase(DatabaseError):
    """The file was written by a newer llmkb; it is left untouched."""


class NetworkError(LlmkbError):
    """A remote service could not be reached or answered nonsense after every retry."""


class InputError(LlmkbError):
    """A file or text the user gave could not be read as what it claims to be."""


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
