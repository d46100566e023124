"""Render papers as a GitHub awesome list that `import-list` can read back.

Document shape with the default tag grouping::

    # Reading list

    <!-- llmkb export; group-by: tag -->

    ## Contents

    - [Model Compression](#model-compression)
      - [Pruning](#pruning)
    - [Untagged](#untagged)

    ## Model Compression

    - <entry>

    ### Pruning

    - <entry>

    ## Untagged

    - <entry>

The HTML comment (invisible on GitHub) tells `llmkb.awesome_list.export_reader` that the file follows this
format exactly, so it can be read back without the heuristics general awesome lists need. The H1 is the
document title, never a topic. "Contents" and "Untagged" (exact text, see `NON_TOPIC_HEADINGS`) are the
only other headings that are not topics: the first holds in-page links only, the second the papers without
a tag. Every other heading is one segment of a tag path; its text slugifies (`llmkb.slugs.slugify`) back to
exactly that segment, so the heading path below the H1 is the tag. A paper with several tags appears once
under each. A real top-level tag named "contents" or "untagged" is written in lower case, so it never
equals a non-topic heading. Tags deeper than five segments share the H6 heading, whose text is the rest of
the path joined with "/" (the reader splits it again).

Entry grammar (style "list"); fields are joined by " — " (space, U+2014, space), each appears only when it
has a value and its column is chosen, always in this order::

    - TITLE — **VENUE YEAR** — *AUTHORS* — [Code](URL), [PDF](URL), [Project](URL) — NOTE

- TITLE is ``[escaped title](url)``: the arXiv abstract page, else another paper link, else the code link;
  a paper with no link at all has the escaped title as plain text.
- ``**VENUE YEAR**``: strong text; the year, when present, is the last space-separated word and has four
  digits; it may be there without a venue (``**2024**``) or the venue without it.
- ``*AUTHORS*``: emphasised, every name joined by ", " (or the first ``max_authors``), then " et al." when
  names are left out (here or already in the list the paper came from).
- LINKS: every stored link, in stored order, one ``[Label](URL)`` each, joined by ", "; the label names the
  link's kind (``LINK_LABELS``: Code, PDF, Paper, Project, Summary, Link; another kind is written as is).
  The code links are the "code" column, the others the "links" column.
- NOTE: the rest of the line; it is the only plain-text field after the title.

Text is whitespace-collapsed onto one line and backslash-escaped (`escape_text`) so that markdown-it gives
back the original characters. With ``with_xref`` an entry gets nested items ``  - Datasets: A, B`` and
``  - Models: C`` (names escaped, a role other than evaluation in parentheses), which the reader skips.
Style "table" puts the same fields in columns (Paper, Venue, Year, Authors, Code, Links, Note). Grouped by year,
venue or nothing, the headings are not tags, and a re-import gives the papers without tags.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from llmkb.errors import UsageError
from llmkb.export.record_fields import (
    Record,
    date_key,
    paper_url,
    publication_year,
    xref_names,
)
from llmkb.slugs import slugify

DEFAULT_TITLE = "Reading list"
EXPORT_MARKER = "<!-- llmkb export; group-by: {group_by} -->"
CONTENTS_HEADING = "Contents"
UNTAGGED_HEADING = "Untagged"
NON_TOPIC_HEADINGS = frozenset({CONTENTS_HEADING, UNTAGGED_HEADING})
FIELD_SEPARATOR = " — "

GROUP_BY = ("tag", "year", "venue", "none")
SORTS = ("date", "title")
STYLES = ("list", "table")
COLUMNS = ("title", "venue", "year", "authors", "code", "links", "note")
ET_AL = "et al."
LINK_LABELS = {
    "code": "Code",
    "pdf": "PDF",
    "paper": "Paper",
    "project": "Project",
    "summary": "Summary",
    "other": "Link",
}

_TABLE_HEADERS = {
    "title": "Paper",
    "venue": "Venue",
    "year": "Year",
    "authors": "Authors",
    "code": "Code",
    "links": "Links",
    "note": "Note",
}
_MAX_TAG_DEPTH = 5  # H2..H6 below the document's H1

_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<>|~$])")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LEADING_MARKER = re.compile(r"^(?:#|[-+=](?=\s|$))")
_LEADING_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")

# Heading words written in capitals or a fixed form; any case of these slugifies to the same segment.
_WORD_FORMS = {
    word: word.upper()
    for word in (
        "ai",
        "asr",
        "cnn",
        "cot",
        "cv",
        "dpo",
        "gnn",
        "gpt",
        "gpu",
        "kd",
        "kv",
        "llm",
        "lm",
        "lora",
        "mlp",
        "moe",
        "mllm",
        "nlp",
        "nlu",
        "ocr",
        "peft",
        "ppo",
        "qa",
        "rag",
        "rl",
        "rlhf",
        "rnn",
        "sft",
        "ssm",
        "tts",
        "vlm",
        "vqa",
    )
}
_WORD_FORMS.update({"llms": "LLMs", "lms": "LMs", "mllms": "MLLMs", "vlms": "VLMs", "gpus": "GPUs", "moes": "MoEs"})
_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "via",
        "vs",
        "with",
        "without",
    }
)


def escape_text(text: Any) -> str:
    """Markdown-escape one line of user text so GitHub shows it literally."""
    line = " ".join(str(text).split())
    line = _ALWAYS_ESCAPED.sub(r"\\\1", line)
    line = _ENTITY_START.sub(r"\\&", line)
    if _LEADING_MARKER.match(line):
        return "\\" + line
    return _LEADING_ORDERED.sub(r"\1\\\2", line)


def _escape_url(url: str) -> str:
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def segment_heading(segment: str) -> str:
    """Readable heading text for one tag segment ("model-compression" -> "Model Compression").

    Falls back to the segment itself when the readable form would not slugify back to it.
    """
    words = []
    for index, word in enumerate(segment.split("-")):
        if word in _WORD_FORMS:
            words.append(_WORD_FORMS[word])
        elif index and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:])
    text = " ".join(words)
    if slugify(text) != segment or text in NON_TOPIC_HEADINGS:
        return segment
    return text


class _GithubAnchors:
    """GitHub's heading ids (github-slugger): repeated headings get -1, -2… in document order."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def anchor(self, text: str) -> str:
        base = "".join(
            "-" if char == " " else char
            for char in text.lower()
            if char in " -_" or unicodedata.category(char)[0] in "LMN"
        )
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result


