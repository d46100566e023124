"""`llmkb import` (by ID, URL, standard input, title, query or BibTeX file) and `llmkb refresh`."""

import sys
from enum import Enum
from pathlib import Path

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.output import SummaryFormat, print_json, say, write
from llmkb.cli.progress import ProgressBar


class Sort(str, Enum):
    relevance = "relevance"
    submitted = "submitted"
    updated = "updated"


def _expand_stdin(inputs: list[str]) -> list[str]:
    from llmkb.arxiv.importer import inputs_from_lines
    from llmkb.refs import check_text

    expanded: list[str] = []
    for item in inputs:
        if item == "-":
            expanded.extend(inputs_from_lines(sys.stdin))
        else:
            expanded.append(item)
    for item in expanded:
        check_text(item, "input")
    return expanded


def _dry_run(inputs: list[str], fmt: SummaryFormat) -> None:
    from llmkb.arxiv.importer import parse_inputs

    parsed = parse_inputs(inputs)
    if fmt is SummaryFormat.json:
        print_json(
            [
                {
                    "input": p.text,
                    "id": p.arxiv_id.id if p.arxiv_id else None,
                    "version": p.arxiv_id.version if p.arxiv_id else None,
                    "invalid": p.reason,
                }
                for p in parsed
            ]
        )
    else:
        from llmkb.cli.output import clean

        write(
            "".join(f"{clean(p.text)}\t{p.arxiv_id if p.arxiv_id else 'invalid: ' + clean(p.reason)}\n" for p in parsed)
        )
    if any(p.arxiv_id is None for p in parsed):
        raise typer.Exit(1)


def _print_summary(summary, unmatched, fmt: SummaryFormat) -> None:
    from llmkb.arxiv.importer import summary_lines

    if fmt is SummaryFormat.json:
        data = summary.as_dict()
        for key in ("source", "tags_added", "warnings", "errors", "notes"):
            data.pop(key, None)
        data["title_candidates"] = [
            {
                "title": m.title,
                "candidates": [
                    {"id": hit.arxiv_id, "title": hit.title, "score": round(score, 1)} for hit, score in m.candidates
                ],
            }
            for m in unmatched
        ]
        print_json(data)
        return
    for match in unmatched:
        if not match.candidates:
            say(f"no paper on arXiv matches the title {match.title!r}")
            continue
        say(f"no close match on arXiv for {match.title!r}; candidates (similarity, ID, title):")
        for hit, score in match.candidates:
            say(f"  {score:5.1f}  {hit.arxiv_id}  {hit.title}")
    for label, count, ids in summary_lines(summary):
        say(f"{label:<12}{count:>6}" + (f"  {', '.join(_short(i) for i in ids)}" if ids else ""))


def _short(text: str, most: int = 100) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _shortfall(summary) -> str:
    """What was asked for and is not stored, in words, for the one error line."""
    parts = []
    for count, what in (
        (len(summary.invalid), "not an arXiv ID"),
        (len(summary.not_found), "not found on arXiv"),
        (len(summary.not_fetched), "not fetched"),
    ):
        if count:
            parts.append(f"{count} {what}")
    return ", ".join(parts)


def finish(summary, unmatched, fmt: SummaryFormat) -> None:
    """The summary, and exit 1 unless everything asked for is stored. When the network failed before
    anything was stored, one line says so (the table of zeros would only hide it)."""
    nothing_stored = summary.error and not (summary.added or summary.updated or summary.unchanged)
    if not (nothing_stored and fmt is SummaryFormat.text and not unmatched):
        _print_summary(summary, unmatched, fmt)
    if summary.error:
        err(f"error: {summary.error}" + ("; nothing was changed" if nothing_stored else "; what was fetched is kept"))
    elif not summary.ok and fmt is SummaryFormat.text and _shortfall(summary):
        err(f"error: {_shortfall(summary)} (see above)")
    if not summary.ok:
        raise typer.Exit(1)


