"""`llmkb db info` and `llmkb db check`."""

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.output import DetailFormat

db_app = typer.Typer(help="Inspect the database file.", no_args_is_help=True)


@db_app.command("info")
def db_info(ctx: typer.Context, fmt: DetailFormat = opt.DETAIL_FORMAT) -> None:
    """Where the database and the config file are, the schema revision and what the database holds.

    Examples:

    $ llmkb db info
    $ llmkb --db ~/papers.sqlite db info -f json
    """
    from llmkb.cli import output
    from llmkb.config import config_path

    with open_kb(ctx) as kb:
        data = kb.info()
    config = config_path()
    config_text = str(config) + ("" if config.is_file() else " (none yet)")
    if fmt is not None and fmt.value in ("json", "jsonl"):
        item = {
            "path": str(data.path),
            "revision": data.revision,
            "size_bytes": data.size_bytes,
            "counts": data.counts,
            "config": str(config),
        }
        if fmt.value == "json":
            output.print_json(item)
        else:
            output.print_jsonl([item])
        return
    pairs = [
        ("path", str(data.path)),
        ("config", config_text),
        ("revision", str(data.revision)),
        ("size", f"{data.size_bytes / 1024:.0f} KiB"),
    ]
    pairs += [(table + "s", str(count)) for table, count in data.counts.items()]
    output.detail(pairs, fmt)


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the database's integrity (exit 1 if anything is wrong).

    Examples:

    $ llmkb db check
    """
    from llmkb.cli import output

    with open_kb(ctx) as kb:
        problems = kb.check()
    if problems:
        for p in problems:
            err(f"problem: {p}")
        raise typer.Exit(1)
    output.say("ok")
