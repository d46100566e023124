"""Papers named on a command line: IDs in any form, `kb-N`, titles, and `-` for IDs on standard input.

Every command that acts on papers (show, export, tag, link, refresh, open, edit, note, rm) takes them the same
way, so `llmkb search ... -f ids | llmkb <command> -` works for each. A command that changes or shows one
paper must not guess: a typed title is taken only when it is (nearly) the whole title of one paper; words
that merely occur in titles ("pruning", "survey") get the candidates search finds, and no paper is picked.
Standard library only (read commands import this).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from llmkb.errors import AmbiguousPaper, PaperNotFound, UsageError
from llmkb.titles import title_key

if TYPE_CHECKING:
    from llmkb.kb import KB

STDIN = "-"
MAX_ROWID = 2**63 - 1  # SQLite's largest integer: a larger kb-N names no paper
TITLE_COVERAGE = 0.6
"""A typed title is taken for a stored one only if its key is at least this share of the stored title's key:
"shortgpt layers in large language models are more redundant" names ShortGPT (0.78 of its title), "pruning"
names no paper (0.14 of LaCo's)."""
CANDIDATES = 10

_KB_REF = re.compile(r"kb-([0-9]+)", re.IGNORECASE)
# what lookup treats as an attempt at an ID (so a bad one is "not a valid arXiv ID", not a title search)
_ID_ATTEMPT = re.compile(r"^(arxiv:|https?://|\d{4}\.\d|[a-z-]+(\.[A-Z]{2})?/\d{7})", re.IGNORECASE)
_URLISH = re.compile(r"^[a-z][a-z0-9+.-]*://|^(www\.|export\.)?arxiv\.org/|^(dx\.|www\.)?doi\.org/", re.IGNORECASE)


class PaperCandidates(AmbiguousPaper):
    """No paper is clearly meant; `records` are the candidates as full records, best first."""

    def __init__(self, text: str, records: list):
        self.records = records
        super().__init__(text, [(r["rowid"], r["title"], 0.0) for r in records])


def read_ids(stream: TextIO) -> list[str]:
    """IDs from standard input: one a line, or the first column of tab-separated lines (what `search`
    prints into a pipe); blank lines and `#` comments are skipped."""
    ids: list[str] = []
    for raw in stream:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        ids.append(line.split("\t", 1)[0].strip())
    return ids


def expand_stdin(refs: Sequence[str], stream: TextIO) -> tuple[list[str], bool]:
    """`refs` with `-` replaced by the IDs read from `stream`; also whether `-` was given."""
    if sum(1 for r in refs if r == STDIN) > 1:
        raise UsageError("- (IDs from standard input) can be given once")
    out: list[str] = []
    used = False
    for ref in refs:
        if ref == STDIN:
            used = True
            out.extend(read_ids(stream))
        else:
            out.append(ref)
    return out, used


def check_text(text: str, what: str = "input") -> str:
    """Refuses, in one line, what no ID, link or title can be: a link Python cannot parse, or an ID typed
    with digits other than 0-9 (full-width `２４０３.０３８５３` would otherwise be looked up as is)."""
    stripped = text.strip()
    if "\x00" in text:
        raise UsageError(f"{what} {_short(stripped)} has a NUL character in it")
    if _URLISH.match(stripped):
        try:
            parts = urlsplit(stripped if "://" in stripped else "https://" + stripped)
            parts.hostname  # noqa: B018  (raises for a malformed host such as an unclosed IPv6 bracket)
        except ValueError as exc:
            raise UsageError(f"{what} {_short(stripped)} is not a valid link: {exc}") from None
    if any(ch.isdigit() and not ch.isascii() for ch in stripped):
        folded = unicodedata.normalize("NFKC", stripped)
        if looks_like_id(folded):
            raise UsageError(f"{what} {_short(stripped)}: write IDs with the digits 0-9")
    return text


def check_words(words: Iterable[str], what: str = "query") -> None:
    for word in words:
        if _URLISH.match(word.strip()):
            check_text(word, what)


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def looks_like_id(text: str) -> bool:
    """Whether `text` is meant as an identifier (kb-N, an arXiv ID or link) rather than a title."""
    from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id

    text = text.strip()
    if _KB_REF.fullmatch(text) or _ID_ATTEMPT.match(text):
        return True
    try:
        parse_arxiv_id(text)
    except (InvalidArxivId, ValueError):
        return bool(_URLISH.match(text))
    return True


def lookup(kb: KB, ref: str) -> int:
    """The row ID of the one paper `ref` names (see the module's rules); PaperNotFound or PaperCandidates."""
    check_text(ref, "paper")
    text = ref.strip()
    m = _KB_REF.fullmatch(text)
    if m and (len(m.group(1)) > 19 or int(m.group(1)) > MAX_ROWID):
        raise PaperNotFound(f"no paper {text}")
    if looks_like_id(text):
        return kb.find(text)
    try:
        rowid = kb.find(text)
    except (AmbiguousPaper, PaperNotFound):
        rowid = None  # search's candidates say more than the title matcher's
    if rowid is not None and _names(kb, rowid, text):
        return rowid
    return _by_search(kb, text)


def _names(kb: KB, rowid: int, text: str) -> bool:
    """Whether `text` is the paper's short name, or (nearly) its whole title."""
    record = kb.get_many([rowid])[0]
    key = title_key(text)
    title = title_key(record["title"])
    named = {title, title_key(record.get("short_name") or ""), title_key(record["title"].split(":", 1)[0])}
    if key in named:
        return True
    return bool(title) and len(key) >= TITLE_COVERAGE * len(title)


def _by_search(kb: KB, text: str) -> int:
    result = kb.search(text, limit=CANDIDATES)
    if not result.papers:
        raise PaperNotFound(f"no paper matches {text!r}")
    if len(result.papers) == 1:
        return result.papers[0]["rowid"]
    raise PaperCandidates(text, result.papers)


def lookup_all(kb: KB, refs: Sequence[str]) -> list[int]:
    """Row IDs for every ref, each paper once, in the order given; the first ref that fails raises."""
    if not refs:
        raise UsageError("no paper given: name papers by ID, or - to read IDs from standard input")
    return list(dict.fromkeys(lookup(kb, ref) for ref in refs))


def ref_for(rowid: int) -> str:
    """A reference the lower layers resolve to exactly this paper."""
    return f"kb-{rowid}"
