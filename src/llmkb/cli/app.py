"""The `llmkb` command: one Typer app, one module per command, and the one place errors become exit codes.

Commands are loaded lazily: a run imports and builds only the command it runs (`COMMANDS` names the
module of each), and `llmkb --help` lists them from the table without importing any, so start-up costs
what one command needs. Each command imports its own work lazily too, so read commands never load the
write stack (SQLModel, Alembic, arxiv, httpx). Commands raise `llmkb.errors` exceptions; `_App` turns them, usage
errors, Ctrl-C and a closed or full stdout into one line on stderr and an `ExitCode`, so no command
handles errors itself. `_App` also gives every command's help the same conventions (metavars that name
what to type, usage lines without Python types), whoever wrote the command.
"""

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from llmkb.errors import AmbiguousPaper, ExitCode, LlmkbError, set_notice_handler


def _say(message: str) -> None:
    from llmkb.cli.output import err

    err(message)


class _Argument(TyperArgument):
    """Usage reads `ID...`, `[WORDS]...`: the metavar, optional ones in brackets, repeatable ones with dots."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the metavar says what to type; a Python type would not

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required or name.startswith("[") else f"[{name}]"
        return name + ("..." if self.nargs != 1 and not name.rstrip("]").endswith("...") else "")


HELP_OPTIONS = ["-h", "--help"]


def _metavar(param: TyperOption) -> str:
    if param.is_flag or param.count:
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    annotation = desc.annotation
    if annotation in (int, float):
        return "N"
    if desc.is_path:
        return "PATH"
    return (param.name or "value").upper()


def reflow(text: str | None) -> str | None:
    """Help text as Typer's rich help shows it best: each prose paragraph on one line (the terminal wraps
    it), indented lines (examples) kept as they are."""
    if not text:
        return text
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if lines and all(line.startswith(("$ ", " ")) for line in lines):
            paragraphs.append(paragraph)
        else:
            paragraphs.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def polish(command: Any) -> Any:
    """Every parameter of `command` and its subcommands gets a metavar a person types (TAG, N, FILE), not
    a Python type; arguments use `_Argument`'s usage form; help paragraphs are reflowed. Idempotent."""
    command.help = reflow(command.help)
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument):
            if type(param) is TyperArgument:
                param.__class__ = _Argument
            if param.metavar is None:
                param.metavar = (param.name or "value").upper()
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = _metavar(param)
    help_option = command.get_help_option(typer.Context(command, help_option_names=HELP_OPTIONS))
    if help_option is not None:
        help_option.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        polish(sub)
    return command


COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module in llmkb.cli, attribute, the help's first paragraph as `llmkb --help` lists it)
    "search": (
        "search_cmd",
        "search",
        "Search papers by words in titles, abstracts, authors, notes and tags, with filters.",
    ),
    "show": ("show_cmd", "show", "Show papers: every field, tags, links, datasets, models and results."),
    "open": (
        "paper_cmd",
        "open_paper",
        "Open papers in the web browser: the arXiv page (or the paper's link), its PDF, or its code.",
    ),
    "edit": ("paper_cmd", "edit", "Edit a paper's fields as TOML in $VISUAL or $EDITOR (or the config file's editor)."),
    "note": (
        "paper_cmd",
        "note",
        "Add to a paper's note, or edit it in $VISUAL or $EDITOR. Notes are searched like titles.",
    ),
    "add": ("paper_cmd", "add", "Add a paper that is not on arXiv (for an arXiv paper, use llmkb import)."),
    "rm": ("paper_cmd", "rm", "Remove papers with their tags, links and results (asks first, unless -y)."),
    "import": (
        "import_cmd",
        "import_papers",
        "Import papers from arXiv by ID or link, by title, by search query, or from a BibTeX file.",
    ),
    "import-list": (
        "import_list_cmd",
        "import_list",
        "Import awesome lists: every paper they link, checked against arXiv, with its list section as tag.",
    ),
    "refresh": ("import_cmd", "refresh", "Re-fetch papers' metadata from arXiv and store what changed."),
    "tags": (
        "tags_cmd",
        "tags",
        "List tags: a tree with the number of papers under each on a terminal, `tag<TAB>papers` lines elsewhere.",
    ),
    "export": ("export_cmd", "export", "Export papers as md (an awesome list), bib, csv, json or jsonl."),
    "xref": ("xref_cmd", "xref", "Papers by the datasets, models and metrics they are linked to, with what matched."),
    "datasets": ("xref_cmd", "datasets", "Datasets with the number of papers linked to each, most used first."),
    "models": ("xref_cmd", "models", "Models with the number of papers linked to each, most used first."),
    "metrics": ("xref_cmd", "metrics", "Metrics with the number of papers that have results in each, most used first."),
    "leaderboard": (
        "xref_cmd",
        "leaderboard",
        "Results on one dataset, best first (higher accuracy, lower perplexity: the metric decides).",
    ),
    "link": ("link_cmd", "link", "Link papers to a dataset and/or model, optionally with a result."),
    "unlink": ("link_cmd", "unlink", "Remove links a list or you made (text links follow the paper's text)."),
    "import-results": (
        "link_cmd",
        "import_results",
        "Import results from a CSV file; bad rows are reported by line number, good rows kept.",
    ),
    "mark": ("reading_cmd", "mark", "Set the reading status of papers (the date is recorded)."),
    "queue": ("reading_cmd", "queue", "List the papers to read, the longest waiting first."),
    "feed": (
        "feed_cmd",
        "feed",
        "Papers the watches found that are not decided yet: newest day first, most relevant first in a day.",
    ),
    "triage": (
        "feed_cmd",
        "triage",
        "Walk the feed one paper at a time: k keep, s skip (dismiss), t tag, o open, n later, q quit.",
    ),
    "lint": (
        "lint_cmd",
        "lint",
        "Check awesome lists for wrong facts and broken structure: arXiv IDs and titles, dates, model and "
        "dataset names.",
    ),
    "tag": ("tags_cmd", "tag_app", "Tag papers, untag them, rename or merge tags."),
    "watch": ("watch_cmd", "watch_app", "Saved arXiv queries that bring new submissions in: add, ls, rm, edit, run."),
    "db": ("db_cmd", "db_app", "Inspect the database file."),
}


