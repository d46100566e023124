"""Clean-up of short inline texts: mojibake, PDF-extraction artefacts, leftover punctuation.

Everything here works on one title, note or citation, never on the whole document.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WS = re.compile(r"\s+")

# UTF-8 text that was decoded as cp1252 ("â€”" for "—"): a lead byte followed by the right number of
# continuation bytes, each shown as its cp1252 character. Decoding validates the guess, so real accented
# text ("café…") is left alone.
_CONT = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}")
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4]")


def repair_mojibake(text: str) -> str:
    if not _MOJIBAKE_HINT.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        try:
            return m.group().encode("cp1252").decode("utf-8")
        except UnicodeError:
            return m.group()

    return _MOJIBAKE.sub(fix, text)


def squash(text: str) -> str:
    """Every run of whitespace as one space, ends dropped. (`str.split` splits on exactly what `\\s` matches
    and is several times faster than a regex substitution; this runs on nearly every text of a list.)"""
    return " ".join(text.split())


def single_spaced(text: str) -> str:
    """Every run of whitespace as one space, ends kept: pieces are joined later, so their edges matter."""
    if text.isprintable() and "  " not in text:
        return text  # a printable text has no whitespace but the plain space
    return _WS.sub(" ", text)


def join_spaced(head: str, tail: str) -> str:
    """Two single-spaced texts as one, without a double space where they meet."""
    if head.endswith(" ") and tail.startswith(" "):
        tail = tail[1:]
    return head + tail


_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:|/&-]*\s*\)|\[\s*[,;:|/&-]*\s*\]|（\s*）|【\s*】")
# (Replacements are "" or a function: a template such as r"\1" costs a Python call on every use.)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?)\]])")
_REPEATED_SEPARATORS = re.compile(r"([,;|])(?:\s*[,;|])+")


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)


_LEADING_JUNK = " \t,.;:|-–—·•/\\>*_~=+"
_TRAILING_JUNK = " \t,;:|-–—·•/\\<*_~=+("


_PAIRS = {")": "(", "]": "[", "}": "{", "】": "【", "）": "（"}


def _opens(s: str, closer: str) -> bool:
    return _PAIRS[closer] in s[: s.find(closer)] if closer in s else False


@lru_cache(maxsize=4096)
def without_empty_brackets(text: str) -> str:
    """The text without the "[ ]" and "( )" that removed links leave behind."""
    for _ in range(3):
        new = _EMPTY_BRACKETS.sub(" ", text)
        if new == text:
            break
        text = new
    return text


@lru_cache(maxsize=4096)
def clean_note(text: str) -> str | None:
    """Text left over after the title, venue and links were taken out, or None when nothing real is left."""
    s = squash(text)
    for _ in range(3):
        new = _EMPTY_BRACKETS.sub("", s)
        if new == s:
            break
        s = new
    s = _SPACE_BEFORE_PUNCT.sub("", s)
    s = _REPEATED_SEPARATORS.sub(_first_group, s)
    s = squash(s.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK))
    # Brackets left open or closed by removed links: "] [" around "[[paper](...)] [[code](...)]".
    while s and ((s[0] in ")]}】）" and not _opens(s, s[0])) or (s[-1] in "([{【（")):
        s = squash(s[1:] if s[0] in ")]}】）" and not _opens(s, s[0]) else s[:-1])
        s = squash(s.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK))
    if not any(ch.isalnum() for ch in s):
        return None
    return s


# --- PDF-extraction artefacts (only applied to pasted reference citations) -----------------------------

_NUMBER_CONTEXT = frozenset(
    {
        "page",
        "pages",
        "pp",
        "p",
        "vol",
        "volume",
        "no",
        "number",
        "issue",
        "chapter",
        "section",
        "top",
        "over",
        "than",
        "about",
        "first",
        "last",
        "with",
        "to",
    }
)
_YEAR_TOKEN = re.compile(r"(?:19|20)\d{2}[.,:;)]?")
_HYPHEN_BREAK = re.compile(r"(\w)- (\S+)")
_KEEP_APART = frozenset({"and", "or", "to", "vs", "vs."})


def _is_line_number(prev: str, token: str, nxt: str) -> bool:
    if not (len(token) == 3 and token.isdigit()):
        return False
    if prev.endswith("-"):
        return True  # "Alexan- 659 dru", "Small- 790 100"
    if not (prev[-1].isalpha() or prev[-1] in ".,;:"):
        return False
    if prev.lower().strip(".,;:") in _NUMBER_CONTEXT:
        return False
    return nxt[0].isalpha() or bool(_YEAR_TOKEN.fullmatch(nxt))


def _join_hyphen_break(m: re.Match[str]) -> str:
    head, word = m.group(1), m.group(2)
    if word[0].islower() and "-" not in word and word.lower() not in _KEEP_APART:
        return head + word  # "ma- chine" -> "machine"
    if word.lower() in _KEEP_APART:
        return m.group(0)  # "pre- and post-training"
    return f"{head}-{word}"  # "Small- 100" -> "Small-100", "fusion- in-decoder" -> "fusion-in-decoder"


def clean_pdf_artefacts(text: str) -> str:
    """Drops stray PDF line numbers ("language 679 models") and joins hyphenation breaks ("ma- chine")."""
    tokens = text.split()
    kept = [
        tok
        for i, tok in enumerate(tokens)
        if not (0 < i < len(tokens) - 1 and _is_line_number(tokens[i - 1], tok, tokens[i + 1]))
    ]
    return _HYPHEN_BREAK.sub(_join_hyphen_break, " ".join(kept))
