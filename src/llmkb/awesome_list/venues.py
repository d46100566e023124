"""Venue and date recognition: `[Arxiv 2024]`, `EMNLP 2021`, `ICML'23`, shields.io badges, `2023/02`.

Only names from a fixed list are recognised, and a name without a year only where lists put venues (the
start of a line, brackets, a venue column): "we beat the ACL baseline" must not make a paper an ACL paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_ACRONYMS = {
    name.lower(): name
    for name in (
        "arXiv",
        "NeurIPS",
        "ICLR",
        "ICML",
        "ACL",
        "EMNLP",
        "NAACL",
        "EACL",
        "AACL",
        "COLING",
        "CoNLL",
        "LREC",
        "TACL",
        "AAAI",
        "IJCAI",
        "CVPR",
        "ICCV",
        "ECCV",
        "WACV",
        "KDD",
        "SIGKDD",
        "WWW",
        "SIGIR",
        "WSDM",
        "CIKM",
        "ICDE",
        "VLDB",
        "SIGMOD",
        "JMLR",
        "TMLR",
        "COLM",
        "MLSys",
        "OSDI",
        "SOSP",
        "NSDI",
        "EuroSys",
        "ASPLOS",
        "ISCA",
        "MICRO",
        "HPCA",
        "DAC",
        "ICCAD",
        "PPoPP",
        "ICASSP",
        "Interspeech",
        "UAI",
        "AISTATS",
        "CoRL",
        "TPAMI",
        "TNNLS",
        "TKDE",
        "IJCNLP",
        "ICLR-W",
        "NIPS",
    )
}
_CANONICAL = {**_ACRONYMS, "nips": "NeurIPS", "sigkdd": "KDD", "iclr-w": "ICLR Workshop"}

# Venue names are found by scanning words and looking them up, then matching what follows (a year, a
# "Findings"/"Workshop" qualifier) at that spot: much cheaper than one regex alternation over all names.
_WORD = re.compile(r"(?<![A-Za-z0-9])(?:ICLR-W|[A-Za-z]{2,11})(?![A-Za-z])", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z]{2,11}(?:-w)?")
_NAMES = frozenset(_CANONICAL)
_AFTER = re.compile(
    r"(?:[\s-]+(?P<mid>Findings|Workshops?|Demo))?"
    r"(?:[\s,-]*(?P<yyyy>(?:19|20)\d{2})|\s?['’‘`´]\s?(?P<yy>\d{2})|(?P<yy2>\d{2}))(?![\w])"
    r"(?:[\s-]+(?:[A-Z][A-Za-z0-9]{1,9}\s+(?=[Ww]orkshop))?(?P<post>Findings|Workshops?|Oral|Spotlight|Poster|Demo)\b)?",
    re.IGNORECASE,
)
_FINDINGS_BEFORE = re.compile(r"Findings\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_JOINT_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,11})-$")
_OPEN_BEFORE = re.compile(r"[\[(]\s*$")
_CLOSE_AFTER = re.compile(r"\s*[\])]")
_START_BEFORE = re.compile(r"[\s.,;:]*[\[(]?\s*$")
_END_AFTER = re.compile(r"\s*[\])]?\s*(?:[,;:|]|\.(?:\s|$)|$)")


_SCANNED = 4000  # venues are looked for this far into a text; an item's venue is never further in
_MAX_MATCHES = 8


@dataclass(frozen=True)
class VenueMatch:
    name: str  # canonical, with "Findings of"/"Workshop" when written
    year: int | None
    start: int
    end: int


_LONG_NAMES = [
    (re.compile(p, re.IGNORECASE), name)
    for p, name in (
        (r"transactions of the association for computational linguistics", "TACL"),
        (r"north american chapter of the association for computational linguistics", "NAACL"),
        (r"european chapter of the association for computational linguistics", "EACL"),
        (r"international conference on computational linguistics", "COLING"),
        (r"association for computational linguistics", "ACL"),
        (r"empirical methods in natural language processing", "EMNLP"),
        (r"international conference on machine learning", "ICML"),
        (r"international conference on learning representations", "ICLR"),
        (r"neural information processing systems", "NeurIPS"),
        (r"knowledge discovery (?:and|&) data mining", "KDD"),
        (r"computer vision and pattern recognition", "CVPR"),
        (r"international conference on computer vision", "ICCV"),
        (r"european conference on computer vision", "ECCV"),
        (r"aaai conference on artificial intelligence", "AAAI"),
        (r"international joint conference on artificial intelligence", "IJCAI"),
        (r"journal of machine learning research", "JMLR"),
        (r"transactions on machine learning research", "TMLR"),
        (r"operating systems design and implementation", "OSDI"),
        (r"conference on machine learning and systems", "MLSys"),
    )
]


@dataclass(frozen=True)
class Venue:
    name: str
    year: int | None = None


def _full_year(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 50 else 1900 + n


def _decorate(name: str, text: str) -> str:
    canonical = _CANONICAL[name.lower()]
    low = text.lower()
    if canonical != "arXiv" and "findings" in low:
        return f"Findings of {canonical}"
    if canonical != "arXiv" and "workshop" in low and "Workshop" not in canonical:
        return f"{canonical} Workshop"
    if canonical != "arXiv" and "demo" in low:
        return f"{canonical} Demo"
    return canonical


def _plausible(name: str) -> bool:
    # Lower-case "micro", "www", "dac" in running text are words, not venues; arXiv is written every way.
    return name.lower() == "arxiv" or not name.islower()


def _may_name_venue(text: str) -> bool:
    """False when no run of letters in the scanned part of `text` is a venue name: most texts, told cheaply."""
    return not _NAMES.isdisjoint(_LETTERS.findall(text[:_SCANNED].lower()))


@lru_cache(maxsize=4096)
def venue_matches(text: str) -> tuple[VenueMatch, ...]:
    """Every venue named with a year ("ICML'23", "[Arxiv 2024]", "EMNLP 2021 Findings"), in order."""
    out: list[VenueMatch] = []
    if not _may_name_venue(text):
        return ()
    for m in _WORD.finditer(text, 0, _SCANNED):
        word = m.group()
        if word.lower() not in _CANONICAL or not _plausible(word):
            continue
        after = _AFTER.match(text, m.end())
        if after is None:
            continue
        pre = _FINDINGS_BEFORE.search(text, max(0, m.start() - 24), m.start())
        start = pre.start() if pre else m.start()
        year = int(after.group("yyyy")) if after.group("yyyy") else _full_year(after.group("yy") or after.group("yy2"))
        modifiers = " ".join(filter(None, (pre and pre.group(), after.group("mid"), after.group("post"))))
        name = _decorate(word, modifiers)
        joint = _JOINT_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if joint and joint.group(1).lower() in _CANONICAL and not pre:
            name, start = f"{_CANONICAL[joint.group(1).lower()]}-{name}", joint.start()  # "ACL-IJCNLP 2021"
        out.append(VenueMatch(name, year, start, after.end()))
        if len(out) >= _MAX_MATCHES:
            break
    return tuple(out)


def _bare_match(text: str, bare: bool) -> VenueMatch | None:
    """A venue name without a year, where lists put one: first in the text, in brackets, or a venue cell."""
    if not _may_name_venue(text):
        return None
    for m in _WORD.finditer(text, 0, _SCANNED):
        word = m.group()
        if word.lower() not in _CANONICAL or not _plausible(word):
            continue
        start, end = m.start(), m.end()
        near = text[max(0, start - 8) : start]  # only what is right before the name: no rescans of the text
        if start <= 8 and _START_BEFORE.fullmatch(near) and _END_AFTER.match(text, end):
            return VenueMatch(_decorate(word, ""), None, start, end)
        if _OPEN_BEFORE.search(near) and _CLOSE_AFTER.match(text, end):
            return VenueMatch(_decorate(word, ""), None, start, end)
        if bare:
            return VenueMatch(_decorate(word, text[max(0, start - 12) : end + 12]), None, start, end)
    return None


@lru_cache(maxsize=4096)
def find_venue(text: str, *, bare: bool = False) -> tuple[Venue | None, str]:
    """The venue named in `text` and the text without it.

    A venue with a year ("ICML'23") counts anywhere; without a year only at the start, in brackets, or
    anywhere when `bare` (the whole text is a venue cell). A real conference wins over arXiv.
    """
    if not _may_name_venue(text):
        return None, text  # most texts: told once here instead of by each of the two searches below
    found = venue_matches(text)
    if not found:
        single = _bare_match(text, bare)
        found = (single,) if single else ()
    if not found:
        return None, text
    best = next((f for f in found if f.name != "arXiv"), found[0])
    rest = text
    for f in reversed(found):
        start, end = f.start, f.end
        if start > 0 and end < len(rest) and rest[start - 1] in "[(" and rest[end] in "])":
            start, end = start - 1, end + 1
        rest = rest[:start] + " " + rest[end:]
    year = best.year if best.year is not None else next((f.year for f in found if f.year), None)
    return Venue(best.name, year), rest


def venue_from_citation(text: str) -> str | None:
    """The venue of a reference citation's tail ("In Proceedings of the 61st Annual Meeting of the ...")."""
    m = re.search(r"(?:^|[\s.,])In\s+(?P<venue>.+)", text)
    where = m.group("venue") if m else text
    for pattern, name in _LONG_NAMES:
        if pattern.search(where):
            return _decorate(name, where)
    venue, _ = find_venue(where, bare=m is not None)
    if venue is not None:
        return venue.name
    if m:
        raw = re.split(r",|\.\s", where, maxsplit=1)[0].strip(" .")
        return raw if 3 <= len(raw) <= 100 else None
    return "arXiv" if re.search(r"\barxiv\b", where, re.IGNORECASE) else None


