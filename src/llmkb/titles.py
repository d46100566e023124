"""Normalized title keys: how two spellings of one title are recognised as the same paper.

Lists write titles in capitals, without spaces after colons, with or without a trailing period; the key
ignores case, accents, punctuation and spacing. Stdlib only: read and write paths both use it.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode() or title
    return _NON_WORD.sub(" ", folded.casefold()).strip()
