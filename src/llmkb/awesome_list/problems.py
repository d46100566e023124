"""Warnings about a list, one per cause: a list with 400 rows in one odd layout says so once, with a count.

Each cause has a stable code (the importer and tests match on it, never on wording) and a summary used
when it was seen more than once; the first occurrences keep their own detail ("arXiv 2301.00001 is given
two titles: ...") so the message still points at something concrete.
"""

from __future__ import annotations

from collections.abc import Callable

from llmkb.awesome_list.model import ListWarning

Warn = Callable[[str, int, str], None]
"""warn(cause, line, detail)."""

_SHOWN_LINES = 5
_SHOWN_DETAILS = 3

# cause -> (what one occurrence is, summary of the cause)
CAUSES: dict[str, tuple[str, str]] = {
    "invalid-arxiv-link": ("links", "an arXiv link does not hold a valid arXiv ID"),
    "salvaged-arxiv-id": ("links", "text is glued to an arXiv ID; the ID was read without it"),
    "several-arxiv-ids": ("items", "one item links several arXiv papers; the entry uses the first"),
    "no-title": ("items", "an arXiv link without a title (its text is a link word or a model's name)"),
    "lost-character": ("items", "'undefined' inside a word: a character was probably lost when the text was copied"),
    "malformed-link": ("links", "malformed markdown link (unclosed, or a space in the URL), read as best as possible"),
    "indented-code": ("blocks", "text indented by 4 or more spaces is read as code; its links were ignored"),
    "too-deep": ("blocks", "blocks nested too deeply; the deeper ones were skipped"),
    "two-titles": ("arXiv IDs", "one arXiv ID is given the titles of two different papers"),
    "reference-reused": ("references", "a reference number is used twice; the first is kept"),
}


class Problems:
    """Collects (cause, line, detail) during the walk; `warnings()` gives one ListWarning per cause."""

    def __init__(self) -> None:
        self._seen: dict[str, list[tuple[int, str]]] = {}

    def warn(self, cause: str, line: int, detail: str) -> None:
        self._seen.setdefault(cause, []).append((line, detail))

    def warnings(self) -> list[ListWarning]:
        return aggregate(self.seen())

    def seen(self) -> list[tuple[str, int, str]]:
        """Every (cause, line, detail) collected, for merging the parts of a large list."""
        return [(cause, line, detail) for cause, items in self._seen.items() for line, detail in items]

    def shift(self, offset: int) -> None:
        self._seen = {cause: [(line + offset, d) for line, d in items] for cause, items in self._seen.items()}


def aggregate(seen: list[tuple[str, int, str]]) -> list[ListWarning]:
    """One ListWarning per cause, in the order of their first lines."""
    by_cause: dict[str, list[tuple[int, str]]] = {}
    for cause, line, detail in seen:
        by_cause.setdefault(cause, []).append((line, detail))
    out = [_one_warning(cause, sorted(items)) for cause, items in by_cause.items()]
    out.sort(key=lambda w: w.line)
    return out


def _one_warning(cause: str, seen: list[tuple[int, str]]) -> ListWarning:
    lines = [line for line, _ in seen]
    if len(seen) == 1:
        return ListWarning(lines[0], seen[0][1], cause, lines)
    noun, summary = CAUSES.get(cause, ("times", cause))
    shown = ", ".join(str(n) for n in lines[:_SHOWN_LINES]) + (", …" if len(lines) > _SHOWN_LINES else "")
    if len({detail for _, detail in seen}) == 1:  # the same words every time: the summary says it all
        return ListWarning(lines[0], f"{len(seen)} {noun}: {summary} (lines {shown})", cause, lines)
    details = "; ".join(f"line {line}: {detail}" for line, detail in seen[:_SHOWN_DETAILS])
    more = f"; and {len(seen) - _SHOWN_DETAILS} more" if len(seen) > _SHOWN_DETAILS else ""
    message = f"{len(seen)} {noun}: {summary} (lines {shown}). {details}{more}"
    return ListWarning(lines[0], message, cause, lines)