# --- dates ------------------------------------------------------------------------------------------------

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for name in names.split()
}
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[/.\-年]\s*(\d{1,2})(?!\d))?")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})\b")


_DAY_MONTH_YEAR = re.compile(r"(?<![\w.])(?:\d{1,2}\s+)?([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})(?![\w])")
_NUMERIC_DATE = re.compile(
    r"(?<![\w.])[\[(]?((?:19|20)\d{2})\s?[./\-年]\s?(\d{1,2})(?:\s?[./\-月]\s?\d{1,2})?[.日月]?[\])]?(?![\w])"
)
_ANY_YEAR = re.compile(r"(?:19|20)\d{2}")
_BRACKETED_YEAR = re.compile(r"[\[(（]\s*((?:19|20)\d{2})\s*[\])）]")
_YEAR_AT_END = re.compile(r"(?<![\w.'’])((?:19|20)\d{2})[\s.,;:]*$")


@lru_cache(maxsize=4096)
def find_date(text: str) -> tuple[tuple[int, int | None] | None, str]:
    """The date a list gives next to a paper ("2024.04.", "(2022-09)", "4 Sep 2023", "[2023]", ", 2023.")
    and the text without it; ((year, month or None), rest) or (None, text)."""
    if not _ANY_YEAR.search(text):
        return None, text
    for m in _NUMERIC_DATE.finditer(text):
        if 1 <= int(m.group(2)) <= 12:
            return (int(m.group(1)), int(m.group(2))), text[: m.start()] + " " + text[m.end() :]
    for m in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            return (int(m.group(2)), month), text[: m.start()] + " " + text[m.end() :]
    year = _BRACKETED_YEAR.search(text) or _YEAR_AT_END.search(text)
    if year:
        return (int(year.group(1)), None), text[: year.start()] + " " + text[year.end() :]
    return None, text


