"""Cross-reference views: which papers link which datasets and models, with which results (sqlite3 only).

Every view starts from the links, not from the papers: a dataset or model filter becomes
`p.id IN (SELECT paper_id FROM paper_dataset WHERE dataset_id = ?)`, which SQLite answers from the
(dataset_id, paper_id) index and then joins to the few papers found, so a query on 100,000 papers costs
what the matching links cost. Names are resolved before any SQL runs (`entity_names.stored_name`): an
unknown name is a UsageError with "did you mean", never an empty answer.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from llmkb.errors import UsageError
from llmkb.linking.roles import check_role, check_source, role_kind
from llmkb.query import PaperFilter
from llmkb.store.query_sql import PAPER_DATE
from llmkb.store.records import paper_ref
from llmkb.vocab.stored_names import stored_name

_LINK_TABLES = {"dataset": ("paper_dataset", "dataset_id"), "model": ("paper_model", "model_id")}
CHECK = "✓"


@dataclass
class XrefQuery:
    """What `llmkb xref` was asked, as typed; `resolve` checks it and finds the row IDs."""

    tags: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    metric: str | None = None
    role: str | None = None
    source: str | None = None
    limit: int | None = None


@dataclass
class _Resolved:
    flt: PaperFilter
    datasets: dict[str, int | None]  # canonical or kept-as-written name -> row ID (None: no such row yet)
    models: dict[str, int | None]
    metric: tuple[str, int | None] | None
    role: str | None
    source: str | None
    limit: int | None


@dataclass
class XrefPaper:
    rowid: int
    id: str
    title: str
    short_name: str | None
    year: str
    tags: list[str] = field(default_factory=list)
    datasets: list[dict] = field(default_factory=list)  # {"name", "role", "source"}
    models: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)  # {"dataset", "model", "metric", "value", "setting", "source"}

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "short_name": self.short_name,
            "year": self.year,
            "tags": self.tags,
            "datasets": self.datasets,
            "models": self.models,
            "results": self.results,
        }


@dataclass
class Xref:
    papers: list[XrefPaper]
    datasets: list[str]  # the names the filters resolved to
    models: list[str]
    metric: str | None


def _row_id(conn: sqlite3.Connection, kind: str, name: str) -> int | None:
    row = conn.execute(f"SELECT id FROM {kind} WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _resolve(conn: sqlite3.Connection, query: XrefQuery) -> _Resolved:
    if query.limit is not None and query.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {query.limit}")
    role, source = check_role(query.role), check_source(query.source)
    flt = PaperFilter(tags=query.tags)
    named = {}
    for kind, texts in (("dataset", query.datasets), ("model", query.models)):
        names = list(dict.fromkeys(stored_name(conn, kind, text) for text in texts))
        named[kind] = {name: _row_id(conn, kind, name) for name in names}
    metric = None
    if query.metric is not None:
        name = stored_name(conn, "metric", query.metric)
        metric = (name, _row_id(conn, "metric", name))
    return _Resolved(flt, named["dataset"], named["model"], metric, role, source, query.limit)


def _link_condition(kind: str, entity_id: int | None, role: str | None, source: str | None) -> tuple[str, list]:
    table, column = _LINK_TABLES[kind]
    parts, params = [], []
    if role is not None:
        parts.append("role = ?")
        params.append(role)
    if source is not None:
        parts.append("source = ?")
        params.append(source)
    if entity_id is None:  # any link: checked per paper through the (paper_id, ...) key
        where = " AND ".join(["paper_id = p.id", *parts])
        return f"EXISTS (SELECT 1 FROM {table} WHERE {where})", params
    where = " AND ".join([f"{column} = ?", *parts])
    return f"p.id IN (SELECT paper_id FROM {table} WHERE {where})", [entity_id, *params]


def tag_ids(conn: sqlite3.Connection, tag: str) -> list[int]:
    """The stored tags a (checked) `--tag` selects, by the rule in `paper_filters.matching_tags`."""
    from llmkb.store.query_sql import matching_tags

    sql, params = matching_tags(tag)
    return [row[0] for row in conn.execute(sql, params)]


def _tag_conditions(conn: sqlite3.Connection, tags: Sequence[str], column: str = "p.id") -> tuple[list[str], list]:
    clauses, params = [], []
    for tag in tags:
        ids = tag_ids(conn, tag)
        clauses.append(
            f"{column} IN (SELECT paper_id FROM paper_tag WHERE tag_id IN ({','.join('?' * len(ids))}))" if ids else "0"
        )
        params += ids
    return clauses, params


def _matching_ids(conn: sqlite3.Connection, r: _Resolved) -> list[int]:
    clauses, params = _tag_conditions(conn, r.flt.tags)

    def add(condition: tuple[str, list]) -> None:
        clauses.append(condition[0])
        params.extend(condition[1])

    empty = False
    for kind, named in (("dataset", r.datasets), ("model", r.models)):
        kind_role = r.role if r.role is not None and role_kind(r.role) == kind else None
        for entity_id in named.values():
            empty |= entity_id is None
            add(_link_condition(kind, entity_id, kind_role, r.source))
        if not named and kind_role is not None:  # `--role calibration` alone: any calibration dataset
            add(_link_condition(kind, None, kind_role, r.source))
    if r.metric is not None:
        empty |= r.metric[1] is None
        sql, extra = "p.id IN (SELECT paper_id FROM result WHERE metric_id = ?", [r.metric[1]]
        for column, named in (("dataset_id", r.datasets), ("model_id", r.models)):
            if named:
                sql += f" AND {column} IN ({','.join('?' * len(named))})"
                extra += list(named.values())
        add((sql + ")", extra))
    if not (r.datasets or r.models or r.metric or r.role):  # only tags or a source: papers with any link
        any_dataset = _link_condition("dataset", None, None, r.source)
        any_model = _link_condition("model", None, None, r.source)
        add((f"({any_dataset[0]} OR {any_model[0]})", any_dataset[1] + any_model[1]))
    if empty:  # a name the database has no row for yet: no paper links it
        return []
    where = " AND ".join(clauses) or "1"
    sql = f"SELECT p.id FROM paper p WHERE {where} ORDER BY {PAPER_DATE} DESC, p.id DESC LIMIT ?"
    return [row[0] for row in conn.execute(sql, [*params, -1 if r.limit is None else r.limit])]


def xref(conn: sqlite3.Connection, query: XrefQuery) -> Xref:
    """The papers that satisfy every filter, newest first, each with the links and results that matched.

    Without a dataset, model, metric or role filter a paper must have at least one link (from `source`,
    if given): xref lists what is cross-referenced, not every paper under a tag.
    """
    r = _resolve(conn, query)
    ids = _matching_ids(conn, r)
    papers = _papers(conn, ids)
    _attach_links(conn, papers, r, matched_only=True)
    _attach_results(conn, papers, r)
    metric = r.metric[0] if r.metric else None
    return Xref(list(papers.values()), list(r.datasets), list(r.models), metric)


def _ids_param(ids) -> str:
    """The papers' row IDs as one JSON parameter: `paper_id IN (SELECT value FROM json_each(?))` takes any
    number of them, where `IN (?, ?, ...)` would need batches below SQLite's variable limit."""
    return json.dumps(list(ids))


