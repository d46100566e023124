"""An exported markdown list, imported into an empty database, gives back the same papers.

Same arXiv IDs (papers without one keep their title; their `kb-<n>` IDs are row numbers of the database
they live in), titles, venues, years, tags, notes, authors and every link.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from llmkb.store.papers_write import PaperFields, add_tags, save_paper
from llmkb.store.records import iter_records
from llmkb.store.write_session import write_session


def records(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        ids = [row[0] for row in conn.execute("SELECT id FROM paper ORDER BY id")]
        return list(iter_records(conn, ids))
    finally:
        conn.close()


def key(record: dict) -> str:
    return record["arxiv_id"] or "title:" + " ".join(record["title"].split()).casefold()


def one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def summary(record: dict) -> dict:
    """What an export carries; text is compared on one line, as a list item holds it."""
    published = record["published"] or ""
    return {
        "arxiv_id": record["arxiv_id"],
        "title": one_line(record["title"]),
        "venue": record["venue"],
        "year": record["year"] or (int(published[:4]) if published[:4].isdigit() else None),
        "tags": sorted(record["tags"]),
        "note": one_line(record["note"]),
        "code": [link["url"] for link in record["links"] if link["kind"] == "code"],
        "links": sorted((link["kind"], link["url"]) for link in record["links"]),  # tables group code links
        "authors": record["authors"],
    }


def by_key(db: Path) -> dict[str, dict]:
    return {key(record): record for record in records(db)}


def import_list(target: Path, path: Path) -> dict:
    result = Cli(target)("import-list", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)
    return report


def round_trip(source: Path, target: Path, tmp_path: Path, *export_args: str) -> dict:
    """Export `source` as markdown, import the file into `target`; returns the import's summary."""
    exported = tmp_path / "exported.md"
    result = Cli(source)("export", "md", "-o", str(exported), "--force", *export_args)
    assert result.exit_code == 0, result.stderr
    return import_list(target, exported)


def assert_same_papers(source: Path, target: Path) -> None:
    before, after = by_key(source), by_key(target)
    assert sorted(after) == sorted(before)
    for paper_key, record in before.items():
        assert summary(after[paper_key]) == summary(record), paper_key


def test_the_seed_database_has_what_the_round_trip_must_keep(seed_db):
    papers = records(seed_db)
    assert len(papers) > 50
    assert any(not p["arxiv_id"] for p in papers)
    assert sum(1 for p in papers if p["note"]) > 5
    assert sum(1 for p in papers if p["venue"]) > 5
    assert any(len(p["tags"]) > 1 for p in papers)
    assert any(link["kind"] == "code" for p in papers for link in p["links"])


@pytest.mark.parametrize("style", ["list", "table"])
def test_seed_export_imports_back_to_the_same_papers(seed_db, tmp_path, style):
    target = tmp_path / "empty.sqlite"
    report = round_trip(seed_db, target, tmp_path, "--style", style)
    assert report["added"] == len(records(seed_db))
    assert report["warnings"] == []
    assert_same_papers(seed_db, target)


def test_importing_the_same_export_twice_changes_nothing(seed_db, tmp_path):
    target = tmp_path / "empty.sqlite"
    round_trip(seed_db, target, tmp_path)
    first = records(target)
    report = import_list(target, tmp_path / "exported.md")
    assert (report["added"], report["updated"], report["unchanged"], report["tags_added"]) == (0, 0, len(first), 0)
    assert records(target) == first


def test_author_lists_come_back_whole_short_or_long(seed_db, tmp_path):
    target = tmp_path / "empty.sqlite"
    round_trip(seed_db, target, tmp_path)
    before, after = by_key(seed_db), by_key(target)
    short = [k for k, p in before.items() if 0 < len(p["authors"]) <= 3]
    long = [k for k, p in before.items() if len(p["authors"]) > 3]
    assert short and long
    for paper_key in short + long:
        assert after[paper_key]["authors"] == before[paper_key]["authors"]


def test_other_groupings_bring_the_papers_back_without_tags(seed_db, tmp_path):
    target = tmp_path / "empty.sqlite"
    round_trip(seed_db, target, tmp_path, "--group-by", "venue")
    before, after = by_key(seed_db), by_key(target)
    assert sorted(after) == sorted(before)
    assert all(p["tags"] == [] for p in after.values())
    assert all(after[k]["title"] == one_line(p["title"]) for k, p in before.items())


AWKWARD = [
    (
        PaperFields(
            arxiv_id="2403.03853",
            title="ShortGPT: Layers — *Redundant* | [Really] <b> `x` _y_ \\ & Co",
            authors=["Xin Men", "Mingyu Xu", "et al."],
            published="2024-03-06",
            venue="ACL Findings",
            note="Drops *whole* layers — see [BI] <score> & `code` | 50% of _all_ \\ end",
            links=[
                {"kind": "code", "url": "https://github.com/a/one"},
                {"kind": "project", "url": "https://a.github.io/short"},
                {"kind": "code", "url": "https://github.com/a/two"},
                {"kind": "summary", "url": "https://blog.example.org/shortgpt"},
            ],
        ),
        ["model-compression/pruning", "a/b/c/d/e/f/g", "contents", "untagged", "llm"],
    ),
    (
        PaperFields(
            title="Ünïcödé Títle: 量化 for LLMs",
            year=2023,
            venue="NeurIPS",
            links=[{"kind": "pdf", "url": "https://example.org/papers/unicode.pdf"}],
        ),
        ["quantization"],
    ),
    (
        PaperFields(
            title="A Paper Known Only By Its Code",
            year=2021,
            links=[{"kind": "code", "url": "https://github.com/only/code"}],
        ),
        [],
    ),
    (
        PaperFields(
            arxiv_id="hep-th/9901001",
            title="An Old-Style Identifier",
            published="1999-01-04",
            note="1. starts like a numbered item",
        ),
        ["physics"],
    ),
    (
        PaperFields(
            arxiv_id="2310.00001",
            title="# Looks Like a Heading",
            published="2023-10-01",
            venue="ICLR",
            year=2024,
            note="- looks like a list item",
        ),
        ["rag/retrieval"],
    ),
]


@pytest.fixture
def awkward_db(tmp_path) -> Path:
    path = tmp_path / "awkward.sqlite"
    with write_session(path) as session:
        for fields, tags in AWKWARD:
            _outcome, paper = save_paper(session, fields, source="user", authoritative=True)
            add_tags(session, paper, tags, "user")
    return path


@pytest.mark.parametrize("style", ["list", "table"])
def test_markup_unicode_deep_tags_and_papers_without_arxiv_id_survive(awkward_db, tmp_path, style):
    target = tmp_path / "empty.sqlite"
    round_trip(awkward_db, target, tmp_path, "--style", style, "--with-xref")
    assert_same_papers(awkward_db, target)
    after = by_key(target)
    assert after["title:ünïcödé títle: 量化 for llms"]["links"] == [
        {"kind": "pdf", "url": "https://example.org/papers/unicode.pdf"}
    ]
    assert after["title:a paper known only by its code"]["links"] == [
        {"kind": "code", "url": "https://github.com/only/code"}
    ]
