"""`llmkb link`, `llmkb unlink` and `llmkb import-results`: linking papers to datasets, models and results
by hand."""

from pathlib import Path

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb, paper_refs
from llmkb.cli.filter_options import Role
from llmkb.cli.output import SummaryFormat, say


def link(
    ctx: typer.Context,
    papers: list[str] = opt.PAPERS,
    dataset: str = typer.Option(
        None,
        "--dataset",
        "-d",
        metavar="DATASET",
        help="A dataset it uses, e.g. PIQA.",
        autocompletion=complete.datasets,
    ),
    model: str = typer.Option(
        None,
        "--model",
        "-m",
        metavar="MODEL",
        help="A model it uses or proposes, e.g. LLaMA-2-7B.",
        autocompletion=complete.models,
    ),
    role: Role = typer.Option(
        None,
        "--role",
        case_sensitive=False,
        help="evaluation (default), calibration, fine-tuning, pre-training for the dataset; uses (default) or "
        "proposes for the model.",
    ),
    metric: str = typer.Option(None, "--metric", metavar="METRIC", help="With --value: a result on the dataset."),
    value: str = typer.Option(None, "--value", metavar="NUMBER", help="The result's value."),
    setting: str = typer.Option(None, "--setting", metavar="TEXT", help="The result's setting, e.g. 0-shot."),
) -> None:
    """Link papers to a dataset and/or model, optionally with a result.

    Examples:

    $ llmkb link 2403.03853 -d PIQA -m LLaMA-2-7B
    $ llmkb link 2403.03853 -d PIQA -m LLaMA-2-7B --metric accuracy --value 75.6 --setting 0-shot
    $ llmkb search -t pruning -f ids | llmkb link - -d WikiText-2
    """
    from llmkb.refs import check_text, ref_for

    for name, what in ((dataset, "dataset"), (model, "model")):
        if name is not None:
            check_text(name, what)
    refs, _ = paper_refs(papers)
    with open_kb(ctx) as kb:
        rowids = kb.lookup_all(refs)
        changes = [
            kb.link(
                ref_for(rowid),
                dataset=dataset,
                model=model,
                role=role.value if role else None,
                metric=metric,
                value=value,
                setting=setting,
            )
            for rowid in rowids
        ]
    for change in changes:
        if change.added:
            say(f"{change.paper}: linked {', '.join(change.added)}")
        if change.unchanged:
            say(f"{change.paper}: already linked {', '.join(change.unchanged)}")
        if change.result:
            outcome, description = change.result
            verb = {"added": "result added", "updated": "result updated", "unchanged": "result already stored"}[outcome]
            say(f"{change.paper}: {verb}: {description}")


def unlink(
    ctx: typer.Context,
    papers: list[str] = opt.PAPERS,
    dataset: str = typer.Option(
        None,
        "--dataset",
        "-d",
        metavar="DATASET",
        help="Remove links to this dataset.",
        autocompletion=complete.datasets,
    ),
    model: str = typer.Option(
        None, "--model", "-m", metavar="MODEL", help="Remove links to this model.", autocompletion=complete.models
    ),
    role: Role = typer.Option(
        None, "--role", case_sensitive=False, help="Only links in this role (alone: every link in it)."
    ),
    results: bool = typer.Option(False, "--results", help="Also remove the results on that dataset or model."),
) -> None:
    """Remove links a list or you made (text links follow the paper's text).

    Examples:

    $ llmkb unlink 2403.03853 -d PIQA --results
    $ llmkb unlink 2402.02834 --role fine-tuning
    """
    from llmkb.refs import ref_for

    refs, _ = paper_refs(papers)
    with open_kb(ctx) as kb:
        rowids = kb.lookup_all(refs)
        changes = [
            kb.unlink(ref_for(rowid), dataset=dataset, model=model, role=role.value if role else None, results=results)
            for rowid in rowids
        ]
    for change in changes:
        if change.removed:
            say(f"{change.paper}: removed {', '.join(change.removed)}")
        else:
            say(f"{change.paper}: no list or user link to remove")
        if change.results_removed:
            say(f"{change.paper}: removed {change.results_removed} result{_s(change.results_removed)}")
        if change.kept_text:
            say(f"{change.paper}: kept {', '.join(change.kept_text)}: found in the paper's title, abstract or note")
        if change.results_kept:
            say(
                f"{change.paper}: kept {change.results_kept} result{_s(change.results_kept)} on it "
                "(--results removes them)"
            )


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def import_results(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        help="CSV with columns paper, model, dataset, metric, value, setting (header line; model and setting "
        "optional).",
    ),
    fmt: SummaryFormat = opt.SUMMARY_FORMAT,
) -> None:
    """Import results from a CSV file; bad rows are reported by line number, good rows kept.

    Examples:

    $ llmkb import-results results.csv
    """
    from llmkb.cli import output
    from llmkb.refs import check_text

    check_text(str(file), "file")
    with open_kb(ctx, create=True) as kb:
        report = kb.import_results(file)
    if fmt is SummaryFormat.json:
        output.print_json(
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
        say(
            f"{file.name}: {report.rows} row{_s(report.rows)} — {len(report.added)} added, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged"
            + (f"; {bad} bad row{_s(bad)} skipped" if bad else "")
        )
    if not report.ok:
        raise typer.Exit(1)