class _Entry:
    """One paper, rendered once, with what sorting and grouping need."""

    __slots__ = ("date", "id", "tags", "text", "title_key", "venue", "year")

    def __init__(self, record: Record, text: str) -> None:
        self.text = text
        self.date = date_key(record)
        self.title_key = (record.get("title") or "").casefold()
        self.id = str(record.get("id") or "")
        self.year = publication_year(record)
        self.venue = record.get("venue") or None
        self.tags = list(dict.fromkeys(tag for tag in record.get("tags") or () if tag))


class _Group:
    __slots__ = ("anchor", "children", "entries", "heading", "raw")

    def __init__(self, raw: str, heading: str) -> None:
        self.raw = raw  # the text GitHub sees (and anchors on) once escapes are resolved
        self.heading = heading
        self.anchor = ""
        self.entries: list[_Entry] = []
        self.children: dict[str, _Group] = {}


def _choose_columns(columns: Sequence[str] | None) -> tuple[str, ...]:
    if columns is None:
        return COLUMNS
    unknown = [column for column in columns if column not in COLUMNS]
    if unknown:
        raise UsageError(f"unknown column {unknown[0]!r}; choose from {', '.join(COLUMNS)}")
    return tuple(column for column in COLUMNS if column == "title" or column in columns)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise UsageError(f"unknown {name} {value!r}; choose from {', '.join(choices)}")


def _authors_text(authors: Sequence[str], max_authors: int | None) -> str:
    """ "A, B, C" or "A, B et al.": et al. when names are left out here or were already left out."""
    names = [name for name in authors if name.strip().casefold() != ET_AL]
    partial = len(names) < len(authors)
    if max_authors is not None and len(names) > max_authors:
        names, partial = names[:max_authors], True
    shown = ", ".join(names)
    return f"{shown} {ET_AL}" if partial and shown else (ET_AL if partial else shown)


