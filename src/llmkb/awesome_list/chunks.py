"""Cutting a very large list into parts the parser can read one at a time, without losing a paper's tags.

A list is cut at a heading (outside fenced code) once the part has grown past `CHUNK_BYTES`, or, in a section
that goes on for much longer, before a new item of a top-level list; each part after the first starts with
the headings above its first line (the document title, the section, ...), so the parser gives its papers
the same tags and the same document tag as a whole-list parse would. Lists smaller than `CHUNK_BYTES`
(every real reading list) are one part: they are parsed exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CHUNK_BYTES = 2 * 1024 * 1024
"""A part grows to about this many characters before it is cut at the next heading: large enough that the
per-part set-up is nothing, small enough that a part's markdown tokens stay a few tens of MB."""

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_TOP_ITEM = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])[ \t]")  # a list item at the left margin
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Chunk:
    text: str  # the context headings, then the part's own lines
    first_line: int  # the 1-based line of the whole list where the part's own lines start
    context_lines: int  # how many lines of `text` are context repeated from above

    def list_line(self, line: int) -> int:
        """The whole list's line number for a 1-based line of `text` (context lines map before the part)."""
        return self.first_line + line - 1 - self.context_lines


def chunks(lines: Iterable[str], chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """The list's parts, in order; `lines` keep their line ends."""
    headings: list[tuple[int, str]] = []  # the open headings: (level, line)
    part: list[str] = []
    size = 0
    first_line = 1
    context: list[str] = []
    fence: str | None = None
    number = 0
    for number, line in enumerate(lines, 1):  # noqa: B007  (number is used after the loop)
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        else:
            heading = _HEADING.match(line)
            if heading is None and size >= 2 * chunk_bytes and part and _TOP_ITEM.match(line):
                yield Chunk("".join(context + part), first_line, len(context))
                context = [h if h.endswith("\n") else h + "\n" for _lvl, h in headings]
                part, size, first_line = [], 0, number
            if heading:
                level = len(heading.group(1))
                if size >= chunk_bytes and part:
                    yield Chunk("".join(context + part), first_line, len(context))
                    context = [h for lvl, h in headings if lvl < level]
                    context = [h if h.endswith("\n") else h + "\n" for h in context]
                    part, size, first_line = [], 0, number
                while headings and headings[-1][0] >= level:
                    headings.pop()
                headings.append((level, line))
        part.append(line)
        size += len(line)
    if part or number == 0:
        yield Chunk("".join(context + part), first_line, len(context))
