"""`PaperQuery`: what any listing asks for (search, export, xref, matrix, counts), validated once.

A query is words to rank by plus filters (tags, authors, dates, categories, links to datasets and models,
results in a metric, reading status), an order and a limit. Every command builds one and
`llmkb.store.query_sql` compiles it to SQL in one place, so a filter added here works everywhere and every
command rejects `--since 2024-13` or an empty tag with the same message. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from llmkb.errors import UsageError
from llmkb.linking.roles import check_role, check_source
from llmkb.slugs import checked_tags

ORDERS = ("rank", "newest", "oldest", "title", "added")
STATUSES = ("new", "to-read", "reading", "read", "dismissed")
_PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")
MAX_LIMIT = 2**62  # SQLite's integers are 64-bit; anything above is "no limit" in practice
DEFAULT_LIMIT = 20


@dataclass
class PaperQuery:
    text: str | None = None  # words to rank by; None or blank: a plain listing
    tags: list[str] = field(default_factory=list)  # all must match (`llmkb.slugs` paths)
    not_tags: list[str] = field(default_factory=list)
    author: str | None = None  # typos tolerated
    year: int | None = None
    since: str | None = None  # YYYY or YYYY-MM, inclusive
    until: str | None = None
    category: str | None = None  # arXiv category, e.g. cs.CL
    datasets: list[str] = field(default_factory=list)  # names as typed; linked to all of them
    models: list[str] = field(default_factory=list)
    metric: str | None = None  # only papers with results in this metric
    role: str | None = None  # links in this role only
    link_source: str | None = None  # links from list | user | text only
    linked: bool = False  # only papers with some dataset or model link (xref's default)
    ids: list[str] = field(default_factory=list)  # only these papers (any ID form), in this order
    status: str | None = None  # reading status
    flagged: bool = False  # only papers whose list and arXiv disagree
    unverified: bool = False  # only arXiv papers arXiv has not confirmed yet
    order: str | None = None  # None: rank with text, newest without; "added": the order papers were stored
    limit: int | None = DEFAULT_LIMIT  # None: every match

    def __post_init__(self) -> None:
        self.tags = checked_tags(self.tags)
        self.not_tags = checked_tags(self.not_tags)
        self.since = _period("since", self.since)
        self.until = _period("until", self.until)
        self.role = check_role(self.role)
        self.link_source = check_source(self.link_source)
        if self.year is not None and not 1000 <= self.year <= 9999:
            raise UsageError(f"--year takes a four-digit year, not {self.year}")
        if self.limit is not None:
            if self.limit < 1:
                raise UsageError(f"--limit must be at least 1, not {self.limit}")
            if self.limit >= MAX_LIMIT:
                self.limit = None
        if self.order is not None and self.order not in ORDERS:
            raise UsageError(f"--order takes one of {', '.join(ORDERS)}, not {self.order!r}")
        if self.status is not None:
            wanted = self.status.strip().casefold().replace("_", "-").replace(" ", "-")
            wanted = {"toread": "to-read", "unread": "to-read"}.get(wanted, wanted)
            if wanted not in STATUSES:
                raise UsageError(f"--status takes one of {', '.join(STATUSES)}, not {self.status!r}")
            self.status = wanted
        if self.author is not None and not self.author.strip():
            self.author = None

    @property
    def ranked(self) -> bool:
        """Whether matches come in search's ranking order (there are words, and no other order was asked)."""
        return bool(self.text and self.text.strip()) and self.order in (None, "rank")

    @property
    def links_asked(self) -> bool:
        """Whether the query says something about links or results (xref shows what matched)."""
        return bool(self.datasets or self.models or self.metric or self.role)

    def but(self, **changes: object) -> PaperQuery:
        """A copy with some fields changed (and validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _period(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    m = _PERIOD.match(value.strip())
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise UsageError(f"--{option} takes YYYY or YYYY-MM, not {value!r}")
    return value.strip()
