"""The packaged vocabulary of datasets, metrics and models (src/llmkb/data/vocabulary.toml).

The vocabulary is data, not code, so that adding a benchmark or a model spelling is a one-line edit. It is
parsed on first use and kept for the life of the process: read commands that never resolve a name never
pay for it. Nothing here touches the database; the write path loads `records()` into the models, datasets
and metrics tables.
"""

from __future__ import annotations

import functools
import os
from typing import Literal, NamedTuple

Kind = Literal["dataset", "model", "metric"]
KINDS: tuple[Kind, ...] = ("dataset", "model", "metric")

# Keys an entry may carry, per section; anything else is a typo in the data file.
_FIELDS: dict[str, frozenset[str]] = {
    "dataset": frozenset({"task", "metric", "aliases", "case_sensitive"}),
    "model": frozenset({"family", "size", "aliases", "case_sensitive"}),
    "metric": frozenset({"higher_is_better", "aliases"}),
}


class Entry(NamedTuple):
    """One canonical dataset, metric or model and the other ways it is written."""

    kind: Kind
    name: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    size: str | None = None
    task: str | None = None
    metric: str | None = None
    higher_is_better: bool | None = None
    case_sensitive: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def as_record(self) -> dict:
        """The row this entry becomes in its table (aliases exclude the name itself)."""
        record: dict = {"name": self.name, "aliases": list(self.aliases)}
        if self.kind == "model":
            record.update(family=self.family, size=self.size)
        elif self.kind == "dataset":
            record.update(task=self.task, metric=self.metric)
        else:
            record.update(higher_is_better=self.higher_is_better)
        return record


def entries(kind: Kind) -> tuple[Entry, ...]:
    """Every entry of one kind, in file order."""
    return _load()[as_kind(kind)]


def records(kind: Kind) -> list[dict]:
    """The entries of one kind as plain dicts, ready to insert into the matching table."""
    return [entry.as_record() for entry in entries(kind)]


def as_kind(kind: str) -> Kind:
    """`kind` as a vocabulary kind; ValueError for any other text (callers may pass what a user typed)."""
    for known in KINDS:
        if kind == known:
            return known
    raise ValueError(f"unknown vocabulary kind {kind!r}; expected one of {', '.join(KINDS)}")


@functools.cache
def _load() -> dict[str, tuple[Entry, ...]]:
    # Reading beside this module costs nothing; importlib.resources (about 3 ms of imports) is only needed
    # when the package is not on the file system, e.g. inside a zip archive.
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "vocabulary.toml")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as file:
            text = file.read()
    else:
        import importlib.resources

        text = (importlib.resources.files("llmkb") / "data" / "vocabulary.toml").read_text("utf-8")
    return parse(text)


def parse(text: str) -> dict[str, tuple[Entry, ...]]:
    """Parse and check vocabulary TOML; a malformed file raises ValueError naming the bad entry."""
    import tomllib

    data = tomllib.loads(text)
    unknown = set(data) - set(_FIELDS)
    if unknown:
        raise ValueError(f"vocabulary: unknown section(s) {sorted(unknown)}")
    return {kind: tuple(_entry(kind, name, fields) for name, fields in data.get(kind, {}).items()) for kind in KINDS}


def _entry(kind: Kind, name: str, fields: object) -> Entry:
    where = f"vocabulary [{kind}] {name!r}"
    if not name.strip():
        raise ValueError(f"vocabulary [{kind}]: an entry has an empty name")
    if not isinstance(fields, dict):
        raise ValueError(f"{where}: expected an inline table")
    extra = set(fields) - _FIELDS[kind]
    if extra:
        raise ValueError(f"{where}: unknown key(s) {sorted(extra)}")
    aliases = fields.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError(f"{where}: aliases must be a list of non-empty strings")
    for key in ("family", "size", "task", "metric"):
        if key in fields and not isinstance(fields[key], str):
            raise ValueError(f"{where}: {key} must be a string")
    for key in ("higher_is_better", "case_sensitive"):
        if key in fields and not isinstance(fields[key], bool):
            raise ValueError(f"{where}: {key} must be true or false")
    if kind == "metric" and "higher_is_better" not in fields:
        raise ValueError(f"{where}: higher_is_better is required")
    return Entry(
        kind=kind,
        name=name,
        aliases=tuple(aliases),
        family=fields.get("family"),
        size=fields.get("size"),
        task=fields.get("task"),
        metric=fields.get("metric"),
        higher_is_better=fields.get("higher_is_better"),
        case_sensitive=fields.get("case_sensitive", False),
    )
