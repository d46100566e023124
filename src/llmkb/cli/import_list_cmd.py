"""`llmkb import-list FILE_OR_URL...`: import awesome lists, checked against arXiv, with sections as tags."""

from __future__ import annotations

import typer

from llmkb.cli.common import err, open_kb
from llmkb.cli.progress import ProgressBar


def import_list(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        ..., metavar="FILE_OR_URL...", help="Markdown files or URLs; - reads a list from standard input."
    ),
    tag: list[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="Also tag every imported paper (repeatable)."),
    offline: bool = typer.Option(
        False, "--offline", help="Do not ask arXiv: store what the list says (also LLMKB_OFFLINE=1)."
    ),
    max_age: float = typer.Option(
        30.0, "--max-age", metavar="DAYS", min=0, help="Ask arXiv again about papers confirmed longer ago than this."
    ),
    resolve: bool = typer.Option(
        False, "--resolve", help="Also look up items without an arXiv link on arXiv by title."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json (the summary)."),
) -> None:
    """Import awesome lists: every paper they link, checked against arXiv, with its list section as tag.

    arXiv's record wins for title, authors, abstract and dates; the list gives venue, year, code links,
    tags and notes. A list title that names another paper than arXiv's is warned about and flagged
    (`llmkb search --flagged`).
    """
    from llmkb.errors import UsageError

    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    bar = ProgressBar()
    reports = []
    try:
        with open_kb(ctx, create=True) as kb:
            for source in sources:
                reports.append(
                    kb.import_list(
                        source,
                        tags=tag,
                        resolve_titles=resolve,
                        offline=offline or None,
                        max_age_days=max_age,
                        progress=bar,
                    )
                )
    finally:
        bar.close()
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
                    "notes": r.notes,
                }
                for r in reports
            ]
        )
        return
    for r in reports:
        for w in r.warnings:
            err(f"warning: {r.source}: {w}")
        for n in r.notes:
            err(f"note: {r.source}: {n}")
        print(
            f"{r.source}: {r.papers} papers — {len(r.added)} added, {len(r.updated)} updated, "
            f"{len(r.unchanged)} unchanged; {r.tags_added} tags added; {len(r.warnings)} warnings"
        )
