"""Tag names: slugs of heading text, joined into paths with `/`.

`Pruning and Sparsity` -> `pruning-and-sparsity`; nested headings give `compression/pruning`. Users type
tags in any case and spacing; everything goes through `tag_path` before it reaches the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from llmkb.errors import UsageError

_SEPARATORS = re.compile(r"[^\w]+|_+", re.UNICODE)


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("&", " and ").replace("+", " plus ")
    return _SEPARATORS.sub("-", folded).strip("-")


def tag_path(text: str) -> str:
    """A user-typed tag (`Model Compression/Pruning`) as a stored tag path (`model-compression/pruning`)."""
    return "/".join(s for s in (slugify(part) for part in text.split("/")) if s)


MAX_TAG_LENGTH = 200
"""A stored tag path is at most this many characters: room for any heading path a list writes, and small
enough that the tag tree prints."""

MAX_TAG_DEPTH = 8
"""A stored tag path has at most this many segments (real lists nest headings four or five deep)."""


def checked_tags(names: Iterable[str]) -> list[str]:
    """User-typed tags as stored tag paths, duplicates removed: the one validator every entry point uses.

    UsageError for a tag with no letters or digits, longer than MAX_TAG_LENGTH or deeper than MAX_TAG_DEPTH.
    """
    paths: list[str] = []
    for name in names:
        if len(name) > 10 * MAX_TAG_LENGTH:  # not even worth slugifying
            raise UsageError(f"tag {name[:40]!r}... is longer than {MAX_TAG_LENGTH} characters")
        path = tag_path(name)
        if not path:
            raise UsageError(f"tag {name!r} has no letters or digits")
        if len(path) > MAX_TAG_LENGTH:
            raise UsageError(f"tag {path[:40]!r}... is longer than {MAX_TAG_LENGTH} characters")
        if path.count("/") >= MAX_TAG_DEPTH:
            raise UsageError(f"tag {path[:40]!r}... has more than {MAX_TAG_DEPTH} levels")
        paths.append(path)
    return list(dict.fromkeys(paths))
