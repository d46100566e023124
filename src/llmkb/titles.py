"""Normalized title keys: how two spellings of one title are recognised as the same paper.

Lists write titles in capitals, without spaces after colons, with or without a trailing period; the key
ignores case, accents, punctuation and spacing, and keeps every letter of every script ("LLaMA 大模型综述"
and "LLaMA 大模型微调" are two papers). Stdlib only: read and write paths both use it.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    if title.isascii():
        return _NON_WORD.sub(" ", title.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    folded = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    return _NON_WORD.sub(" ", folded).strip()


def short_name_of(title: str) -> str | None:
    """The name a title opens with, "LaCo" in "LaCo: Large Language Model Pruning via Layer Collapse", or None:
    a single word of at most 24 characters before the colon, with a capital or a digit after its first letter
    (a name, not "Survey" or "Introduction")."""
    head, colon, rest = title.partition(":")
    head = head.strip()
    if not colon or not rest.strip() or " " in head or not 1 < len(head) <= 24:
        return None
    return head if any(ch.isupper() or ch.isdigit() for ch in head[1:]) else None
