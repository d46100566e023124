"""What lint reports: rules with stable codes and fixed severities, and the findings they produce.

Codes never change meaning once published, because list curators put them in `--select`/`--ignore` and in
CI configuration; a retired rule keeps its number unused. They are grouped by hundreds: 1xx arXiv IDs and
titles, 2xx dates and venues, 3xx model, dataset and metric names, 4xx document structure, 5xx entries and
links, 6xx text damaged by copying. A rule's severity is part of its definition, so one code always fails or
passes CI the same way; `--fail-on` moves the line, not the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field
from enum import IntEnum

from llmkb.errors import UsageError


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise UsageError(f"unknown severity {text!r}; use error, warning or info") from None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # what it catches, one line (the README table and SARIF's shortDescription)
    _: KW_ONLY
    network: bool = False  # needs arXiv's answer (skipped by --offline)
    fixable: bool = False  # --fix may rewrite it (only when the finding carries edits)


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note

RULES: tuple[Rule, ...] = (
    # --- 1xx arXiv IDs and titles ------------------------------------------------------------------------
    Rule(
        "LK101",
        "arxiv-title-mismatch",
        E,
        "the list's title names another paper than arXiv's record for the ID",
        network=True,
        fixable=True,
    ),
    Rule("LK102", "arxiv-unknown-id", E, "arXiv has no paper with this ID", network=True),
    Rule("LK103", "arxiv-invalid-id", E, "an arXiv link whose ID cannot exist (month 13, a future month, malformed)"),
    Rule("LK104", "id-two-titles", E, "one arXiv ID given to two titles that name different papers"),
    Rule("LK105", "doubled-id", W, "an arXiv ID pasted twice with nothing between (1503.02531arXiv:1503.02531)"),
    Rule(
        "LK106",
        "arxiv-title-differs",
        W,
        "the same paper, but the title is worded differently from arXiv's",
        network=True,
    ),
    Rule(
        "LK107", "arxiv-title-old-version", W, "the list's title is the title of an earlier arXiv version", network=True
    ),
    Rule("LK108", "arxiv-withdrawn", W, "arXiv marks the paper as withdrawn", network=True),
    Rule("LK109", "arxiv-pinned-old-version", N, "the link pins a version older than arXiv's latest", network=True),
    Rule("LK110", "arxiv-old-link-form", N, "an arXiv link in an old form (/ftp/...) instead of /abs/ID"),
    # --- 2xx dates and venues -----------------------------------------------------------------------------
    Rule("LK201", "year-before-arxiv", E, "a year earlier than the paper's first arXiv version"),
    Rule("LK202", "month-before-arxiv", W, "a month earlier than the paper's first arXiv version (same year)"),
    Rule("LK203", "arxiv-year-mismatch", W, "'arXiv YEAR' where the first arXiv version is from another year"),
    Rule(
        "LK204", "date-after-arxiv", N, "a month later than the first arXiv version with no venue: a revision's date?"
    ),
    Rule(
        "LK205",
        "venue-before-arxiv",
        N,
        "a venue year earlier than the first arXiv version (posted after the conference?)",
    ),
    # --- 3xx names ----------------------------------------------------------------------------------------
    Rule(
        "LK301",
        "name-misspelt",
        W,
        "a model, dataset or metric name the vocabulary knows spelt differently",
        fixable=True,
    ),
    Rule("LK302", "model-size-unknown", W, "a known model family with a size it does not have (Mixtral-7B)"),
    Rule("LK303", "name-unknown", N, "a model, dataset or metric name the vocabulary does not know"),
    Rule("LK304", "name-expansion", W, "an abbreviation spelt out differently from what it stands for"),
    # --- 4xx structure ------------------------------------------------------------------------------------
    Rule("LK401", "toc-anchor-missing", W, "a table-of-contents link to an anchor no heading has"),
    Rule("LK402", "toc-entry-missing", W, "a table-of-contents entry (no link) that names no heading"),
    Rule("LK403", "empty-section", W, "a heading with nothing under it"),
    Rule("LK404", "empty-heading", W, "a heading with no text"),
    Rule("LK405", "heading-typo", W, "a heading word that appears nowhere else, one slip from a word the list uses"),
    Rule("LK406", "empty-item", W, "a list item with no text"),
    Rule("LK407", "indented-heading", N, "a heading indented by spaces (renders, but is usually a paste artefact)"),
    # --- 5xx entries and links ----------------------------------------------------------------------------
    Rule(
        "LK501",
        "duplicate-entry",
        W,
        "the same paper twice in one section, or once with arXiv and once with a publisher link",
    ),
    Rule("LK502", "cross-listed", N, "the same paper in several sections"),
    Rule("LK503", "no-link", N, "an item that names a paper but links nothing"),
    Rule("LK504", "empty-link", W, "a link with an empty target: []()"),
    Rule("LK505", "malformed-link", W, "a link broken by a space in its URL or a missing bracket"),
    Rule(
        "LK506", "pdf-copy", W, "a PDF copy in a code repository linked where the paper has an arXiv page", network=True
    ),
    Rule(
        "LK507",
        "shared-summary-link",
        W,
        "one summary or blog link under two different papers (pasted under the wrong one?)",
    ),
    Rule("LK508", "url-as-title", W, "a paper linked with its bare URL as the link text, no title"),
    Rule("LK509", "pdf-in-repository", N, "a PDF stored in a code repository (offline, or no arXiv page found)"),
    # --- 6xx text damaged by copying ----------------------------------------------------------------------
    Rule("LK601", "mojibake", W, "UTF-8 text decoded as cp1252 (â€” for —)"),
    Rule("LK602", "lost-character", W, "'undefined' inside a word: a character lost when the text was copied"),
    Rule("LK603", "pdf-paste-artefact", N, "hyphenation breaks and line numbers pasted from a PDF"),
    Rule("LK604", "title-spacing", N, "a title with no space after a colon (Jamba:A ...)"),
    Rule("LK605", "trailing-separator", N, "a reference list that ends in a comma: [1],[3],"),
)
RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


@dataclass(frozen=True)
class Edit:
    """Replace `old` (which must be there) at `line`:`column` (1-based) with `new`: one line, certain."""

    line: int
    column: int
    old: str
    new: str


@dataclass
class Finding:
    code: str
    line: int
    column: int
    message: str
    fix: str | None = None  # the suggestion shown to people ("did you mean LLaMA-2-13B?")
    edits: tuple[Edit, ...] = ()  # what --fix writes, only when the change is certain
    source: str = ""  # the file or URL, set by the caller

    @property
    def rule(self) -> Rule:
        return RULE_BY_CODE[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    def sort_key(self) -> tuple:
        return (self.source, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict:
        return {
            "file": self.source,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "name": self.rule.name,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
            "fixable": bool(self.edits),
        }


@dataclass
class Selection:
    """--select / --ignore: codes (LK101), prefixes (LK1, LK10) or rule names (arxiv-title-mismatch)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    _selected: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        chosen = _expand(self.select) if self.select else {r.code for r in RULES}
        self._selected = frozenset(chosen - _expand(self.ignore))

    def __contains__(self, code: str) -> bool:
        return code in self._selected

    @property
    def codes(self) -> frozenset[str]:
        return self._selected

    def needs_network(self) -> bool:
        return any(RULE_BY_CODE[code].network for code in self._selected)


def _expand(items: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for raw in items:
        for part in raw.split(","):
            item = part.strip()
            if not item:
                continue
            if item in RULE_BY_NAME:
                codes.add(RULE_BY_NAME[item].code)
                continue
            prefix = item.upper()
            matched = {rule.code for rule in RULES if rule.code.startswith(prefix)}
            if not matched or not prefix.startswith("LK"):
                raise UsageError(f"no lint rule is called or starts with {item!r}; codes run LK101 to LK604")
            codes |= matched
    return codes
