"""Tag names: slugs of heading text, joined into paths with `/`.

`Pruning and Sparsity` -> `pruning-and-sparsity`; nested headings give `compression/pruning`. Users type
tags in any case and spacing; everything goes through `tag_path` before it reaches the database.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[^\w]+|_+", re.UNICODE)


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("&", " and ").replace("+", " plus ")
    return _SEPARATORS.sub("-", folded).strip("-")


def tag_path(text: str) -> str:
    """A user-typed tag (`Model Compression/Pruning`) as a stored tag path (`model-compression/pruning`)."""
    return "/".join(s for s in (slugify(part) for part in text.split("/")) if s)
