"""`llmkb import` (by ID, URL, standard input, title or query) and `llmkb refresh`."""

from __future__ import annotations

import sys

import typer

from llmkb.cli.common import err, open_kb
from llmkb.cli.progress import ProgressBar

FORMATS = ("text", "json")


def _check_format(fmt: str) -> None:
    from llmkb.errors import UsageError

    if fmt not in FORMATS:
        raise UsageError(f"--format takes text or json, not {fmt!r}")


def _expand_stdin(inputs: list[str]) -> list[str]:
    from llmkb.arxiv.importer import inputs_from_lines

    expanded: list[str] = []
    for item in inputs:
        if item == "-":
            expanded.extend(inputs_from_lines(sys.stdin))
        else:
            expanded.append(item)
    return expanded


def _dry_run(inputs: list[str], fmt: str) -> None:
    from llmkb.arxiv.importer import parse_inputs

    parsed = parse_inputs(inputs)
    if fmt == "json":
        from llmkb.cli.render import print_json

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
        for p in parsed:
            sys.stdout.write(f"{p.text}\t{p.arxiv_id if p.arxiv_id else 'invalid: ' + str(p.reason)}\n")
    if any(p.arxiv_id is None for p in parsed):
        raise typer.Exit(1)


def _print_summary(summary, unmatched, fmt: str) -> None:
    from llmkb.arxiv.importer import summary_lines

    if fmt == "json":
        from llmkb.cli.render import print_json

        data = summary.as_dict()
        for key in ("source", "tags_added", "warnings", "errors", "notes"):
            data.pop(key)
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
    out = sys.stdout
    for match in unmatched:
        if not match.candidates:
            out.write(f"no paper on arXiv matches the title {match.title!r}\n")
            continue
        out.write(f"no close match on arXiv for {match.title!r}; candidates (similarity, ID, title):\n")
        for hit, score in match.candidates:
            out.write(f"  {score:5.1f}  {hit.arxiv_id}  {hit.title}\n")
    for label, count, ids in summary_lines(summary):
        out.write(f"{label:<12}{count:>6}" + (f"  {', '.join(ids)}" if ids else "") + "\n")


def _finish(summary, unmatched, fmt: str) -> None:
    _print_summary(summary, unmatched, fmt)
    if summary.error:
        err(f"error: {summary.error}")
    if not summary.ok:
        raise typer.Exit(1)


def import_papers(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(
        None, metavar="ID|URL|-", help="arXiv IDs or links in any form; - reads them from standard input."
    ),
    titles: list[str] = typer.Option(
        None, "--title", metavar="TITLE", help="Search arXiv by title; import the hit if it matches closely."
    ),
    query: str = typer.Option(None, "--query", metavar="Q", help="Import the results of an arXiv search query."),
    max_results: int = typer.Option(100, "--max", metavar="N", help="How many query results to import."),
    sort: str = typer.Option("relevance", "--sort", help="Query order: relevance, submitted or updated."),
    tags: list[str] = typer.Option(None, "--tag", metavar="TAG", help="Tag every imported paper (repeatable)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only show how each input is understood: no network, no write."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Import papers from arXiv by ID, URL, title or search query."""
    from llmkb.errors import UsageError

    _check_format(fmt)
    inputs = _expand_stdin(inputs or [])
    titles = titles or []
    if dry_run:
        if titles or query:
            raise UsageError("--dry-run checks identifiers only; it cannot search by --title or --query")
        _dry_run(inputs, fmt)
        return
    if not (inputs or titles or query):
        raise UsageError("nothing to import: give arXiv IDs or links, - for standard input, --title or --query")

    from llmkb.slugs import checked_tags

    tag_names = checked_tags(tags or [])
    bar = ProgressBar()
    try:
        with open_kb(ctx, create=True) as kb:
            summary, unmatched = kb.import_arxiv(
                inputs, titles=titles, query=query, max_results=max_results, sort=sort, tags=tag_names, progress=bar
            )
    except KeyboardInterrupt:
        bar.close()
        err("interrupted: the papers stored so far are kept; run the same command again to finish")
        raise typer.Exit(130) from None
    finally:
        bar.close()
    _finish(summary, unmatched, fmt)


def refresh(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(None, metavar="ID", help="Papers to refresh (arXiv IDs or links)."),
    every: bool = typer.Option(False, "--all", help="Refresh every paper that has an arXiv ID."),
    missing: bool = typer.Option(False, "--missing", help="Refresh papers without abstract or authors."),
    unverified: bool = typer.Option(
        False, "--unverified", help="Refresh papers arXiv has not confirmed (imported offline or unreachable)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Re-fetch papers' metadata from arXiv."""
    _check_format(fmt)
    bar = ProgressBar()
    try:
        with open_kb(ctx) as kb:
            summary = kb.refresh(
                _expand_stdin(inputs or []), every=every, missing=missing, unverified=unverified, progress=bar
            )
    except KeyboardInterrupt:
        bar.close()
        err("interrupted: the papers refreshed so far are kept")
        raise typer.Exit(130) from None
    finally:
        bar.close()
    _finish(summary, [], fmt)
