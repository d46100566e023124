"""Plain Unicode text as LaTeX that classic BibTeX, biber and bibtex-aware editors all read.

Accented Latin letters become braced accent commands ("í" -> "{\\'\\i}") so that BibTeX sorts and abbreviates
names correctly; the ten characters TeX reserves (and < > |) are escaped; a few typographic characters and Greek letters
get their usual commands. Anything else (CJK names, rare symbols) stays UTF-8, which biber and modern
LaTeX read as is.
"""

import functools
import unicodedata

_RESERVED = {
    "\\": r"\textbackslash{}",
    # Brace commands, not \{ \}: BibTeX counts every brace, escaped or not, when it finds a field's end.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # Not reserved, but the default OT1 font encoding prints them as other glyphs (< as an inverted "!").
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_RESERVED_CHARS = frozenset(_RESERVED)

_LETTERS = {
    "ß": r"{\ss}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "å": r"{\aa}",
    "Å": r"{\AA}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "ȷ": r"{\j}",
    "đ": r"{\dj}",
    "Đ": r"{\DJ}",
    "ð": r"{\dh}",
    "Ð": r"{\DH}",
    "þ": r"{\th}",
    "Þ": r"{\TH}",
}
_PUNCTUATION = {
    "\u00a0": "~",
    "\u2013": "--",
    "\u2014": "---",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2026": r"\ldots{}",
    "\u00ab": r"\guillemotleft{}",
    "\u00bb": r"\guillemotright{}",
    "\u00b0": r"\textdegree{}",
    "\u00a7": r"\S{}",
    "\u00b6": r"\P{}",
    "\u00a9": r"\textcopyright{}",
    "\u00ae": r"\textregistered{}",
    "\u2122": r"\texttrademark{}",
    "\u20ac": r"\texteuro{}",
    "\u00a3": r"\pounds{}",
    "\u00d7": r"$\times$",
    "\u00b1": r"$\pm$",
    "\u2192": r"$\rightarrow$",
    "\u2190": r"$\leftarrow$",
    "\u2264": r"$\leq$",
    "\u2265": r"$\geq$",
    "\u2248": r"$\approx$",
    "\u221e": r"$\infty$",
}
# Combining mark -> accent command. Symbol commands take the letter directly, letter commands need braces.
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}
_MARKS_BELOW = frozenset("\u0323\u0327\u0328\u0331")
_GREEK_CAPITALS = frozenset(["GAMMA", "DELTA", "THETA", "LAMDA", "XI", "PI", "SIGMA", "UPSILON", "PHI", "PSI", "OMEGA"])


def _accented(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha() and marks and all(mark in _ACCENTS for mark in marks)):
        return None
    # A dotless i/j carries an accent above; a mark below keeps the dot.
    text = "\\" + base if base in "ij" and any(mark not in _MARKS_BELOW for mark in marks) else base
    for mark in marks:
        command = _ACCENTS[mark]
        if not command.isalpha() and (len(text) == 1 or text in ("\\i", "\\j")):
            text = f"\\{command}{text}"
        else:
            text = f"\\{command}{{{text}}}"
    return "{" + text + "}"


def _greek(char: str) -> str | None:
    name = unicodedata.name(char, "")
    for prefix, capital in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix):
            # the one two-word letter with a command; other names with spaces carry marks ("ALPHA WITH TONOS")
            letter = name[len(prefix) :].replace("FINAL SIGMA", "VARSIGMA")
            if " " in letter or letter == "OMICRON" or (capital and letter not in _GREEK_CAPITALS):
                return None
            command = letter.replace("LAMDA", "LAMBDA").lower()
            return f"$\\{command.capitalize() if capital else command}$"
    return None


@functools.lru_cache(maxsize=4096)
def _encode_char(char: str) -> str:
    return _LETTERS.get(char) or _PUNCTUATION.get(char) or _accented(char) or _greek(char) or char


def encode_latex(text: str) -> str:
    """Text for a BibTeX field value: reserved characters escaped, accents as commands."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() and _RESERVED_CHARS.isdisjoint(text):
        return text
    return "".join(_RESERVED.get(char, char) if char.isascii() else _encode_char(char) for char in text)
