"""Structure: in-page links and contents entries that lead nowhere, empty sections, items and headings,
heading words that are slips of words the list uses elsewhere.

A heading typo is only visible against the list itself ("Effiicient decoding" in a list that says
"efficient" elsewhere); a spell checker would flag every model name. So a heading word is suspect only when
the list uses it at most twice while a word one slip away (two for long words) is used more often, and
plurals, -ed/-ing forms and -ise/-ize spellings are not slips. Candidates are looked up per word length with
rapidfuzz, so thousands of headings cost a few milliseconds, not a quadratic scan.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

from llmkb.lint.document import Document, github_anchor
from llmkb.lint.findings import Finding
from llmkb.thresholds import LINT_ANCHOR_SUGGESTION, LINT_TOC_MATCH

_WORD = re.compile(r"[A-Za-z]+")
_INFLECTIONS = ("s", "es", "d", "ed", "r", "er", "ing", "ly", "al")
_MIN_TYPO_WORD = 5
_MAX_RARE_USES = 2


def check_structure(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    findings += _anchors(doc)
    findings += _toc_entries(doc)
    findings += _empty_sections(doc)
    findings += _heading_typos(doc)
    for line in doc.empty_items:
        findings.append(Finding("LK406", line, 1, "an empty list item"))
    for h in doc.headings:
        if h.indent:
            findings.append(Finding("LK407", h.line, 1, f"the heading {h.text!r} is indented by {h.indent} space(s)"))
    return findings


def heading_anchors(doc: Document) -> set[str]:
    """Every fragment an in-page link may use: heading ids with GitHub's -1, -2 suffixes, HTML anchors."""
    seen: Counter[str] = Counter()
    anchors: set[str] = set()
    for h in doc.headings:
        for base in {h.anchor, h.raw_anchor}:  # renderers differ on spaces next to badges and emoji
            anchors.add(base if not seen[base] else f"{base}-{seen[base]}")
        seen[h.anchor] += 1
        if h.raw_anchor != h.anchor:
            seen[h.raw_anchor] += 1
    return anchors | doc.html_anchors


def _anchors(doc: Document) -> list[Finding]:
    anchors = heading_anchors(doc)
    findings = []
    choices: list[str] | None = None
    for link in doc.links:
        if not link.url.startswith("#") or len(link.url) < 2:
            continue
        fragment = unquote(link.url[1:]).strip().lower().removeprefix("user-content-")
        if fragment in anchors or github_anchor(fragment) in anchors:
            continue
        if choices is None:
            choices = sorted(anchors)
        fix = None
        if choices:
            from rapidfuzz import fuzz, process

            best = process.extractOne(fragment, choices, scorer=fuzz.ratio, score_cutoff=LINT_ANCHOR_SUGGESTION)
            if best is not None:
                fix = f"#{best[0]}"
        text = f" ({link.text})" if link.text else ""
        message = f"the link{text} points to #{fragment}, which no heading in the list has"
        findings.append(Finding("LK401", link.line, doc.column(link.line, link.url), message, fix))
    return findings


def _toc_entries(doc: Document) -> list[Finding]:
    """Plain-text contents entries ("- Survey" under "# Contents") that name no heading."""
    if not doc.toc_headings:
        return []
    from rapidfuzz import fuzz, process

    names = [github_anchor(h.text) for h in doc.headings if h.text]
    findings = []
    for item in doc.items:
        if item.heading not in doc.toc_headings or item.links:
            continue
        label = item.text.strip()
        if not label:
            continue
        key = github_anchor(label)
        if key in names:
            continue
        if process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=LINT_TOC_MATCH) is not None:
            continue
        message = f"the contents list {label!r}, but no heading has that name"
        findings.append(Finding("LK402", item.line, doc.column(item.line, label), message))
    return findings


def _empty_sections(doc: Document) -> list[Finding]:
    findings = []
    for i, h in enumerate(doc.headings):
        if not h.text:
            findings.append(Finding("LK404", h.line, h.indent + 1, "a heading with no text"))
            continue
        following = doc.headings[i + 1] if i + 1 < len(doc.headings) else None
        has_subsections = following is not None and following.level > h.level
        if h.content_blocks == 0 and not has_subsections:
            findings.append(Finding("LK403", h.line, h.indent + 1, f"the section {h.text!r} is empty"))
    return findings


def _is_plain_word(word: str) -> bool:
    """lower, Capitalized or UPPER: not a name with inner capitals such as LLaVA or DeepSeek."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _inflected(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short) :] in _INFLECTIONS:
        return True
    if short.endswith("e") and long_.startswith(short[:-1]) and long_[len(short) - 1 :] in ("ing", "ed", "er"):
        return True
    return a.replace("s", "z") == b.replace("s", "z")


def _slip(word: str, candidate: str) -> bool:
    """One slip (two in long words) that is a letter doubled, dropped or swapped with its neighbour, not in
    the first letter: "effiicient" for "efficient"; not "jamba" for "mamba", "qlora" for "lora" or "content"
    for "context", which are other words."""
    from rapidfuzz.distance import Levenshtein

    allowed = 1 if max(len(word), len(candidate)) < 9 else 2
    if word[0] != candidate[0] or Levenshtein.distance(word, candidate) > allowed:
        return False
    ops = Levenshtein.editops(word, candidate)
    if any(op.src_pos == 0 or op.dest_pos == 0 for op in ops):
        return False
    if all(op.tag in ("insert", "delete") for op in ops):
        return True  # a letter doubled or dropped
    # two neighbouring letters swapped ("recieve"); one letter for another is usually another word
    diff = [i for i, (a, b) in enumerate(zip(word, candidate, strict=False)) if a != b]
    return (
        len(word) == len(candidate)
        and len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == candidate[diff[1]]
    )


def _heading_typos(doc: Document) -> list[Finding]:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    counts = Counter(w.lower() for w in _WORD.findall(doc.text))
    by_length: dict[int, list[str]] = {}
    for word, count in counts.items():
        if count >= 2 and len(word) >= _MIN_TYPO_WORD - 1:
            by_length.setdefault(len(word), []).append(word)
    findings = []
    for h in doc.headings:
        for m in _WORD.finditer(h.text):
            written = m.group()
            word = written.lower()
            if len(word) < _MIN_TYPO_WORD or counts[word] > _MAX_RARE_USES or not _is_plain_word(written):
                continue
            if written.isupper():
                continue  # an acronym or a model name (SLICEGPT, QLORA)
            best = None
            stems = [(word, "")] + ([(word[:-1], "s")] if word.endswith("s") and len(word) > _MIN_TYPO_WORD else [])
            for stem, ending in stems:
                pool = [w for n in range(len(stem) - 2, len(stem) + 3) for w in by_length.get(n, ())]
                for candidate, _distance, _ in process.extract(
                    stem, pool, scorer=Levenshtein.distance, score_cutoff=2, limit=None
                ):
                    suggestion = candidate + ending
                    if candidate == stem or counts[candidate] <= counts[word] or _inflected(candidate, stem):
                        continue
                    if not _slip(stem, candidate):
                        continue
                    if best is None or counts[candidate] > best[2]:
                        best = (suggestion, candidate, counts[candidate])
            if best is None:
                continue
            at = doc.line_text(h.line).find(written)
            suggestion, candidate, count = best
            message = (
                f"{written!r} in the heading {h.text!r} appears nowhere else in the list; "
                f"did you mean {suggestion!r}? (the list writes {candidate!r} {count} times)"
            )
            findings.append(Finding("LK405", h.line, at + 1 if at >= 0 else 1, message, suggestion))
    return findings
