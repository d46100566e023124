"""A list that `llmkb export md` wrote, read back as the entries the awesome-list parser would give.

The export says exactly which text is the title, the venue, the code link and the tag, so
`llmkb.export.markdown_reader` reads it field by field and the heuristic parser is not needed. What an
export leaves out stays empty rather than wrong: it shows only the first three authors, so a paper marked
"et al." gets no authors at all instead of a truncated list.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from llmkb.arxiv_ids import InvalidArxivId, parse_arxiv_id
from llmkb.awesome_list.model import Link, ListEntry
from llmkb.export.markdown_reader import ExportedEntry, read_exported_list


def _title_link_kind(url: str) -> str:
    return "pdf" if urlsplit(url).path.lower().endswith(".pdf") else "paper"


def _list_entry(exported: ExportedEntry) -> ListEntry:
    arxiv_id = version = None
    if exported.arxiv_id:
        try:
            parsed = parse_arxiv_id(exported.arxiv_id)
            arxiv_id, version = parsed.id, parsed.version
        except InvalidArxivId:
            arxiv_id = None
    links = [Link("code", url) for url in exported.code]
    # Without an arXiv page the title links to the paper, or to the code when the paper has no other link.
    if exported.url and arxiv_id is None and exported.url not in exported.code:
        links.insert(0, Link(_title_link_kind(exported.url), exported.url))
    return ListEntry(
        title=exported.title or None,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        venue=exported.venue,
        year=exported.year,
        authors=[] if exported.more_authors else list(exported.authors),
        links=links,
        note=exported.note,
        tags=[exported.tag] if exported.tag else [],
        line=exported.line,
    )


def exported_list_entries(text: str) -> list[ListEntry]:
    """One entry per occurrence of a paper (one per tag), in file order; [] when `text` is not an export."""
    return [_list_entry(entry) for entry in read_exported_list(text)]