_CONNECTORS = frozenset({"of", "and", "on", "for", "the", "in", "at", "&", "de"})
_WRITTEN = re.compile(
    r"^(?P<name>[^\W\d_][^,;()\[\]{}<>|]{1,60}?)\s*[,']?\s*"
    r"(?:(?P<yyyy>(?:19|20)\d{2})|(?P<yy>\d{2})(?=\s*[-–—]|\s*$)(?<=['’]\d{2}|[ ]\d{2}))?\s*\.?"
    r"(?:\s*[-–—]\s*(?P<date>(?:\d{1,2}\s+)?[A-Za-z]{3,9}\.?\s+(?:(?:19|20)\d{2}|\d{2})))?\s*\.?$"
)


@lru_cache(maxsize=4096)
def venue_as_written(text: str) -> tuple[Venue | None, str]:
    """A venue the fixed list does not know, where a list puts one: "Preprint 2022", ", PR, 2020.",
    "AAAI 25 – Mar 2025", "Manning Publications - Aug 2025". The whole text must be the venue and its date."""
    s = text.strip(" ,.;:|-–—")
    if not s or len(s) > 90:
        return None, text
    m = _WRITTEN.match(s)
    if not m or not (m.group("yyyy") or m.group("yy") or m.group("date")):
        return None, text
    name = m.group("name").strip(" ,.-–—'")
    words = name.split()
    if not words or len(words) > 6 or name.lower() in _MONTHS:
        return None, text
    if any(not (re.search(r"[A-Z0-9]", w) or w.lower() in _CONNECTORS or w.lower() == "arxiv") for w in words):
        return None, text
    known, rest = find_venue(name, bare=True)
    if known is not None and not re.search(r"[^\W_]", rest):
        name = known.name
    year = int(m.group("yyyy")) if m.group("yyyy") else (_full_year(m.group("yy")) if m.group("yy") else None)
    date = m.group("date")
    rest_text = date or ""
    if date and not _ANY_YEAR.search(date):  # "Oct 23": the month's year in two digits
        month, _, yy = date.rpartition(" ")
        rest_text = date = f"{month} {_full_year(yy)}"
    if year is None and date:
        found, _ = find_date(date)
        year = found[0] if found else None
    return Venue(name, year), rest_text


