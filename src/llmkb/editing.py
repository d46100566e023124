"""Papers by hand: editing a paper's fields as TOML (`llmkb edit`), its note (`llmkb note`), and adding a
paper that is not on arXiv (`llmkb add`).

`edit` shows the fields a reader may change as a TOML document; what comes back is validated as a whole
(`parse_fields`) and written in one transaction (`apply_fields`), or not at all. TOML because it has
comments (the instructions travel in the file), lists and multi-line strings, and Python reads it without
a dependency. Everything a user types goes through the same checks as imports: tags through
`llmkb.slugs.checked_tags`, links must be web addresses Python can parse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from llmkb.errors import InputError, UsageError

FIELDS = ("title", "short_name", "authors", "year", "month", "venue", "doi", "tags", "links", "note", "abstract")
TEXT_FIELDS = ("title", "short_name", "venue", "doi", "note", "abstract")
MULTILINE = ("note", "abstract")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
MAX_TEXT = 100_000  # characters in any one field: far beyond an abstract, far below a runaway paste


class EditError(InputError):
    """The edited document cannot be stored; the message says where and why."""


# --- TOML out --------------------------------------------------------------------------------------------

_ESCAPE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(ch: str) -> str:
    return {"\n": "\\n", "\t": "\\t"}.get(ch, f"\\u{ord(ch):04x}")


def toml_string(text: str) -> str:
    """A TOML basic string: control characters and bidi marks escaped, so the editor shows them as codes."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _ESCAPE.sub(lambda m: _escape(m.group()), body) + '"'


def toml_text(text: str) -> str:
    """A TOML multi-line basic string for text with line breaks (notes, abstracts)."""
    body = text.replace("\r\n", "\n").replace("\\", "\\\\").replace('"""', '""\\"')
    body = _ESCAPE.sub(lambda m: m.group() if m.group() == "\n" else _escape(m.group()), body)
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return '"""\n' + body + '"""'


def _value(name: str, value: Any) -> str:
    if name in ("year", "month"):
        return str(value) if value else '""'
    if name in ("authors", "tags"):
        return "[" + ", ".join(toml_string(v) for v in value or []) + "]"
    if name == "links":
        if not value:
            return "[]"
        items = [f"  {{ kind = {toml_string(link['kind'])}, url = {toml_string(link['url'])} }}," for link in value]
        return "[\n" + "\n".join(items) + "\n]"
    text = value or ""
    return toml_text(text) if name in MULTILINE and "\n" in text else toml_string(text)


def fields_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields of a record, as `parse_fields` returns them."""
    return {
        "title": record["title"],
        "short_name": record.get("short_name"),
        "authors": list(record.get("authors") or []),
        "year": record.get("year"),
        "month": record.get("month"),
        "venue": record.get("venue"),
        "doi": record.get("doi"),
        "tags": list(record.get("tags") or []),
        "links": [
            {"kind": str(link.get("kind") or "link"), "url": str(link.get("url") or "")}
            for link in record.get("links") or []
        ],
        "note": record.get("note"),
        "abstract": record.get("abstract"),
    }


def to_toml(ref: str, fields: dict[str, Any], *, arxiv: bool) -> str:
    lines = [
        f"# llmkb edit {ref}: save and close to store the changes; close without saving to keep the paper as it is.",
        '# Empty a field with "" or []. Text may span lines inside """ ... """.',
    ]
    if arxiv:
        lines.append("# title, authors and abstract are arXiv's: `llmkb refresh` brings arXiv's version back.")
    lines.append("")
    lines += [f"{name} = {_value(name, fields.get(name))}" for name in FIELDS]
    return "\n".join(lines) + "\n"


# --- TOML in ---------------------------------------------------------------------------------------------


def parse_fields(text: str) -> dict[str, Any]:
    """The fields an edited document asks for, checked; EditError naming the line or field otherwise."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"not valid TOML: {exc}") from None
    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        raise EditError(f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}")
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise EditError(f"{name} must be text in quotes")
        if len(value) > MAX_TEXT:
            raise EditError(f"{name} is longer than {MAX_TEXT} characters")
        value = value.strip() if name in MULTILINE else " ".join(value.split())
        fields[name] = value or None
    if not fields["title"]:
        raise EditError("title cannot be empty")
    if fields["doi"]:
        fields["doi"] = check_doi(fields["doi"])
    fields["year"] = _number(data.get("year", ""), "year", 1000, 9999)
    fields["month"] = _number(data.get("month", ""), "month", 1, 12)
    fields["authors"] = _strings(data.get("authors", []), "authors")
    from llmkb.slugs import checked_tags

    try:
        fields["tags"] = checked_tags(_strings(data.get("tags", []), "tags"))
    except UsageError as exc:
        raise EditError(str(exc)) from None
    links = data.get("links", [])
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        raise EditError('links must be a list of { kind = "code", url = "https://..." }')
    fields["links"] = []
    for link in links:
        extra = set(link) - {"kind", "url"}
        if extra:
            raise EditError(f"a link has kind and url, not {sorted(extra)[0]!r}")
        kind, url = link.get("kind", ""), link.get("url", "")
        if not isinstance(kind, str) or not kind.strip() or not isinstance(url, str):
            raise EditError("every link needs a kind (code, project, pdf, ...) and a url")
        fields["links"].append({"kind": kind.strip().lower(), "url": check_url(url, "link")})
    return fields


def _number(value: Any, name: str, low: int, high: int) -> int | None:
    if value == "" or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise EditError(f'{name} must be a number from {low} to {high}, or ""')
    return value


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EditError(f'{name} must be a list of texts: ["a", "b"]')
    return [" ".join(v.split()) for v in value if v.strip()]


