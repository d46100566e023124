"""Which headings are topics (and so tags), which are not, and what a list's title says about its topic.

Not topics, so no tag and no path segment (matched on the whole heading, case and emoji ignored):
contents / table of contents, contributing / how to contribute, star history, license, citation / cite,
acknowledg(e)ments, overview, introduction, news / updates, contact, references, etc. / misc / others,
papers / paper list, about, todo, faq, related (lists/projects/repos), and empty headings.
Year headings ("2023", "Year 2023", "2023年") give no tag either; they are the default year of their papers.
"""

from __future__ import annotations

import re
import unicodedata

from llmkb.awesome_list.inline import Piece
from llmkb.awesome_list.text import squash
from llmkb.slugs import slugify

_NON_TOPICS = frozenset(
    """contents|content|table of contents|toc|index|contributing|contribute|contribution|contributions|
    how to contribute|contributors|contributor|star history|stars|stargazers|license|licence|citation|
    citations|cite|citing|how to cite|bibtex|acknowledgements|acknowledgments|acknowledgement|
    acknowledgment|thanks|overview|introduction|intro|news|latest news|updates|news and updates|
    update log|changelog|contact|contact us|contact me|contacts|references|reference|etc|misc|
    miscellaneous|others|other|papers|paper|paper list|papers list|list of papers|all papers|
    awesome papers|about|about this repo|todo|to do|faq|disclaimer|related|related lists|
    related projects|related repos|related repositories|related work|sponsors|feedback|star|
    star history chart|usage|how to use|preface|summary of contents""".replace("\n", "").split("|")
)
_NON_TOPICS = frozenset(s.strip() for s in _NON_TOPICS)

# Sections that list the latest additions, not a topic: "🔥 News", "This week's papers", "Latest updates".
_NEWS = re.compile(
    r"^(?:(?:the\s+)?(?:latest|recent|new|newest|hot|weekly|monthly|daily)\s+(?:news|updates?|papers?|additions?|releases?)"
    r"|(?:this|last)\s+(?:week|month)s?\s*s?\s+(?:papers?|news|updates?)|what\s*s\s+new|news(?:letter)?s?"
    r"|updates?|papers?\s+of\s+the\s+(?:week|month|day)|new\s+papers?)$"
)
_BACK_LINK_WORDS = re.compile(r"^\W*(?:back\s+to\s+(?:top|contents|index)|top|go\s+up|up|↑|⬆)\W*$", re.IGNORECASE)


def _symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cn", "Co") or ch in "\ufe0f\u200d\u20e3"


def heading_text(pieces: list[Piece]) -> str:
    """A heading's words: without "back to top" links, badges and emoji, which are decoration, not topic."""
    parts: list[str] = []
    for p in pieces:
        back_link = p.kind == "link" and p.url.startswith("#") and _BACK_LINK_WORDS.match(p.text or "↑")
        if p.kind == "text" or (p.kind == "link" and not back_link):
            parts.append(p.text)
        else:
            parts.append(" ")
    return squash("".join(ch for ch in "".join(parts) if not _symbol(ch)))


_YEAR = re.compile(r"^(?:year\s*)?((?:19|20)\d{2})(?:\s*年)?$")
_NORMALIZE = re.compile(r"[^\w\s]+|_", re.UNICODE)

# Words a list title uses about itself rather than its topic: "Awesome-LLM-Pruning" is about pruning.
_TITLE_NOISE = frozenset(
    {
        "awesome",
        "llm",
        "llms",
        "lm",
        "lms",
        "large",
        "paper",
        "papers",
        "list",
        "lists",
        "reading",
        "readings",
        "resources",
        "material",
        "materials",
        "info",
        "information",
        "collection",
        "collections",
        "curated",
        "repo",
        "repository",
        "github",
        "notes",
        "note",
        "overview",
        "introduction",
        "contents",
        "my",
        "useful",
        "some",
        "everything",
        "things",
        "stuff",
    }
)
_EDGE_STOPWORDS = frozenset(
    {
        "for",
        "of",
        "on",
        "about",
        "and",
        "the",
        "a",
        "an",
        "in",
        "with",
        "to",
        "from",
        "by",
        "at",
    }
)
# Headings of one-paper sections that still read as topics ("Attention Based", "LongLLM vs RAG").
_TOPIC_WORDS = frozenset(
    {
        "based",
        "methods",
        "method",
        "approaches",
        "approach",
        "techniques",
        "technique",
        "survey",
        "surveys",
        "papers",
        "overview",
        "misc",
        "others",
        "applications",
        "application",
        "benchmarks",
        "benchmark",
        "datasets",
        "dataset",
        "tools",
        "frameworks",
        "works",
        "concepts",
        "models",
    }
)


def normalize_heading(text: str) -> str:
    return " ".join(_NORMALIZE.sub(" ", text.casefold()).split())


def heading_year(text: str) -> int | None:
    m = _YEAR.match(normalize_heading(text))
    return int(m.group(1)) if m else None


def is_topic(text: str) -> bool:
    norm = normalize_heading(text)
    if _NEWS.match(norm):
        return False
    return bool(slugify(text)) and norm not in _NON_TOPICS and heading_year(text) is None


def reads_as_topic(text: str) -> bool:
    """True for a heading that names a kind of work even when its section holds a single paper."""
    words = normalize_heading(text).split()
    if not words:
        return True
    return words[-1] in _TOPIC_WORDS or "vs" in words or "and" in words or "versus" in words


def title_tag(title: str) -> str | None:
    """The topic tag a list's own title gives: "Awesome-LLM-Pruning" -> "pruning", "LLM_info" -> None."""
    words = normalize_heading(title).split()
    kept: list[str] = []
    for i, w in enumerate(words):
        if w in _TITLE_NOISE:
            continue
        # "language model(s)" and "large language model(s)" are the field, not a topic.
        if w == "language" and i + 1 < len(words) and words[i + 1] in ("model", "models"):
            continue
        if w in ("model", "models") and i > 0 and words[i - 1] == "language":
            continue
        kept.append(w)
    while kept and kept[0] in _EDGE_STOPWORDS:
        kept.pop(0)
    while kept and kept[-1] in _EDGE_STOPWORDS:
        kept.pop()
    if not kept or normalize_heading(title) in _NON_TOPICS:
        return None
    return slugify(" ".join(kept)) or None
