"""`llmkb watch add|ls|rm|edit|run`: saved arXiv queries, and running them (daily, from cron or a timer)."""

from __future__ import annotations

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.output import Format
from llmkb.errors import UsageError

watch_app = typer.Typer(
    help="Saved arXiv queries that bring new submissions in: add, ls, rm, edit, run.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CATEGORY = typer.Option(
    None, "--category", "-c", metavar="CAT", help="Limit to this arXiv category, e.g. cs.CL (repeatable: any of them)."
)
TAG = typer.Option(None, "--tag", "-t", metavar="TAG", help="Tag every paper it brings in (repeatable).")
FORMAT = typer.Option("text", "--format", "-f", help="text or json.")
LISTED = 20  # papers a run names per watch; the feed has them all


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")


@watch_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A short name for the watch, e.g. kv-cache."),
    query: str = typer.Argument(..., help='An arXiv query: ti:, abs:, au:, cat:, AND, OR, ANDNOT, "phrases".'),
    category: list[str] = CATEGORY,
    tag: list[str] = TAG,
) -> None:
    """Save an arXiv query to run with `llmkb watch run` (arXiv's syntax: ti:, abs:, au:, cat:, AND, OR).

    Examples:

    $ llmkb watch add kv-cache 'abs:"KV cache" AND (ti:compression OR ti:quantization)' -c cs.CL -t kv-cache
    $ llmkb watch add distillation 'ti:distillation AND abs:"language model"' -c cs.CL -c cs.LG
    """
    with open_kb(ctx, create=True) as kb:
        watch = kb.watch_add(name, query, categories=category or (), tags=tag or ())
    tags = f"; tags {', '.join(watch.tags)}" if watch.tags else ""
    print(f"watch {watch.name}: {watch.arxiv_query}{tags}")
    err(f"run it with: llmkb watch run {watch.name}")


@watch_app.command("ls")
def ls(
    ctx: typer.Context,
    names: list[str] = typer.Argument(None, metavar="NAME", help="Only these watches."),
    fmt: Format = opt.FORMAT,
) -> None:
    """List the watches: query, tags, last run, papers found and still in the feed.

    Examples:

    $ llmkb watch ls
    $ llmkb watch ls -f json
    """
    with open_kb(ctx) as kb:
        watches = kb.watch_list(names or ())
    from llmkb.cli import output

    rows = output.Rows(
        [
            output.Column("Name", wrap=False, style="cyan"),
            output.Column("Query", ratio=3),
            output.Column("Tags", ratio=1, style="green"),
            output.Column("Last run (UTC)", wrap=False, key="last_run"),
            output.Column("Found", wrap=False, justify="right"),
            output.Column("In feed", wrap=False, justify="right", key="waiting"),
        ],
        [
            [
                w.name,
                w.arxiv_query,
                list(w.tags),
                (w.last_run or "never")[:16].replace("T", " "),
                str(w.found),
                str(w.waiting),
            ]
            for w in watches
        ],
    )
    data = [w.as_dict() for w in watches]
    empty = "No watches yet. Add one: llmkb watch add NAME QUERY [-c CATEGORY] [-t TAG]"
    output.emit(rows, fmt, data=lambda: data, items=lambda: data, empty=empty)


@watch_app.command("rm")
def rm(
    ctx: typer.Context,
    names: list[str] = typer.Argument(..., metavar="NAME", help="The watches to remove."),
) -> None:
    """Remove watches; the papers they brought in stay, with their reading status.

    Examples:

    $ llmkb watch rm kv-cache
    """
    with open_kb(ctx) as kb:
        removed = kb.watch_remove(names)
    for r in removed:
        line = f"removed watch {r.name}; the {r.found} papers it found stay"
        if r.still_new:
            line += f" ({r.still_new} still new: llmkb search --status new)"
        print(line)