def check_url(url: str, what: str = "url") -> str:
    """A web address (http or https) Python can parse; EditError otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise EditError(f"{what} {url[:60]!r} is not a valid web address: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise EditError(f"{what} {url[:60]!r} is not a web address (http:// or https://)")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise EditError(f"{what} {url[:60]!r} has spaces or control characters in it")
    return url


def check_doi(doi: str) -> str:
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.IGNORECASE)
    if not _DOI.fullmatch(doi):
        raise EditError(f"DOI {doi[:60]!r} is not a DOI (10.NNNN/...)")
    return doi


# --- writing ---------------------------------------------------------------------------------------------


@dataclass
class Edit:
    paper: str  # the ID a user sees
    changed: list[str]  # field names that changed


_JSON = ("authors", "links")
_INDEXED = ("title", "short_name", "abstract", "note")


def apply_fields(db: Path, rowid: int, fields: dict[str, Any]) -> Edit:
    """Writes the given fields (a subset of FIELDS) of one paper in one transaction."""
    import json

    from sqlmodel import col, select

    from llmkb.errors import PaperNotFound
    from llmkb.fts import cjk_terms
    from llmkb.linking.text import derive_text_links
    from llmkb.store.papers_write import add_tags, remove_tags, stored_id
    from llmkb.store.records import paper_ref
    from llmkb.store.schema import Paper, PaperTag, Tag
    from llmkb.store.write_session import write_session
    from llmkb.titles import title_key

    with write_session(db) as session:
        paper = session.get(Paper, rowid)
        if paper is None:
            raise PaperNotFound(f"no paper kb-{rowid} (removed meanwhile?)")
        changed: list[str] = []
        for name, value in fields.items():
            if name == "tags":
                continue
            stored = json.loads(getattr(paper, name)) if name in _JSON else getattr(paper, name)
            if stored != value:
                setattr(paper, name, json.dumps(value, ensure_ascii=False) if name in _JSON else value)
                changed.append(name)
        if "title" in changed:
            paper.title_key = title_key(paper.title)
        if set(changed) & set(_INDEXED):
            paper.cjk = cjk_terms(*(getattr(paper, n) for n in _INDEXED))
        if "tags" in fields:
            have = set(
                session.exec(
                    select(Tag.name)
                    .join(PaperTag, col(PaperTag.tag_id) == col(Tag.id))
                    .where(PaperTag.paper_id == rowid)
                )
            )
            want = set(fields["tags"])
            added = add_tags(session, paper, [t for t in fields["tags"] if t not in have], "user")
            removed = remove_tags(session, paper, sorted(have - want))
            if added or removed:
                changed.append("tags")
        if changed:
            sources = json.loads(paper.sources)
            if "user" not in sources:
                paper.sources = json.dumps([*sources, "user"], ensure_ascii=False)
            session.add(paper)
            session.flush()
            if set(changed) & {"title", "abstract", "note"}:
                derive_text_links(session, [rowid])
        ref = paper_ref(paper.arxiv_id, stored_id(paper))
    return Edit(ref, changed)


def appended(note: str | None, text: str) -> str:
    """`text` added to a note as a new paragraph."""
    text = text.strip()
    return f"{note.rstrip()}\n\n{text}" if note and note.strip() else text


# --- adding a paper that is not on arXiv -------------------------------------------------------------------


@dataclass
class Added:
    paper: str
    outcome: str  # added | updated | unchanged


def add_paper(
    db: Path,
    *,
    title: str,
    authors: list[str],
    venue: str | None = None,
    year: int | None = None,
    month: int | None = None,
    url: str | None = None,
    doi: str | None = None,
    code: str | None = None,
    note: str | None = None,
    tags: list[str] | None = None,
) -> Added:
    """Stores a paper that is not on arXiv (a paper with the same title is completed, not duplicated)."""
    from llmkb.arxiv.ids import InvalidArxivId, is_arxiv_url, parse_arxiv_id
    from llmkb.imports.merge import PaperFields
    from llmkb.linking.text import derive_text_links
    from llmkb.slugs import checked_tags
    from llmkb.store.papers_write import add_tags, save_paper, stored_id
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session

    title = " ".join(title.split())
    if not title:
        raise UsageError("--title cannot be empty")
    for value in (url, doi):
        if value:
            try:
                arxiv_id = parse_arxiv_id(value).id
            except (InvalidArxivId, ValueError):
                continue
            if is_arxiv_url(value) or value.lower().startswith("10.48550/"):
                raise UsageError(f"that paper is on arXiv: `llmkb import {arxiv_id}` brings it in with arXiv's record")
    try:
        links = [{"kind": "paper", "url": check_url(url, "--url")}] if url else []
        if code:
            links.append({"kind": "code", "url": check_url(code, "--code")})
        doi = check_doi(doi) if doi else None
    except EditError as exc:
        raise UsageError(str(exc)) from None
    if year is not None and not 1000 <= year <= 9999:
        raise UsageError(f"--year takes a four-digit year, not {year}")
    if month is not None and not 1 <= month <= 12:
        raise UsageError(f"--month takes 1 to 12, not {month}")
    fields = PaperFields(
        title=title,
        authors=[" ".join(a.split()) for a in authors if a.strip()] or None,
        venue=" ".join(venue.split()) if venue else None,
        year=year,
        month=month,
        doi=doi,
        links=links,
        note=note.strip() if note and note.strip() else None,
    )
    tag_paths = checked_tags(tags or [])
    with write_session(db) as session:
        outcome, paper = save_paper(session, fields, source="user", authoritative=False)
        if tag_paths and add_tags(session, paper, tag_paths, "user") and outcome == "unchanged":
            outcome = "updated"
        derive_text_links(session, [stored_id(paper)])
        ref = paper_ref(paper.arxiv_id, stored_id(paper))
    return Added(ref, outcome)