def load_command(name: str) -> Any:
    """The click command (or group) for one `COMMANDS` entry, built from its module, polished."""
    import importlib

    import typer.main

    module, attribute, _help = COMMANDS[name]
    target = getattr(importlib.import_module(f"llmkb.cli.{module}"), attribute)
    # Built inside a throwaway group, as `app` would build it: a Typer built alone becomes a top-level
    # program and grows --install-completion options of its own.
    holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    holder.callback()(_no_options)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)  # a Typer with a callback always builds a group
    return polish(group.commands[name])


def _no_options() -> None:
    """The throwaway group's callback: without one, a single command would not be built as a subcommand."""


class _App(TyperGroup):
    """The app's group: reports every error the same way, for real runs and for tests alike, and loads only
    the command a run needs."""

    _listing = False  # while the help lists the commands: their table entries are enough

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return typer.core.TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][2])
        self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
            return result
        except AmbiguousPaper as exc:
            _say(f"error: {exc}")
            records = getattr(exc, "records", None)
            if records:
                from llmkb.cli import render

                render.emit_papers(records, None, title="Candidates")
            raise typer.Exit(exc.exit_code) from None
        except LlmkbError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say("interrupted: " + ctx.meta.get("llmkb.interrupted", "nothing half-done was kept"))
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
                raise
            _quiet_stdout()
            _say(f"error: cannot write the output: {exc.strerror or exc}")
            raise typer.Exit(ExitCode.FAILURE) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,  # noqa: FBT001, FBT002  (Click's own signature)
        windows_expand_args: bool = True,  # noqa: FBT001, FBT002
        **extra: Any,
    ) -> Any:
        from llmkb.cli import output

        polish(self)
        output.set_color(True)
        no_color = os.environ.get("NO_COLOR")  # --no-color sets it for this run (help included)
        _safe_streams()
        previous = set_notice_handler(lambda message: _say(f"note: {message}"))
        try:
            code = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except typer.TyperException as exc:  # a usage error: unknown option, bad value, missing argument
            if type(exc).__name__ != "NoArgsIsHelpError":  # that one has printed the help already
                # Typer phrases a failed conversion "Value error, <reason>": the reason alone reads better
                _say(f"error: {exc.format_message().replace('Value error, ', '')}")
                command = getattr(getattr(exc, "ctx", None), "command_path", None) or "llmkb"
                _say(f"try '{command} --help'")
            code = exc.exit_code
        except typer.Abort:
            _say("interrupted")
            code = ExitCode.INTERRUPTED
        finally:
            set_notice_handler(previous)
            if no_color is None:
                os.environ.pop("NO_COLOR", None)
            else:
                os.environ["NO_COLOR"] = no_color
        code = int(code or 0) if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _safe_streams() -> None:
    """Output the terminal's encoding cannot show (`LANG=C`, `PYTHONIOENCODING=ascii`) is replaced, never a
    UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def _quiet_stdout() -> None:
    """After EPIPE or a full disk, like other Unix tools: no more output, no complaint when Python flushes."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


EPILOG = """Start here:

  llmkb search kv cache           find papers (typos are corrected)
  llmkb show 2403.03853           one paper, every field
  llmkb import 2401.15024         add papers from arXiv (or --bib FILE)
  llmkb tag add 2403.03853 todo   tag papers (llmkb tags shows the tree)
  llmkb export bib -t pruning     BibTeX, markdown, CSV or JSON

llmkb COMMAND --help shows more; llmkb --install-completion adds Tab completion."""

app = typer.Typer(
    name="llmkb",
    cls=_App,
    help="A knowledge base of research on large language models: papers, models, datasets, results.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTIONS},
)


def _version(value: bool) -> None:
    if value:
        from llmkb import __version__

        typer.echo(f"llmkb {__version__}")
        raise typer.Exit()


def _no_color(value: bool) -> None:
    if value:
        from llmkb.cli import output

        output.set_color(False)
        os.environ["NO_COLOR"] = "1"  # what rich, and so Typer's help, reads


@app.callback()
def main_options(
    db: str = typer.Option(
        None,
        "--db",
        metavar="FILE",
        help="Database file (default: $LLMKB_DB, else the config file's db, else llmkb.sqlite in the user "
        "data folder).",
    ),
    no_color: bool = typer.Option(
        False, "--no-color", callback=_no_color, is_eager=True, help="No colours (also NO_COLOR=1)."
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """A knowledge base of research on large language models."""


def click_app() -> Any:
    """The app as a click command tree with every command loaded (for documentation and tests)."""
    group = polish(typer.main.get_command(app))
    for name in COMMANDS:
        group.get_command(None, name)
    return group


def main() -> None:
    app(prog_name="llmkb")
