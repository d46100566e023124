"""The verbs a reader uses on papers every day: `open`, `edit`, `note`, `add` and `rm`."""

import os
import sys
from collections.abc import Mapping
from typing import Any

import typer

from llmkb.cli import complete
from llmkb.cli import filter_options as opt
from llmkb.cli.common import confirm, open_kb, paper_refs
from llmkb.cli.output import SummaryFormat, err, print_json, say

# --- open ---------------------------------------------------------------------------------------------------


def _url(record: Mapping[str, Any], kind: str) -> str:
    from llmkb.errors import PaperNotFound
    from llmkb.export.record_fields import code_urls, paper_url

    if kind == "code":
        urls = code_urls(record)
        if not urls:
            raise PaperNotFound(f"{record['id']} has no code link")
        return urls[0]
    if kind == "pdf":
        for link in record["links"]:
            if link.get("kind") == "pdf" and link.get("url"):
                return link["url"]
        if record.get("arxiv_id"):
            return f"https://arxiv.org/pdf/{record['arxiv_id']}"
        raise PaperNotFound(f"{record['id']} has no PDF link")
    url = paper_url(record)
    if not url:
        raise PaperNotFound(f"{record['id']} has no link to open")
    return url


def open_paper(
    ctx: typer.Context,
    papers: list[str] = opt.PAPERS,
    pdf: bool = typer.Option(False, "--pdf", help="Open the PDF (arXiv's, or the PDF link)."),
    code: bool = typer.Option(False, "--code", help="Open the code repository."),
) -> None:
    """Open papers in the web browser: the arXiv page (or the paper's link), its PDF, or its code.

    Where no browser can be started (a server, an SSH session), the addresses are printed instead.

    Examples:

    $ llmkb open 2403.03853
    $ llmkb open 2403.03853 --code
    $ llmkb search -t pruning -n 3 -f ids | llmkb open - --pdf
    """
    from llmkb.editing import EditError, check_url
    from llmkb.errors import UsageError

    if pdf and code:
        raise UsageError("--pdf or --code, not both")
    kind = "pdf" if pdf else "code" if code else "page"
    refs, _ = paper_refs(papers)
    with open_kb(ctx) as kb:
        records = kb.get_many(kb.lookup_all(refs))
    urls = []
    for record in records:
        url = _url(record, kind)
        try:
            urls.append(check_url(url, f"{record['id']}'s link"))
        except EditError as exc:
            raise UsageError(f"{exc}; not opened") from None
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        browser = None
    for url in urls:
        if browser is not None and browser.open(url):
            err(f"opened {url}")
        else:
            say(url)


# --- edit and note ------------------------------------------------------------------------------------------


def _editor() -> list[str]:
    import shlex

    from llmkb.config import load
    from llmkb.errors import UsageError

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or load().editor
    if not command:
        command = "notepad" if os.name == "nt" else "vi"
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"the editor command {command!r} cannot be read: {exc}") from None
    if not words:
        raise UsageError("the editor command is empty (VISUAL, EDITOR or the config's editor)")
    return words


def _run_editor(text: str, name: str) -> str:
    """`text` as the user leaves it after editing a temporary file `name`."""
    import subprocess
    import tempfile
    from pathlib import Path

    from llmkb.errors import InputError

    command = _editor()
    with tempfile.TemporaryDirectory(prefix="llmkb-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            status = subprocess.run([*command, str(path)], check=False).returncode
        except OSError as exc:
            raise InputError(
                f"cannot start the editor {command[0]!r}: {exc.strerror or exc}; nothing was changed"
            ) from None
        if status != 0:
            raise InputError(f"the editor exited with status {status}; nothing was changed")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the edited file back: {exc}; nothing was changed") from None


def _with_error(text: str, error: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith("# error: ")]
    return f"# error: {error}\n" + "\n".join(lines) + "\n"


def edit(ctx: typer.Context, paper: str = opt.PAPER) -> None:
    """Edit a paper's fields as TOML in $VISUAL or $EDITOR (or the config file's editor).

    Title, short name, authors, year, month, venue, DOI, tags, links, note and abstract. What you save is
    checked as a whole and written in one transaction; a file with a mistake is offered again with the
    error on top, or left and nothing changes.

    Examples:

    $ llmkb edit 2403.03853
    $ EDITOR=nano llmkb edit kb-74
    """
    from llmkb import editing
    from llmkb.errors import InputError
    from llmkb.refs import ref_for

    with open_kb(ctx) as kb:
        rowid = kb.lookup(paper)
        record = kb.get_many([rowid])[0]
        original = editing.fields_of(record)
        text = editing.to_toml(record["id"], original, arxiv=bool(record.get("arxiv_id")))
        safe_name = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in record["id"])
        while True:
            edited = _run_editor(text, f"llmkb-{safe_name}.toml")
            try:
                fields = editing.parse_fields(edited)
                break
            except editing.EditError as exc:
                err(f"error: {exc}")
                if not confirm("edit the file again?", yes=False):
                    raise InputError("nothing was changed") from None
                text = _with_error(edited, str(exc))
        if fields == original:
            err("no changes")
            return
        change = kb.edit(ref_for(rowid), fields)
    if change.changed:
        say(f"{change.paper}: changed {', '.join(change.changed)}")
    else:
        err("no changes")


