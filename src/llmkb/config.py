"""The user's settings file: defaults that would otherwise be typed on every command line.

`config.toml` in the platform's config folder (`platformdirs.user_config_dir("llmkb")`, e.g.
`~/.config/llmkb/config.toml`), or the file `LLMKB_CONFIG` names. Every key is optional:

    db = "~/papers/llmkb.sqlite"   # the database (a relative path is relative to this file)
    arxiv_delay = 3                # seconds between arXiv requests
    editor = "nvim"                # for `llmkb edit` and `llmkb note`

    [export]
    columns = ["title", "venue", "year", "code"]   # `export md --columns`
    group_by = "year"                                 # `export md --group-by`

A value on the command line wins over the environment (LLMKB_DB, LLMKB_ARXIV_DELAY, VISUAL/EDITOR), which
wins over this file, which wins over the built-in default. A missing file is no error; a file that is not
valid TOML, or a key with a value of the wrong kind, is one line naming the file. Standard library and
platformdirs only: read commands load this when they need the default database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmkb.errors import InputError

ENV = "LLMKB_CONFIG"
EXPORT_COLUMNS = ("title", "venue", "year", "authors", "code", "note")
GROUP_BY = ("tag", "year", "venue", "none")


@dataclass(frozen=True)
class Config:
    path: Path
    exists: bool = False
    db: Path | None = None
    arxiv_delay: float | None = None
    editor: str | None = None
    export_columns: list[str] | None = None
    export_group_by: str | None = None
    unknown: list[str] = field(default_factory=list)


def config_path() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("llmkb", appauthor=False)) / "config.toml"


def load() -> Config:
    """The settings in effect."""
    return _load(config_path())


def _load(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path)
    except IsADirectoryError:
        raise InputError(f"config {path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read config {path}: {exc.strerror or exc}") from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"config {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config {path}: {exc}") from None
    return _parse(path, data)


def _parse(path: Path, data: dict[str, Any]) -> Config:
    def wrong(key: str, wanted: str) -> InputError:
        return InputError(f"config {path}: {key} must be {wanted}")

    values: dict[str, Any] = {}
    unknown = [key for key in data if key not in ("db", "arxiv_delay", "editor", "export")]
    if "db" in data:
        if not isinstance(data["db"], str) or not data["db"].strip():
            raise wrong("db", "a path (a string)")
        db = Path(data["db"]).expanduser()
        values["db"] = db if db.is_absolute() else Path(os.path.normpath(path.parent / db))
    if "arxiv_delay" in data:
        delay = data["arxiv_delay"]
        if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 60:
            raise wrong("arxiv_delay", "a number of seconds from 0 to 60")
        values["arxiv_delay"] = float(delay)
    if "editor" in data:
        if not isinstance(data["editor"], str) or not data["editor"].strip():
            raise wrong("editor", "a command (a string)")
        values["editor"] = data["editor"]
    export = data.get("export", {})
    if not isinstance(export, dict):
        raise wrong("export", "a table ([export])")
    unknown += [f"export.{key}" for key in export if key not in ("columns", "group_by")]
    if "columns" in export:
        columns = export["columns"]
        if isinstance(columns, str):
            columns = [c.strip() for c in columns.split(",") if c.strip()]
        if not isinstance(columns, list) or not columns or any(c not in EXPORT_COLUMNS for c in columns):
            raise wrong("export.columns", f"a list of {', '.join(EXPORT_COLUMNS)}")
        values["export_columns"] = list(columns)
    if "group_by" in export:
        if export["group_by"] not in GROUP_BY:
            raise wrong("export.group_by", f"one of {', '.join(GROUP_BY)}")
        values["export_group_by"] = export["group_by"]
    return Config(path, exists=True, unknown=unknown, **values)


@contextmanager
def arxiv_settings(*, max_wait: float | None = None) -> Iterator[None]:
    """For the length of one command: the config's arxiv_delay (unless LLMKB_ARXIV_DELAY is set) and a
    --max-wait from the command line, as the arXiv client reads them (its environment variables)."""
    wanted: dict[str, str] = {}
    delay = load().arxiv_delay
    if delay is not None and not os.environ.get("LLMKB_ARXIV_DELAY"):
        wanted["LLMKB_ARXIV_DELAY"] = f"{delay:g}"
    if max_wait is not None:
        wanted["LLMKB_ARXIV_MAX_WAIT"] = f"{max_wait:g}"
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
