"""Options and arguments every command shares, declared once: the same flags, short forms, metavars, help
and completion everywhere (`-t/--tag`, `-T/--not-tag`, `-d/--dataset`, `-m/--model`, `-a/--author`,
`-n/--limit`, `-f/--format`, `-o/--output`, `-y/--yes`), and `paper_query` to turn them into the one
`PaperQuery`.

Typer reads options from parameter defaults, so sharing these objects is sharing the declaration. Numbers
are parsed here, ASCII digits only: `--year ２０２４` is refused rather than read as 2024.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import typer

from llmkb.cli import complete
from llmkb.cli.output import SummaryFormat

BIG = 2**62  # a --limit this large means "no limit" (SQLite's integers are 64-bit)


def _digits(text: str | int) -> int:
    if isinstance(text, int):  # a default value, already a number
        return text
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()):
        raise typer.BadParameter(f"{text!r} is not a whole number (digits 0-9)")
    if len(stripped) > 30:
        return BIG
    return int(stripped)


def parse_count(text: str) -> int:
    """A count such as --limit: digits only, at least 1; huge values mean no limit."""
    value = _digits(text)
    if value < 1:
        raise typer.BadParameter(f"{text!r} is less than 1")
    return min(value, BIG)


def parse_columns(text: str) -> int:
    return min(_digits(text), BIG)


def parse_year(text: str) -> int:
    value = _digits(text)
    if not 1000 <= value <= 9999:
        raise typer.BadParameter(f"{text!r} is not a four-digit year")
    return value


def parse_seconds(text: str | float) -> float:
    if isinstance(text, int | float):
        return float(text)
    stripped = text.strip()
    try:
        if not stripped.isascii():
            raise ValueError
        value = float(stripped)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= 86400:
        raise typer.BadParameter(f"{text!r} is not between 0 and 86400 seconds")
    return value


def limit_value(limit: int | None, every: bool) -> int | None:
    """The limit to ask for: None for --all (or a limit too large to matter)."""
    if every or limit is None or limit >= BIG:
        return None
    return limit


def note_more(ctx: typer.Context, shown: int | None, what: str, *, total: int | None = None) -> None:
    """Says that more rows match than the limit let through: always when the total is known ("8 of 22"),
    else only when the limit is the default one (not when -n was given on purpose)."""
    from llmkb.cli.output import err

    source = ctx.get_parameter_source("limit")
    if total is not None:
        err(f"note: showing {shown} of {total} {what} (-n N shows more, --all every one)")
    elif source is None or source.name in ("DEFAULT", "DEFAULT_MAP"):
        err(f"note: showing the first {shown} {what} (-n N shows more, --all every one)")


class Role(str, Enum):
    evaluation = "evaluation"
    calibration = "calibration"
    fine_tuning = "fine-tuning"
    pre_training = "pre-training"
    uses = "uses"
    proposes = "proposes"


class Source(str, Enum):
    list = "list"
    user = "user"
    text = "text"


# --- the papers a command works on ------------------------------------------------------------------------

WORDS = typer.Argument(None, metavar="WORDS", help="Words to search for (the rest of the line; no quotes needed).")
PAPERS = typer.Argument(
    ...,
    metavar="ID",
    help="Papers: arXiv IDs or links in any form, kb-N, or a title; - reads IDs from standard input.",
    autocompletion=complete.papers,
)
OPTIONAL_PAPERS = typer.Argument(
    None,
    metavar="ID",
    help="Papers: arXiv IDs or links in any form, kb-N; - reads IDs from standard input.",
    autocompletion=complete.papers,
)
PAPER = typer.Argument(
    ..., metavar="ID", help="The paper: an arXiv ID or link, kb-N, or its title.", autocompletion=complete.papers
)

# --- filters ----------------------------------------------------------------------------------------------

TAG = typer.Option(
    [],
    "--tag",
    "-t",
    metavar="TAG",
    help="Only papers with this tag (repeatable: all must match).",
    autocompletion=complete.tags,
)
NOT_TAG = typer.Option(
    [],
    "--not-tag",
    "-T",
    metavar="TAG",
    help="Leave out papers with this tag (repeatable).",
    autocompletion=complete.tags,
)
AUTHOR = typer.Option(None, "--author", "-a", metavar="NAME", help="Only papers by this author (typos tolerated).")
YEAR = typer.Option(None, "--year", metavar="YYYY", parser=parse_year, help="Only papers of this year.")
SINCE = typer.Option(None, "--since", metavar="YYYY[-MM]", help="Only papers from YYYY or YYYY-MM on.")
UNTIL = typer.Option(None, "--until", metavar="YYYY[-MM]", help="Only papers up to YYYY or YYYY-MM.")
CATEGORY = typer.Option(None, "--category", metavar="CAT", help="Only papers in this arXiv category, e.g. cs.CL.")
DATASET = typer.Option(
    [],
    "--dataset",
    "-d",
    metavar="DATASET",
    help="Only papers linked to this dataset (repeatable: to all of them).",
    autocompletion=complete.datasets,
)
MODEL = typer.Option(
    [],
    "--model",
    "-m",
    metavar="MODEL",
    help="Only papers linked to this model (repeatable: to all of them).",
    autocompletion=complete.models,
)
METRIC = typer.Option(None, "--metric", metavar="METRIC", help="Only papers with results in this metric.")
ROLE = typer.Option(
    None,
    "--role",
    metavar="ROLE",
    case_sensitive=False,
    help="Links in this role only: evaluation, calibration, fine-tuning, pre-training (datasets); uses, "
    "proposes (models).",
)
SOURCE = typer.Option(None, "--source", case_sensitive=False, help="Links from this source only.")
FLAGGED = typer.Option(False, "--flagged", help="Only papers whose list and arXiv disagree (see `show`).")
UNVERIFIED = typer.Option(False, "--unverified", help="Only arXiv papers arXiv has not confirmed yet.")
STATUS = typer.Option(
    None,
    "--status",
    metavar="STATUS",
    help="Only papers with this reading status (new, to-read, reading, read, dismissed).",
)
ORDER = typer.Option(
    None,
    "--order",
    metavar="ORDER",
    help="rank (with words), newest, oldest, title or added (the order papers were stored).",
)

# --- how much, how, where ---------------------------------------------------------------------------------

LIMIT = typer.Option(20, "--limit", "-n", metavar="N", parser=parse_count, help="Show at most N.")
ALL = typer.Option(False, "--all", help="Show every match (no limit).")
FORMAT = typer.Option(
    None,
    "--format",
    "-f",
    case_sensitive=False,
    help="table, tsv, csv, json, jsonl, ids or md (default: table on a terminal, tsv into a pipe).",
)
DETAIL_FORMAT = typer.Option(
    None, "--format", "-f", case_sensitive=False, help="table, tsv, json or jsonl (default: table on a terminal)."
)
SUMMARY_FORMAT = typer.Option(
    SummaryFormat.text, "--format", "-f", case_sensitive=False, help="text, or json for scripts."
)
OUTPUT = typer.Option(
    None, "--output", "-o", metavar="FILE", help="Write to FILE, complete or not at all (default: stdout)."
)
YES = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")
MAX_WAIT = typer.Option(
    None,
    "--max-wait",
    metavar="SECONDS",
    parser=parse_seconds,
    help="Give up once arXiv has made us wait this long in total (also LLMKB_ARXIV_MAX_WAIT).",
)


def paper_query(**options: Any):
    """The `PaperQuery` for the shared options (and any other `PaperQuery` field given by keyword)."""
    from llmkb.query import PaperQuery

    renames = {"tag": "tags", "not_tag": "not_tags", "dataset": "datasets", "model": "models"}
    fields = {renames.get(name, name): value for name, value in options.items()}
    for name in ("tags", "not_tags", "datasets", "models"):
        fields[name] = list(fields.get(name) or [])
    for name in ("role", "link_source"):
        if isinstance(fields.get(name), Enum):
            fields[name] = fields[name].value
    if isinstance(fields.get("text"), list):
        fields["text"] = " ".join(fields["text"]) or None
    return PaperQuery(**fields)