def _links_markdown(record: Record, *, code: bool | None) -> str:
    """The code links (code=True), the others (False) or all of them in stored order (None)."""
    links = [link for link in record.get("links") or () if link.get("url")]
    chosen = [link for link in links if code is None or (link.get("kind") == "code") == code]
    return ", ".join(
        f"[{escape_text(LINK_LABELS.get(link.get('kind') or 'other', link.get('kind') or 'Link'))}]"
        f"({_escape_url(link['url'])})"
        for link in chosen
    )


def _title_markdown(record: Record) -> str:
    title = escape_text(record.get("title") or record.get("id") or "Untitled")
    url = paper_url(record)
    return f"[{title}]({_escape_url(url)})" if url else title


def _cells(record: Record, columns: tuple[str, ...], max_authors: int | None = None) -> dict[str, str]:
    """Each chosen column's markdown, empty when the paper has no value for it."""
    year = publication_year(record)
    authors = record.get("authors") or []
    values = {
        "title": _title_markdown(record),
        "venue": escape_text(record["venue"]) if record.get("venue") else "",
        "year": str(year) if year else "",
        "authors": escape_text(_authors_text(authors, max_authors)) if authors else "",
        "code": _links_markdown(record, code=True),
        "links": _links_markdown(record, code=False),
        "note": escape_text(record["note"]) if record.get("note") else "",
    }
    return {column: values[column] for column in columns}


def _list_item(record: Record, columns: tuple[str, ...], *, with_xref: bool, max_authors: int | None = None) -> str:
    cells = _cells(record, columns, max_authors)
    fields = [cells["title"]]
    venue_year = " ".join(value for value in (cells.get("venue"), cells.get("year")) if value)
    if venue_year:
        fields.append(f"**{venue_year}**")
    if cells.get("authors"):
        fields.append(f"*{cells['authors']}*")
    if "code" in columns and "links" in columns:
        links = _links_markdown(record, code=None)  # one field: the stored order is kept
    else:
        links = ", ".join(cells[column] for column in ("code", "links") if cells.get(column))
    if links:
        fields.append(links)
    if cells.get("note"):
        fields.append(cells["note"])
    item = "- " + FIELD_SEPARATOR.join(fields)
    if with_xref:
        for label, key in (("Datasets", "datasets"), ("Models", "models")):
            names = xref_names(record, key)
            if names:
                item += f"\n  - {label}: " + ", ".join(escape_text(name) for name in names)
    return item


def _table_header(columns: tuple[str, ...], *, with_xref: bool) -> str:
    headers = [_TABLE_HEADERS[column] for column in columns]
    if with_xref:
        headers += ["Datasets", "Models"]
    return "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers)


def _table_row(record: Record, columns: tuple[str, ...], *, with_xref: bool, max_authors: int | None = None) -> str:
    cells = list(_cells(record, columns, max_authors).values())
    if with_xref:
        for key in ("datasets", "models"):
            cells.append(", ".join(escape_text(name) for name in xref_names(record, key)))
    return "| " + " | ".join(cells) + " |"


def _tag_path(tag: str) -> list[str]:
    segments = [segment for segment in tag.split("/") if segment]
    if len(segments) > _MAX_TAG_DEPTH:
        segments = segments[: _MAX_TAG_DEPTH - 1] + ["/".join(segments[_MAX_TAG_DEPTH - 1 :])]
    return segments


def _group_by_tag(entries: list[_Entry]) -> list[_Group]:
    root = _Group("", "")
    untagged = _Group(UNTAGGED_HEADING, UNTAGGED_HEADING)
    for entry in entries:
        if not entry.tags:
            untagged.entries.append(entry)
        for tag in entry.tags:
            node = root
            for segment in _tag_path(tag):
                child = node.children.get(segment)
                if child is None:
                    raw = segment_heading(segment)
                    child = node.children[segment] = _Group(raw, escape_text(raw))
                node = child
            # Two tags of one paper may share a node once merged below H6; they arrive one after the other.
            if not node.entries or node.entries[-1] is not entry:
                node.entries.append(entry)
    groups = list(root.children.values())
    return groups + [untagged] if untagged.entries else groups


