"""The filters every listing command shares (search, xref, export), validated once.

`PaperFilter` holds what the user asked for; `where_clauses` turns it into SQL over the alias `p`. Values
are checked here, so every command rejects `--since 2024-13` or an empty tag with the same message.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from llmkb.errors import UsageError
from llmkb.slugs import tag_path
from llmkb.store import query_sql as pf
from llmkb.thresholds import AUTHOR_MATCH

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass
class PaperFilter:
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    author: str | None = None
    year: int | None = None
    since: str | None = None
    until: str | None = None
    category: str | None = None
    datasets: list[str] = field(default_factory=list)  # names as typed; resolved to canonical names
    models: list[str] = field(default_factory=list)
    role: str | None = None  # restricts --dataset/--model links to one role
    link_source: str | None = None  # restricts --dataset/--model links to list | user | text

    def __post_init__(self) -> None:
        self.tags = [_tag(t) for t in self.tags]
        self.not_tags = [_tag(t) for t in self.not_tags]
        if self.datasets or self.models:
            from llmkb.vocab.names import resolve_or_raise

            self.datasets = [resolve_or_raise("dataset", d) for d in self.datasets]
            self.models = [resolve_or_raise("model", m) for m in self.models]
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, _period(name, value))


def _tag(text: str) -> str:
    path = tag_path(text)
    if not path:
        raise UsageError(f"tag {text!r} has no letters or digits")
    return path


def _period(option: str, value: str) -> str:
    m = _PERIOD.match(value.strip())
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise UsageError(f"--{option} takes YYYY or YYYY-MM, not {value!r}")
    return value.strip()


def matching_authors(conn: sqlite3.Connection, name: str) -> list[str]:
    """Stored author names close to `name` (typos, initials, order), for `--author`."""
    from rapidfuzz import fuzz, process, utils

    authors = [row[0] for row in conn.execute("SELECT DISTINCT value FROM paper, json_each(paper.authors)")]
    hits = process.extract(
        name,
        authors,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=AUTHOR_MATCH,
        limit=None,
    )
    return [hit[0] for hit in hits]


def where_clauses(conn: sqlite3.Connection, f: PaperFilter) -> tuple[list[str], list]:
    clauses: list[str] = []
    params: list = []

    def add(condition: tuple[str, list]) -> None:
        clauses.append(condition[0])
        params.extend(condition[1])

    for tag in f.tags:
        add(pf.tag_condition(tag))
    for tag in f.not_tags:
        add(pf.tag_condition(tag, negate=True))
    if f.author:
        add(pf.authors_condition(matching_authors(conn, f.author)))
    if f.year is not None:
        add(pf.year_condition(f.year))
    if f.category:
        add(pf.category_condition(f.category))
    for name in f.datasets:
        add(pf.dataset_condition(name, role=f.role, source=f.link_source))
    for name in f.models:
        add(pf.model_condition(name, role=f.role, source=f.link_source))
    date_sql, date_params = pf.date_range(f.since, f.until)
    clauses += date_sql
    params += date_params
    return clauses, params
