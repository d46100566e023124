"""Scoring for the list-fidelity benchmark: normalisation, matching gold entries to stored records, tallies.

Pure functions only (no files, no subprocesses), so they can be unit-tested on hand-made entries. The rules are
described in benchmarks/list_fidelity/README.md; keep the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

FIELDS = ("ids", "titles", "authors", "venues", "nonarxiv_venues", "years", "code")
TARGETS = {"ids": 100.0, "titles": 98.0, "authors": 95.0, "venues": 95.0, "years": 97.0, "code": 99.0}

_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")
_QUOTES = "\"'“”„‟‘’‚‛«»`´"
_ET_AL = re.compile(r"^et\.?\s*al\.?$")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    return " ".join(text.split())


def bare_arxiv_id(value: str | None) -> str | None:
    """The bare new-style arXiv ID in `value` ("2401.07851v2", "arXiv:2401.07851" -> "2401.07851"), else None."""
    if not value:
        return None
    m = _ARXIV_ID.search(value)
    return m.group(1) if m else None


def norm_title(text: str | None) -> str:
    """For comparing titles: NFKC, casefold, whitespace squashed, quotes and trailing periods dropped."""
    if not text:
        return ""
    text = squash(nfkc(text).casefold())
    text = "".join(ch for ch in text if ch not in _QUOTES)
    return squash(text).rstrip(". ").strip()


def title_key(text: str | None) -> str:
    """For matching by title: NFKC, casefold, letters and digits only (CJK kept, punctuation and spaces gone)."""
    if not text:
        return ""
    return "".join(ch for ch in nfkc(text).casefold() if ch.isalnum())


def norm_author(name: str) -> str:
    """NFKC, casefold, whitespace squashed, surrounding punctuation and a trailing period dropped; any spelling of
    "et al." becomes "et al."."""
    name = squash(nfkc(name).casefold()).strip(" ,;*")
    if _ET_AL.match(name):
        return "et al."
    return name.rstrip(".").strip()


def authors_equal(gold: list[str], stored: list[str] | None) -> bool:
    return [norm_author(a) for a in gold] == [norm_author(a) for a in (stored or [])]


def venue_key(venue: str | None) -> str:
    """Case, spaces and punctuation ignored; NIPS is NeurIPS; "ACL Findings" == "Findings of ACL"."""
    if not venue:
        return ""
    tokens = re.findall(r"[^\W_]+", nfkc(venue).casefold())
    tokens = ["neurips" if t == "nips" else t for t in tokens]
    if "findings" in tokens:
        tokens = ["findings"] + [t for t in tokens if t not in ("findings", "of")]
    return "".join(tokens)


def venues_equal(gold: str, stored: str | None) -> bool:
    return venue_key(gold) == venue_key(stored)


def norm_url(url: str | None) -> str:
    """Trailing slashes and ".git" ignored, http and https the same, host case-insensitive."""
    if not url:
        return ""
    url = url.strip()
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    host, _, path = url.partition("/")
    url = host.casefold() + ("/" + path if path else "")
    while True:
        trimmed = url.rstrip("/")
        if trimmed.casefold().endswith(".git"):
            trimmed = trimmed[:-4]
        if trimmed == url:
            return url
        url = trimmed


def record_urls(record: dict) -> set[str]:
    urls = {norm_url(link.get("url")) for link in record.get("links") or []}
    urls.add(norm_url(record.get("url")))
    urls.discard("")
    return urls


def norm_doi(doi: str | None) -> str:
    if not doi:
        return ""
    return re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", doi.strip(), flags=re.IGNORECASE).casefold()


class RecordIndex:
    """Stored records looked up by arXiv ID, by link URL or DOI, and by title key."""

    def __init__(self, records: list[dict]) -> None:
        self.by_id: dict[str, dict] = {}
        self.by_url: dict[str, dict] = {}
        self.by_doi: dict[str, dict] = {}
        self.by_title: dict[str, dict] = {}
        for record in records:
            arxiv_id = bare_arxiv_id(record.get("arxiv_id"))
            if arxiv_id:
                self.by_id.setdefault(arxiv_id, record)
            for url in record_urls(record):
                self.by_url.setdefault(url, record)
            if record.get("doi"):
                self.by_doi.setdefault(norm_doi(record["doi"]), record)
            key = title_key(record.get("title"))
            if key:
                self.by_title.setdefault(key, record)

    def match(self, entry: dict) -> dict | None:
        """By arXiv ID; else by the paper link or DOI; else by normalised title."""
        arxiv_id = entry.get("arxiv_id")
        if arxiv_id and arxiv_id in self.by_id:
            return self.by_id[arxiv_id]
        if entry.get("url") and norm_url(entry["url"]) in self.by_url:
            return self.by_url[norm_url(entry["url"])]
        if entry.get("doi"):
            doi = norm_doi(entry["doi"])
            if doi in self.by_doi:
                return self.by_doi[doi]
            if norm_url("https://doi.org/" + entry["doi"]) in self.by_url:
                return self.by_url[norm_url("https://doi.org/" + entry["doi"])]
        return self.by_title.get(title_key(entry.get("title")))


@dataclass
class Miss:
    list_name: str
    line: int
    field: str
    expected: object
    stored: object


@dataclass
class Tally:
    """Right/total per field for one list (or the total); misses kept for -v."""

    n: int = 0
    not_found: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[Miss] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.n += other.n
        self.not_found += other.not_found
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.total[name] += other.total[name]
        self.misses.extend(other.misses)

    def percent(self, name: str) -> float | None:
        return 100.0 * self.right[name] / self.total[name] if self.total[name] else None

    def cell(self, name: str) -> str:
        pct = self.percent(name)
        if pct is None:
            return "—"
        return f"{pct:.1f}% ({self.right[name]}/{self.total[name]})"


def is_arxiv_venue(venue: str | None) -> bool:
    return venue_key(venue) == "arxiv"


def code_found(gold_code: str, record: dict | None) -> bool:
    return record is not None and norm_url(gold_code) in record_urls(record)


def score_entry(list_name: str, entry: dict, record: dict | None, tally: Tally, expect: dict | None = None) -> None:
    """Score one gold entry against its stored record (None: not found, every field wrong).

    `expect` overrides the expected title/authors (the online run expects what the arXiv stand-in served).
    """
    expect = expect or {}
    tally.n += 1
    if record is None:
        tally.not_found += 1

    def check(name: str, expected: object, stored: object, *, ok: bool) -> None:
        tally.total[name] += 1
        if ok:
            tally.right[name] += 1
        else:
            tally.misses.append(Miss(list_name, entry["line"], name, expected, stored))

    stored = record or {}
    missing = "(not found)"
    if entry.get("arxiv_id"):
        got = bare_arxiv_id(stored.get("arxiv_id"))
        check("ids", entry["arxiv_id"], got if record else missing, ok=got == entry["arxiv_id"])
    title = expect.get("title", entry.get("title"))
    if title:
        got = stored.get("title")
        ok = record is not None and norm_title(title) == norm_title(got)
        check("titles", title, got if record else missing, ok=ok)
    authors = expect.get("authors", entry.get("authors"))
    if authors is not None:
        got = stored.get("authors")
        check("authors", authors, got if record else missing, ok=record is not None and authors_equal(authors, got))
    if entry.get("venue"):
        got = stored.get("venue")
        ok = record is not None and venues_equal(entry["venue"], got)
        check("venues", entry["venue"], got if record else missing, ok=ok)
        if not is_arxiv_venue(entry["venue"]):
            tally.total["nonarxiv_venues"] += 1
            tally.right["nonarxiv_venues"] += ok
    if entry.get("year") is not None:
        got = stored.get("year")
        check("years", entry["year"], got if record else missing, ok=record is not None and got == entry["year"])
    if entry.get("code"):
        got = sorted(link.get("url") for link in stored.get("links") or [] if link.get("url"))
        check("code", entry["code"], got if record else missing, ok=code_found(entry["code"], record))


def score_list(
    list_name: str,
    entries: list[dict],
    records: list[dict],
    expectations: dict[int, dict] | None = None,
    served: dict[str, tuple[str, list[str]]] | None = None,
) -> Tally:
    """Score every gold entry of one list; `expectations` maps a gold line to overrides (see score_entry).

    `served` (online runs) is what the arXiv stand-in answered per ID: an entry the list shows without an
    arXiv link but that the importer matched to an arXiv paper (the same title linked elsewhere) is expected
    to carry arXiv's record, which is what arXiv-as-authority means.
    """
    index = RecordIndex(records)
    tally = Tally()
    for entry in entries:
        record = index.match(entry)
        expect = (expectations or {}).get(entry["line"])
        if expect is None and served and record and bare_arxiv_id(record.get("arxiv_id")) in served:
            title, authors = served[bare_arxiv_id(record.get("arxiv_id"))]
            expect = {"title": title, "authors": authors}
        score_entry(list_name, entry, record, tally, expect)
    return tally


def target_line(total: Tally, targets: dict[str, float] = TARGETS) -> str:
    parts = []
    for name, target in targets.items():
        pct = total.percent(name)
        verdict = "—" if pct is None else ("ok" if pct >= target - 1e-9 else "BELOW")
        shown = f"{target:g}%" if target >= 100 else f"≥ {target:g}%"
        parts.append(f"{name} {shown} {verdict}")
    return "targets: " + ", ".join(parts)
