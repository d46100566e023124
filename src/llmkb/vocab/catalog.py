"""Keeping the model, dataset and metric tables in step with the packaged vocabulary.

Every write that links papers starts with `load_vocabulary`, inside its own transaction, so a database
always has the rows its links point at, and a newer vocabulary (a new benchmark, a new spelling) reaches
an old database with its next import. Rows are matched by name: entries are added and their attributes
brought up to date, and nothing is ever deleted that carries links. A stored name that is not an entry
but now resolves to one (a name an import kept as written, before the vocabulary learnt it) is merged
into that entry: its links and results move over and the stray row goes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import insert, select, text, update
from sqlmodel import Session, SQLModel

from llmkb.store.schema import Dataset, Metric, Model, table_of

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

    from llmkb.vocab.vocabulary import Kind

TABLES: dict[Kind, type[SQLModel]] = {"metric": Metric, "dataset": Dataset, "model": Model}
# Where each kind's row ID is referenced, for merging a stray row into its entry: (table, column, is a link).
_REFERENCES = {
    "dataset": (("paper_dataset", "dataset_id", True), ("result", "dataset_id", False)),
    "model": (("paper_model", "model_id", True), ("result", "model_id", False)),
    "metric": (("result", "metric_id", False),),
}


@dataclass
class Catalog:
    """Row IDs by stored name, per kind, for the write that loaded the vocabulary."""

    ids: dict[Kind, dict[str, int]] = field(default_factory=dict)
    # rows kept as a list wrote them (resolved = false), by normalized name: reused, never duplicated
    unresolved: dict[Kind, dict[str, str]] = field(default_factory=dict)

    def id_of(self, kind: Kind, name: str) -> int:
        return self.ids[kind][name]

    def keep_as_written(self, session: Session, kind: Kind, name: str) -> str:
        """The stored name of an unresolved dataset or model, adding its row (resolved = false) if new."""
        from llmkb.vocab.names import normalize

        name = " ".join(name.split())
        key = normalize(name) or name.casefold()
        known = self.unresolved[kind].get(key)
        if known is not None:
            return known
        if name not in self.ids[kind]:
            table = TABLES[kind]
            added = cast(
                "CursorResult[Any]", session.execute(insert(table).values(name=name, resolved=False, aliases="[]"))
            )
            assert added.inserted_primary_key is not None  # a one-row INSERT has one
            self.ids[kind][name] = added.inserted_primary_key[0]
        self.unresolved[kind][key] = name
        return name


def _values(kind: Kind, record: dict) -> dict:
    values = {"name": record["name"], "aliases": json.dumps(record["aliases"], ensure_ascii=False)}
    if kind == "model":
        values.update(family=record["family"], size=record["size"], resolved=True)
    elif kind == "dataset":
        values.update(task=record["task"], usual_metric=record["metric"], resolved=True)
    else:
        values.update(higher_is_better=bool(record["higher_is_better"]))
    return values


def load_vocabulary(session: Session) -> Catalog:
    """Bring the three tables up to date with the vocabulary; returns their row IDs."""
    from llmkb.vocab.vocabulary import records

    catalog = Catalog()
    for kind, table in TABLES.items():
        stored = {row.name: row for row in session.execute(select(table_of(table)))}
        entries = [_values(kind, record) for record in records(kind)]
        new = [values for values in entries if values["name"] not in stored]
        changed = [
            {**values, "id": stored[values["name"]].id}
            for values in entries
            if values["name"] in stored
            and any(stored[values["name"]]._mapping[key] != value for key, value in values.items())
        ]
        if new:
            session.execute(insert(table), new)
        if changed:
            session.execute(update(table), changed)
        names = {values["name"] for values in entries}
        strays = [row for name, row in stored.items() if name not in names]
        if strays:
            _merge_strays(session, kind, strays)
        catalog.ids[kind] = {}
        catalog.unresolved[kind] = {}
        has_resolved = kind != "metric"
        columns = "id, name, resolved" if has_resolved else "id, name, 1"
        for row_id, name, resolved in session.execute(text(f"SELECT {columns} FROM {kind}")):
            catalog.ids[kind][name] = row_id
            if not resolved:
                from llmkb.vocab.names import normalize

                catalog.unresolved[kind][normalize(name) or name.casefold()] = name
    return catalog


def _merge_strays(session: Session, kind: Kind, strays: list) -> None:
    from llmkb.vocab.names import resolve

    targets = None
    for row in strays:
        canonical = resolve(kind, row.name).canonical
        if canonical is None or canonical == row.name:
            continue
        if targets is None:
            targets = dict(session.execute(text(f"SELECT name, id FROM {kind}")).all())
        into = targets.get(canonical)
        if into is None:
            continue
        params = {"old": row.id, "new": into}
        for table, column, is_link in _REFERENCES[kind]:
            verb = "UPDATE OR IGNORE" if is_link else "UPDATE"  # a link it already has is a duplicate
            session.execute(text(f"{verb} {table} SET {column} = :new WHERE {column} = :old"), params)
            if is_link:
                session.execute(text(f"DELETE FROM {table} WHERE {column} = :old"), params)
        session.execute(text(f"DELETE FROM {kind} WHERE id = :old"), params)
