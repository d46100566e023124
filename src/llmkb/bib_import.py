"""Importing a BibTeX file (`llmkb import --bib FILE`): papers from a reference manager.

Each entry with a title becomes a paper: authors ("Last, First" turned around), year and month, venue
(journal or booktitle), DOI, URL, abstract, LaTeX accents decoded and protective braces dropped. An entry
that names an arXiv paper (an `eprint` with archivePrefix arXiv, an arXiv URL or DOI, or "arXiv:ID" in
its journal or note) is stored under that ID and then looked up on arXiv like any ID, so arXiv's record
wins as it does for `import` and `import-list`; without network (or `--offline`) it is kept as the file
says, unverified, for `llmkb refresh --unverified`.

Entries are written in one transaction: an error or Ctrl-C leaves the database as it was. Entries the
parser cannot read are reported with their line and skipped. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmkb.errors import InputError

if TYPE_CHECKING:
    from llmkb.arxiv.importer import Progress
    from llmkb.imports.merge import PaperFields
    from llmkb.imports.report import ImportReport

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@dataclass
class BibEntry:
    line: int  # 1-based line of the entry in the file
    key: str
    fields: PaperFields


def _text(value: object) -> str:
    text = str(value or "")
    text = re.sub(r"(?<!\\)[{}]", "", text)  # protective braces: {LoRA} -> LoRA
    return " ".join(text.split())


def _year(value: object) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"[0-9]{4}", text) and 1000 <= int(text) <= 9999 else None


def _month(value: object) -> int | None:
    text = _text(value).lower().rstrip(".")
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return MONTHS.get(text)


def _arxiv_id(fields: dict[str, str]) -> str | None:
    from llmkb.arxiv.ids import InvalidArxivId, find_arxiv_ids, parse_arxiv_id

    eprint = _text(fields.get("eprint"))
    prefix = _text(fields.get("archiveprefix") or fields.get("eprinttype")).lower()
    if eprint and prefix in ("", "arxiv"):
        try:
            return parse_arxiv_id(eprint).id
        except (InvalidArxivId, ValueError):
            pass
    for name in ("url", "doi", "journal", "note", "howpublished"):
        value = _text(fields.get(name))
        if not value:
            continue
        if name == "doi" and value.lower().startswith("10.48550/"):
            value = "https://doi.org/" + value
        try:
            found = find_arxiv_ids(value)
        except ValueError:
            continue
        if found:
            return found[0].id
    return None


def _authors(value: object) -> list[str]:
    if isinstance(value, list):
        names = [_text(v) for v in value]
    else:
        names = [_text(v) for v in re.split(r"\s+and\s+", str(value or ""))]
    return [n for n in names if n and n.lower() != "others"]


def read_bib(text: str, report: ImportReport) -> list[BibEntry]:
    """The entries of a BibTeX text; unreadable blocks and entries without a title become warnings."""
    import bibtexparser
    from bibtexparser import middlewares as m

    from llmkb.editing import EditError, check_doi, check_url
    from llmkb.imports.merge import PaperFields

    if "\x00" in text[:4096]:
        raise InputError("not a BibTeX file (it is binary)")
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)  # its complaints come back below as warnings with line numbers
    try:
        library = bibtexparser.parse_string(  # type: ignore[attr-defined]  # exported, without __all__
            text,
            append_middleware=[
                m.LatexDecodingMiddleware(),
                m.SeparateCoAuthors(),
                m.SplitNameParts(),
                m.MergeNameParts(style="first"),
            ],
        )
    finally:
        log.setLevel(level)
    for block in library.failed_blocks:
        error = block.error
        reason = " ".join(str(getattr(error, "abort_reason", None) or error or "not a BibTeX entry").split())
        line = (block.start_line or 0) + 1
        report.warnings.append(f"line {line}: could not be read ({reason[:120]}); skipped")
    entries: list[BibEntry] = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        fields = {key.lower(): value for key, value in entry.fields_dict.items()}
        values = {key: field.value for key, field in fields.items()}
        title = _text(values.get("title"))
        if not title:
            report.warnings.append(f"line {line}: @{entry.entry_type}{{{entry.key}}} has no title; skipped")
            continue
        links = []
        url = _text(values.get("url"))
        if url:
            try:
                links.append({"kind": "paper", "url": check_url(url, "url")})
            except EditError as exc:
                report.warnings.append(f"line {line}: {exc}; left out")
        doi = _text(values.get("doi"))
        if doi:
            try:
                doi = check_doi(doi)
            except EditError as exc:
                report.warnings.append(f"line {line}: {exc}; left out")
                doi = ""
        arxiv_id = _arxiv_id(values)
        entries.append(
            BibEntry(
                line,
                entry.key,
                PaperFields(
                    arxiv_id=arxiv_id,
                    title=title,
                    authors=_authors(values.get("author")) or None,
                    year=_year(values.get("year")),
                    month=_month(values.get("month")),
                    venue=_text(values.get("journal") or values.get("booktitle")) or None,
                    doi=None if not doi or doi.lower().startswith("10.48550/") else doi,
                    abstract=_text(values.get("abstract")) or None,
                    links=links,
                ),
            )
        )
    return entries


def import_bib(
    db: Path,
    source: str,
    *,
    tags: Sequence[str] = (),
    offline: bool | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports a BibTeX file (or "-" for standard input, or a URL) into `db`."""
    from llmkb.awesome_list.source import read_list
    from llmkb.imports.list_import import offline_by_default
    from llmkb.imports.report import ImportReport
    from llmkb.linking.text import derive_text_links
    from llmkb.slugs import checked_tags
    from llmkb.store.papers_write import add_tags, save_paper, stored_id
    from llmkb.store.records import paper_ref
    from llmkb.store.write_session import write_session

    text, name = read_list(source)
    report = ImportReport(source=name)
    entries = read_bib(text, report)
    if not entries:
        unread = f" ({len(report.warnings)} blocks could not be read)" if report.warnings else ""
        raise InputError(f"{name}: no BibTeX entry with a title{unread}; nothing was imported")
    tag_paths = checked_tags(tags)
    source_name = f"bib:{name}"
    written: dict[str, int] = {}
    with write_session(db) as session:
        for entry in entries:
            outcome, paper = save_paper(session, entry.fields, source=source_name, authoritative=False)
            if tag_paths and add_tags(session, paper, tag_paths, "user") and outcome == "unchanged":
                outcome = "updated"
            ref = paper_ref(paper.arxiv_id, stored_id(paper))
            if ref in written:
                report.warnings.append(f"line {entry.line}: {entry.key} is the same paper as an earlier entry ({ref})")
                continue
            written[ref] = stored_id(paper)
            report.count(outcome, ref)
            report.paper_ids.append(stored_id(paper))
        derive_text_links(session, list(written.values()))
    arxiv_ids = [e.fields.arxiv_id for e in entries if e.fields.arxiv_id]
    if arxiv_ids and not (offline_by_default() if offline is None else offline):
        _ask_arxiv(db, list(dict.fromkeys(arxiv_ids)), tag_paths, report, progress)
    return report


def _ask_arxiv(db: Path, ids: list[str], tags: list[str], report: ImportReport, progress: Progress | None) -> None:
    from llmkb.arxiv import importer

    checked = importer.import_ids(db, ids, tags=tags, progress=progress)
    for arxiv_id in checked.not_found:
        report.warnings.append(f"arXiv has no paper {arxiv_id}; kept as the file says")
    if checked.error:
        report.notes.append(
            f"{checked.error}; {len(checked.not_fetched)} arXiv paper(s) kept as the file says, unverified "
            "(llmkb refresh --unverified checks them later)"
        )
    # papers arXiv rewrote count as updated by this import, not as unchanged
    for arxiv_id in checked.updated:
        if arxiv_id in report.unchanged:
            report.unchanged.remove(arxiv_id)
            report.updated.append(arxiv_id)
