"""Inline content as a flat run of pieces (text, link, image, line break), from markdown or an HTML block.

Entries are built from these pieces, so markdown links, inline `<a href>` tags, HTML tables and bare URLs
all look the same to the entry builder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from llmkb.awesome_list.text import join_spaced, repair_mojibake, single_spaced


@dataclass
class Piece:
    kind: str  # "text" | "link" | "image" | "break"
    text: str = ""
    url: str = ""
    line: int = 0  # source lines below the first line of the block
    strong: bool = False  # text inside **...**
    em: bool = False  # text inside *...* or _..._ (author lines)
    images: list[Piece] = field(default_factory=list)  # images inside a link (badges)
    recovered: bool = False  # a link rebuilt from text markdown could not read ("[a](http://x y)")

    def copy(self, **changes: object) -> Piece:
        fields = {**self.__dict__, "images": list(self.images), **changes}
        return Piece(**fields)


def line_break(line: int = 0) -> Piece:
    return Piece("break", line=line)


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf"\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", tag, re.IGNORECASE)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None)


class _Builder:
    def __init__(self) -> None:
        self.out: list[Piece] = []
        self.link: Piece | None = None
        self.strong = 0
        self.em = 0
        self.line = 0

    def text(self, s: str) -> None:
        if not s:
            return
        # Runs of whitespace become one space here, so no later pattern ever scans a long run of blanks.
        s = single_spaced(s if s.isascii() else repair_mojibake(s))
        if self.link is not None:
            self.link.text = join_spaced(self.link.text, s)
            return
        last = self.out[-1] if self.out else None
        strong, em = self.strong > 0, self.em > 0
        if (
            last is not None
            and last.kind == "text"
            and last.strong == strong
            and last.em == em
            and last.line == self.line
        ):
            last.text = join_spaced(last.text, s)
        else:
            self.out.append(Piece("text", s, line=self.line, strong=strong, em=em))

    def newline(self, advance: bool) -> None:
        if self.link is not None:
            self.link.text = join_spaced(self.link.text, " ")
        else:
            self.out.append(line_break(self.line))
        if advance:
            self.line += 1

    def open_link(self, url: str) -> None:
        self.close_link()
        self.link = Piece("link", url=url.strip(), line=self.line)

    def close_link(self) -> None:
        if self.link is not None:
            self.link.text = repair_mojibake(self.link.text)
            self.out.append(self.link)
            self.link = None

    def image(self, alt: str, src: str) -> None:
        img = Piece("image", text=alt, url=src.strip(), line=self.line)
        (self.link.images if self.link is not None else self.out).append(img)

    def html_tag(self, tag: str) -> None:
        low = tag.lower()
        if re.match(r"<br\b", low):
            self.newline(advance=False)
        elif re.match(r"<a\b", low):
            self.open_link(_attr(tag, "href") or "")
        elif re.match(r"</a\s*>", low):
            self.close_link()
        elif re.match(r"<img\b", low):
            self.image(_attr(tag, "alt") or "", _attr(tag, "src") or "")
        elif re.match(r"<(?:b|strong)\b", low):
            self.strong += 1
        elif re.match(r"</(?:b|strong)\s*>", low):
            self.strong = max(0, self.strong - 1)
        elif re.match(r"<(?:i|em)\b", low):
            self.em += 1
        elif re.match(r"</(?:i|em)\s*>", low):
            self.em = max(0, self.em - 1)

    def finish(self) -> list[Piece]:
        self.close_link()
        return _split_bare_urls(self.out)


def inline_pieces(tokens: list) -> list[Piece]:
    """Pieces of one markdown inline token stream (the children of an `inline` token)."""
    b = _Builder()
    for tok in tokens or ():
        t = tok.type
        if t in ("text", "text_special", "code_inline"):
            b.text(tok.content)
        elif t in ("softbreak", "hardbreak"):
            b.newline(advance=True)
        elif t == "link_open":
            b.open_link(str(tok.attrs.get("href") or ""))
        elif t == "link_close":
            b.close_link()
        elif t == "image":
            alt = "".join(c.content for c in tok.children or () if c.type == "text") or tok.content
            b.image(alt, str(tok.attrs.get("src") or ""))
        elif t == "strong_open":
            b.strong += 1
        elif t == "strong_close":
            b.strong = max(0, b.strong - 1)
        elif t == "em_open":
            b.em += 1
        elif t == "em_close":
            b.em = max(0, b.em - 1)
        elif t == "html_inline":
            b.html_tag(tok.content)
    return b.finish()


_BARE_URL = re.compile(r"https?://[^\s<>()\[\]{}\"']*[^\s<>()\[\]{}\"'.,;:!?]")
# "[text](url" with the parenthesis never closed, or a space inside the URL: CommonMark leaves it as text.
_BROKEN_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*([^\s()]*)[^()\[\]]*\)?")


def _split_bare_urls(pieces: list[Piece]) -> list[Piece]:
    if not any(p.kind == "text" and "://" in p.text for p in pieces):
        return pieces
    out: list[Piece] = []
    for p in pieces:
        if p.kind != "text" or "://" not in p.text:
            out.append(p)
            continue
        pattern = _BROKEN_LINK if "](" in p.text else _BARE_URL
        pos = 0
        for m in pattern.finditer(p.text):
            if m.start() > pos:
                out.append(p.copy(text=p.text[pos : m.start()]))
            if pattern is _BROKEN_LINK:
                out.append(Piece("link", text=m.group(1), url=m.group(2), line=p.line, recovered=True))
            else:
                out.append(Piece("link", text=m.group(), url=m.group(), line=p.line))
            pos = m.end()
        if pos < len(p.text):
            out.append(p.copy(text=p.text[pos:]))
    return out


# --- HTML blocks ---------------------------------------------------------------------------------------

_HTML_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "tr",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "details",
        "summary",
        "section",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "center",
        "article",
        "header",
        "footer",
        "hr",
    }
)


@dataclass
class HtmlSegment:
    line: int  # 0-based line inside the block
    pieces: list[Piece]
    table_row: bool = False  # a <tr>: its cells are the lines of `pieces`


class _HtmlReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[HtmlSegment] = []
        self.builder = _Builder()
        self.start_line = 0
        self.h1: list[str] | None = None
        self.h1_text: str | None = None
        self.in_broken_comment = False
        self.cells = 0

    def _flush(self) -> None:
        pieces = self.builder.finish()
        while pieces and (pieces[0].kind == "break" or (pieces[0].kind == "text" and not pieces[0].text.strip())):
            pieces.pop(0)
        if any(p.kind != "break" for p in pieces):
            self.segments.append(HtmlSegment(self.start_line, pieces, self.cells > 1))
        self.cells = 0
        self.builder = _Builder()
        self.start_line = self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, dict(attrs), self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, dict(attrs), self.get_starttag_text() or "")

    def _tag(self, tag: str, attrs: dict[str, str | None], raw: str) -> None:
        if tag in _HTML_BLOCK_TAGS:
            self._flush()
        self.builder.line = self.getpos()[0] - 1 - self.start_line
        if tag == "h1" and self.h1_text is None:
            self.h1 = []
        if tag in ("td", "th"):
            self.cells += 1
            self.builder.newline(advance=False)
        elif tag == "a":
            self.builder.open_link(attrs.get("href") or "")
        elif tag == "img":
            self.builder.image(attrs.get("alt") or "", attrs.get("src") or "")
        elif tag == "br":
            self.builder.newline(advance=False)
        elif tag in ("b", "strong"):
            self.builder.strong += 1
        elif tag in ("i", "em"):
            self.builder.em += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.builder.close_link()
        elif tag in ("b", "strong"):
            self.builder.strong = max(0, self.builder.strong - 1)
        elif tag in ("i", "em"):
            self.builder.em = max(0, self.builder.em - 1)
        if tag == "h1" and self.h1 is not None:
            self.h1_text = " ".join("".join(self.h1).split())
            self.h1 = None
        if tag in _HTML_BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_broken_comment or data.lstrip().startswith(("<!--", "!--")):
            self.in_broken_comment = True  # an unterminated comment: the rest of the block is commented out
            return
        if self.h1 is not None:
            self.h1.append(data)
        self.builder.line = self.getpos()[0] - 1 - self.start_line
        self.builder.text(data)


def html_segments(html: str) -> tuple[list[HtmlSegment], str | None]:
    """Text runs of an HTML block, one per paragraph, list item or table row, and the text of its <h1>."""
    reader = _HtmlReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # html.parser is lenient; this only guards against the unforeseen
        pass
    reader._flush()
    return reader.segments, reader.h1_text
