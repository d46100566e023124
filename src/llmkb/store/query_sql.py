"""SQL conditions shared by every listing (search, xref, export): tags, dates, authors, categories.

Each function returns a WHERE fragment over the alias `p` (the paper table) and its parameters. Tag
filters match a stored path by any of its segments (`pruning` finds `model-compression/pruning`, so a
parent finds its children) and by whole words inside a segment (`pruning` finds `pruning-for-llms`).
"""

from __future__ import annotations

from collections.abc import Iterable

_ESCAPE = "\\"

PAPER_DATE = "COALESCE(p.published, printf('%04d-%02d', p.year, COALESCE(p.month, 1)))"
"""The date a paper sorts and filters by: its first arXiv version, else the year (and month) a list gave."""


def _like(text: str) -> str:
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def matching_tags(tag: str) -> tuple[str, list]:
    """A query for the IDs of the stored tags a `--tag` selects: the one place the matching rule lives.

    A one-segment tag matches whole words of any segment (`pruning` finds `compression/pruning-for-llms`);
    a path matches as a run of whole segments (`compression/pruning` finds `model/compression/pruning/x`).
    """
    sep, stored = ("/", "name") if "/" in tag else ("-", "replace(name, '/', '-')")
    sql = f"SELECT id FROM tag WHERE '{sep}' || {stored} || '{sep}' LIKE ? ESCAPE '\\'"
    return sql, [f"%{sep}{_like(tag)}{sep}%"]


def tag_condition(tag: str, *, negate: bool = False) -> tuple[str, list]:
    # the tag sub-query is not correlated: SQLite runs it once, not once per paper
    tags_sql, params = matching_tags(tag)
    sql = f"EXISTS (SELECT 1 FROM paper_tag pt WHERE pt.paper_id = p.id AND pt.tag_id IN ({tags_sql}))"
    return ("NOT " + sql if negate else sql), params


def date_range(since: str | None, until: str | None) -> tuple[list[str], list]:
    """`since`/`until` as YYYY or YYYY-MM, both inclusive."""
    clauses, params = [], []
    if since:
        clauses.append(f"{PAPER_DATE} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{PAPER_DATE} < ?")
        params.append(_after(until))
    return clauses, params


def _after(period: str) -> str:
    """The first date string after the whole of `period` (2024 -> 2025, 2024-12 -> 2025-01)."""
    if len(period) == 4:
        return f"{int(period) + 1:04d}"
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def year_condition(year: int) -> tuple[str, list]:
    return "COALESCE(p.year, CAST(substr(p.published, 1, 4) AS INTEGER)) = ?", [year]


def category_condition(category: str) -> tuple[str, list]:
    return (
        "(p.primary_category = ? OR EXISTS (SELECT 1 FROM json_each(p.categories) WHERE value = ?))",
        [category, category],
    )


def authors_condition(names: Iterable[str]) -> tuple[str, list]:
    names = list(names)
    if not names:
        return "0", []
    marks = ",".join("?" * len(names))
    return f"EXISTS (SELECT 1 FROM json_each(p.authors) WHERE value IN ({marks}))", names


def _linked(table: str, column: str, entity: str, name: str, role: str | None, source: str | None) -> tuple[str, list]:
    sql = f"EXISTS (SELECT 1 FROM {table} l JOIN {entity} e ON e.id = l.{column} WHERE l.paper_id = p.id AND e.name = ?"
    params: list = [name]
    if role:
        sql += " AND l.role = ?"
        params.append(role)
    if source:
        sql += " AND l.source = ?"
        params.append(source)
    return sql + ")", params


def dataset_condition(name: str, *, role: str | None = None, source: str | None = None) -> tuple[str, list]:
    """Papers linked to the dataset with canonical name `name` (optionally in a role, from a source)."""
    return _linked("paper_dataset", "dataset_id", "dataset", name, role, source)


def model_condition(name: str, *, role: str | None = None, source: str | None = None) -> tuple[str, list]:
    return _linked("paper_model", "model_id", "model", name, role, source)
