"""Render papers as BibTeX entries that cite the arXiv version (or the journal version when one is known).

Citation keys follow the common "lastname + year + first significant title word" scheme
(``men2024shortgpt``), ASCII-folded and lower case, so they are easy to type and stay the same across
exports of the same selection; a repeated key gets "a", "b", … in input order. Field text is LaTeX-encoded
(`llmkb.export.latex`), and title words whose capitals matter (LoRA, GPT-4) are braced so bibliography
styles that lower-case titles leave them alone. bibtexparser does the writing; it is imported on first use
because most commands never export.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from llmkb.export.latex import encode_latex
from llmkb.export.record_fields import Record, paper_url, publication_month, publication_year

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "or",
        "with",
        "without",
        "via",
        "by",
        "at",
        "from",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "be",
        "do",
        "does",
        "can",
        "how",
        "what",
        "when",
        "why",
        "which",
        "who",
        "towards",
        "toward",
        "through",
        "beyond",
        "over",
        "under",
        "about",
        "against",
        "between",
        "not",
        "no",
        "we",
        "our",
        "your",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
    }
)
# Name words that start a multi-word last name ("van Beethoven", "De Cao"). Capitalised forms are limited to
# the unambiguous ones: "Da", "Du", "Le" are common given names and surnames on their own.
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "del",
        "della",
        "dela",
        "di",
        "da",
        "dal",
        "dalla",
        "du",
        "la",
        "le",
        "les",
        "ten",
        "ter",
        "des",
        "dos",
        "das",
        "zu",
    }
)
_CAPITALISED_PARTICLES = frozenset(
    {
        "Van",
        "Von",
        "De",
        "Der",
        "Den",
        "Del",
        "Della",
        "Dos",
        "Das",
        "Ten",
        "Ter",
        "Di",
        "La",
    }
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_GROUP_WORDS = frozenset(
    {
        "team",
        "group",
        "lab",
        "labs",
        "laboratory",
        "consortium",
        "collaboration",
        "project",
        "foundation",
        "inc",
        "ltd",
        "research",
    }
)
_ASCII_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }  # fmt: skip
)
_TITLE_WORD = re.compile(r"\w(?:[\w'’.+-]*\w)?")
_WORD_PARTS = re.compile(r"[-'’.+]")
_BATCH = 256


def ascii_fold(text: str) -> str:
    """Lower-case ASCII with accents dropped: "Ramírez" -> "ramirez", "Łukasz" -> "lukasz"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD)).encode("ascii", "ignore")
    return folded.decode("ascii").lower()


def _key_part(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", ascii_fold(text))


def split_name(name: str) -> tuple[str, str, str]:
    """(last name with particles, first names, suffix) of a name written "First Last" or "Last, First"."""
    name = " ".join(name.split())
    if "," in name:
        parts = [part.strip() for part in name.split(",")]
        if len(parts) >= 3:
            return parts[0], ", ".join(parts[2:]), parts[1]
        return parts[0], parts[1], ""
    words = name.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower().rstrip(".") in _NAME_SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return words[0], "", suffix
    start = len(words) - 1
    while start > 1 and (words[start - 1] in _PARTICLES or words[start - 1] in _CAPITALISED_PARTICLES):
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start]), suffix


def _is_group_name(name: str) -> bool:
    return any(word.lower().strip(".,") in _GROUP_WORDS for word in name.split()[1:]) or " and " in name


def bibtex_name(name: str) -> str:
    """One author as BibTeX reads it: "Last, First", "von Last, Jr., First", or {A Group Name}."""
    if _is_group_name(name):
        return "{" + encode_latex(" ".join(name.split())) + "}"
    last, first, suffix = split_name(name)
    parts = [encode_latex(part) for part in (last, suffix, first) if part]
    return ", ".join(parts)


def _protect_word(word: str, *, first: bool) -> bool:
    for part in _WORD_PARTS.split(word):
        if any(char.isupper() for char in part[1:]):
            return True
        if part[:1].isupper() and (any(char.isdigit() for char in part) or (len(part) == 1 and not first)):
            return True
    return False


