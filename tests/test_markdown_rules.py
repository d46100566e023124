"""Leaving out the markdown-it rules a text cannot use, and reading plain link destinations with a regex,
never change a token of a parse."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers

from llmkb.awesome_list.markdown_rules import MAX_NESTING, _link_destination, _parser, parser_for, skippable_rules

ROOT = Path(__file__).resolve().parents[1]
LISTS = sorted((ROOT / "tests" / "lists").glob("*.md")) + sorted((ROOT / "data" / "lists").glob("*"))


def _tokens(md, text):
    return [token.as_dict() for token in md.parse(text)]


def _same_as_every_rule(text):
    assert _tokens(parser_for(text), text) == _tokens(_parser(frozenset()), text)


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_the_lists_in_the_repository_parse_as_with_every_rule(path):
    _same_as_every_rule(path.read_text(encoding="utf-8"))


TRICKY = [
    "Title\n=====\n\n- item\n  ---\n",
    "- a\n\n  Sub\n  ---\n- b\n",
    "> quote\n> ---\n> Head\n> ===\n",
    "* * *\n- - -\n_ _ _\n",
    "text ***bold italic*** text\n",
    "a | b\n--|--\n1 | 2\n",
    "```\n# not a heading\n```\n~~~\ncode\n~~~\n",
    "[label]: https://example.com\n\n[label]\n",
    "<details><summary>x</summary>\n\n- [Paper](https://arxiv.org/abs/2401.00001)\n</details>\n",
    "Auto <https://arxiv.org/abs/2401.00001> and &amp; and \\* and `code` and ~~gone~~\n",
    "Setext with CRLF\r\n---\r\n- item\r\n",
    "Old Mac\r---\r",
    "![badge](https://img.shields.io/x) **Paper** [[pdf](https://arxiv.org/abs/2401.00001)]\n",
    "plain text - with - dashes: and colons\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_parse_as_with_every_rule(text):
    _same_as_every_rule(text)


_PIECES = st.sampled_from(
    ["-", "*", "_", "=", "#", ">", "|", "`", "~", "&", "<", ">", "[", "]", "(", ")", "!", ":", "\\", " ", "  ",
     "\t", "\n", "\n\n", "\r\n", "a", "Paper", "1.", "https://x.org/a", "amp;", "<br>", "---", "==="]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_text_parses_as_with_every_rule(text):
    _same_as_every_rule(text)


def test_a_plain_list_skips_the_rules_it_has_no_use_for():
    text = "# List\n\n## Pruning\n\n- **A Paper** [[pdf](https://arxiv.org/abs/2401.00001)] plain-text: words\n"
    skipped = skippable_rules(text)
    assert {"table", "html_block", "html_inline", "fence", "blockquote", "hr", "lheading", "entity"} <= skipped
    assert "link" not in skipped and "emphasis" not in skipped and "heading" not in skipped
    assert "table" not in skippable_rules(text + "| a | b |\n")
    assert "hr" not in skippable_rules(text + "\n***\n")


def _stock(text):
    """markdown-it as shipped, with the one setting the parser changes on purpose (URLs kept as written)."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.normalizeLink = lambda url: url
    md.normalizeLinkText = lambda link: link
    return _tokens(md, text)


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_the_lists_parse_as_with_markdown_its_own_link_reader(path):
    text = path.read_text(encoding="utf-8")
    assert _tokens(parser_for(text), text) == _stock(text)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_parse_as_with_markdown_its_own_link_reader(text):
    assert _tokens(parser_for(text), text) == _stock(text)


_DESTINATION_CHARS = st.sampled_from(list("ab/:.%&;#\\()<> \t\n\x00\x7f\x1f\u00e9-_?=~") + ["https://", "&amp;", "\\("])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_DESTINATION_CHARS, max_size=16).map("".join), st.data())
def test_a_link_destination_reads_as_markdown_it_reads_it(text, data):
    pos = data.draw(st.integers(0, len(text)))
    maximum = data.draw(st.integers(pos, len(text)))
    ours, theirs = _link_destination(text, pos, maximum), helpers.parseLinkDestination(text, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)
