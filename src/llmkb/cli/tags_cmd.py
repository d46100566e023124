"""`llmkb tags` (the tag tree with paper counts) and `llmkb tag add|rm ID TAG...`."""

from __future__ import annotations

import typer

from llmkb.cli.common import open_kb, out_console

tag_app = typer.Typer(help="Add or remove tags on a paper.", no_args_is_help=True)


def tags(
    ctx: typer.Context,
    fmt: str = typer.Option("tree", "--format", "-f", help="tree or json."),
) -> None:
    """List tags as a tree, with the number of papers under each."""
    from llmkb.errors import UsageError

    if fmt not in ("tree", "json"):
        raise UsageError(f"--format takes tree or json, not {fmt!r}")
    with open_kb(ctx) as kb:
        if fmt == "json":
            from llmkb.cli.render import print_json

            print_json([{"tag": name, "papers": count} for name, count in kb.tag_counts()])
            return
        root = kb.tags()
    if not root.children:
        out_console().print("No tags yet.")
        return
    from rich.tree import Tree

    tree = Tree("tags", hide_root=True)

    def add(branch, node) -> None:
        for child in sorted(node.children.values(), key=lambda n: (-n.count, n.name)):
            add(branch.add(f"{child.name} [dim]({child.count})[/dim]"), child)

    add(tree, root)
    out_console().print(tree)


@tag_app.command("add")
def tag_add(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="The paper: arXiv ID, kb-N or title."),
    names: list[str] = typer.Argument(..., help="Tags to add (paths like compression/pruning)."),
) -> None:
    """Tag a paper."""
    with open_kb(ctx, create=True) as kb:
        change = kb.tag(paper, add=names)
    _report(change, "tagged", "already tagged")


@tag_app.command("rm")
def tag_rm(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="The paper: arXiv ID, kb-N or title."),
    names: list[str] = typer.Argument(..., help="Tags to remove."),
) -> None:
    """Remove tags from a paper."""
    with open_kb(ctx, create=True) as kb:
        change = kb.tag(paper, remove=names)
    _report(change, "untagged", "did not have")


def _report(change, done_verb: str, skipped_verb: str) -> None:
    console = out_console()
    if change.changed:
        console.print(f"{change.paper}: {done_verb} {', '.join(change.changed)}")
    if change.unchanged:
        console.print(f"{change.paper}: {skipped_verb} {', '.join(change.unchanged)}")