def _papers(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, XrefPaper]:
    if not ids:
        return {}
    ids_json = _ids_param(ids)
    rows = {
        row[0]: row
        for row in conn.execute(
            "SELECT id, arxiv_id, title, short_name, year, published FROM paper "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (ids_json,),
        )
    }
    tags: dict[int, list[str]] = defaultdict(list)
    for paper_id, name in conn.execute(
        "SELECT pt.paper_id, t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
        "WHERE pt.paper_id IN (SELECT value FROM json_each(?)) ORDER BY t.name",
        (ids_json,),
    ):
        tags[paper_id].append(name)
    papers: dict[int, XrefPaper] = {}
    for paper_id in ids:
        row = rows[paper_id]
        year = str(row[4]) if row[4] else (row[5] or "")[:4]
        papers[paper_id] = XrefPaper(
            paper_id, paper_ref(row[1], paper_id), row[2], row[3], year, tags.get(paper_id, [])
        )
    return papers


def _link_key(link: dict) -> tuple:
    return link["name"].casefold(), link["role"], link["source"]


def _attach_links(
    conn: sqlite3.Connection,
    papers: dict[int, XrefPaper],
    r: _Resolved,
    *,
    matched_only: bool,
    kinds: Sequence[str] = ("dataset", "model"),
) -> None:
    if not papers:
        return
    ids_json = _ids_param(papers)
    for kind in kinds:
        table, column = _LINK_TABLES[kind]
        named = r.datasets if kind == "dataset" else r.models
        conditions, params = [], []
        if matched_only and named:
            conditions.append(f"l.{column} IN ({','.join('?' * len(named))})")
            params += list(named.values())
        if r.role is not None and role_kind(r.role) == kind:
            conditions.append("l.role = ?")
            params.append(r.role)
        if r.source is not None:
            conditions.append("l.source = ?")
            params.append(r.source)
        extra = "".join(f" AND {c}" for c in conditions)
        sql = (
            f"SELECT l.paper_id, e.name, l.role, l.source FROM {table} l JOIN {kind} e ON e.id = l.{column} "
            f"WHERE l.paper_id IN (SELECT value FROM json_each(?)){extra}"
        )
        for paper_id, name, role, source in conn.execute(sql, [ids_json, *params]):
            paper = papers[paper_id]
            (paper.datasets if kind == "dataset" else paper.models).append(
                {"name": name, "role": role, "source": source}
            )
        for paper in papers.values():
            (paper.datasets if kind == "dataset" else paper.models).sort(key=_link_key)


