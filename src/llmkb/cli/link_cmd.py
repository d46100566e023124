"""`llmkb link`, `llmkb unlink` and `llmkb import-results`: linking papers to datasets, models and results
by hand."""

from __future__ import annotations

from pathlib import Path

import typer

from llmkb.cli.common import err, open_kb


def link(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="The paper: arXiv ID, kb-N or title."),
    dataset: str = typer.Option(None, "--dataset", "-d", help="A dataset it uses, e.g. PIQA."),
    model: str = typer.Option(None, "--model", "-m", help="A model it uses or proposes, e.g. LLaMA-2-7B."),
    role: str = typer.Option(
        None,
        "--role",
        help="evaluation (default), calibration, fine-tuning, pre-training "
        "for the dataset; uses (default) or proposes for the model.",
    ),
    metric: str = typer.Option(None, "--metric", help="With --value: a result on the dataset, e.g. accuracy."),
    value: str = typer.Option(None, "--value", help="The result's value, a number."),
    setting: str = typer.Option(None, "--setting", help="The result's setting, e.g. 0-shot or 5-shot."),
) -> None:
    """Link a paper to a dataset and/or model, optionally with a result."""
    with open_kb(ctx, create=True) as kb:
        change = kb.link(paper, dataset=dataset, model=model, role=role, metric=metric, value=value, setting=setting)
    if change.added:
        _say(f"{change.paper}: linked {', '.join(change.added)}")
    if change.unchanged:
        _say(f"{change.paper}: already linked {', '.join(change.unchanged)}")
    if change.result:
        outcome, description = change.result
        verb = {"added": "result added", "updated": "result updated", "unchanged": "result already stored"}[outcome]
        _say(f"{change.paper}: {verb}: {description}")


def unlink(
    ctx: typer.Context,
    paper: str = typer.Argument(..., help="The paper: arXiv ID, kb-N or title."),
    dataset: str = typer.Option(None, "--dataset", "-d", help="Remove its links to this dataset."),
    model: str = typer.Option(None, "--model", "-m", help="Remove its links to this model."),
    role: str = typer.Option(None, "--role", help="Only links in this role (alone: every link in it)."),
    results: bool = typer.Option(False, "--results", help="Also remove its results on that dataset or model."),
) -> None:
    """Remove links a list or you made (text links follow the paper's text)."""
    with open_kb(ctx, create=True) as kb:
        change = kb.unlink(paper, dataset=dataset, model=model, role=role, results=results)
    if change.removed:
        _say(f"{change.paper}: removed {', '.join(change.removed)}")
    else:
        _say(f"{change.paper}: no list or user link to remove")
    if change.results_removed:
        _say(f"{change.paper}: removed {change.results_removed} result{_s(change.results_removed)}")
    if change.kept_text:
        _say(f"{change.paper}: kept {', '.join(change.kept_text)}: found in the paper's title, abstract or note")
    if change.results_kept:
        _say(
            f"{change.paper}: kept {change.results_kept} result{_s(change.results_kept)} on it (--results removes them)"
        )


def _say(line: str) -> None:
    """One line on stdout, never wrapped or read as markup (names may hold brackets)."""
    typer.echo(line)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def import_results(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ...,
        metavar="FILE.csv",
        help="Columns paper, model, dataset, metric, value, setting (header line; model and setting optional).",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json (the summary)."),
) -> None:
    """Import results from a CSV file; bad rows are reported by line number, good rows kept."""
    from llmkb.errors import UsageError

    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    with open_kb(ctx, create=True) as kb:
        report = kb.import_results(file)
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json(
            {
                "rows": report.rows,
                "added": len(report.added),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "errors": report.errors,
                "ignored_columns": report.ignored_columns,
                "ok": report.ok,
            }
        )
    else:
        for message in report.errors:
            err(f"error: {file.name}, {message}")
        if report.ignored_columns:
            err(f"note: ignored column{_s(len(report.ignored_columns))} {', '.join(report.ignored_columns)}")
        bad = len(report.errors)
        _say(
            f"{file.name}: {report.rows} row{_s(report.rows)} — {len(report.added)} added, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged"
            + (f"; {bad} bad row{_s(bad)} skipped" if bad else "")
        )
    if not report.ok:
        raise typer.Exit(1)
