"""The paper filters every listing command offers (search, export, xref), declared once.

Typer reads options from parameter defaults; sharing these objects keeps the flags, their short forms and
their help identical across commands, and `paper_filter` turns them into the services' `PaperFilter`.
"""

from __future__ import annotations

import typer

TAG = typer.Option([], "--tag", "-t", help="Only papers with this tag (repeatable: all must match).")
NOT_TAG = typer.Option([], "--not-tag", "-T", help="Leave out papers with this tag (repeatable).")
AUTHOR = typer.Option(None, "--author", help="Only papers by this author (typos tolerated).")
YEAR = typer.Option(None, "--year", help="Only papers of this year.")
SINCE = typer.Option(None, "--since", help="Only papers from YYYY or YYYY-MM on.")
UNTIL = typer.Option(None, "--until", help="Only papers up to YYYY or YYYY-MM.")
CATEGORY = typer.Option(None, "--category", help="Only papers in this arXiv category, e.g. cs.CL.")
DATASET = typer.Option([], "--dataset", help="Only papers linked to this dataset (repeatable).")
MODEL = typer.Option([], "--model", help="Only papers linked to this model (repeatable).")


def paper_filter(*, tag, not_tag, author, year, since, until, category, dataset=(), model=(), **links):
    from llmkb.query import PaperFilter

    return PaperFilter(
        tags=list(tag),
        not_tags=list(not_tag),
        author=author,
        year=year,
        since=since,
        until=until,
        category=category,
        datasets=list(dataset),
        models=list(model),
        **links,
    )
