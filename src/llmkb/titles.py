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