def _attach_results(conn: sqlite3.Connection, papers: dict[int, XrefPaper], r: _Resolved) -> None:
    if not papers:
        return
    conditions, params = [], []
    # `+column`: filter these rows, do not look them up by this column's index (the paper IDs are the
    # selective part; a popular dataset has thousands of results)
    for column, named in (("+r.dataset_id", r.datasets), ("+r.model_id", r.models)):
        if named:
            conditions.append(f"{column} IN ({','.join('?' * len(named))})")
            params += list(named.values())
    if r.metric is not None:
        conditions.append("+r.metric_id = ?")
        params.append(r.metric[1])
    extra = "".join(f" AND {c}" for c in conditions)
    sql = (
        "SELECT r.paper_id, d.name, m.name, x.name, r.value, r.setting, r.source FROM result r "
        "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id "
        f"LEFT JOIN model m ON m.id = r.model_id WHERE r.paper_id IN (SELECT value FROM json_each(?)){extra} "
        "ORDER BY d.name, m.name, x.name, r.setting"
    )
    for paper_id, dataset, model, metric, value, setting, source in conn.execute(sql, [_ids_param(papers), *params]):
        papers[paper_id].results.append(
            {"dataset": dataset, "model": model, "metric": metric, "value": value, "setting": setting, "source": source}
        )


# --- matrix --------------------------------------------------------------------------------------------


@dataclass
class Matrix:
    by: str  # "dataset" or "model"
    columns: list[str]
    papers: list[XrefPaper]
    cells: dict[int, dict[str, float | str]]  # paper rowid -> column -> best value, or CHECK
    metric: str | None  # the metric values are in, when there are values
    hidden_columns: int = 0


def matrix(conn: sqlite3.Connection, query: XrefQuery, by: str, max_columns: int | None = None) -> Matrix:
    """Papers x datasets (or models): a value where the paper has a result, else a check mark.

    Columns are the filtered names first, then the others by how many of these papers link them. With
    `--by dataset` a cell's value is in `--metric`, else in the column dataset's usual metric; with `--by
    model` values need a single `--dataset` (in `--metric` or its usual metric). Several results for one
    cell (settings, models): the best one by the metric's direction.
    """
    if by not in ("dataset", "model"):
        raise UsageError(f"--by takes dataset or model, not {by!r}")
    r = _resolve(conn, query)
    papers = _papers(conn, _matching_ids(conn, r))
    _attach_links(conn, papers, r, matched_only=False, kinds=(by,))
    counts: Counter[str] = Counter()
    cells: dict[int, dict[str, float | str]] = {}
    for paper in papers.values():
        names = {link["name"] for link in (paper.datasets if by == "dataset" else paper.models)}
        counts.update(names)
        cells[paper.rowid] = dict.fromkeys(names, CHECK)
    filtered = list(r.datasets if by == "dataset" else r.models)
    columns = filtered + sorted((n for n in counts if n not in filtered), key=lambda n: (-counts[n], n.casefold()))
    hidden = 0
    if max_columns and len(columns) > max_columns:
        hidden, columns = len(columns) - max_columns, columns[:max_columns]
    metric = _fill_values(conn, papers, cells, columns, r, by)
    return Matrix(by, columns, list(papers.values()), cells, metric, hidden)