@watch_app.command("edit")
def edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The watch to change."),
    query: str = typer.Option(None, "--query", "-q", metavar="QUERY", help="A new arXiv query."),
    category: list[str] = typer.Option(
        None, "--category", "-c", metavar="CAT", help="Replace the categories (repeatable)."
    ),
    all_categories: bool = typer.Option(False, "--all-categories", help="Drop the categories: any category."),
    tag: list[str] = typer.Option(None, "--tag", "-t", metavar="TAG", help="Replace the tags (repeatable)."),
    no_tags: bool = typer.Option(False, "--no-tags", help="Give the papers it brings in no tag."),
    rename: str = typer.Option(None, "--rename", metavar="NEW", help="A new name."),
    restart: bool = typer.Option(
        False, "--restart", help="Forget how far it has read: the next run looks back --days again."
    ),
) -> None:
    """Change a watch; a new query or new categories make its next run look back as a first run does.

    Examples:

    $ llmkb watch edit kv-cache --query 'abs:"KV cache"' --all-categories
    $ llmkb watch edit kv-cache --rename kv-cache-compression
    """
    if category and all_categories:
        raise UsageError("--category and --all-categories contradict each other")
    if tag and no_tags:
        raise UsageError("--tag and --no-tags contradict each other")
    categories = [] if all_categories else (category or None)
    tags = [] if no_tags else (tag or None)
    with open_kb(ctx) as kb:
        edited = kb.watch_edit(name, query=query, categories=categories, tags=tags, rename=rename, restart=restart)
    w = edited.watch
    tags_text = f"; tags {', '.join(w.tags)}" if w.tags else ""
    print(f"watch {w.name}: {w.arxiv_query}{tags_text}")
    if edited.restarted:
        err("note: its next run looks back --days (default 7) as a first run does; nothing it found comes twice")


@watch_app.command("run")
def run(
    ctx: typer.Context,
    names: list[str] = typer.Argument(None, metavar="NAME", help="Run these watches (default: all)."),
    days: int = typer.Option(None, "--days", metavar="N", help="How far back a first run looks (default 7)."),
    max_results: int = typer.Option(
        None, "--max", metavar="N", help="At most this many papers per watch and run (default 1000)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing unless something fails (for cron)."),
    fmt: str = FORMAT,
) -> None:
    """Ask arXiv for each watch's new submissions and store them as `new`.

    Examples:

    $ llmkb watch run
    $ llmkb watch run kv-cache --days 14
    $ llmkb watch run --quiet          # for cron: silent unless something went wrong
    """
    _check_format(fmt)
    failed = False

    def show(result) -> None:
        nonlocal failed
        failed |= result.error is not None
        if fmt == "text":
            _print_run(result, quiet=quiet)

    with open_kb(ctx) as kb:
        results = kb.watch_run(names or (), days=days, max_results=max_results, on_done=show)
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json([r.as_dict() for r in results])
    if not results and fmt == "text" and not quiet:
        err("No watches yet. Add one: llmkb watch add NAME QUERY [-c CATEGORY] [-t TAG]")
    if failed:
        raise typer.Exit(1)


def _print_run(result, *, quiet: bool) -> None:
    if result.error is not None:
        got = f"{len(result.new)} new kept" if result.new else "nothing stored"
        err(f"error: {result.name}: {result.error}; {got}, the next run resumes from there")
    if result.truncated:
        err(f"note: {result.name}: stopped at --max papers; older submissions were not fetched")
    if quiet:
        return
    parts = [f"{len(result.new)} new" if result.new else "nothing new"]
    if result.known:
        parts.append(f"{len(result.known)} already stored")
    requests = f"{result.requests} request" + ("s" if result.requests != 1 else "")
    print(f"{result.name}: {', '.join(parts)} ({requests})")
    listed = [(i, t, "") for i, t in result.new] + [(i, t, "  (already stored)") for i, t in result.known]
    for paper_id, title, remark in listed[:LISTED]:
        print(f"  {paper_id}  {' '.join(title.split())}{remark}")
    if len(listed) > LISTED:
        print(f"  and {len(listed) - LISTED} more (llmkb feed {result.name})")
