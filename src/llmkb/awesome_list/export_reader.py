"""Read back a markdown list that `write_markdown` produced, field by field, without guessing.

General awesome lists need heuristics (which link is the paper, which text is a venue, which heading is a
topic). An exported list says so in its marker comment and follows one grammar (see
`llmkb.export.markdown`), so the importer can hand it here instead and get back exactly the papers, tags,
venues, years, authors, notes and links that were exported. Exports written before links had labels
("[Code](url)" only) read back as before.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from llmkb.arxiv.ids import InvalidArxivId, parse_arxiv_id
from llmkb.awesome_list.model import ET_AL, Link, ListEntry
from llmkb.export.markdown import CONTENTS_HEADING, FIELD_SEPARATOR, LINK_LABELS, NON_TOPIC_HEADINGS
from llmkb.slugs import slugify

_MARKER = re.compile(r"^<!-- llmkb export; group-by: (tag|year|venue|none) -->$", re.MULTILINE)
_ARXIV_ABS = re.compile(r"^https?://arxiv\.org/abs/([^?#\s]+)$")
_YEAR = re.compile(r"(?:19|20|21)\d{2}")
_ET_AL = " et al."
_TABLE_COLUMNS = {"Paper": "title", "Venue": "venue", "Year": "year", "Authors": "authors", "Code": "links",
                  "Links": "links", "Note": "note"}  # fmt: skip
_KIND_OF_LABEL = {label: kind for kind, label in LINK_LABELS.items()}
_DEEPEST_HEADING = 6


@dataclass
class ExportedEntry:
    """One occurrence of a paper in the list; a paper with several tags occurs once per tag."""

    title: str
    line: int
    url: str | None = None  # the title link: the arXiv abstract page, or a paper or code link
    arxiv_id: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    more_authors: bool = False  # "et al.": `authors` is not the whole list
    code: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, url), every link, in order
    labelled_links: bool = False  # the export labels its links by kind (else only code links were written)
    note: str | None = None
    tag: str | None = None


def is_exported_list(text: str) -> bool:
    return _MARKER.search(text) is not None


def _text(tokens) -> str:
    return "".join(token.content for token in tokens if token.type in ("text", "code_inline", "text_special"))


def _segments(children) -> list[list]:
    """An entry's inline tokens split on the field separator, never inside a link or emphasis."""
    segments: list[list] = [[]]
    depth = 0
    for token in children:
        if token.type.endswith("_open"):
            depth += 1
        elif token.type.endswith("_close"):
            depth -= 1
        if token.type == "text" and depth == 0 and FIELD_SEPARATOR in token.content:
            parts = token.content.split(FIELD_SEPARATOR)
            for index, part in enumerate(parts):
                if part:
                    segments[-1].append(token.copy(content=part))
                if index < len(parts) - 1:
                    segments.append([])
        else:
            segments[-1].append(token)
    return [segment for segment in segments if segment]


_URL_ESCAPES = (("%20", " "), ("%28", "("), ("%29", ")"), ("%3C", "<"), ("%3E", ">"))


def _href(token) -> str:
    """A link's URL as stored: the writer percent-encodes these five characters so markdown keeps the URL whole."""
    url = token.attrs["href"]
    for code, char in _URL_ESCAPES:
        url = url.replace(code, char)
    return url


def _links(tokens) -> list[str]:
    return [_href(token) for token in tokens if token.type == "link_open"]


def _labelled_links(tokens) -> list[tuple[str, str]] | None:
    """(kind, url) of a segment made only of "[Label](url)" links joined by ", "; None when it is not one."""
    out: list[tuple[str, str]] = []
    url: str | None = None
    label: list[str] = []
    for token in tokens:
        if token.type == "link_open":
            url, label = _href(token), []
        elif token.type == "link_close" and url is not None:
            text = "".join(label)
            out.append((_KIND_OF_LABEL.get(text, text.casefold()), url))
            url = None
        elif url is not None:
            label.append(token.content)
        elif token.content.strip(", "):
            return None
    return out or None


def _set_links(entry: ExportedEntry, tokens) -> bool:
    links = _labelled_links(tokens)
    if links is None:
        return False
    entry.links += links
    entry.code += [url for kind, url in links if kind == "code"]
    entry.labelled_links = True
    return True


def _set_title(entry: ExportedEntry, tokens) -> None:
    entry.title = _text(tokens)
    if tokens and tokens[0].type == "link_open":
        entry.url = _href(tokens[0])
        match = _ARXIV_ABS.match(entry.url)
        entry.arxiv_id = match.group(1) if match else None


def _set_venue_year(entry: ExportedEntry, text: str, *, year_only: bool = False) -> None:
    words = text.split(" ")
    if words and _YEAR.fullmatch(words[-1]):
        entry.year = int(words.pop())
    if not year_only:
        entry.venue = " ".join(words) or None


