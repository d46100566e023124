"""`ImportReport`: what any import did (`import`, `import-list`, `import-results`, `add`), collected as it runs.

Services add outcomes and warnings to the report instead of printing or threading lists of strings through
their helpers; the command line renders it once at the end (text or JSON), and the Python API returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


@dataclass
class InvalidInput:
    input: str
    reason: str


@dataclass
class ImportReport:
    source: str = ""  # the list, file or query the papers came from
    added: list[str] = field(default_factory=list)  # paper IDs as a user sees them (arXiv ID or kb-N)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # asked for, but arXiv has no such paper
    invalid: list[InvalidInput] = field(default_factory=list)
    not_fetched: list[str] = field(default_factory=list)  # never answered (network)
    tags_added: int = 0
    rows: int = 0  # lines read, for row-based imports (results CSV)
    warnings: list[str] = field(default_factory=list)  # "line 12: ...": kept going
    errors: list[str] = field(default_factory=list)  # "line 4: ...": that line was not imported
    notes: list[str] = field(default_factory=list)  # what the user should know, e.g. arXiv was unreachable
    error: str | None = None  # what stopped the import early
    ignored_columns: list[str] = field(default_factory=list)
    paper_ids: list[int] = field(default_factory=list)  # row IDs written, in order

    def count(self, outcome: str, paper_id: str) -> None:
        getattr(self, outcome).append(paper_id)

    @property
    def papers(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    @property
    def ok(self) -> bool:
        """Everything asked for is stored."""
        return not (self.not_found or self.invalid or self.not_fetched or self.errors or self.error)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_found": self.not_found,
            "invalid": [{"input": i.input, "reason": i.reason} for i in self.invalid],
            "not_fetched": self.not_fetched,
            "tags_added": self.tags_added,
            "warnings": self.warnings,
            "errors": self.errors,
            "notes": self.notes,
            "error": self.error,
            "ok": self.ok,
        }

    def merged(self, other: ImportReport) -> None:
        """Adds another report's outcomes (an import made of several steps)."""
        for name in ("added", "updated", "unchanged", "not_found", "invalid", "not_fetched", "warnings", "errors"):
            getattr(self, name).extend(getattr(other, name))
        self.notes += [n for n in other.notes if n not in self.notes]
        self.tags_added += other.tags_added
        self.rows += other.rows
        self.paper_ids += other.paper_ids
        self.error = self.error or other.error
