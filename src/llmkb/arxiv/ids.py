"""arXiv identifiers: the one parser every command uses.

People meet papers as bare IDs, `arXiv:` citations, abs/pdf/html/ftp links on several hosts and DOIs. All of
them must reduce to the same bare ID so one paper is stored once, and an impossible ID must be rejected
here, with a reason, before it costs a request. Stdlib only: read commands import this module.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from llmkb.errors import InvalidArxivId

__all__ = [
    "ArxivId",
    "InvalidArxivId",
    "OLD_STYLE_ARCHIVES",
    "abs_url",
    "find_arxiv_ids",
    "is_arxiv_url",
    "parse_arxiv_id",
    "salvage_arxiv_id",
]

# Archives that issued old-style IDs (archive/YYMMNNN) before April 2007; stat and q-fin are kept because
# they appear as subject prefixes in citations.
OLD_STYLE_ARCHIVES = frozenset(
    {
        *("acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn"),
        *("chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex"),
        *("hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th"),
        *("patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "q-fin", "quant-ph", "solv-int", "stat"),
        "supr-con",
    }
)

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org", "browse.arxiv.org"})
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
# Path prefixes of arxiv.org pages that name one paper.
_PAPER_PAGES = ("abs", "pdf", "html", "format", "ps", "src")


@dataclass(frozen=True)
class ArxivId:
    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id + (f"v{self.version}" if self.version else "")


# --- validation of the bare core ("2403.03853v2", "hep-th/9901001", "math.GT/0309136v1") -------------------

_VERSION_RE = re.compile(r"(.+?)[vV](\d+)")
_NEW_RE = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})")
_NEW_LOOSE_RE = re.compile(r"[0-9A-Za-z]{4}\.[0-9A-Za-z]{4,5}")
_OLD_RE = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)?)(?:\.([A-Za-z][A-Za-z-]*))?/(\S+)")


def _latest_yymm() -> int:
    # One month of slack so a paper announced today in another time zone is not "in the future".
    today = datetime.date.today()
    year, month = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
    return (year % 100) * 100 + month


# A month no later than this one is never in the future (time goes one way): most IDs are checked without
# asking the clock, which costs more than the rest of the check.
_PAST_AT_IMPORT = _latest_yymm()


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidArxivId(f"month {month:02d} does not exist")


def _parse_core(core: str) -> ArxivId:
    version: int | None = None
    m = _VERSION_RE.fullmatch(core)
    if m:
        core, version = m.group(1), int(m.group(2))
        if version == 0:
            raise InvalidArxivId("version 0 does not exist (versions start at v1)")
    if "/" in core:
        return ArxivId(_parse_old(core), version)
    return ArxivId(_parse_new(core), version)


def _parse_new(core: str) -> str:
    m = _NEW_RE.fullmatch(core)
    if not m:
        if _NEW_LOOSE_RE.fullmatch(core):
            raise InvalidArxivId(f"'{core}' has letters where digits belong")
        if re.fullmatch(r"\d{4}\.\d+", core):
            raise InvalidArxivId(f"'{core}' needs a 4- or 5-digit number after the dot")
        raise InvalidArxivId(f"'{core}' is not an arXiv identifier")
    yy, mm, number = int(m.group(1)), int(m.group(2)), m.group(3)
    _check_month(mm)
    yymm = yy * 100 + mm
    if yymm < 704:
        raise InvalidArxivId(
            f"new-style IDs (YYMM.NNNNN) start in April 2007 (0704); {m.group(1)}{m.group(2)} is earlier"
        )
    if yymm > _PAST_AT_IMPORT and yymm > _latest_yymm():
        raise InvalidArxivId(f"{m.group(1)}{m.group(2)} is in the future")
    if yymm >= 1501 and len(number) != 5:
        raise InvalidArxivId(f"IDs from 1501 on have a 5-digit number, '{core}' has {len(number)}")
    if yymm < 1501 and len(number) != 4:
        raise InvalidArxivId(f"IDs before 1501 have a 4-digit number, '{core}' has {len(number)}")
    if int(number) == 0:
        raise InvalidArxivId(f"number {number} does not exist")
    return core


def _parse_old(core: str) -> str:
    m = _OLD_RE.fullmatch(core)
    if not m:
        raise InvalidArxivId(f"'{core}' is not an arXiv identifier")
    archive, number = m.group(1).lower(), m.group(3)
    if archive not in OLD_STYLE_ARCHIVES:
        raise InvalidArxivId(f"'{archive}' is not an arXiv archive")
    if not number.isdigit():
        if re.fullmatch(r"[0-9A-Za-z]{7}", number):
            raise InvalidArxivId(f"'{number}' has letters where digits belong")
        raise InvalidArxivId(f"old-style IDs have a 7-digit number (YYMMNNN), not '{number}'")
    if len(number) != 7:
        raise InvalidArxivId(f"old-style IDs have a 7-digit number (YYMMNNN), '{number}' has {len(number)}")
    yy, mm = int(number[:2]), int(number[2:4])
    _check_month(mm)
    if 8 <= yy <= 90 or (yy == 91 and mm < 8):
        raise InvalidArxivId(f"old-style ID {number[:4]} is outside arXiv's old scheme (9108 to 0703)")
    if int(number[4:]) == 0:
        raise InvalidArxivId(f"number {number[4:]} does not exist")
    # arXiv files math.GT/0309136 as math/0309136: the subject class is not part of the identifier
    return f"{archive}/{number}"


# --- single identifiers ---------------------------------------------------------------------------------

_PREFIX_RE = re.compile(r"(?:arxiv\s*:\s*|doi\s*:\s*|(?:10\.48550/)arxiv\.)", re.IGNORECASE)
_DOI_RE = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_SCHEME_RE = re.compile(r"https?://", re.IGNORECASE)
_SCHEMELESS_RE = re.compile(r"(?:[a-z0-9-]+\.)?arxiv\.org/|(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)


def is_arxiv_host(host: str) -> bool:
    """arxiv.org and its own subdomains (www, export, browse, ...): all serve the same paper pages."""
    host = host.lower()
    return host in ARXIV_HOSTS or host.endswith(".arxiv.org")


def _core_from_url(text: str) -> str:
    if not re.match(r"https?://", text, re.IGNORECASE):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host in _DOI_HOSTS:
        m = _DOI_RE.fullmatch(path.strip("/"))
        if not m:
            raise InvalidArxivId(f"'{text}' is a DOI link but not an arXiv DOI (10.48550/arXiv.ID)")
        return m.group(1)
    if not is_arxiv_host(host):
        raise InvalidArxivId(f"'{text}' is not an arXiv link")
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2 and segments[0] in _PAPER_PAGES:
        core = "/".join(segments[1:3]) if len(segments) >= 3 and not segments[1][0].isdigit() else segments[1]
        return core[:-4] if core.lower().endswith(".pdf") else core
    # /ftp/arxiv/papers/2312/2312.00752.pdf (new style) and /ftp/hep-th/papers/9901/9901001.pdf (old style).
    if len(segments) == 5 and segments[0] == "ftp" and segments[2] == "papers":
        name = re.sub(r"\.pdf$", "", segments[4], flags=re.IGNORECASE)
        return name if segments[1] == "arxiv" else f"{segments[1]}/{name}"
    raise InvalidArxivId(f"'{text}' does not link to an arXiv paper")


def parse_arxiv_id(text: str) -> ArxivId:
    """One identifier in any form a user might paste; raises InvalidArxivId with the reason otherwise."""
    s = text.strip() if isinstance(text, str) else ""
    if not s:
        raise InvalidArxivId("empty identifier")
    if _SCHEME_RE.match(s) or _SCHEMELESS_RE.match(s):
        core = _core_from_url(s)
    else:
        core = s
        while m := _PREFIX_RE.match(core):
            core = core[m.end() :]
        if not core:
            raise InvalidArxivId(f"'{s}' has a prefix but no identifier")
    return _parse_core(core.strip())


_GLUED = re.compile(r"(\d{4}\.\d{4,5}(?:v\d+)?)(?=[A-Za-z_-])")


def salvage_arxiv_id(text: str) -> ArxivId | None:
    """The valid new-style ID at the start of an invalid one with text glued on ("2407.11681mini"), else None.

    Only letters or punctuation may follow: "2407.116812" has one digit too many, and which five are the ID
    cannot be told.
    """
    s = text.strip()
    if _SCHEME_RE.match(s) or _SCHEMELESS_RE.match(s):
        parts = urlsplit(s if "//" in s else "https://" + s)
        segments = [seg for seg in unquote(parts.path).split("/") if seg]
        if not (is_arxiv_host(parts.hostname or "") and len(segments) >= 2 and segments[0] in _PAPER_PAGES):
            return None
        s = segments[1]
    else:
        while m := _PREFIX_RE.match(s):
            s = s[m.end() :]
    m = _GLUED.match(s)
    if not m:
        return None
    try:
        return _parse_core(m.group(1))
    except InvalidArxivId:
        return None


def is_arxiv_url(url: str) -> bool:
    """True when url links to one arXiv paper (any arXiv host or page form, or the arXiv DOI)."""
    s = url.strip()
    if not (re.match(r"https?://", s, re.IGNORECASE) or _SCHEMELESS_RE.match(s)):
        return False
    try:
        _parse_core(_core_from_url(s))
    except InvalidArxivId:
        return False
    return True


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


# --- identifiers inside free text ----------------------------------------------------------------------

_ARCHIVE_ALT = "|".join(sorted((re.escape(a) for a in OLD_STYLE_ARCHIVES), key=len, reverse=True))
# A version is only taken when no digit or letter follows it, so "v1" in "...v1arXiv" still counts but the
# digits of a longer number never do.
_NEW_TOKEN = r"\d{4}\.\d{4,5}(?:v\d+)?(?!\d)"
_OLD_TOKEN = r"[A-Za-z]+(?:-[A-Za-z]+)?(?:\.[A-Za-z]{2})?/\d{7}(?:v\d+)?(?!\d)"
_KNOWN_OLD_TOKEN = rf"(?:{_ARCHIVE_ALT})(?:\.[A-Za-z]{{2}})?/\d{{7}}(?:v\d+)?(?!\d)"

_TEXT_PATTERNS = [
    # arxiv.org/abs|pdf|html/ID (new or old style), any host alias, scheme optional.
    re.compile(
        rf"(?:[a-z0-9-]+\.)?arxiv\.org/(?:{'|'.join(_PAPER_PAGES)})/(?P<id>{_NEW_TOKEN}|{_OLD_TOKEN})",
        re.IGNORECASE,
    ),
    re.compile(r"arxiv\.org/ftp/arxiv/papers/\d{4}/(?P<id>" + _NEW_TOKEN + ")", re.IGNORECASE),
    re.compile(r"arxiv\.org/ftp/(?P<arch>[a-z-]+)/papers/\d{4}/(?P<num>\d{7})(?:\.pdf)?(?!\d)", re.IGNORECASE),
    # arXiv:ID, arXiv ID, arXiv.ID (the DOI suffix) and the full DOI.
    re.compile(rf"arxiv(?:\s*:\s*|\s+|\.)(?P<id>{_NEW_TOKEN}|{_OLD_TOKEN})", re.IGNORECASE),
    # Old-style IDs are distinctive enough on their own when the archive is a real one.
    re.compile(rf"(?<![\w./-])(?P<id>{_KNOWN_OLD_TOKEN})", re.IGNORECASE),
]


def find_arxiv_ids(text: str) -> list[ArxivId]:
    """Every valid arXiv ID mentioned in text, in order of appearance, each bare ID once (first mention wins).

    Bare new-style numbers count only after "arXiv" or inside an arXiv link: "7346–7354" or "2023.12345"
    in running text are too often something else.
    """
    hits: list[tuple[int, str]] = []
    for pattern in _TEXT_PATTERNS:
        for m in pattern.finditer(text):
            if "arch" in pattern.groupindex:
                hits.append((m.start(), f"{m.group('arch')}/{m.group('num')}"))
            else:
                hits.append((m.start("id"), m.group("id")))
    hits.sort(key=lambda hit: hit[0])
    found: list[ArxivId] = []
    seen: set[str] = set()
    for _, core in hits:
        try:
            parsed = _parse_core(core)
        except InvalidArxivId:
            continue
        if parsed.id not in seen:
            seen.add(parsed.id)
            found.append(parsed)
    return found