def _set_authors(entry: ExportedEntry, text: str) -> None:
    entry.more_authors = text.endswith(_ET_AL) or text == ET_AL
    text = text.removesuffix(_ET_AL) if text != ET_AL else ""
    entry.authors = [name for name in text.split(", ") if name]


def _list_entry(children, line: int) -> ExportedEntry:
    segments = _segments(children)
    entry = ExportedEntry(title="", line=line)
    _set_title(entry, segments[0])
    rest: list[str] = []
    for segment in segments[1:]:
        kind = segment[0].type
        if rest:  # the note is last: everything after its start belongs to it
            rest.append(_text(segment))
        elif kind == "strong_open":
            _set_venue_year(entry, _text(segment))
        elif kind == "em_open":
            _set_authors(entry, _text(segment))
        elif kind == "link_open" and _set_links(entry, segment):
            pass
        else:
            rest.append(_text(segment))
    entry.note = FIELD_SEPARATOR.join(rest) or None
    return entry


def _table_entry(columns: list[str | None], cells: list, line: int) -> ExportedEntry:
    entry = ExportedEntry(title="", line=line)
    for column, cell in zip(columns, cells, strict=False):
        children = cell.children or []
        text = _text(children)
        if column == "title":
            _set_title(entry, children)
        elif column == "venue":
            entry.venue = text or None
        elif column == "year":
            _set_venue_year(entry, text, year_only=True)
        elif column == "authors":
            _set_authors(entry, text)
        elif column == "links":
            _set_links(entry, children)
        elif column == "note":
            entry.note = text or None
    return entry


def _heading_segment(text: str, level: int) -> str:
    if level == _DEEPEST_HEADING:  # deeper tags share the last heading as "a/b"
        return "/".join(slugify(part) for part in text.split("/"))
    return slugify(text)


def read_exported_list(text: str) -> list[ExportedEntry]:
    """Every entry of an exported list, in file order; empty when `text` is not one (see `is_exported_list`)."""
    marker = _MARKER.search(text)
    if marker is None:
        return []
    tags_from_headings = marker.group(1) == "tag"
    from markdown_it import MarkdownIt  # only imports use this module

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    entries: list[ExportedEntry] = []
    path: list[str] = []
    in_contents = False
    list_depth = 0
    columns: list[str | None] = []
    row: list = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            heading = _text(tokens[index + 1].children or [])
            in_contents = level == 2 and heading == CONTENTS_HEADING
            if level == 1 or (level == 2 and heading in NON_TOPIC_HEADINGS):
                path = []
            else:
                path = path[: level - 2] + [_heading_segment(heading, level)]
            continue
        tag = "/".join(path) if tags_from_headings and path else None
        if kind == "bullet_list_open":
            list_depth += 1
        elif kind == "bullet_list_close":
            list_depth -= 1
        elif kind == "thead_open":
            columns = []
        elif kind == "th_open":
            columns.append(_TABLE_COLUMNS.get(_text(tokens[index + 1].children or [])))
        elif kind == "tr_open":
            row = []
        elif kind == "td_open":
            row.append(tokens[index + 1])
        elif kind == "tr_close" and row:
            entry = _table_entry(columns, row, token.map[0] + 1 if token.map else 0)
            entry.tag = tag
            entries.append(entry)
            row = []
        elif (
            kind == "inline"
            and list_depth == 1
            and not in_contents
            and tokens[index - 1].type == "paragraph_open"
            and token.children
        ):
            entry = _list_entry(token.children, token.map[0] + 1 if token.map else 0)
            entry.tag = tag
            entries.append(entry)
    return entries


# --- as list entries, for the importer ------------------------------------------------------------


def _title_link_kind(url: str) -> str:
    return "pdf" if urlsplit(url).path.lower().endswith(".pdf") else "paper"


def _as_list_entry(exported: ExportedEntry) -> ListEntry:
    arxiv_id = version = None
    if exported.arxiv_id:
        try:
            parsed = parse_arxiv_id(exported.arxiv_id)
            arxiv_id, version = parsed.id, parsed.version
        except InvalidArxivId:
            arxiv_id = None
    links = [Link(kind, url) for kind, url in exported.links]
    # Without an arXiv page the title links to the paper, or to the code when the paper has no other link.
    if exported.url and arxiv_id is None and all(url != exported.url for _, url in exported.links):
        links.insert(0, Link(_title_link_kind(exported.url), exported.url))
    return ListEntry(
        title=exported.title or None,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        venue=exported.venue,
        year=exported.year,
        authors=[*exported.authors, ET_AL] if exported.more_authors else list(exported.authors),
        links=links,
        note=exported.note,
        tags=[exported.tag] if exported.tag else [],
        line=exported.line,
    )


def exported_list_entries(text: str) -> list[ListEntry]:
    """One entry per occurrence of a paper (one per tag), in file order; [] when `text` is not an export."""
    return [_as_list_entry(entry) for entry in read_exported_list(text)]
