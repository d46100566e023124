"""`llmkb tags` (the tag tree with paper counts) and `llmkb tag add|rm|rename|merge`."""

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import open_kb
from llmkb.cli.output import Format

tag_app = typer.Typer(help="Tag papers, untag them, rename or merge tags.", no_args_is_help=True)


def tags(ctx: typer.Context, fmt: Format = opt.FORMAT) -> None:
    """List tags: a tree with the number of papers under each on a terminal, `tag<TAB>papers` lines elsewhere.

    Examples:

    $ llmkb tags
    $ llmkb tags -f json
    """
    from llmkb.cli import output
    from llmkb.cli.output import Column, Rows

    fmt = output.resolve(fmt)
    with open_kb(ctx) as kb:
        if fmt is not Format.table:
            counts = kb.tag_counts()
            output.emit(
                Rows(
                    [Column("Tag", key="tag"), Column("Papers", wrap=False, justify="right")],
                    [[n, str(c)] for n, c in counts],
                ),
                fmt,
                data=lambda: [{"tag": name, "papers": count} for name, count in counts],
                items=lambda: [{"tag": name, "papers": count} for name, count in counts],
                empty="No tags yet.",
            )
            return
        root = kb.tags()
    if not root.children:
        output.err("No tags yet.")
        return
    from rich.text import Text
    from rich.tree import Tree

    tree = Tree("tags", hide_root=True)

    def add(branch, node) -> None:
        for child in sorted(node.children.values(), key=lambda n: (-n.count, n.name)):
            label = Text(output.clean(child.name))
            label.append(f" ({child.count})", style="dim" if output.color_enabled() else None)
            add(branch.add(label), child)

    add(tree, root)
    output.console().print(tree)


_PAPERS_AND_TAGS = typer.Argument(
    ...,
    metavar="ID... TAG...",
    help="Papers (IDs, kb-N, or - for IDs on standard input; a title only as the one paper), then tags "
    "(paths like compression/pruning).",
    autocompletion=complete.tags,
)


def _split(items: list[str]) -> tuple[list[str], list[str]]:
    """Leading items that name papers by ID (or -) are papers, the rest tags; with no ID, the first item is
    the paper (a title)."""
    from llmkb.errors import UsageError
    from llmkb.refs import STDIN, looks_like_id

    count = 0
    while count < len(items) and (items[count] == STDIN or looks_like_id(items[count])):
        count += 1
    count = count or 1
    papers, names = items[:count], items[count:]
    if not names:
        raise UsageError("give the papers, then at least one tag")
    return papers, names


def _change(ctx: typer.Context, items: list[str], *, add: bool) -> None:
    from llmkb.cli import output
    from llmkb.cli.common import paper_refs
    from llmkb.refs import ref_for
    from llmkb.slugs import checked_tags

    papers, names = _split(items)
    paths = checked_tags(names)
    refs, _ = paper_refs(papers)
    with open_kb(ctx) as kb:
        rowids = kb.lookup_all(refs)
        changes = [
            kb.tag(ref_for(rowid), add=paths) if add else kb.tag(ref_for(rowid), remove=paths) for rowid in rowids
        ]
    done, skipped = ("tagged", "already tagged") if add else ("untagged", "did not have")
    for change in changes:
        if change.changed:
            output.say(f"{change.paper}: {done} {', '.join(change.changed)}")
        if change.unchanged:
            output.say(f"{change.paper}: {skipped} {', '.join(change.unchanged)}")


@tag_app.command("add")
def tag_add(ctx: typer.Context, items: list[str] = _PAPERS_AND_TAGS) -> None:
    """Tag papers.

    Examples:

    $ llmkb tag add 2403.03853 must-read layer-pruning
    $ llmkb search -t pruning --since 2024 -f ids | llmkb tag add - pruning-2024
    """
    _change(ctx, items, add=True)


@tag_app.command("rm")
def tag_rm(ctx: typer.Context, items: list[str] = _PAPERS_AND_TAGS) -> None:
    """Remove tags from papers (a tag no paper has any more is deleted).

    Examples:

    $ llmkb tag rm 2403.03853 layer-pruning
    """
    _change(ctx, items, add=False)


_OLD = typer.Argument(
    ..., metavar="OLD", help="The tag to rename (tags below it move along).", autocompletion=complete.tags
)


def _report(change) -> None:
    from llmkb.cli import output

    verb = "merged" if change.merged else "renamed"
    for old, new in change.renamed:
        output.say(f"{verb} {old} -> {new}")
    output.say(f"{change.papers} paper{'s' if change.papers != 1 else ''} changed")


@tag_app.command("rename")
def tag_rename(
    ctx: typer.Context,
    old: str = _OLD,
    new: str = typer.Argument(..., metavar="NEW", help="Its new name (must not exist: see tag merge)."),
) -> None:
    """Rename a tag on every paper, with the tags below it (a/b becomes NEW/b).

    Examples:

    $ llmkb tag rename compression-lite-llms compression
    """
    with open_kb(ctx) as kb:
        change = kb.rename_tag(old, new)
    _report(change)


@tag_app.command("merge")
def tag_merge(
    ctx: typer.Context,
    old: str = typer.Argument(
        ..., metavar="A", help="The tag to merge away (with the tags below it).", autocompletion=complete.tags
    ),
    new: str = typer.Argument(..., metavar="B", help="The tag its papers get.", autocompletion=complete.tags),
    yes: bool = opt.YES,
) -> None:
    """Merge tag A into tag B on every paper: papers tagged A are tagged B, and A is deleted.

    Examples:

    $ llmkb tag merge model-compression/pruning pruning -y
    """
    from llmkb.cli.common import confirm

    if not confirm(f"merge tag {old} into {new} on every paper?", yes=yes):
        from llmkb.cli import output

        output.err("nothing changed")
        raise typer.Exit(1)
    with open_kb(ctx) as kb:
        change = kb.rename_tag(old, new, merge=True)
    _report(change)
