"""`llmkb import-list FILE_OR_URL`: import an awesome list (markdown) with its sections as tags."""

from __future__ import annotations

import typer

from llmkb.cli.common import err, open_kb


def import_list(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(..., metavar="FILE_OR_URL...", help="Markdown files or URLs."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Also tag every imported paper (repeatable)."),
    resolve: bool = typer.Option(
        False, "--resolve", help="Look up items without an arXiv link on arXiv by title (network)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json (the summary)."),
) -> None:
    """Import awesome lists: every linked paper, with its list section as tag."""
    with open_kb(ctx, create=True) as kb:
        reports = [kb.import_list(source, tags=tag, resolve_titles=resolve) for source in sources]
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json(
            [
                {
                    "source": r.source,
                    "added": len(r.added),
                    "updated": len(r.updated),
                    "unchanged": len(r.unchanged),
                    "tags_added": r.tags_added,
                    "warnings": r.warnings,
                }
                for r in reports
            ]
        )
        return
    for r in reports:
        for w in r.warnings:
            err(f"warning: {r.source}: {w}")
        print(
            f"{r.source}: {r.papers} papers — {len(r.added)} added, "
            f"{len(r.updated)} updated, {len(r.unchanged)} unchanged; "
            f"{r.tags_added} tags added; {len(r.warnings)} warnings"
        )
