"""One list as the checks see it: its lines, the parser's entries, and the markdown structure around them.

The entries come from the same parser `import-list` uses, so lint judges exactly what an import would store.
The parser does not expose headings, list items or where a link sits on its line, and structure checks
need all three; rather than widen the parser's interface, the text is tokenized once more here (a fifth
of a parse) and only positions are kept.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from llmkb.awesome_list import ListEntry, ParsedList, parse_awesome_list
from llmkb.awesome_list.headings import normalize_heading
from llmkb.awesome_list.parser import markdown_tokens


@dataclass
class Heading:
    text: str
    level: int
    line: int
    indent: int  # spaces before the #
    anchor: str  # the id GitHub gives it (before de-duplication)
    raw_anchor: str = ""  # the same from the text as written, inner spaces kept ("Awesome-LLM " + a badge)
    content_blocks: int = 0  # blocks directly under it, before the next heading


@dataclass
class LinkRef:
    url: str
    text: str
    line: int
    in_item: int | None = None  # index into Document.items


@dataclass
class Item:
    """A list item: its first paragraph's text and the links anywhere in it (nested lists excluded)."""

    line: int
    text: str
    heading: int | None  # index into Document.headings
    depth: int
    links: list[int] = field(default_factory=list)  # indexes into Document.links
    list_id: int = 0  # items of one list share it


_ANCHOR_ATTR = re.compile(r"""<a\s[^>]*?\b(?:name|id)\s*=\s*["']?([^"'\s>]+)|\bid\s*=\s*["']([^"']+)["']""", re.I)
_HTML_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.I)
_ANCHOR_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def github_anchor(text: str, *, trim: bool = True) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation and emoji dropped, spaces to hyphens.

    GitHub keeps a space left next to a dropped badge or emoji ("Awesome-LLM [badge]" -> "awesome-llm-");
    `trim=False` reproduces that, the default gives the form other renderers use."""
    dropped = _ANCHOR_DROP.sub("", text.lower())
    return (dropped.strip() if trim else dropped).replace(" ", "-")


class Document:
    def __init__(self, text: str, source: str = "") -> None:
        self.source = source
        self.text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines: list[str] = self.text.split("\n")
        # one markdown-it pass for the parser and the walk below (NUL is what markdown-it makes of it anyway)
        self._tokens = markdown_tokens(self.text.replace("\x00", "\ufffd"))
        self.parsed: ParsedList = parse_awesome_list(self.text, source=source, tokens=self._tokens)
        self.headings: list[Heading] = []
        self.items: list[Item] = []
        self.links: list[LinkRef] = []
        self.html_anchors: set[str] = set()
        self.empty_items: list[int] = []  # lines
        self.table_rows: set[int] = set()  # lines of table body rows
        self.toc_headings: set[int] = set()  # indexes of headings named contents / table of contents
        self._walk()

    # --- positions ----------------------------------------------------------------------------------------

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset into the text."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def locate(self, line: int, needle: str, *, span: int = 8, case: bool = True) -> tuple[int, int] | None:
        """Where `needle` first appears from `line` on, within `span` lines and before the next heading."""
        if not needle:
            return None
        for current in range(line, min(line + span, len(self.lines)) + 1):
            if current > line and current in self.heading_lines:
                break
            text = self.line_text(current)
            at = text.find(needle) if case else text.lower().find(needle.lower())
            if at >= 0:
                return current, at + 1
        return None

    def column(self, line: int, needle: str) -> int:
        found = self.locate(line, needle, span=0) if needle else None
        return found[1] if found else 1

    @cached_property
    def heading_lines(self) -> dict[int, int]:
        return {h.line: i for i, h in enumerate(self.headings)}

    def heading_before(self, line: int) -> int | None:
        """Index of the last heading at or above `line`."""
        lines = [h.line for h in self.headings]
        index = bisect.bisect_right(lines, line) - 1
        return index if index >= 0 else None

    def section_of(self, line: int) -> str:
        index = self.heading_before(line)
        return "" if index is None else f"{index}:{self.headings[index].text}"

    @property
    def entries(self) -> list[ListEntry]:
        return self.parsed.entries

    @cached_property
    def listed(self) -> list[ListEntry]:
        """Entries that are items of the list (list items, table rows, headings), not mentions in prose."""
        lines = {item.line for item in self.items} | self.table_rows | set(self.heading_lines)
        return [e for e in self.entries if e.line in lines]

    @cached_property
    def entry_end(self) -> dict[int, int]:
        """For each entry's line, the last line that can still belong to it (before the next entry or heading)."""
        starts = sorted({e.line for e in self.entries} | set(self.heading_lines) | {len(self.lines) + 1})
        ends: dict[int, int] = {}
        for e in self.entries:
            index = bisect.bisect_right(starts, e.line)
            ends[e.line] = max(e.line, starts[index] - 1) if index < len(starts) else len(self.lines)
        return ends

    def entry_lines(self, entry: ListEntry) -> range:
        return range(entry.line, self.entry_end.get(entry.line, entry.line) + 1)

    # --- the walk -----------------------------------------------------------------------------------------

    def _walk(self) -> None:
        walk = _Walk(self)
        for tok in self._tokens:
            walk.step(tok, tok.map[0] + 1 if tok.map else 0)
        for m in _ANCHOR_ATTR.finditer(self.text):
            self.html_anchors.add((m.group(1) or m.group(2)).lower())

    def _html(self, content: str, line: int) -> None:
        for m in _HTML_HREF.finditer(content):
            at = line + content.count("\n", 0, m.start())
            self.links.append(LinkRef(m.group(1), "", at, None))


