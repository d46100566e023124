"""`import-list --resolve`: list items with a title but no arXiv link are looked up on arXiv by title.

The same rule as `import --title` applies: only a close match (see `arxiv_import.TITLE_MATCH`) is taken;
anything less is reported as a warning with the best candidate, and the item is kept without arXiv ID.
"""

from __future__ import annotations

from llmkb.imports.list_import import Enricher, ListPaper


def arxiv_title_enricher() -> Enricher:
    from llmkb.arxiv.importer import fields_from_arxiv, resolve_title

    def enrich(paper: ListPaper, warnings: list[str]) -> None:
        f = paper.fields
        if f.arxiv_id or not f.title:
            return
        match = resolve_title(f.title, short_name=paper.bare)
        where = f"line {paper.lines[0]}"
        if match.best is None:
            if match.candidates:
                candidate, score = match.candidates[0]
                warnings.append(
                    f"{where}: {f.title!r} not resolved; closest on arXiv is {candidate.arxiv_id} "
                    f"{candidate.title!r} ({score:.0f}%)"
                )
            else:
                warnings.append(f"{where}: {f.title!r} not found on arXiv")
            return
        f.arxiv_id = match.best.arxiv_id
        paper.authoritative = fields_from_arxiv(match.best)
        paper.authority = "arxiv"

    return enrich