def import_papers(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(
        None, metavar="ID", help="arXiv IDs or links in any form; - reads them from standard input."
    ),
    titles: list[str] = typer.Option(
        None, "--title", metavar="TITLE", help="Search arXiv by title; import the hit if it matches closely."
    ),
    query: str = typer.Option(None, "--query", metavar="QUERY", help="Import the results of an arXiv search query."),
    limit: int = typer.Option(
        100, "--limit", "-n", metavar="N", parser=opt.parse_count, help="How many query results to import."
    ),
    sort: Sort = typer.Option(Sort.relevance, "--sort", case_sensitive=False, help="Query order."),
    bib: Path = typer.Option(
        None,
        "--bib",
        metavar="FILE",
        help="Import the entries of a BibTeX file (arXiv eprints are looked up like IDs).",
    ),
    offline: bool = typer.Option(
        False, "--offline", help="--bib: store what the file says; do not ask arXiv (also LLMKB_OFFLINE=1)."
    ),
    tags: list[str] = typer.Option(
        None,
        "--tag",
        "-t",
        metavar="TAG",
        help="Tag every imported paper (repeatable).",
        autocompletion=complete.tags,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only show how each input is understood: no network, no write."
    ),
    max_wait: float = opt.MAX_WAIT,
    fmt: SummaryFormat = opt.SUMMARY_FORMAT,
) -> None:
    """Import papers from arXiv by ID or link, by title, by search query, or from a BibTeX file.

    IDs go to arXiv in batches of 100, each stored as it arrives: an interrupted import keeps what it
    stored, and running it again fetches only the rest.

    Examples:

    $ llmkb import 2403.03853 https://arxiv.org/pdf/2401.15024v2
    $ llmkb import --title "Distilling the Knowledge in a Neural Network"
    $ llmkb import --query 'ti:pruning AND cat:cs.CL' -n 200 -t pruning
    $ llmkb import --bib references.bib -t thesis
    $ cat ids.txt | llmkb import -
    """
    from llmkb.errors import UsageError
    from llmkb.slugs import checked_tags

    tag_names = checked_tags(tags or [])
    inputs = _expand_stdin(inputs or [])
    titles = titles or []
    if bib is not None:
        from llmkb.refs import check_text

        check_text(str(bib), "--bib")
        if inputs or titles or query or dry_run:
            raise UsageError("--bib imports a file on its own; give IDs, --title or --query in another import")
        _import_bib(ctx, bib, tag_names, offline, max_wait, fmt)
        return
    if dry_run:
        if titles or query:
            raise UsageError("--dry-run checks identifiers only; it cannot search by --title or --query")
        _dry_run(inputs, fmt)
        return
    if not (inputs or titles or query):
        raise UsageError("nothing to import: give arXiv IDs or links, - for standard input, --title, --query or --bib")
    from llmkb.config import arxiv_settings

    ctx.meta["llmkb.interrupted"] = "the papers stored so far are kept; run the same command again to finish"
    bar = ProgressBar()
    try:
        with arxiv_settings(max_wait=max_wait), open_kb(ctx, create=True) as kb:
            summary, unmatched = kb.import_arxiv(
                inputs,
                titles=titles,
                query=query,
                max_results=limit,
                sort=sort.value,
                tags=tag_names,
                progress=bar,
            )
    finally:
        bar.close()
    finish(summary, unmatched, fmt)


def _import_bib(
    ctx: typer.Context, path: Path, tags: list[str], offline: bool, max_wait: float | None, fmt: SummaryFormat
) -> None:
    from llmkb.config import arxiv_settings

    ctx.meta["llmkb.interrupted"] = "nothing half-done was kept"
    bar = ProgressBar()
    try:
        with arxiv_settings(max_wait=max_wait), open_kb(ctx, create=True) as kb:
            report = kb.import_bib(path, tags=tags, offline=offline or None, progress=bar)
    finally:
        bar.close()
    if fmt is SummaryFormat.json:
        finish(report, [], fmt)
        return
    for warning in report.warnings:
        err(f"warning: {path.name}: {warning}")
    for note in report.notes:
        err(f"note: {path.name}: {note}")
    say(
        f"{path.name}: {report.papers} paper{'s' if report.papers != 1 else ''} — {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged; {len(report.warnings)} warnings"
    )


def refresh(
    ctx: typer.Context,
    inputs: list[str] = opt.OPTIONAL_PAPERS,
    every: bool = typer.Option(False, "--all", help="Refresh every paper that has an arXiv ID."),
    missing: bool = typer.Option(False, "--missing", help="Refresh papers without abstract or authors."),
    unverified: bool = typer.Option(
        False, "--unverified", help="Refresh papers arXiv has not confirmed (imported offline or unreachable)."
    ),
    max_wait: float = opt.MAX_WAIT,
    fmt: SummaryFormat = opt.SUMMARY_FORMAT,
) -> None:
    """Re-fetch papers' metadata from arXiv and store what changed.

    Examples:

    $ llmkb refresh 2403.03853
    $ llmkb refresh --missing
    $ llmkb search -t pruning -f ids | llmkb refresh -
    """
    from llmkb.config import arxiv_settings

    ids = _expand_stdin(inputs or [])
    ctx.meta["llmkb.interrupted"] = "the papers refreshed so far are kept"
    bar = ProgressBar()
    try:
        with arxiv_settings(max_wait=max_wait), open_kb(ctx) as kb:
            summary = kb.refresh(ids, every=every, missing=missing, unverified=unverified, progress=bar)
    finally:
        bar.close()
    finish(summary, [], fmt)