def bibtex_title(title: str) -> str:
    """LaTeX-encoded title with words like {LoRA} or {GPT-4} braced against lower-casing."""
    title = " ".join(title.split())
    pieces: list[str] = []
    position = 0
    for match in _TITLE_WORD.finditer(title):
        pieces.append(encode_latex(title[position : match.start()]))
        word = match.group()
        encoded = encode_latex(word)
        pieces.append("{" + encoded + "}" if _protect_word(word, first=position == 0) else encoded)
        position = match.end()
    pieces.append(encode_latex(title[position:]))
    return "".join(pieces)


def _first_significant_word(title: str) -> str:
    for word in re.split(r"[^a-z0-9]+", ascii_fold(title)):
        if len(word) > 1 and word not in _STOPWORDS and not word.isdigit():
            return word
    return ""


def _is_et_al(name: str) -> bool:
    return name.strip().casefold().rstrip(".") in ("et al", "et. al", "others")


def bibtex_authors(authors: list[str]) -> str:
    """ "A and B", or "A and B and others" when the list named only the first authors ("et al.")."""
    names = [bibtex_name(name) for name in authors if not _is_et_al(name)]
    if len(names) < len(authors):
        names.append("others")
    return " and ".join(names)


def citation_key_base(record: Record) -> str:
    """The key before collision suffixes: first author's last name + year + first significant title word."""
    authors = [name for name in record.get("authors") or [] if not _is_et_al(name)]
    author = _key_part(split_name(authors[0])[0]) if authors else ""
    year = publication_year(record)
    return f"{author or 'anon'}{year or ''}{_first_significant_word(record.get('title') or '')}"


def _suffix(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


class CitationKeys:
    """Hands out unique keys in input order: the first paper keeps the base key, later ones get a, b, …"""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next_suffix: dict[str, int] = {}  # per base key, so many collisions stay linear

    def claim(self, base: str) -> str:
        index = self._next_suffix.get(base, -1)
        key = base if index < 0 else base + _suffix(index)
        while key in self._used:  # a suffixed key can be another paper's base key
            index += 1
            key = base + _suffix(index)
        self._next_suffix[base] = index + 1
        self._used.add(key)
        return key


def _fields(record: Record) -> Iterator[tuple[str, str, str | None]]:
    """(field, value, enclosing) in the order they are written; enclosing None means "braces"."""
    authors = record.get("authors") or []
    if authors:
        yield "author", bibtex_authors(authors), None
    yield "title", bibtex_title(record.get("title") or record.get("id") or "Untitled"), None
    year = publication_year(record)
    if year:
        yield "year", str(year), None
        month = publication_month(record)
        if month and 1 <= month <= 12:
            yield "month", _MONTHS[month - 1], "no-enclosing"
    if record.get("journal_ref"):
        yield "journal", encode_latex(" ".join(record["journal_ref"].split())), None
    elif record.get("venue"):
        yield "note", encode_latex(" ".join(record["venue"].split())), None
    if record.get("arxiv_id"):
        yield "eprint", _plain(record["arxiv_id"]), None
        yield "archivePrefix", "arXiv", None
        if record.get("primary_category"):
            yield "primaryClass", _plain(record["primary_category"]), None
    if record.get("doi"):
        yield "doi", _plain(record["doi"]), None
    url = paper_url(record)
    if url:
        yield "url", _plain(url).replace(" ", "%20"), None


def _plain(value: Any) -> str:
    """Identifiers and URLs are written verbatim (biblatex reads them so); braces alone would end the field."""
    return str(value).replace("{", "%7B").replace("}", "%7D").strip()


def write_bibtex(records: Iterable[Record], out: TextIO) -> int:
    """Write one @misc (or @article when a journal reference exists) per paper; returns the count."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.middlewares import AddEnclosingMiddleware
    from bibtexparser.model import Block, Entry, Field
    from bibtexparser.writer import BibtexFormat

    layout = BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"
    keys = CitationKeys()
    count = 0
    batch: list[Block] = []

    def flush() -> None:
        enclose = AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{")
        if count > len(batch):
            out.write("\n")
        out.write(write_string(Library(batch), unparse_stack=[enclose], bibtex_format=layout))
        batch.clear()

    for record in records:
        fields = [Field(key, value, enclosing=enclosing) for key, value, enclosing in _fields(record)]
        entry_type = "article" if record.get("journal_ref") else "misc"
        batch.append(Entry(entry_type, keys.claim(citation_key_base(record)), fields))
        count += 1
        if len(batch) >= _BATCH:
            flush()
    if batch:
        flush()
    return count
