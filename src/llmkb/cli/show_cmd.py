"""`llmkb show ID...`: every field of papers, their tags, links, datasets, models and results."""

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import open_kb, paper_refs
from llmkb.cli.output import DetailFormat


def show(
    ctx: typer.Context,
    papers: list[str] = opt.PAPERS,
    fmt: DetailFormat = opt.DETAIL_FORMAT,
) -> None:
    """Show papers: every field, tags, links, datasets, models and results.

    A title is taken only when it is (nearly) one paper's whole title or its short name; words that
    merely occur in titles list the candidates instead, and exit 1. Into a pipe each field is a
    `label<TAB>value` line; -f json gives one paper as an object, several as an array.

    Examples:

    $ llmkb show 2403.03853
    $ llmkb show slicegpt
    $ llmkb show 2403.03853 2401.15024 -f json
    $ llmkb search -t pruning -f ids | llmkb show -
    """
    from llmkb.cli import output, render

    refs, _ = paper_refs(papers)
    with open_kb(ctx) as kb:
        records = kb.get_many(kb.lookup_all(refs))
    if fmt is not None and fmt.value in ("json", "jsonl"):
        public = render.public(records)
        if fmt.value == "jsonl":
            output.print_jsonl(public)
        else:
            output.print_json(public[0] if len(public) == 1 else public)
        return
    for index, record in enumerate(records):
        if index:
            output.write("\n")
        output.detail(render.paper_detail(record), fmt)
