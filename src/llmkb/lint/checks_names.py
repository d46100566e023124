"""Model, dataset and metric names against the vocabulary `link` and `xref` use.

Names are read where a list names them on purpose: rows of its model and dataset tables, bare-name items
under headings about datasets, models or metrics, and, anywhere in the text, the misspellings the
vocabulary records as aliases (it maps "LLaMaA2-13B" to LLaMA-2-13B so imports link the right model; lint
says the spelling is wrong). A spelling is a slip, not another way of writing the name, when it has the
same words and numbers as a spelling the vocabulary gives and one word differs by a letter or two:
"LLaMA2-7B" and "Llama 2 7B" are ways of writing LLaMA-2-7B, "LLaMaA2-13B" and "DistillBERT" are slips.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from llmkb.lint.document import Document
from llmkb.lint.findings import Edit, Finding
from llmkb.thresholds import LINT_EXPANSION_MATCH, LINT_NAME_TYPO
from llmkb.titles import title_key
from llmkb.vocab.vocabulary import Entry, Kind, entries

_TOKENS = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DATASET_WORDS = re.compile(r"\b(datasets?|data|benchmarks?|corpus|corpora)\b", re.I)
_MODEL_WORDS = re.compile(r"\b(models?|llms?|backbones?|checkpoints?)\b", re.I)
_METRIC_WORDS = re.compile(r"\b(metrics?|measures?)\b", re.I)
_OTHER_WORDS = re.compile(
    r"\b(methods?|techniques?|tools?|approach(es)?|algorithms?|frameworks?|librar(y|ies))\b", re.I
)
_CUT = re.compile(r"\s[-–—]\s|[:：]")
_PARENTHESIS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_MAX_NAME_WORDS = 6
_MIN_SLIP_WORD = 4
_SHOWN = 3


class _Name(NamedTuple):
    kind: Kind | None  # None: a table whose headings do not say (either kind)
    text: str
    line: int


def _tokens(name: str) -> list[str]:
    return _TOKENS.findall(name.casefold())


def _is_slip(written: str, spelling: str) -> bool:
    """Same words and numbers but one word off by one or two letters."""
    from rapidfuzz.distance import Levenshtein

    a, b = _tokens(written), _tokens(spelling)
    if len(a) != len(b) or a == b:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < _MIN_SLIP_WORD:
        return False
    return Levenshtein.distance(x, y) <= 2


@functools.cache
def _entry_index(kind: Kind) -> dict[str, Entry]:
    return {e.name: e for e in entries(kind)}


@functools.cache
def _proper_spellings(kind: Kind, canonical: str) -> tuple[str, ...]:
    """The entry's spellings that are not recorded slips of its own name."""
    entry = _entry_index(kind).get(canonical)
    if entry is None:
        return (canonical,)
    return tuple(s for s in entry.spellings if s == entry.name or not _is_slip(s, entry.name))


def _misspelt(kind: Kind, written: str, canonical: str, how: str | None) -> bool:
    proper = _proper_spellings(kind, canonical)
    if _tokens(written) in [_tokens(s) for s in proper]:
        return False
    return how == "fuzzy" or any(_is_slip(written, s) for s in proper)


@functools.cache
def _families() -> dict[str, set[str]]:
    from llmkb.vocab.names import stem_and_size

    sizes: dict[str, set[str]] = {}
    for entry in entries("model"):
        for spelling in entry.spellings:
            stem, size = stem_and_size(spelling)
            size = size or (entry.size.lower() if entry.size else None)
            sizes.setdefault(stem, set())
            if size:
                sizes[stem].add(size)
    return sizes


def _either(names: tuple[str, ...]) -> str:
    names = names[:_SHOWN]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def judge(kind: Kind, name: str) -> tuple[str, str, str | None, str | None] | None:
    """(code, message, suggestion, certain replacement) for one name, or None when it is right."""
    from llmkb.vocab.names import resolve, stem_and_size

    res = resolve(kind, name)
    if res.canonical is not None:
        if _misspelt(kind, name, res.canonical, res.how):
            return "LK301", f"{name!r} is misspelt: the {kind} is {res.canonical}", res.canonical, res.canonical
        return _expansion(kind, name, res.canonical)
    if kind == "model":
        stem, size = stem_and_size(name)
        family = _families().get(stem)
        if size and family is not None and size not in family:
            known = ", ".join(sorted(s.upper() for s in family)) or "no sizes"
            guess = f"; did you mean {_either(res.suggestions)}?" if res.suggestions else ""
            message = f"no {kind} {name!r} exists: the vocabulary knows this family in {known}{guess}"
            return "LK302", message, res.suggestions[0] if res.suggestions else None, None
    digits = _DIGITS.findall(name)
    if res.suggestions and res.score >= LINT_NAME_TYPO and _DIGITS.findall(res.suggestions[0]) == digits:
        return "LK301", f"{name!r} is not a known {kind}; did you mean {res.suggestions[0]}?", res.suggestions[0], None
    guess = f"; closest: {_either(res.suggestions)}" if res.suggestions else ""
    return "LK303", f"{name!r} is not a {kind} the vocabulary knows{guess}", None, None


