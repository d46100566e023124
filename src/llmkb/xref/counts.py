"""`llmkb datasets|models|metrics`: each name with the number of papers that link it (metrics: with results)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from llmkb.errors import UsageError
from llmkb.linking.roles import role_kind
from llmkb.query import PaperQuery
from llmkb.store.query_sql import compile_filters
from llmkb.vocab.vocabulary import Kind

_LINK_TABLES = {"dataset": ("paper_dataset", "dataset_id"), "model": ("paper_model", "model_id")}


@dataclass
class EntityCount:
    name: str
    papers: int
    details: dict  # dataset: task, usual_metric; model: family, size; metric: higher_is_better
    resolved: bool = True
    suggestions: list[str] = field(default_factory=list)  # for names kept as written


def entity_counts(
    conn: sqlite3.Connection, kind: Kind, q: PaperQuery, *, unresolved: bool = False, unused: bool = False
) -> list[EntityCount]:
    """Each dataset, model or metric with the number of papers linking it (metrics: with results in it),
    most used first; only papers the query's filters select count, and only links in its role and from its
    source. `unused` adds names no paper links; `unresolved` keeps only names kept as written."""
    role, source = q.role, q.link_source
    if role is not None and kind != role_kind(role):
        raise UsageError(f"--role {role} is a {role_kind(role)} role, not a {kind} role")
    if kind == "metric" and (role or source):
        raise UsageError("metrics come from results: --role and --source do not apply")
    if kind == "metric":
        table, column, details = "result", "metric_id", "e.higher_is_better"
    else:
        table, column = _LINK_TABLES[kind]
        details = "e.task, e.usual_metric, e.resolved" if kind == "dataset" else "e.family, e.size, e.resolved"
    papers = compile_filters(conn, q.but(role=None, link_source=None, linked=False))
    conditions: list[str] = []
    params: list = []
    if papers.clauses:
        conditions.append(f"l.paper_id IN (SELECT p.id FROM paper p WHERE {papers.where})")
        params += papers.params
    for condition, value in (("l.role = ?", role), ("l.source = ?", source)):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    wheres = ["e.resolved = 0"] if unresolved and kind != "metric" else []
    if conditions:
        where = f"WHERE {' AND '.join(conditions)}"
        # count(DISTINCT) off the (entity, paper_id) index: a paper linked twice (list and text) counts once
        counted = (
            f"SELECT l.{column} AS entity, count(DISTINCT l.paper_id) AS papers FROM {table} l {where} "
            f"GROUP BY l.{column}"
        )
        join = "LEFT JOIN" if unused else "JOIN"
        only = f"WHERE {' AND '.join(wheres)}" if wheres else ""
        sql = (
            f"SELECT e.name, COALESCE(c.papers, 0), {details} FROM {kind} e {join} ({counted}) c "
            f"ON c.entity = e.id {only} ORDER BY COALESCE(c.papers, 0) DESC, e.name COLLATE NOCASE"
        )
    else:  # no filter: the counts the store keeps (`papers`, migration 0005), no link table read
        if not unused:
            wheres.append("e.papers > 0")
        only = f"WHERE {' AND '.join(wheres)}" if wheres else ""
        sql = f"SELECT e.name, e.papers, {details} FROM {kind} e {only} ORDER BY e.papers DESC, e.name COLLATE NOCASE"
    found = []
    for row in conn.execute(sql, params):
        name, papers = row[0], row[1]
        if kind == "metric":
            found.append(EntityCount(name, papers, {"higher_is_better": bool(row[2])}))
            continue
        keys = ("task", "usual_metric") if kind == "dataset" else ("family", "size")
        entry = EntityCount(name, papers, dict(zip(keys, row[2:4], strict=True)), resolved=bool(row[4]))
        if not entry.resolved:
            from llmkb.vocab.names import resolve

            entry.suggestions = list(resolve(kind, name).suggestions)
        found.append(entry)
    return found