def _group_flat(entries: list[_Entry], group_by: str) -> list[_Group]:
    groups: dict[Any, _Group] = {}
    for entry in entries:
        if group_by == "year":
            key = entry.year
            raw = str(key) if key else "No year"
        else:
            key = entry.venue
            raw = key if key else "No venue"
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(raw, escape_text(raw))
        group.entries.append(entry)
    if group_by == "year":
        keys = sorted((key for key in groups if key), reverse=True)
    else:
        keys = sorted((key for key in groups if key), key=lambda venue: (venue.casefold(), venue))
    if None in groups:
        keys.append(None)
    return [groups[key] for key in keys]


def _sorted_children(group: _Group) -> list[_Group]:
    return sorted(group.children.values(), key=lambda child: (child.raw.casefold(), child.raw))


def _ordered_tree(groups: list[_Group], group_by: str) -> list[_Group]:
    if group_by != "tag":
        return groups
    untagged = [group for group in groups if group.raw == UNTAGGED_HEADING and not group.children]
    topics = sorted(
        (group for group in groups if group not in untagged), key=lambda group: (group.raw.casefold(), group.raw)
    )
    return topics + untagged


def _assign_anchors(groups: list[_Group], anchors: _GithubAnchors) -> None:
    for group in groups:
        group.anchor = anchors.anchor(group.raw)
        _assign_anchors(_sorted_children(group), anchors)


def _write_toc(groups: list[_Group], out: TextIO, depth: int = 0) -> None:
    for group in groups:
        out.write(f"{'  ' * depth}- [{group.heading}](#{group.anchor})\n")
        _write_toc(_sorted_children(group), out, depth + 1)


def _write_entries(entries: list[_Entry], out: TextIO, header: str | None) -> None:
    if not entries:
        return
    if header:
        out.write(header + "\n")
    out.write("\n".join(entry.text for entry in entries))
    out.write("\n\n")


def _write_groups(groups: list[_Group], out: TextIO, level: int, header: str | None) -> None:
    for group in groups:
        out.write(f"{'#' * level} {group.heading}\n\n")
        _write_entries(group.entries, out, header)
        _write_groups(_sorted_children(group), out, level + 1, header)


def write_markdown(
    records: Iterable[Record],
    out: TextIO,
    *,
    group_by: str = "tag",
    sort: str = "date",
    style: str = "list",
    columns: Sequence[str] | None = None,
    with_xref: bool = False,
    title: str | None = None,
    max_authors: int | None = None,
) -> int:
    """Write the papers as one awesome-list document; returns how many papers it holds.

    Papers are sorted before grouping (date: newest first, then title; title: alphabetical, case-folded),
    so the list keeps only one short rendered line per paper in memory, not the records.
    """
    _check_choice("grouping", group_by, GROUP_BY)
    _check_choice("sort order", sort, SORTS)
    _check_choice("style", style, STYLES)
    chosen = _choose_columns(columns)
    render = _table_row if style == "table" else _list_item
    entries = [
        _Entry(record, render(record, chosen, with_xref=with_xref, max_authors=max_authors)) for record in records
    ]

    entries.sort(key=lambda entry: (entry.title_key, entry.id))
    if sort == "date":
        entries.sort(key=lambda entry: entry.date, reverse=True)  # stable: ties stay by title

    if group_by == "tag":
        groups = _ordered_tree(_group_by_tag(entries), group_by)
    elif group_by == "none":
        groups = []
    else:
        groups = _group_flat(entries, group_by)

    document_title = " ".join((title or "").split()) or DEFAULT_TITLE
    anchors = _GithubAnchors()
    anchors.anchor(document_title)
    out.write(f"# {escape_text(document_title)}\n\n")
    out.write(EXPORT_MARKER.format(group_by=group_by) + "\n\n")
    header = _table_header(chosen, with_xref=with_xref) if style == "table" else None
    if groups:
        anchors.anchor(CONTENTS_HEADING)
        _assign_anchors(groups, anchors)
        out.write(f"## {CONTENTS_HEADING}\n\n")
        _write_toc(groups, out)
        out.write("\n")
        _write_groups(groups, out, 2, header)
    else:
        _write_entries(entries, out, header)
    return len(entries)
