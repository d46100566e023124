"""`llmkb lint FILE_OR_URL...`: check awesome lists for wrong facts and broken structure, for people and CI."""

from __future__ import annotations

import os
import sys
from enum import Enum

import typer

from llmkb.cli.common import err, open_kb


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def lint(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        ..., metavar="FILE_OR_URL...", help="Markdown lists or URLs; - reads a list from standard input."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Ask arXiv nothing: run every check that needs no network (also LLMKB_OFFLINE=1)."
    ),
    fmt: LintFormat = typer.Option(
        LintFormat.text, "--format", "-f", help="text, json, github (Actions annotations) or sarif (SARIF 2.1.0)."
    ),
    select: list[str] = typer.Option(
        [], "--select", metavar="CODES", help="Only these codes, prefixes or names (LK101, LK1, arxiv-unknown-id)."
    ),
    ignore: list[str] = typer.Option([], "--ignore", metavar="CODES", help="Skip these codes, prefixes or names."),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="Exit 1 when a finding is at least this severe: error, warning or info."
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Rewrite what is certain (IDs arXiv confirms by title, vocabulary spellings); print the diff.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="With --fix: print the diff, change no file."),
    max_age: float = typer.Option(
        30.0, "--max-age", metavar="DAYS", min=0, help="Ask arXiv again about answers cached longer ago than this."
    ),
) -> None:
    """Check awesome lists for wrong facts and broken structure: arXiv IDs and titles, dates, model and dataset names.

    One line per finding on stdout (FILE:LINE:COL: CODE message, with a suggested fix where there is one).

    Exit 0 when no finding reaches --fail-on (default: error), 1 otherwise, 2 for a usage error.

    No database is changed: only arXiv's answers are cached, so a second run asks nothing.

    Examples:

    $ llmkb lint README.md
    $ llmkb lint --offline --format github README.md
    $ llmkb lint --select LK1,LK3 --fix --dry-run README.md
    """
    from llmkb.errors import UsageError
    from llmkb.lint.findings import Severity
    from llmkb.lint.output import render, summary

    if dry_run and not fix:
        raise UsageError("--dry-run goes with --fix")
    with _knowledge_base(ctx, offline) as kb:
        report = kb.lint(
            sources,
            offline=offline or None,
            select=select,
            ignore=ignore,
            max_age_days=max_age,
            fix=fix,
            dry_run=dry_run,
        )
    remaining = report.unfixed()
    if fix:
        for result in report.fixes:
            sys.stdout.write(result.diff)
            for why in result.skipped:
                err(f"note: {result.source}: not fixed: {why}")
        changed = sum(len(r.applied) for r in report.fixes if r.diff)
        verb = "would fix" if dry_run else "fixed"
        err(f"{verb} {changed} finding{'s' * (changed != 1)} in {sum(1 for r in report.fixes if r.diff)} list(s)")
        out = render(fmt.value, report, remaining)
        if out:
            sys.stderr.write(out)
    else:
        sys.stdout.write(render(fmt.value, report, remaining))
    err(summary(report, remaining))
    threshold = Severity.parse(fail_on.value)
    if any(f.severity >= threshold for f in remaining):
        raise typer.Exit(1)


def _knowledge_base(ctx: typer.Context, offline: bool):
    """The database whose cache lint uses. Offline, with no database yet, nothing is created: the default
    path is named without copying the seed, and lint never opens a file that does not exist."""
    from llmkb.imports.list_import import offline_by_default
    from llmkb.kb import KB
    from llmkb.locations import default_db_path

    if ctx.find_root().params.get("db") is None and not os.environ.get("LLMKB_DB"):
        path = default_db_path()
        if not path.exists() and (offline or offline_by_default()):
            return KB(path)
    return open_kb(ctx, create=True)
