"""Resolving a dataset, model or metric name a user typed to the name stored in the database.

The vocabulary's resolver decides first (`llmkb.vocab.names`). A name it cannot place may still be one an
imported list wrote and the database kept as written ("Mixtral-7B"): such a stored name is accepted when
typed the same way (after normalization), so those links can be queried, linked and unlinked too.
Anything else is a UsageError with the resolver's "did you mean". Standard library and sqlite3 only:
read commands use it.
"""

from __future__ import annotations

import sqlite3

from llmkb.vocab.names import normalize, resolve, resolve_or_raise
from llmkb.vocab.vocabulary import Kind


def stored_name(conn: sqlite3.Connection, kind: Kind, name: str) -> str:
    """The canonical or kept-as-written name `name` stands for; UsageError ("did you mean") otherwise."""
    resolution = resolve(kind, name)
    if resolution.canonical is not None:
        return resolution.canonical
    if kind in ("dataset", "model"):
        key = normalize(name) or name.strip().casefold()
        for (stored,) in conn.execute(f"SELECT name FROM {kind} WHERE resolved = 0"):
            if (normalize(stored) or stored.casefold()) == key:
                return stored
    return resolve_or_raise(kind, name)
