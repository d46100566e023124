"""`llmkb import-list FILE...`: import awesome lists, checked against arXiv, with sections as tags."""

from typing import TYPE_CHECKING

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.output import SummaryFormat, print_json, say
from llmkb.cli.progress import ProgressBar

if TYPE_CHECKING:
    from llmkb.imports.report import ImportReport


def import_list(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        ..., metavar="FILE", help="Markdown files or URLs; - reads a list from standard input."
    ),
    tag: list[str] = typer.Option(
        [],
        "--tag",
        "-t",
        metavar="TAG",
        help="Also tag every imported paper (repeatable).",
        autocompletion=complete.tags,
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Do not ask arXiv: store what the list says (also LLMKB_OFFLINE=1)."
    ),
    max_age: float = typer.Option(
        30.0,
        "--max-age",
        metavar="DAYS",
        min=0,
        help="Ask arXiv again about papers confirmed longer ago than this.",
    ),
    resolve: bool = typer.Option(
        False, "--resolve", help="Also look up items without an arXiv link on arXiv by title."
    ),
    max_wait: float = opt.MAX_WAIT,
    fmt: SummaryFormat = opt.SUMMARY_FORMAT,
) -> None:
    """Import awesome lists: every paper they link, checked against arXiv, with its list section as tag.

    arXiv's record wins for title, authors, abstract and dates; the list gives venue, year, code links,
    tags and notes. A list title that names another paper than arXiv's is warned about and flagged
    (`llmkb search --flagged`). Each list is one transaction: Ctrl-C keeps the lists already imported and
    nothing of the one being read. A file in which no paper is found (an HTML error page, a binary file)
    is an error, not "0 papers".

    Examples:

    $ llmkb import-list README.md
    $ llmkb import-list https://github.com/user/awesome-llm/blob/main/README.md -t awesome-llm
    $ llmkb import-list --offline notes/*.md
    """
    from llmkb.config import arxiv_settings
    from llmkb.errors import InputError
    from llmkb.refs import check_text
    from llmkb.slugs import checked_tags

    tags = checked_tags(tag)
    for source in sources:
        check_text(source, "list")
    bar = ProgressBar()
    reports: list[ImportReport] = []
    empty: list[str] = []
    try:
        with arxiv_settings(max_wait=max_wait), open_kb(ctx, create=True) as kb:
            for index, source in enumerate(sources):
                if index:
                    done = ", ".join(r.source for r in reports)
                    ctx.meta["llmkb.interrupted"] = f"{done} imported; nothing of {source} was kept"
                report = kb.import_list(
                    source,
                    tags=tags,
                    resolve_titles=resolve,
                    offline=offline or None,
                    max_age_days=max_age,
                    progress=bar,
                )
                reports.append(report)
                if report.papers == 0:
                    empty.append(report.source)
    finally:
        bar.close()
    if fmt is SummaryFormat.json:
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
    else:
        for r in reports:
            for w in r.warnings:
                err(f"warning: {r.source}: {w}")
            for n in r.notes:
                err(f"note: {r.source}: {n}")
            if r.papers:
                say(
                    f"{r.source}: {r.papers} papers — {len(r.added)} added, {len(r.updated)} updated, "
                    f"{len(r.unchanged)} unchanged; {r.tags_added} tags added; {len(r.warnings)} warnings"
                )
    if empty:
        raise InputError(
            f"{', '.join(empty)}: no paper found; {'it is' if len(empty) == 1 else 'they are'} not an awesome list "
            "(a markdown file of paper links)"
        )
