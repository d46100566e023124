"""Merging the arXiv metadata file into list papers: the seed build's `enrich` step.

The metadata file (`data/metadata/papers.jsonl`) holds exact titles, authors, dates and categories for the
papers the seed lists cite. Where a list and the metadata disagree the metadata wins, and every such
decision is reported:
- an item without arXiv link is matched to a metadata record by title;
- an arXiv ID whose metadata title is nothing like the item's title is a wrong ID: the item is moved to
  the record its title matches (seed 002 links Flan-T5 to InstructGPT's ID);
- a list title that differs from the arXiv title is replaced;
- a list year that disagrees with the first arXiv version is corrected when the list names no venue
  other than arXiv (a venue year, such as ICLR 2024 for a 2023 preprint, is kept).
"""

from __future__ import annotations

import json
from pathlib import Path

from llmkb.imports.arxiv_check import different_papers
from llmkb.imports.list_import import Enricher, ListPaper
from llmkb.imports.merge import PaperFields
from llmkb.thresholds import SAME_TITLE
from llmkb.titles import short_name_of, title_key


def load_metadata(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def metadata_enricher(records: list[dict], decisions: list[str]) -> Enricher:
    from rapidfuzz import fuzz, process

    by_id = {r["arxiv_id"]: r for r in records if r.get("arxiv_id")}
    keys = {i: title_key(r["title"]) for i, r in enumerate(records)}

    def by_title(title: str) -> dict | None:
        hit = process.extractOne(title_key(title), keys, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_TITLE)
        return records[hit[2]] if hit else None

    short_names: dict[str, dict] = {}
    for record in records:
        name = short_name_of(record["title"])
        if name:
            short_names.setdefault(title_key(name), record)

    def enrich(paper: ListPaper, warnings: list[str]) -> None:
        f = paper.fields
        where = f"line {paper.lines[0]}"
        record = by_id.get(f.arxiv_id) if f.arxiv_id else None
        if f.arxiv_id and record and f.title:
            better = by_title(f.title) if different_papers(f.title, record["title"]) else None
            if better is not None and better is not record:
                decisions.append(
                    f"{where}: {f.title!r} is linked to arXiv {f.arxiv_id} ({record['title']!r}); "
                    f"the metadata gives it {better['arxiv_id'] or 'no arXiv ID'}"
                )
                f.arxiv_id, f.arxiv_version, record = better["arxiv_id"], None, better
                paper.wrong_id = True
        elif not f.arxiv_id and f.title:
            record = short_names.get(title_key(f.title)) if paper.bare else by_title(f.title)
            if record is not None:
                found = record["arxiv_id"] or "no arXiv ID"
                decisions.append(f"{where}: {f.title!r} matched by title to {found}")
                f.arxiv_id = record["arxiv_id"]
        if record is None:
            return
        if f.title and title_key(f.title) != title_key(record["title"]):
            decisions.append(f"{where}: title {f.title!r} replaced by the arXiv title {record['title']!r}")
        published = record.get("published")
        paper.authoritative = PaperFields(
            arxiv_id=record.get("arxiv_id"),
            arxiv_version=record.get("latest_version"),
            title=record["title"],
            authors=record.get("authors") or None,
            published=published,
            updated=record.get("updated"),
            primary_category=record.get("primary_category"),
            categories=record.get("categories") or None,
            doi=record.get("doi"),
            journal_ref=record.get("journal_ref"),
        )
        if published and (f.venue in (None, "arXiv") or paper.wrong_id):
            year, month = int(published[:4]), int(published[5:7])
            if f.year is not None and (f.year, f.month or month) != (year, month):
                given = f"{f.year}" + (f"/{f.month:02d}" if f.month else "")
                decisions.append(
                    f"{where}: {record['title']!r} dated {given} in the list; first arXiv version is {published}"
                )
            f.year, f.month = year, month

    return enrich
