"""The `llmkb` command: one Typer app, one module per command, and the one place errors become exit codes.

Each command imports its work lazily, so `llmkb --help` and read commands never load the write stack
(SQLModel, Alembic, arxiv, httpx). Commands raise `llmkb.errors` exceptions; `_App` turns them, usage
errors and Ctrl-C into one line on stderr and an `ExitCode`, so no command handles errors itself.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from llmkb.cli import (
    db_cmd,
    export_cmd,
    feed_cmd,
    import_cmd,
    import_list_cmd,
    link_cmd,
    lint_cmd,
    reading_cmd,
    search_cmd,
    show_cmd,
    tags_cmd,
    watch_cmd,
    xref_cmd,
)
from llmkb.errors import ExitCode, LlmkbError, set_notice_handler


def _say(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


class _App(TyperGroup):
    """The app's group: reports every error the same way, for real runs and for tests alike."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LlmkbError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say("interrupted: nothing half-done was kept")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(ExitCode.OK) from None

    def main(
        self,
        args: Any = None,
        prog_name: Any = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        previous = set_notice_handler(lambda message: _say(f"note: {message}"))
        try:
            code = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
        except typer.TyperException as exc:  # a usage error: unknown option, bad value, missing argument
            _say(f"error: {exc.format_message()}")
            command = getattr(getattr(exc, "ctx", None), "command_path", None) or "llmkb"
            _say(f"try '{command} --help'")
            code = exc.exit_code
        except typer.Abort:
            _say("interrupted")
            code = ExitCode.INTERRUPTED
        finally:
            set_notice_handler(previous)
        code = int(code or 0) if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _quiet_stdout() -> None:
    """After EPIPE, like other Unix tools: no more output, no complaint when Python flushes at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    name="llmkb",
    cls=_App,
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
app.command("mark")(reading_cmd.mark)
app.command("queue")(reading_cmd.queue)
app.command("feed")(feed_cmd.feed)
app.command("triage")(feed_cmd.triage)
app.command("lint")(lint_cmd.lint)
app.add_typer(tags_cmd.tag_app, name="tag")
app.add_typer(watch_cmd.watch_app, name="watch")
app.add_typer(db_cmd.db_app, name="db")


def main() -> None:
    app()