class _Walk:
    """One pass over the markdown tokens, filling a Document's headings, items, links and table rows."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.item_stack: list[int] = []
        self.parents: set[int] = set()  # items with nested items
        self.list_stack: list[int] = []
        self.lists_seen = 0
        self.current: int | None = None  # the heading above, by index
        self.fresh_item = False  # the next inline belongs to the innermost item's first paragraph
        self.in_heading: Heading | None = None
        self.block_depth = 0  # nesting below the top level (content directly under a heading has depth 0)

    def step(self, tok, line: int) -> None:
        kind = tok.type
        if kind == "heading_open":
            self._open_heading(tok, line)
        elif kind == "heading_close" and self.in_heading is not None:
            self._close_heading(self.in_heading)
        else:
            self._count_block(tok)
            if kind == "inline":
                self._inline(tok, line)
            elif kind == "tr_open" and line:
                self.doc.table_rows.add(line)
            elif kind == "html_block":
                self.doc._html(tok.content, line)
            else:
                self._list_structure(kind, line)

    def _open_heading(self, tok, line: int) -> None:
        raw = self.doc.line_text(line)
        level = int(tok.tag[1]) if tok.tag[1:].isdigit() else 6
        self.in_heading = Heading("", level, line, len(raw) - len(raw.lstrip(" ")), "")

    def _close_heading(self, heading: Heading) -> None:
        heading.anchor = github_anchor(heading.text)
        heading.raw_anchor = github_anchor(heading.raw_anchor, trim=False)
        self.doc.headings.append(heading)
        self.current = len(self.doc.headings) - 1
        if normalize_heading(heading.text) in ("contents", "content", "table of contents", "toc"):
            self.doc.toc_headings.add(self.current)
        self.in_heading = None

    def _count_block(self, tok) -> None:
        """Counts the blocks a reader sees directly under the current heading, and tracks nesting."""
        if self.block_depth == 0 and self.current is not None and self.in_heading is None and _shows(tok):
            self.doc.headings[self.current].content_blocks += 1
        if tok.nesting == 1:
            self.block_depth += 1
        elif tok.nesting == -1:
            self.block_depth = max(self.block_depth - 1, 0)

    def _list_structure(self, kind: str, line: int) -> None:
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists_seen += 1
            self.list_stack.append(self.lists_seen)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if self.list_stack:
                self.list_stack.pop()
        elif kind == "list_item_open":
            self._open_item(line)
        elif kind == "list_item_close":
            self._close_item()

    def _open_item(self, line: int) -> None:
        items = self.doc.items
        if self.item_stack:
            self.parents.add(self.item_stack[-1])
        list_id = self.list_stack[-1] if self.list_stack else 0
        items.append(Item(line, "", self.current, len(self.list_stack), list_id=list_id))
        self.item_stack.append(len(items) - 1)
        self.fresh_item = True

    def _close_item(self) -> None:
        if self.item_stack:
            index = self.item_stack.pop()
            item = self.doc.items[index]
            blank = not item.text.strip() and not item.links and index not in self.parents
            if blank and _blank_item(self.doc.line_text(item.line)):
                self.doc.empty_items.append(item.line)
        self.fresh_item = False

    def _inline(self, tok, line: int) -> None:
        text, links = _inline(tok, line)
        if self.in_heading is not None:
            self.in_heading.text = " ".join(text.split())
            self.in_heading.raw_anchor = "".join(
                c.content for c in tok.children or [] if c.type in ("text", "code_inline")
            )
            return
        owner = self.item_stack[-1] if self.item_stack else None
        if owner is not None and self.fresh_item:
            self.doc.items[owner].text = text
            self.fresh_item = False
        for url, label, at in links:
            self.doc.links.append(LinkRef(url, label, at, owner))
            if owner is not None:
                self.doc.items[owner].links.append(len(self.doc.links) - 1)


def _shows(tok) -> bool:
    """A top-level block a reader sees: a paragraph, list, table, quote, code, or HTML that is not a comment."""
    if tok.nesting == 1:
        return True
    return tok.nesting == 0 and (
        tok.type in ("code_block", "fence") or (tok.type == "html_block" and not _only_comments(tok.content))
    )


def _only_comments(html: str) -> bool:
    return not re.sub(r"<!--.*?(?:-->|$)", "", html, flags=re.S).strip()


def _blank_item(raw: str) -> bool:
    """An item line with a marker and nothing after it ("- ", "1."), not one whose content is on later lines."""
    return re.fullmatch(r"\s*(?:[-*+]|\d{1,9}[.)])\s*", raw) is not None


def _inline(tok, line: int) -> tuple[str, list[tuple[str, str, int]]]:
    """The visible text of an inline token and its links as (url, text, line)."""
    parts: list[str] = []
    links: list[tuple[str, str, int]] = []
    open_link: list | None = None
    offset = 0
    for child in tok.children or []:
        t = child.type
        if t in ("softbreak", "hardbreak"):
            offset += 1
            parts.append(" ")
            if open_link is not None:
                open_link[1] += " "
            continue
        if t == "link_open":
            open_link = [child.attrGet("href") or "", "", line + offset]
            continue
        if t == "link_close":
            if open_link is not None:
                links.append((open_link[0], open_link[1].strip(), open_link[2]))
            open_link = None
            continue
        if t == "html_inline":
            for m in _HTML_HREF.finditer(child.content):
                links.append((m.group(1), "", line + offset))
            continue
        if t in ("text", "code_inline"):
            parts.append(child.content)
            if open_link is not None:
                open_link[1] += child.content
        elif t == "image":
            parts.append(" ")
    return "".join(parts), links