def parse_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a `year:` field or date column: "2022/02", "2023-10", "Feb 2023", "2023"."""
    m = _MONTH_YEAR.search(text)
    if m and m.group(1).lower() in _MONTHS:
        return int(m.group(2)), _MONTHS[m.group(1).lower()]
    m = _YEAR_MONTH.search(text)
    if not m:
        return None, None
    month = int(m.group(2)) if m.group(2) else None
    return int(m.group(1)), month if month and 1 <= month <= 12 else None


# --- shields.io badges --------------------------------------------------------------------------------------


def _badge_text(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not (host.endswith("shields.io") or host == "badgen.net"):
        return None
    path = unquote(parts.path)
    if not path.startswith("/badge/"):
        return None
    spec = path[len("/badge/") :].rsplit(".", 1)[0] if path.endswith((".svg", ".png")) else path[len("/badge/") :]
    fields = [
        f.replace("\0", "-").replace("__", "\1").replace("_", " ").replace("\1", "_")
        for f in spec.replace("--", "\0").split("-")
    ]
    if len(fields) >= 3:
        fields = fields[:-1]  # the colour
    return " ".join(fields)


@lru_cache(maxsize=4096)
def badge_venue(alt: str, url: str) -> Venue | None:
    """The venue of a badge image such as ![Conference](https://img.shields.io/badge/Conference-ICLR'24-blue)."""
    text = _badge_text(url)
    if text is None:
        return None
    label, _, message = text.partition(" ")
    if label.casefold() in _BADGE_LABELS:
        text = message  # "Conference-ICML'23-blue": the label says what the message is
    venue, rest = find_venue(text, bare=True)
    if venue is None:
        venue, rest = find_venue(alt, bare=True)
    if venue is None and label.casefold() in _BADGE_LABELS:
        venue, rest = venue_as_written(text)  # a venue the fixed list does not know ("IVUS'24")
    if venue is not None and venue.name != "arXiv" and "Workshop" not in venue.name and _names_workshop(text, rest):
        venue = Venue(f"{venue.name} Workshop", venue.year)
    return venue


_BADGE_LABELS = frozenset({"conference", "venue", "publish", "published", "publication", "journal", "accepted"})
_NOT_WORKSHOP = frozenset({"findings", "oral", "spotlight", "poster", "main", "demo", "long", "short", "industry"})


def _names_workshop(text: str, rest: str) -> bool:
    """A badge naming a workshop at a venue: "workshop", "ES FOMO at ICML2023", "ICML'23 ES FOMO"."""
    if "workshop" in text.lower() or re.search(r"\bat\b", text):
        return True
    words = re.findall(r"[A-Za-z0-9]+", rest)
    return any(w.isupper() and len(w) >= 2 and w.lower() not in _NOT_WORKSHOP for w in words)
