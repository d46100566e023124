"""The paper filters every listing command offers (search, export, xref), declared once.

Typer reads options from parameter defaults; sharing these objects keeps the flags, their short forms and
their help identical across commands, and `paper_query` turns them into the one `PaperQuery`.
"""

from __future__ import annotations

from typing import Any

import typer

TAG = typer.Option([], "--tag", "-t", metavar="TAG", help="Only papers with this tag (repeatable: all must match).")
NOT_TAG = typer.Option([], "--not-tag", "-T", metavar="TAG", help="Leave out papers with this tag (repeatable).")
AUTHOR = typer.Option(None, "--author", "-a", metavar="NAME", help="Only papers by this author (typos tolerated).")
YEAR = typer.Option(None, "--year", metavar="YYYY", help="Only papers of this year.")
SINCE = typer.Option(None, "--since", metavar="YYYY[-MM]", help="Only papers from YYYY or YYYY-MM on.")
UNTIL = typer.Option(None, "--until", metavar="YYYY[-MM]", help="Only papers up to YYYY or YYYY-MM.")
CATEGORY = typer.Option(None, "--category", metavar="CAT", help="Only papers in this arXiv category, e.g. cs.CL.")
DATASET = typer.Option(
    [], "--dataset", "-d", metavar="NAME", help="Only papers linked to this dataset (repeatable: to all of them)."
)
MODEL = typer.Option(
    [], "--model", "-m", metavar="NAME", help="Only papers linked to this model (repeatable: to all of them)."
)

ORDER = typer.Option(
    None,
    "--order",
    metavar="ORDER",
    help="rank (with words), newest, oldest, title or added (the order papers were stored).",
)
FLAGGED = typer.Option(False, "--flagged", help="Only papers whose list and arXiv disagree (see `show`).")
UNVERIFIED = typer.Option(False, "--unverified", help="Only arXiv papers arXiv has not confirmed yet.")
STATUS = typer.Option(
    None,
    "--status",
    metavar="STATUS",
    help="Only papers with this reading status (new, to-read, reading, read, dismissed).",
)


def paper_query(**options: Any):
    """The `PaperQuery` for the shared options (and any other `PaperQuery` field given by keyword)."""
    from llmkb.query import PaperQuery

    renames = {"tag": "tags", "not_tag": "not_tags", "dataset": "datasets", "model": "models"}
    fields = {renames.get(name, name): value for name, value in options.items()}
    for name in ("tags", "not_tags", "datasets", "models"):
        fields[name] = list(fields.get(name) or [])
    return PaperQuery(**fields)