def _expansion(kind: Kind, name: str, canonical: str) -> tuple[str, str, str | None, str | None] | None:
    """ "C4 (Crawled Corpus)": the words in parentheses try for the name's expansion and miss."""
    from rapidfuzz import fuzz

    from llmkb.vocab.names import resolve

    m = _PARENTHESIS.match(name)
    if not m or len(re.findall(r"[^\W\d_]{2,}", m.group(2))) < 2:
        return None
    inside = m.group(2).strip()
    if resolve(kind, inside).canonical == canonical:
        return None
    long_forms = [s for s in _proper_spellings(kind, canonical) if len(s.split()) >= 2]
    if not long_forms:
        return None
    score, best = max((fuzz.token_set_ratio(title_key(inside), title_key(s)), s) for s in long_forms)
    if score < LINT_EXPANSION_MATCH or title_key(inside) == title_key(best):
        return None
    message = f"{canonical} stands for {best!r}, not {inside!r}"
    return "LK304", message, best, None


# --- where names are ---------------------------------------------------------------------------------------


_PREPOSITIONS = re.compile(r"\b(for|of|on|in|with|via|and|to|by)\b|/", re.I)
_FIELD_LABELS = re.compile(
    r"\b(paper|year|date|summary|reason|code|note|blog|link|title|venue|author|abstract|tldr|github|project)",
    re.I,
)


def _announced_kind(text: str) -> Kind | None:
    """The kind a heading's name is about when it is a list of names: "Models", "NLP Datasets - Metric: ?",
    "Representative LLMs"; not "Pruning for LLMs" or "Compression / Lite LLMs", topics that mention them."""
    head = _CUT.split(text, maxsplit=1)[0].strip()
    if not head or _PREPOSITIONS.search(head) or _OTHER_WORDS.search(head):
        return None
    last = re.findall(r"[A-Za-z]+", head)
    if not last:
        return None
    words: tuple[tuple[re.Pattern[str], Kind], ...] = (
        (_DATASET_WORDS, "dataset"),
        (_MODEL_WORDS, "model"),
        (_METRIC_WORDS, "metric"),
    )
    for pattern, kind in words:
        if pattern.fullmatch(last[-1]):
            return kind
    return None


def _heading_kind(doc: Document, index: int | None) -> Kind | None:
    """The kind of name a heading, or the heading above it, announces."""
    for _ in range(2):
        if index is None:
            return None
        kind = _announced_kind(doc.headings[index].text)
        if kind is not None:
            return kind
        level = doc.headings[index].level
        index = next((i for i in range(index - 1, -1, -1) if doc.headings[i].level < level), None)
    return None


def _names(doc: Document) -> list[_Name]:
    from llmkb.linking.list_tables import SKIP, table_target

    names: list[_Name] = []
    for table in doc.parsed.ref_tables:
        target = table_target(table.heading_path)
        if target == SKIP:
            continue
        table_kind = target[0]
        names += [_Name(table_kind, row.name.strip(), row.line) for row in table.rows if row.name.strip()]
    entry_lines = {e.line for e in doc.entries}
    for item in doc.items:
        text = item.text.strip()
        if item.links or not text or item.line in entry_lines or "](" in text:
            continue
        label = re.match(r"^([^:：]{1,40})[:：]", text)
        if label and _FIELD_LABELS.search(label.group(1)):
            continue
        kind = _heading_kind(doc, item.heading)
        if kind is None:
            continue
        text = _CUT.split(item.text.strip(), maxsplit=1)[0].strip().rstrip(".…")
        parts = [p.strip() for p in text.split(",")] if "(" not in text else [text]
        for part in parts:
            part = part.rstrip(".…").strip()
            if part and len(part.split()) <= _MAX_NAME_WORDS and re.search(r"[^\W\d_]", part):
                names.append(_Name(kind, part, item.line))
    return names


def check_names(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for name in _names(doc):
        kinds: tuple[Kind, ...] = (name.kind,) if name.kind else ("dataset", "model")
        verdicts = [(k, judge(k, name.text)) for k in kinds]
        if name.kind is None:
            if any(v is None for _, v in verdicts):
                continue  # one of the two kinds knows it
            verdicts = verdicts[:1]
        kind, verdict = verdicts[0]
        if verdict is None:
            continue
        code, message, suggestion, replacement = verdict
        column = doc.column(name.line, name.text)
        seen.add((name.line, column))
        edits = (Edit(name.line, column, name.text, replacement),) if replacement and column > 0 else ()
        if edits and doc.line_text(name.line)[column - 1 : column - 1 + len(name.text)] != name.text:
            edits = ()
        findings.append(Finding(code, name.line, column, message, suggestion, edits))
    findings += _misspelt_mentions(doc, seen)
    return findings


def _misspelt_mentions(doc: Document, seen: set[tuple[int, int]]) -> list[Finding]:
    """Recorded misspellings anywhere in the text ("TinyBERT, MobileBERT, DistillBERT")."""
    from llmkb.vocab.mentions import find_mentions

    findings = []
    for mention in find_mentions(doc.text):
        if not _misspelt(mention.kind, mention.surface, mention.canonical, None):
            continue
        line, column = doc.position(mention.start)
        if (line, column) in seen:
            continue
        seen.add((line, column))
        message = f"{mention.surface!r} is misspelt: the {mention.kind} is {mention.canonical}"
        edit = Edit(line, column, mention.surface, mention.canonical)
        findings.append(Finding("LK301", line, column, message, mention.canonical, (edit,)))
    return findings
