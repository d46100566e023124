"""The markdown-it parser a list is read with, without the rules the list gives nothing to match.

markdown-it-py tries its rules one after another, in Python, at every line (block rules) and at every
punctuation mark (inline rules); most fail at once, but the tries are a quarter of the time it takes to read
a large list. A rule whose opening characters a text does not contain can never match it, so leaving it
out changes no token: a list with no `|` has no table, one with no `<` no HTML, no autolink. The checks are
plain substring searches, conservative by construction (a text that might hold the construct keeps the
rule), and a list that has every construct is parsed with every rule, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll

MAX_NESTING = 50

_NEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # (rule, the texts one of which must occur for the rule to ever match)
    ("escape", ("\\",)),
    ("backticks", ("`",)),
    ("strikethrough", ("~",)),
    ("entity", ("&",)),
    ("autolink", ("<",)),
    ("html_inline", ("<",)),
    ("html_block", ("<",)),
    ("table", ("|",)),
    ("fence", ("```", "~~~")),
    ("blockquote", (">",)),
    ("reference", ("]:",)),
    ("image", ("![",)),
)

# A thematic break is three of one marker with only blanks between; a setext underline is a line of only `=`
# or `-` (after indentation and block-quote markers). Both are read line by line, so a text with other line
# ends than \n (which markdown-it normalises) keeps the two rules. (Each pattern starts with a literal,
# which the regex engine scans for quickly: a few ms for a 2 MB part.)
_BREAKS = tuple(re.compile(f"{m}[ \t]*{m}[ \t]*{m}") for m in (r"-", r"\*", r"_"))
_UNDERLINE = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*(?:\n|\Z)")


def skippable_rules(text: str) -> frozenset[str]:
    """The rules that cannot match anywhere in `text`."""
    skip = {rule for rule, needs in _NEEDS if not any(need in text for need in needs)}
    if "\r" not in text:
        if not any(pattern.search(text) for pattern in _BREAKS):
            skip.add("hr")
        if _UNDERLINE.search("\n" + text) is None:
            skip.add("lheading")
    return frozenset(skip)


def parser_for(text: str) -> MarkdownIt:
    """The parser for `text`: CommonMark with tables and strikethrough, minus the rules it cannot use."""
    return _parser(skippable_rules(text))


# A link destination with no "<", "(" or backslash (nearly every URL a list links) ends at the first blank,
# control character or ")": found by one regex instead of markdown-it's loop over its characters.
_PLAIN_DESTINATION = re.compile(r"(?!<)[^\x00-\x20\x7f()\\]+")


def _link_destination(string: str, pos: int, maximum: int) -> Any:
    m = _PLAIN_DESTINATION.match(string, pos, maximum)
    if m is None or (m.end() < maximum and string[m.end()] in "(\\"):
        return helpers.parseLinkDestination(string, pos, maximum)  # the cases the loop alone gets right
    return SimpleNamespace(ok=True, pos=m.end(), str=unescapeAll(m.group()))  # what the link rules read


@lru_cache(maxsize=32)
def _parser(skip: frozenset[str]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    # URLs are wanted as written; percent-encoding them costs a third of the parse and changes them.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkDestination=_link_destination,
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    if skip:
        md.disable(sorted(skip))
    return md