def note(
    ctx: typer.Context,
    paper: str = opt.PAPER,
    text: list[str] = typer.Argument(
        None,
        metavar="TEXT",
        help="Text to add to the note as a new paragraph (the rest of the line; - reads it from standard input). "
        "Without it, the note opens in the editor.",
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace the note with TEXT instead of adding to it."),
) -> None:
    """Add to a paper's note, or edit it in $VISUAL or $EDITOR. Notes are searched like titles.

    Examples:

    $ llmkb note 2403.03853 removes 25% of layers with little loss on MMLU
    $ llmkb note 2403.03853
    $ pbpaste | llmkb note 2403.03853 -
    """
    from llmkb import editing
    from llmkb.refs import ref_for

    words = list(text or [])
    addition = sys.stdin.read() if words == ["-"] else " ".join(words)
    with open_kb(ctx) as kb:
        rowid = kb.lookup(paper)
        record = kb.get_many([rowid])[0]
        current = record.get("note")
        if words:
            new = addition.strip() if replace else editing.appended(current, addition)
        else:
            new = _run_editor(current or "", f"llmkb-note-{rowid}.txt")
        new = new.strip() or None
        if len(new or "") > editing.MAX_TEXT:
            from llmkb.errors import InputError

            raise InputError(f"the note is longer than {editing.MAX_TEXT} characters; nothing was changed")
        if new == (current or None):
            err("no changes")
            return
        change = kb.edit(ref_for(rowid), {"note": new})
    say(f"{change.paper}: note {'cleared' if new is None else 'saved'}")


# --- add ------------------------------------------------------------------------------------------------------


def add(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", metavar="TITLE", help="The paper's title."),
    authors: list[str] = typer.Option(None, "--author", "-a", metavar="NAME", help="An author, in order (repeatable)."),
    venue: str = typer.Option(None, "--venue", metavar="VENUE", help="Where it was published, e.g. NeurIPS."),
    year: int = typer.Option(None, "--year", metavar="YYYY", parser=opt.parse_year, help="The year it was published."),
    month: int = typer.Option(None, "--month", metavar="N", parser=opt.parse_columns, help="The month (1-12)."),
    url: str = typer.Option(None, "--url", metavar="URL", help="Where to read it."),
    doi: str = typer.Option(None, "--doi", metavar="DOI", help="Its DOI, e.g. 10.1145/3442188.3445922."),
    code: str = typer.Option(None, "--code", metavar="URL", help="Its code repository."),
    text: str = typer.Option(None, "--note", metavar="TEXT", help="A note."),
    tags: list[str] = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Tag it (repeatable).", autocompletion=complete.tags
    ),
    fmt: SummaryFormat = opt.SUMMARY_FORMAT,
) -> None:
    """Add a paper that is not on arXiv (for an arXiv paper, use llmkb import).

    A paper with the same title is completed with what is new, not added twice. The paper gets an ID
    of the form kb-N.

    Examples:

    $ llmkb add --title "Model compression" -a "Cristian Buciluǎ" -a "Rich Caruana" --venue KDD --year 2006
    $ llmkb add --title "Attention Is Not Explanation" --venue NAACL --year 2019 --url https://aclanthology.org/N19-1357
    """
    from llmkb.refs import check_text

    for value in (url, doi, code):
        if value:
            check_text(value, "--url")
    with open_kb(ctx, create=True) as kb:
        added = kb.add_paper(
            title=title,
            authors=list(authors or []),
            venue=venue,
            year=year,
            month=month,
            url=url,
            doi=doi,
            code=code,
            note=text,
            tags=list(tags or []),
        )
    if fmt is SummaryFormat.json:
        print_json({"id": added.paper, "outcome": added.outcome})
    else:
        say(
            {
                "added": f"{added.paper}: added",
                "updated": f"{added.paper}: already stored; completed",
                "unchanged": f"{added.paper}: already stored; nothing new",
            }[added.outcome]
        )


# --- rm ---------------------------------------------------------------------------------------------------------


def rm(ctx: typer.Context, papers: list[str] = opt.PAPERS, yes: bool = opt.YES) -> None:
    """Remove papers with their tags, links and results (asks first, unless -y).

    Examples:

    $ llmkb rm kb-74
    $ llmkb search -t obsolete -f ids | llmkb rm - -y
    """
    refs, from_stdin = paper_refs(papers)
    with open_kb(ctx) as kb:
        if not yes:
            planned = kb.removal(refs)
            for item in planned:
                err(f"{item.paper}  {item.title}  ({item.summary()})")
            count = len(planned)
            if not confirm(f"remove {count} paper{'s' if count != 1 else ''}?", yes=yes, from_stdin=from_stdin):
                err("nothing was removed")
                raise typer.Exit(1)
        removed = kb.remove(refs)
    for item in removed:
        say(f"removed {item.paper}: {item.summary()}")
