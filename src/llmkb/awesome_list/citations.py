"""Plain reference citations pasted into lists: "Authors. YEAR. Title. In Venue, pages ...".

These are often copied out of PDFs, so stray line numbers and hyphenation breaks are removed first. A text
counts as a citation only if the part before the year reads as a list of personal names; "TinyBERT,
MobileBERT, DistillBERT..." or "GPT4-Alpaca dataset (Peng et al., 2023): ..." do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from llmkb.awesome_list.model import ET_AL
from llmkb.awesome_list.text import clean_pdf_artefacts, squash
from llmkb.awesome_list.venues import venue_from_citation

_PARTICLES = frozenset(
    {
        "van",
        "der",
        "den",
        "de",
        "von",
        "la",
        "le",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "bin",
        "al",
        "el",
        "y",
        "ten",
        "ter",
        "zu",
        "i",
        "e",
        "do",
        "das",
    }
)
_NAME_SPLIT = re.compile(r"[,;&，、]|\band\b")  # the blanks around are squashed off each name
_ET_AL = re.compile(r"\bet\s*\.?\s*al\b\.?", re.IGNORECASE)
_MARKERS = str.maketrans("", "", "*†‡§¶#¹²³⁴⁵⁶⁷⁸⁹⁰")
_MARKER = re.compile("[*†‡§¶#¹²³⁴⁵⁶⁷⁸⁹⁰]")


def _without_markers(text: str) -> str:
    """The text without footnote markers ("Bo Li*†"); most texts have none, and a search costs less than
    `str.translate`, which looks every character up."""
    return text.translate(_MARKERS) if _MARKER.search(text) else text


@dataclass
class Citation:
    authors: list[str]
    year: int | None
    title: str
    venue: str | None = None
    extra: list[str] = field(default_factory=list)


_INITIAL_END = re.compile(r"\b[A-Z]\.$")
_NOT_NAMES = re.compile(r"\d|https?:|[:!?()\[\]{}<>=/\\|\"“”]")
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?-?)+$")


def split_authors(text: str) -> list[str]:
    """Names split on commas and a final "and"; a list cut short ends with ET_AL ("et al.")."""
    text = _MORE_AUTHORS.sub(" et al.", text)
    names = list(_split_authors(text))
    return [*names, ET_AL] if names and _ET_AL.search(text) else names


@lru_cache(maxsize=2048)
def _split_authors(text: str) -> tuple[str, ...]:
    s = _ET_AL.sub("", _without_markers(text))
    names: list[str] = []
    for part in _NAME_SPLIT.split(s):
        name = squash(part).strip(" ,;\"'“”")
        if not name:
            continue
        if _INITIALS.match(name) and names and not _INITIALS.match(names[-1]) and " " not in names[-1]:
            initials = name if name.endswith(".") else name + "."
            names[-1] = f"{initials} {names[-1]}"  # "Sanh, V." -> "V. Sanh"
        else:
            names.append(name if not name.endswith(".") or _INITIAL_END.search(name) else name.rstrip("."))
    return tuple(names)


@lru_cache(maxsize=2048)
def looks_like_authors(text: str, *, min_names: int = 1) -> bool:
    """True when text reads as personal names ("A. Smith, Bo Li, and C. de Vries" or "Smith et al.")."""
    s = text.strip().strip(".,;")
    if not s or len(s) > 2000 or _NOT_NAMES.search(_without_markers(s)):
        return False
    names = _split_authors(s)
    if len(names) < min_names and not _ET_AL.search(s):
        return False
    if not names:
        return False
    for name in names:
        words = name.split()
        if len(words) > 5:
            return False
        for word in words:
            w = word.lstrip("'\"“‘(")
            if not w or w.lower() in _PARTICLES:
                continue
            if not w[0].isalpha() or w[0].islower():
                return False
    # At least one full name (two words), so a run of capitalised single words ("Alpaca, Vicuna") is not
    # mistaken for authors.
    return any(len(n.split()) >= 2 for n in names)


# "(100 additional authors not shown)": the list names only the first authors.
_MORE_AUTHORS = re.compile(r"\(\s*\d+\s+(?:additional|more|other)\s+authors?[^()]*\)", re.IGNORECASE)
_ANONYMOUS = frozenset({"anonymous", "anonymous authors", "anonymous author"})
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")
_NOT_AN_AUTHOR_LINE = re.compile(r"https?:|[!?\[\]{}<>=/\\|]|\d{2}")


@lru_cache(maxsize=2048)
def looks_like_author_line(text: str) -> bool:
    """Looser than `looks_like_authors`, for a line a list sets apart as authors (in italics): one name is
    enough, a name may be written in another script ("苏剑林(Jianlin Su)"), and "et al." may stand alone."""
    s = _MORE_AUTHORS.sub(" et al.", text).strip().strip(".,;")
    if not s or len(s) > 3000 or _NOT_AN_AUTHOR_LINE.search(_without_markers(s)):
        return False
    if looks_like_authors(s) or s.casefold() in _ANONYMOUS:
        return True
    names = _split_authors(re.sub(r"\([^()]*\)", "", s))
    if not names:
        return False
    if _ET_AL.search(s) and len(names) == 1 and names[0][:1].isupper() and len(names[0].split()) <= 3:
        return True  # "Rasley et al."
    if any(len(name.split()) > 5 for name in names):
        return False
    # Most names capitalised: a few are written in lower case ("seung-won hwang") or with particles
    # ("Oriol Mayné i Comas"), a sentence in italics is not.
    capitalised = sum(
        1
        for name in names
        if _NON_LATIN.search(name)
        or all(w[0].isupper() or w.lower() in _PARTICLES for w in name.split() if w[0].isalpha())
    )
    if capitalised * 10 < len(names) * 7:
        return False
    return any(len(n.split()) >= 2 or _NON_LATIN.search(n) for n in names)


_ACL_STYLE = re.compile(
    r"^(?P<authors>.+?)(?:[.,]\s+|\s+(?=\())\(?(?P<year>(?:19|20)\d{2})[a-z]?\)?(?:[.,:]\s*|\s+)(?P<rest>\S.*)$"
)
_IEEE_STYLE = re.compile(r"^(?P<authors>[^\"“”]+?),\s*[\"“](?P<title>[^\"”]{5,}?)[,.]?\s*[\"”]\s*[,.]?\s*(?P<rest>.*)$")
_TITLE_END = re.compile(r"^(?P<title>.+?)(?<!\s[A-Z])(?P<end>[.?!])(?:\s+|$)(?P<rest>.*)$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _clean_title(title: str) -> str:
    return squash(title).strip(" \"'“”‘’").rstrip(" .,;:")


def parse_citation(text: str) -> Citation | None:
    s = squash(clean_pdf_artefacts(squash(text)))
    m = _ACL_STYLE.match(s)
    if m and looks_like_authors(m.group("authors")):
        rest = m.group("rest")
        t = _TITLE_END.match(rest)
        title, tail = (
            (t.group("title") + (t.group("end") if t.group("end") in "?!" else ""), t.group("rest"))
            if t
            else (rest, "")
        )
        title = _clean_title(title)
        if len(title) < 3 or not re.search(r"[^\W\d_]", title):
            return None
        return Citation(split_authors(m.group("authors")), int(m.group("year")), title, venue_from_citation(tail))
    m = _IEEE_STYLE.match(s)
    if m and looks_like_authors(m.group("authors")):
        year = _YEAR.search(m.group("rest"))
        return Citation(
            split_authors(m.group("authors")),
            int(year.group(1)) if year else None,
            _clean_title(m.group("title")),
            venue_from_citation("In " + m.group("rest")),
        )
    return None
