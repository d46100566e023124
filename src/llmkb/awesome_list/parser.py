"""The document walk: headings give tags, every block that names a paper gives an entry.

markdown-it-py builds the block tree; headings are kept as a stack (levels may skip), and every entry
remembers its innermost heading, so that after the walk it is known whether a heading named a topic or a
single paper (a `### SLICEGPT` section holding one **Paper** block) and which headings are tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token
from rapidfuzz import fuzz

from llmkb.awesome_list.citations import split_authors
from llmkb.awesome_list.entries import Row, build_entry, split_candidates
from llmkb.awesome_list.headings import heading_text, heading_year, is_topic, reads_as_topic, title_tag
from llmkb.awesome_list.inline import Piece, html_segments, inline_pieces, line_break
from llmkb.awesome_list.links import LinkInfo, classify_link, is_generic_text
from llmkb.awesome_list.markdown_rules import MAX_NESTING, parser_for
from llmkb.awesome_list.model import Link, ListEntry, ParsedList, RefRow, RefTable
from llmkb.awesome_list.problems import Problems
from llmkb.awesome_list.tables import RowFields, column_roles, date_cell, plain, venue_cell
from llmkb.awesome_list.text import clean_note
from llmkb.awesome_list.venues import find_venue, parse_date
from llmkb.collector import paused
from llmkb.slugs import slugify
from llmkb.thresholds import DIFFERENT_TITLES, SAME_TITLE
from llmkb.titles import title_key


@dataclass(eq=False)
class _Heading:
    text: str
    level: int
    line: int
    kind: str  # "topic", "skip" (not a topic), "year", "doctitle", "entry" (the heading is a paper)
    parent: _Heading | None
    year: int | None = None
    has_children: bool = False
    blocks: int = 0  # visible blocks directly below it
    entries: int = 0  # entries whose innermost heading it is
    paper_blocks: int = 0  # of which built from a **Paper** block


@dataclass(eq=False)
class _Pending:
    entry: ListEntry
    heading: _Heading | None
    paper_block: bool = False


class _Node:
    """A block of the markdown tree: markdown-it's token stream nested by open/close tokens.

    (markdown-it's own SyntaxTreeNode does the same but costs more than the rest of the walk.)
    """

    __slots__ = ("type", "tag", "map", "children", "token", "content")

    def __init__(self, type_: str, tag: str = "", map_: list[int] | None = None, token: Token | None = None):
        self.type = type_
        self.tag = tag
        self.map = map_
        self.children: list[_Node] = []
        self.token = token
        self.content = token.content if token is not None else ""


def _tree(tokens: list[Token]) -> _Node:
    root = _Node("root")
    stack = [root]
    for tok in tokens:
        if tok.nesting == 1:
            node = _Node(tok.type.removesuffix("_open"), tok.tag, tok.map)
            stack[-1].children.append(node)
            stack.append(node)
        elif tok.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(_Node(tok.type, tok.tag, tok.map, tok))
    return root


# Labels of "- **Paper**: [...]" blocks; the first matching group wins.
_LABELS = [
    (
        "summary",
        (
            "summary",
            "reason",
            "note",
            "tldr",
            "tl;dr",
            "comment",
            "description",
            "abstract",
            "why",
            "takeaway",
            "idea",
            "contribution",
            "总结",
            "简介",
            "摘要",
            "笔记",
        ),
    ),
    ("date", ("year", "date", "time", "published", "时间", "年份")),
    ("code", ("code", "github", "repo", "implementation", "代码")),
    ("blog", ("blog", "post", "zhihu", "知乎", "解读", "博客")),
    ("venue", ("venue", "conference", "journal", "publication", "会议")),
    ("authors", ("author", "作者")),
    ("project", ("project", "homepage", "website", "demo", "主页")),
    ("keywords", ("keyword", "tags", "关键词")),
    ("paper", ("paper", "title", "论文", "arxiv", "pdf")),
]
_PLAIN_LABEL = re.compile(r"^\s*([^\W\d][\w/ ;&-]{0,30}?)\s*[:：]\s*")
_REF_CELL = re.compile(r"\s*\[\d+\](?:\s*[,，;]?\s*\[\d+\])*\s*[,，;]?\s*")
_MAX_CODE_SCAN = 100_000
_NEW_STYLE_ID = re.compile(r"\d{4}\.\d{4,5}")


def _label_kind(label: str) -> str | None:
    low = label.casefold().strip()
    if not low or len(low.split()) > 5:
        return None
    for kind, words in _LABELS:
        if any(w in low for w in words):
            return kind
    return None


def split_label(pieces: list[Piece]) -> tuple[str | None, list[Piece]]:
    """("paper", rest) for "**Paper**: [...]", ("date", rest) for "**year**:2023/02", (None, pieces) otherwise."""
    first = next((i for i, p in enumerate(pieces) if not (p.kind == "text" and not p.text.strip())), None)
    if first is None or pieces[first].kind != "text":
        return None, pieces
    p = pieces[first]
    if p.strong:
        kind = _label_kind(p.text.strip().rstrip(":："))
        if kind is None:
            return None, pieces
        rest = pieces[first + 1 :]
        if rest and rest[0].kind == "text":
            stripped = re.sub(r"^\s*[:：]\s*", "", rest[0].text)
            rest = [rest[0].copy(text=stripped), *rest[1:]]
        elif not p.text.strip().endswith((":", "：")):
            return None, pieces
        return kind, rest
    m = _PLAIN_LABEL.match(p.text)
    if m and (kind := _label_kind(m.group(1))) and len(m.group(1).split()) <= 3:
        return kind, [p.copy(text=p.text[m.end() :]), *pieces[first + 1 :]]
    return None, pieces


def _same_title(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ka, kb = title_key(a), title_key(b)
    return ka == kb or fuzz.ratio(ka, kb) >= SAME_TITLE


def _different_papers(a: str | None, b: str | None) -> bool:
    """Two titles that name different papers, not two wordings of one (arXiv v1 and v3 titles)."""
    if not a or not b:
        return False
    ka, kb = title_key(a), title_key(b)
    return ka != kb and fuzz.token_sort_ratio(ka, kb) < DIFFERENT_TITLES


class _Walker:
    def __init__(self) -> None:
        self.problems = Problems()
        self.warn = self.problems.warn
        self.pending: list[_Pending] = []
        self.stack: list[_Heading] = []
        self.headings: list[_Heading] = []
        self.ref_tables: list[RefTable] = []
        self.title: str | None = None
        self.html_title: str | None = None

    # --- blocks -----------------------------------------------------------------------------------------

    def walk(self, root: _Node) -> None:
        for node in root.children:
            if node.type == "heading":
                self.heading(node)
                continue
            current = self.stack[-1] if self.stack else None
            if self.block(node, current) and current is not None:
                current.blocks += 1

    def block(self, node: _Node, heading: _Heading | None) -> bool:
        """Reads one block; True when it shows anything (comments and rules do not)."""
        t = node.type
        line = node.map[0] + 1 if node.map else 0
        if t in ("paragraph", "heading"):
            pieces = self.inline(node)
            before = len(self.pending)
            self.candidates(pieces, line, heading)
            if heading is not None and heading.kind == "entry" and len(self.pending) == before:
                self.attach_to_heading_entry(heading, pieces)
            return bool(plain(pieces))
        if t in ("bullet_list", "ordered_list"):
            self.read_list(node, heading, None)
            return True
        if t == "table":
            self.table(node, heading)
            return True
        if t == "html_block":
            return self.html(node, heading)
        if t == "blockquote":
            shown = [self.block(child, heading) for child in node.children]
            return any(shown)
        if t == "code_block" and re.search(r"\]\(|https?://", node.content[:_MAX_CODE_SCAN]):
            detail = "text indented by 4 or more spaces is read as code; its links were ignored"
            self.warn("indented-code", line, detail)
        return t in ("code_block", "fence")

    def inline(self, node: _Node) -> list[Piece]:
        for child in node.children:
            if child.type == "inline":
                return inline_pieces((child.token.children or []) if child.token else [])
        return []

    def candidates(self, pieces: list[Piece], line: int, heading: _Heading | None, row: Row | None = None) -> None:
        for p in pieces:
            if p.recovered:
                self.warn(
                    "malformed-link",
                    line + p.line,
                    f"malformed markdown link (unclosed, or a space in the URL) read as [{p.text}]({p.url})",
                )
        groups = [pieces] if row is not None else split_candidates(pieces)
        for group in groups:
            first = next((p for p in group if p.kind != "break"), None)
            if first is None:
                continue
            entry = build_entry(group, line + first.line, self.warn, row)
            if entry is not None:
                self.pending.append(_Pending(entry, heading))

    def attach_to_heading_entry(self, heading: _Heading, pieces: list[Piece]) -> None:
        target = next((p.entry for p in reversed(self.pending) if p.heading is heading), None)
        if target is None:
            return
        note = clean_note(
            " ".join(p.text for p in pieces if p.kind == "text" or (p.kind == "link" and not is_generic_text(p.text)))
        )
        if note:
            target.note = f"{target.note} {note}" if target.note else note
        for p in pieces:
            if p.kind == "link":
                li = classify_link(p.url, p.text)
                if li.kind not in ("arxiv", "anchor", "empty") and all(x.url != li.url for x in target.links):
                    target.links.append(Link(li.kind, li.url))

    # --- lists and **Paper** blocks ---------------------------------------------------------------------

    def read_list(self, node: _Node, heading: _Heading | None, parent_block: _Pending | None) -> None:
        block: _Pending | None = None
        before = len(self.pending)
        unlinked: list[tuple[int, list[Piece]]] = []  # items that named no paper
        for item in node.children:
            item_line = item.map[0] + 1 if item.map else 0
            own: list[Piece] = []
            nested: list[_Node] = []
            for child in item.children:
                if child.type in ("paragraph", "heading"):
                    offset = (child.map[0] + 1 - item_line) if child.map else 0
                    if own:
                        own.append(line_break(offset))
                    pieces = self.inline(child)
                    own += [p.copy(line=p.line + offset) for p in pieces] if offset else pieces
                else:
                    nested.append(child)
            label, rest = split_label(own)
            mine: _Pending | None = None
            if label == "paper":
                block = mine = self.paper_block(rest, item_line, heading)
            elif label is not None and (block or parent_block) is not None:
                self.apply_field(block or parent_block, label, rest)  # type: ignore[arg-type]
            else:
                block = None
                found = len(self.pending)
                self.candidates(own, item_line, heading)
                if len(self.pending) == found and not nested:
                    unlinked.append((item_line, own))
            for child in nested:
                if child.type in ("bullet_list", "ordered_list"):
                    self.read_list(child, heading, mine)
                else:
                    self.block(child, heading)

        self.bare_names(unlinked, len(self.pending) - before, heading)

    def bare_names(self, unlinked: list[tuple[int, list[Piece]]], papers: int, heading: _Heading | None) -> None:
        """An item that is only a name ("SmoothQuant") in a list whose other items are papers names a paper
        too: it becomes a bare entry, which the importer stores only if arXiv or the seed's metadata can say
        which paper it is."""
        if papers < max(1, len(unlinked)):
            return
        for line, pieces in unlinked:
            if any(p.kind != "text" for p in pieces if p.kind != "break"):
                continue
            name = plain(pieces).strip(" .,;:")
            if _BARE_NAME.fullmatch(name) and re.search(r"[A-Z0-9]", name):
                self.pending.append(_Pending(ListEntry(title=name, short_name=name, line=line, bare=True), heading))

    def paper_block(self, pieces: list[Piece], line: int, heading: _Heading | None) -> _Pending | None:
        entry = build_entry(pieces, line, self.warn)
        if entry is None:
            return None
        pending = _Pending(entry, heading, paper_block=True)
        self.pending.append(pending)
        return pending

    def apply_field(self, block: _Pending, label: str, pieces: list[Piece]) -> None:
        entry = block.entry
        text = plain([p for p in pieces if p.kind != "link" or not is_generic_text(p.text)])
        if label == "date":
            year, month = parse_date(text)
            if year:
                entry.year, entry.month = year, month
        elif label == "venue":
            venue, _ = find_venue(text, bare=True)
            entry.venue = venue.name if venue else (text or entry.venue)
            if venue and venue.year and entry.year is None:
                entry.year = venue.year
        elif label == "authors":
            entry.authors = split_authors(text) or entry.authors
        elif label == "summary":
            note = clean_note(text)
            if note:
                entry.note = f"{entry.note} {note}" if entry.note else note
        if label in ("summary", "code", "blog", "project", "keywords"):
            for p in pieces:
                if p.kind == "link":
                    _add_field_link(entry, label, classify_link(p.url, p.text))

    # --- tables -------------------------------------------------------------------------------------------

    def table(self, node: _Node, heading: _Heading | None) -> None:
        header: list[str] = []
        rows: list[tuple[int, list[list[Piece]]]] = []
        for part in node.children:
            for tr in part.children:
                cells = [self.inline(cell) for cell in tr.children]
                if part.type == "thead":
                    header = [plain(c) for c in cells]
                else:
                    rows.append((tr.map[0] + 1 if tr.map else 0, cells))
        if self.ref_table(node, heading, rows):
            return
        roles = column_roles(header)
        for line, cells in rows:
            self.table_row(line, cells, roles, heading)

    def table_row(self, line: int, cells: list[list[Piece]], roles: list[str | None], heading: _Heading | None) -> None:
        main: list[Piece] = []
        fields = RowFields()
        title_cell: tuple[int, int] | None = None
        for k, cell in enumerate(cells):
            role = roles[k] if k < len(roles) else None
            if role == "authors":
                fields.authors = plain(cell) or None
                continue
            if role == "date":
                fields.date = date_cell(plain(cell))
                continue
            if role == "venue":
                fields.venue = venue_cell(plain(cell))
                if fields.venue is not None or not any(p.kind == "image" for p in cell):
                    continue  # a badge in the venue column is read with the row
            if main:
                main.append(line_break())
            if role == "title":
                title_cell = (len(main), len(main) + len(cell))
            main += cell
        row = Row(title_cell=title_cell, is_paper=title_cell is not None and fields.says_paper, in_table=True)
        before = len(self.pending)
        self.candidates(main, line, heading, row)
        for pending in self.pending[before:]:
            _apply_row_fields(pending.entry, fields)

    def ref_table(self, node: _Node, heading: _Heading | None, rows: list[tuple[int, list[list[Piece]]]]) -> bool:
        """Records a table whose rows cite the list's [n] references; False when it is not one."""
        ref_rows: list[RefRow] = []
        for line, cells in rows:
            texts = [plain(c) for c in cells]
            if any(classify_link(p.url, p.text).is_paper for c in cells for p in c if p.kind == "link"):
                return False
            ref_cells = [k for k, t in enumerate(texts) if t and _REF_CELL.fullmatch(t)]
            if not ref_cells:
                continue
            refs = [int(n) for n in re.findall(r"\[(\d+)\]", texts[ref_cells[0]])]
            name = next((t for k, t in enumerate(texts) if k not in ref_cells and t), "")
            if name:
                ref_rows.append(RefRow(name, refs, line))
        if not ref_rows or len(ref_rows) * 2 < len(rows):
            return False
        self.ref_tables.append(RefTable(self.heading_texts(heading), node.map[0] + 1 if node.map else 0, ref_rows))
        return True

    def heading_texts(self, heading: _Heading | None) -> list[str]:
        texts: list[str] = []
        while heading is not None:
            if heading.kind == "topic":
                texts.append(heading.text)
            heading = heading.parent
        return texts[::-1]

    # --- HTML ---------------------------------------------------------------------------------------------

    def html(self, node: _Node, heading: _Heading | None) -> bool:
        segments, h1 = html_segments(node.content)
        if h1 and self.title is None and not self.headings:
            self.title = self.html_title = h1
        base = node.map[0] + 1 if node.map else 0
        for seg in segments:
            self.candidates(seg.pieces, base + seg.line, heading, Row(in_table=True) if seg.table_row else None)
        return bool(segments)

    # --- headings -----------------------------------------------------------------------------------------

    def heading(self, node: _Node) -> None:
        pieces = self.inline(node)
        text = heading_text(pieces)
        level = int(node.tag[1]) if node.tag[1:].isdigit() else 6
        line = node.map[0] + 1 if node.map else 0
        if not self.headings and level == 1 and (self.html_title is None or slugify(self.html_title) == slugify(text)):
            kind = "doctitle"
            self.title = text or self.title
        elif heading_year(text) is not None:
            kind = "year"
        elif is_topic(text):
            kind = "topic"
        else:
            kind = "skip"
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        h = _Heading(text, level, line, kind, parent, heading_year(text))
        if parent is not None:
            parent.has_children = True
        self.stack.append(h)
        self.headings.append(h)
        if kind in ("topic", "skip") and any(p.kind == "link" for p in pieces):
            before = len(self.pending)
            self.candidates(pieces, line, h)
            if len(self.pending) > before:
                h.kind = "entry"

    # --- after the walk -----------------------------------------------------------------------------------

    def finish(self, line_offset: int = 0) -> ParsedList:
        """The finishing pass, step by step: each step reads what the earlier ones settled. `line_offset`
        shifts every line number (a part of a larger list, `llmkb.awesome_list.chunks`)."""
        entries = [p.entry for p in self.pending]
        self.count_entries_per_heading()
        doc_tag = self.document_tag()
        for pending in self.pending:
            self.place_under_headings(pending, doc_tag)
        give_publisher_entries_their_arxiv_id(entries)
        date_undated_entries_by_arxiv_id(entries)
        self.conflicts(entries)
        references = self.references(entries)
        if line_offset:
            self.shift_lines(entries, line_offset)
        return ParsedList(
            self.title, entries, self.problems.warnings(), references, self.ref_tables, self.problems.seen()
        )

    def shift_lines(self, entries: list[ListEntry], offset: int) -> None:
        for entry in entries:
            entry.line += offset
        self.problems.shift(offset)
        for table in self.ref_tables:
            table.line += offset
            table.rows[:] = [row._replace(line=row.line + offset) for row in table.rows]

    def count_entries_per_heading(self) -> None:
        for p in self.pending:
            if p.heading is not None:
                p.heading.entries += 1
                p.heading.paper_blocks += p.paper_block

    def document_tag(self) -> str | None:
        """The topic the list's own title gives, unless its H1 is really a first section."""
        doc = self.headings[0] if self.headings and self.headings[0].kind == "doctitle" else None
        several_h1 = sum(h.level == 1 for h in self.headings) > 1
        if doc is not None and several_h1 and doc.entries > 0:
            doc.kind = "topic" if is_topic(doc.text) else "skip"
            return None
        if doc is not None:
            return title_tag(doc.text)
        return title_tag(self.html_title) if self.html_title else None

    def place_under_headings(self, pending: _Pending, doc_tag: str | None) -> None:
        """Tags from the topical headings above, a default year from a year heading, a heading's short name."""
        e, h = pending.entry, pending.heading
        naming = h if h is not None and pending.paper_block and _names_paper(h) else None
        if naming is not None:
            e.short_name = None if _same_title(naming.text, e.title) and e.title else naming.text
        path: list[str] = []
        year = None
        node = h
        while node is not None:
            if node.kind == "topic" and node is not naming:
                path.append(slugify(node.text))
            if node.kind == "year" and year is None:
                year = node.year
            node = node.parent
        tag = "/".join(s for s in reversed(path) if s)
        e.tags = [t for t in dict.fromkeys([tag, doc_tag]) if t]
        if e.year is None and year is not None:
            e.year = year

    def conflicts(self, entries: list[ListEntry]) -> None:
        """One arXiv ID given the titles of two different papers (rewordings of one title are not reported)."""
        first: dict[str, ListEntry] = {}
        reported: set[tuple[str, str]] = set()
        for e in entries:
            if not e.arxiv_id or not e.title:
                continue
            seen = first.setdefault(e.arxiv_id, e)
            if seen is e or not _different_papers(seen.title, e.title) or (e.arxiv_id, title_key(e.title)) in reported:
                continue
            reported.add((e.arxiv_id, title_key(e.title)))
            self.warn(
                "two-titles",
                e.line,
                f"arXiv {e.arxiv_id} is given two titles: {seen.title!r} (line {seen.line}) "
                f"and {e.title!r} (line {e.line})",
            )

    def references(self, entries: list[ListEntry]) -> dict[int, int]:
        references: dict[int, int] = {}
        for i, e in enumerate(entries):
            if e.ref is None:
                continue
            if e.ref in references:
                self.warn(
                    "reference-reused",
                    e.line,
                    f"reference [{e.ref}] is used twice (lines {entries[references[e.ref]].line} "
                    f"and {e.line}); the first is kept",
                )
            else:
                references[e.ref] = i
        return references


def _names_paper(h: _Heading) -> bool:
    """A heading whose section is exactly one **Paper** block names that paper (`### SLICEGPT`)."""
    return (
        h.kind == "topic"
        and h.level > 1
        and not h.has_children
        and h.entries == 1
        and h.paper_blocks == 1
        and h.blocks == 1
        and not reads_as_topic(h.text)
    )


def _add_field_link(entry: ListEntry, label: str, li: LinkInfo) -> None:
    """A link under a labelled field ("- Code: [...]") takes its kind from the label."""
    if li.kind in ("anchor", "empty") or any(x.url == li.url for x in entry.links):
        return
    if label == "code" and li.kind not in ("pdf", "arxiv"):
        kind = "code"
    elif label == "project" and li.kind not in ("pdf", "arxiv", "code"):
        kind = "project"
    elif li.kind in ("code", "pdf", "paper"):
        kind = li.kind
    else:
        kind = "summary" if label in ("summary", "blog") else ("other" if li.kind == "arxiv" else li.kind)
    entry.links.append(Link(kind, li.url))


def _apply_row_fields(entry: ListEntry, fields: RowFields) -> None:
    if fields.authors and not entry.authors:
        entry.authors = split_authors(fields.authors)
    if fields.venue is not None:
        entry.venue = fields.venue.name
    year, month = fields.date
    venue_year = fields.venue.year if fields.venue is not None else None
    if venue_year:
        entry.year = venue_year
    elif year:
        entry.year = year
    if year and month and entry.year == year:
        entry.month = month


def date_undated_entries_by_arxiv_id(entries: list[ListEntry]) -> None:
    """An entry the list gives no date takes the date another entry of the same paper has, else the YYMM of
    its arXiv ID (the paper's first version): a model table's row then does not outvote the paper's venue year."""
    known: dict[str, tuple[int, int | None]] = {}
    for e in entries:
        if e.arxiv_id and e.year is not None:
            known.setdefault(e.arxiv_id, (e.year, e.month))
    for e in entries:
        if e.year is not None or not e.arxiv_id:
            continue
        if e.arxiv_id in known:
            e.year, e.month = known[e.arxiv_id]
        elif _NEW_STYLE_ID.fullmatch(e.arxiv_id):
            e.year, e.month = 2000 + int(e.arxiv_id[:2]), int(e.arxiv_id[2:4])


def give_publisher_entries_their_arxiv_id(entries: list[ListEntry]) -> None:
    """A paper linked once to arXiv and once to its publisher is one paper: the publisher-only entry gets
    the arXiv ID of the entry with the same title, so the importer (which merges by ID) keeps one."""
    if all(e.arxiv_id or not e.title for e in entries):
        return
    by_title: dict[str, ListEntry] = {}
    for e in entries:
        if e.arxiv_id and e.title:
            by_title.setdefault(title_key(e.title), e)
    for e in entries:
        if e.arxiv_id or not e.title:
            continue
        twin = by_title.get(title_key(e.title))
        if twin is not None:
            e.arxiv_id, e.arxiv_version = twin.arxiv_id, twin.arxiv_version


_BARE_NAME = re.compile(r"[^\W_][\w.+\-]*(?: [\w.+\-]+){0,3}")  # one to four words, no sentence


def markdown_tokens(text: str) -> list[Token]:
    """The token stream `parse_awesome_list` reads, for callers that walk it as well."""
    with paused():
        return parser_for(text).parse(text)


def parse_awesome_list(
    text: str, *, source: str = "", line_offset: int = 0, tokens: list[Token] | None = None
) -> ParsedList:
    """Entries, tags and warnings of one awesome list (markdown text); never raises on odd input.

    `source` (the file name or URL the text came from) is accepted so callers can pass what they have; the
    parse does not depend on it, and line numbers in entries and warnings are 1-based lines of `text`, plus
    `line_offset` (for a part of a larger list). `tokens`, when given, are `markdown_tokens(text)` a caller
    has already made (the linter walks them too): markdown-it is most of a parse's time.
    """
    if not isinstance(text, str):
        raise TypeError("parse_awesome_list expects text (str)")
    text = text.lstrip("\ufeff").replace("\x00", "\ufffd")
    with paused():
        walker = _Walker()
        if tokens is None:
            tokens = markdown_tokens(text)
        if tokens and max(t.level for t in tokens) >= MAX_NESTING - 1:
            last = max((t.map[1] for t in tokens if t.map and t.type == "inline"), default=0)
            walker.warn(
                "too-deep",
                last + 1,
                f"blocks are nested more than {MAX_NESTING // 2} levels deep; the deeper ones were skipped",
            )
        walker.walk(_tree(tokens))
        return walker.finish(line_offset)
