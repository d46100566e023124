"""How a paper's facts read, the same in every table, detail view and export: the one place for the rules.

- year: the venue's year a list gave, else the year of the first arXiv version;
- title: the title, with the short name in parentheses when the title does not contain it;
- a result: "PIQA · LLaMA-2-7B: accuracy 71.2 (0-shot)";
- links to datasets and models: the name, with the role when it is not the usual one.
Standard library only (every read command renders through it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Record = Mapping[str, Any]


def year_of(record: Record) -> int | None:
    year = record.get("year")
    if year:
        return int(year)
    published = record.get("published") or ""
    return int(published[:4]) if published[:4].isdigit() else None


def month_of(record: Record) -> int | None:
    """The month of `year_of`; the arXiv date's month only when it is from that same year."""
    month = record.get("month")
    if month:
        return int(month)
    published = record.get("published") or ""
    year = year_of(record)
    if year is not None and published[:4] == f"{year:04d}" and published[5:7].isdigit():
        return int(published[5:7])
    return None


def year_text(record: Record) -> str:
    year = year_of(record)
    return str(year) if year else ""


def title_text(record: Record) -> str:
    title = record.get("title") or ""
    short = record.get("short_name")
    if short and short.casefold() not in title.casefold():
        return f"{title} ({short})"
    return title


def tags_text(record: Record, separator: str = ", ") -> str:
    """A paper's tags by name (the record keeps them in the order they were given)."""
    return separator.join(sorted(record.get("tags") or ()))


def result_text(result: Mapping[str, Any]) -> str:
    head = " · ".join(part for part in (result.get("dataset"), result.get("model")) if part)
    text = f"{head}: {result['metric']} {result['value']:g}"
    return text + (f" ({result['setting']})" if result.get("setting") else "")


def links_text(links: Iterable[Mapping[str, str]], usual_role: str) -> str:
    """ "C4 (calibration), PIQA": by name, each once, with its role when that is not `usual_role`."""
    return ", ".join(link_labels(sorted(links, key=_by_name), usual_role))


def link_labels(links: Iterable[Mapping[str, str]], usual_role: str) -> list[str]:
    """Each link as "PIQA" or "C4 (calibration)" (its role when that is not `usual_role`), once, in order."""
    shown: dict[str, None] = {}
    for link in links:
        shown.setdefault(link["name"] if link["role"] == usual_role else f"{link['name']} ({link['role']})")
    return list(shown)


def linked_sources_text(links: Iterable[Mapping[str, str]]) -> str:
    """ "PIQA (evaluation: list, user), C4 (calibration: list)": one entry per name and role, with sources."""
    sources: dict[tuple[str, str], list[str]] = {}
    for link in sorted(links, key=_by_name):
        sources.setdefault((link["name"], link["role"]), []).append(link["source"])
    return ", ".join(f"{name} ({role}: {', '.join(found)})" for (name, role), found in sources.items())


def authors_text(authors: list[str], most: int | None = None) -> str:
    """ "A, B, C" or, beyond `most` names, "A, B, C et al."."""
    if most is not None and len(authors) > most:
        return ", ".join(authors[:most]) + " et al."
    return ", ".join(authors)


def _by_name(link: Mapping[str, str]) -> tuple[str, str, str]:
    return link["name"].casefold(), link["role"], link["source"]