def _fill_values(
    conn: sqlite3.Connection,
    papers: dict[int, XrefPaper],
    cells: dict[int, dict],
    columns: list[str],
    r: _Resolved,
    by: str,
) -> str | None:
    if not papers or not columns:
        return None
    if by == "model" and len(r.datasets) != 1:
        return None
    marks = ",".join("?" * len(columns))
    params: list = list(columns)
    if by == "dataset":
        column_sql = "d.name"
        metric_sql = "x.id = ?" if r.metric else "x.name = d.usual_metric"
        params += [r.metric[1]] if r.metric else []
        where = f"d.name IN ({marks}) AND {metric_sql}"
    else:
        column_sql = "m.name"
        (dataset_id,) = r.datasets.values()
        metric_sql = "x.id = ?" if r.metric else "x.name = d.usual_metric"
        params += [dataset_id] + ([r.metric[1]] if r.metric else [])
        where = f"m.name IN ({marks}) AND +r.dataset_id = ? AND {metric_sql}"
    if by == "dataset" and r.models:
        where += f" AND r.model_id IN ({','.join('?' * len(r.models))})"
        params += list(r.models.values())
    used: Counter[str] = Counter()
    sql = (
        f"SELECT r.paper_id, {column_sql}, x.name, x.higher_is_better, r.value FROM result r "
        "JOIN dataset d ON d.id = r.dataset_id JOIN metric x ON x.id = r.metric_id "
        "LEFT JOIN model m ON m.id = r.model_id "
        f"WHERE r.paper_id IN (SELECT value FROM json_each(?)) AND {where}"
    )
    for paper_id, column, metric, higher, value in conn.execute(sql, [_ids_param(papers), *params]):
        cell = cells[paper_id].get(column)
        if isinstance(cell, float) and (value <= cell if higher else value >= cell):
            continue
        cells[paper_id][column] = float(value)
        used[metric] += 1
    if r.metric:
        return r.metric[0]
    if len(used) == 1:
        return next(iter(used))
    return "usual metric of each dataset" if used else None


# --- listings ------------------------------------------------------------------------------------------


@dataclass
class EntityCount:
    name: str
    papers: int
    details: dict  # dataset: task, usual_metric; model: family, size; metric: higher_is_better
    resolved: bool = True
    suggestions: list[str] = field(default_factory=list)  # for names kept as written


def entity_counts(
    conn: sqlite3.Connection,
    kind: str,
    *,
    tags: Sequence[str] = (),
    role: str | None = None,
    source: str | None = None,
    unresolved: bool = False,
    unused: bool = False,
) -> list[EntityCount]:
    """Each dataset, model or metric with the number of papers linking it (metrics: with results in it),
    most used first; `unused` adds those no paper links; `unresolved` keeps only names kept as written."""
    role, source = check_role(role), check_source(source)
    if role is not None and kind != role_kind(role):
        raise UsageError(f"--role {role} is a {role_kind(role)} role, not a {kind} role")
    if kind == "metric" and (role or source):
        raise UsageError("metrics come from results: --role and --source do not apply")
    checked = PaperFilter(tags=list(tags)).tags
    if kind == "metric":
        table, column, details = "result", "metric_id", "e.higher_is_better"
    else:
        table, column = _LINK_TABLES[kind]
        details = "e.task, e.usual_metric, e.resolved" if kind == "dataset" else "e.family, e.size, e.resolved"
    conditions, params = _tag_conditions(conn, checked, "l.paper_id")
    for condition, value in (("l.role = ?", role), ("l.source = ?", source)):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    # count(DISTINCT) straight off the (entity, paper_id) index: a paper linked twice (list and text) counts once
    counted = (
        f"SELECT l.{column} AS entity, count(DISTINCT l.paper_id) AS papers FROM {table} l {where} GROUP BY l.{column}"
    )
    join = "LEFT JOIN" if unused else "JOIN"
    only = "WHERE e.resolved = 0" if unresolved and kind != "metric" else ""
    sql = (
        f"SELECT e.name, COALESCE(c.papers, 0), {details} FROM {kind} e {join} ({counted}) c ON c.entity = e.id "
        f"{only} ORDER BY COALESCE(c.papers, 0) DESC, e.name COLLATE NOCASE"
    )
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


