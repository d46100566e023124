"""`llmkb db info` and `llmkb db check`."""

from __future__ import annotations

import typer

from llmkb.cli.common import err, open_kb, out_console

db_app = typer.Typer(help="Inspect the database file.", no_args_is_help=True)


@db_app.command("info")
def db_info(ctx: typer.Context, fmt: str = typer.Option("text", "--format", "-f", help="text or json.")) -> None:
    """Where the database is, its schema revision and what it holds."""
    with open_kb(ctx) as kb:
        data = kb.info()
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json(
            {"path": str(data.path), "revision": data.revision, "size_bytes": data.size_bytes, "counts": data.counts}
        )
        return
    console = out_console()
    console.print(f"path      {data.path}")
    console.print(f"revision  {data.revision}")
    console.print(f"size      {data.size_bytes / 1024:.0f} KiB")
    for table, count in data.counts.items():
        console.print(f"{table + 's':<10}{count}")


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the database's integrity (exit 1 if anything is wrong)."""
    with open_kb(ctx) as kb:
        problems = kb.check()
    if problems:
        for p in problems:
            err(f"problem: {p}")
        raise typer.Exit(1)
    out_console().print("ok")
