"""The parts of a paper record that several export formats derive the same way.

Records come from the store with optional keys; these helpers decide once what "the code link" or "the
date a paper sorts by" means, so the markdown list, the CSV and the BibTeX agree.
"""

from collections.abc import Mapping
from typing import Any

from llmkb.display import link_labels, month_of, year_of
from llmkb.linking.roles import DEFAULT_DATASET_ROLE, DEFAULT_MODEL_ROLE

Record = Mapping[str, Any]

# A link in its kind's usual role is shown by name alone, as everywhere (`llmkb.display.links_text`).
_USUAL_ROLES = {"datasets": DEFAULT_DATASET_ROLE, "models": DEFAULT_MODEL_ROLE}

# Link kinds that point at the paper itself, best first; used when a paper has no arXiv page.
_PAPER_LINK_KINDS = ("abs", "paper", "pdf", "html", "doi", "publisher")


def code_urls(record: Record) -> list[str]:
    """Every code link of the paper, in stored order, without repeats."""
    urls: list[str] = []
    for link in record.get("links") or ():
        url = link.get("url")
        if link.get("kind") == "code" and url and url not in urls:
            urls.append(url)
    return urls


def paper_url(record: Record) -> str | None:
    """Where a reader finds the paper: the arXiv page, else a paper link, else a code link."""
    if record.get("url"):
        return record["url"]
    links = [link for link in record.get("links") or () if link.get("url")]
    for kind in _PAPER_LINK_KINDS:
        for link in links:
            if link.get("kind") == kind:
                return link["url"]
    for link in links:
        if link.get("kind") != "code":
            return link["url"]
    codes = code_urls(record)
    return codes[0] if codes else None


publication_year = year_of
publication_month = month_of


def date_key(record: Record) -> str:
    """An ISO-like string that orders papers by date; more precise dates sort after a bare year."""
    published = record.get("published")
    if published:
        return str(published)
    year = record.get("year")
    if not year:
        return ""
    month = record.get("month")
    return f"{int(year):04d}-{int(month):02d}" if month else f"{int(year):04d}"


def xref_names(record: Record, key: str) -> list[str]:
    """The record's datasets or models (`key`) as the CLI shows them, in the record's order."""
    return link_labels(record.get(key) or (), _USUAL_ROLES[key])
