"""Errors a user can cause and fix.

Every error the CLI reports as one line on stderr derives from `LlmkbError`; its `exit_code` is what the
process exits with. Anything else that escapes is a bug.
"""


class LlmkbError(Exception):
    exit_code = 1


class UsageError(LlmkbError):
    """The command line asks for something impossible (unknown name, bad value)."""

    exit_code = 2


class DatabaseError(LlmkbError):
    """The database file cannot be used: not a database, from a newer llmkb, corrupt, locked."""


class NetworkError(LlmkbError):
    """A remote service could not be reached or answered nonsense after every retry."""


class InputError(LlmkbError):
    """A file or text the user gave could not be read as what it claims to be."""
