"""`llmkb search WORDS...`: ranked, typo-tolerant search with tag, author, date, link and category filters."""

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb
from llmkb.cli.output import Format


def search(
    ctx: typer.Context,
    words: list[str] = opt.WORDS,
    tag: list[str] = opt.TAG,
    not_tag: list[str] = opt.NOT_TAG,
    author: str = opt.AUTHOR,
    year: int = opt.YEAR,
    since: str = opt.SINCE,
    until: str = opt.UNTIL,
    category: str = opt.CATEGORY,
    dataset: list[str] = opt.DATASET,
    model: list[str] = opt.MODEL,
    flagged: bool = opt.FLAGGED,
    unverified: bool = opt.UNVERIFIED,
    status: str = opt.STATUS,
    order: str = opt.ORDER,
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Search papers by words in titles, abstracts, authors, notes and tags, with filters.

    Typos are corrected against the words the database holds (the correction is a note on stderr). No
    words and no filter lists every paper, newest first. Into a pipe the rows are tab-separated: ID,
    year, title, tags.

    Examples:

    $ llmkb search kv cache compression
    $ llmkb search -t pruning --since 2024 -n 5
    $ llmkb search -d PIQA -m LLaMA-2-7B -f json
    $ llmkb search distillation -f ids | llmkb export bib -
    """
    from llmkb.refs import check_words

    check_words(words or [])
    wanted = opt.limit_value(limit, every)
    q = opt.paper_query(
        text=words,
        tag=tag,
        not_tag=not_tag,
        author=author,
        year=year,
        since=since,
        until=until,
        category=category,
        dataset=dataset,
        model=model,
        flagged=flagged,
        unverified=unverified,
        status=status,
        order=order,
        limit=None if wanted is None else wanted + 1,
    )
    with open_kb(ctx) as kb:
        result = kb.search(query=q)
    for c in result.corrections:
        err(f"note: searching for {c.replacement!r} instead of {c.original!r}")
    if result.broadened:
        err("note: no paper has all the words; showing papers with any of them")
    papers = result.papers
    more = wanted is not None and len(papers) > wanted
    from llmkb.cli import render

    render.emit_papers(
        papers[:wanted] if more else papers,
        fmt,
        empty=render.NO_MATCH + (" Try fewer filters or other words." if words or tag or not_tag else ""),
    )
    if more:
        opt.note_more(ctx, wanted, "papers")
