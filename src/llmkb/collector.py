"""Pausing Python's cyclic garbage collector through work that allocates much and makes no cycles.

Parsing a list part makes a few hundred thousand small objects (tokens, pieces); importing a big list keeps
growing containers (the report's row IDs, the rows this import added) while each part's records come and
go. Neither makes garbage cycles, but the collector's passes, each walking every live container, made
parsing a third slower and the import's writer a sixth. Reference counting still frees everything as it goes;
the collector runs again afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