# --- leaderboard ---------------------------------------------------------------------------------------


@dataclass
class LeaderRow:
    rank: int
    value: float
    model: str | None
    paper: str  # the ID a user sees
    title: str
    setting: str | None
    source: str


@dataclass
class Leaderboard:
    dataset: str
    metric: str | None
    higher_is_better: bool
    rows: list[LeaderRow]
    total: int  # results in this metric (rows holds at most `limit`)
    other_metrics: list[tuple[str, int]]  # metrics with results on this dataset, and how many


def leaderboard(
    conn: sqlite3.Connection,
    dataset: str,
    *,
    metric: str | None = None,
    model: str | None = None,
    limit: int | None = 20,
) -> Leaderboard:
    """Results on one dataset, best first by the metric's direction (lower perplexity, higher accuracy).

    Without `metric`: the dataset's usual metric when it has results in it, else the metric most of its
    results use.
    """
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    dataset = stored_name(conn, "dataset", dataset)
    model_name = stored_name(conn, "model", model) if model is not None else None
    chosen = stored_name(conn, "metric", metric) if metric is not None else None
    row = conn.execute("SELECT id, usual_metric FROM dataset WHERE name = ?", (dataset,)).fetchone()
    dataset_id, usual = (row[0], row[1]) if row else (None, None)
    if usual is None and row is None:
        from llmkb.vocab.vocabulary import entries

        usual = next((e.metric for e in entries("dataset") if e.name == dataset), None)
    model_id = _row_id(conn, "model", model_name) if model_name else None
    model_sql, model_params = ("AND r.model_id = ?", [model_id]) if model_name else ("", [])
    per_metric = [
        (name, count)
        for name, count in conn.execute(
            "SELECT x.name, count(*) FROM result r JOIN metric x ON x.id = r.metric_id "
            f"WHERE r.dataset_id = ? {model_sql} GROUP BY x.id ORDER BY count(*) DESC, x.name",
            [dataset_id, *model_params],
        )
    ]
    if chosen is None:
        present = dict(per_metric)
        chosen = usual if usual in present or not per_metric else per_metric[0][0]
    metric_row = (
        conn.execute("SELECT id, higher_is_better FROM metric WHERE name = ?", (chosen,)).fetchone() if chosen else None
    )
    if metric_row is None:
        higher = True
        if chosen:
            from llmkb.vocab.vocabulary import entries

            higher = next((e.higher_is_better for e in entries("metric") if e.name == chosen), True)
        return Leaderboard(dataset, chosen, higher, [], 0, per_metric)
    metric_id, higher = metric_row[0], bool(metric_row[1])
    order = "DESC" if higher else "ASC"
    base = f"FROM result r WHERE r.dataset_id = ? AND r.metric_id = ? {model_sql}"
    params = [dataset_id, metric_id, *model_params]
    (total,) = conn.execute(f"SELECT count(*) {base}", params).fetchone()
    rows = conn.execute(
        "SELECT r.value, m.name, p.arxiv_id, p.id, p.title, r.setting, r.source "
        f"FROM (SELECT r.* {base} ORDER BY r.value {order}, r.id LIMIT ?) r "
        "JOIN paper p ON p.id = r.paper_id LEFT JOIN model m ON m.id = r.model_id "
        f"ORDER BY r.value {order}, r.id",
        [*params, -1 if limit is None else limit],
    ).fetchall()
    board: list[LeaderRow] = []
    for position, (value, model_label, arxiv_id, paper_id, title, setting, source) in enumerate(rows, 1):
        rank = board[-1].rank if board and board[-1].value == value else position
        board.append(LeaderRow(rank, value, model_label, paper_ref(arxiv_id, paper_id), title, setting, source))
    others = [(name, count) for name, count in per_metric if name != chosen]
    return Leaderboard(dataset, chosen, higher, board, total, others)
