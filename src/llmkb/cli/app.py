"""The `llmkb` command: one Typer app; each command lives in its own module and imports its work lazily,
so `llmkb --help` and read commands never load the write stack (SQLModel, Alembic, arxiv, httpx)."""

from __future__ import annotations

from pathlib import Path

import typer

from llmkb.cli import (
    db_cmd,
    export_cmd,
    import_cmd,
    import_list_cmd,
    link_cmd,
    search_cmd,
    show_cmd,
    tags_cmd,
    xref_cmd,
)

app = typer.Typer(
    name="llmkb",
    help="A knowledge base of research on large language models: papers, models, datasets, results.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from llmkb import __version__

        typer.echo(f"llmkb {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Path = typer.Option(
        None,
        "--db",
        metavar="PATH",
        help="Database file (default: $LLMKB_DB, else llmkb.sqlite in the user data folder).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """A knowledge base of research on large language models."""


app.command("search")(search_cmd.search)
app.command("show")(show_cmd.show)
app.command("import")(import_cmd.import_papers)
app.command("import-list")(import_list_cmd.import_list)
app.command("refresh")(import_cmd.refresh)
app.command("tags")(tags_cmd.tags)
app.command("export")(export_cmd.export)
app.command("xref")(xref_cmd.xref)
app.command("datasets")(xref_cmd.datasets)
app.command("models")(xref_cmd.models)
app.command("metrics")(xref_cmd.metrics)
app.command("leaderboard")(xref_cmd.leaderboard)
app.command("link")(link_cmd.link)
app.command("unlink")(link_cmd.unlink)
app.command("import-results")(link_cmd.import_results)
app.add_typer(tags_cmd.tag_app, name="tag")
app.add_typer(db_cmd.db_app, name="db")


def main() -> None:
    app()
