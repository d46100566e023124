"""The synthetic awesome list of the scale benchmark: deterministic, valid, and read by the parser as meant.

No timings here; `benchmarks/scale.py` measures.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import scale_corpus  # noqa: E402

from llmkb.arxiv.ids import parse_arxiv_id  # noqa: E402
from llmkb.awesome_list import parse_awesome_list  # noqa: E402

SIZE = 50
_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.(\d{5})$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    info = scale_corpus.generate(SIZE, folder / "list.md", folder / "results.csv")
    return info, (folder / "list.md").read_text(encoding="utf-8"), folder


def arxiv_ids(text: str) -> list[str]:
    return re.findall(r"\[\[pdf\]\(https://arxiv\.org/abs/([^)]+)\)\]", text)


def test_same_size_and_seed_give_the_same_files(corpus, tmp_path):
    info, text, folder = corpus
    again = scale_corpus.generate(SIZE, tmp_path / "list.md", tmp_path / "results.csv")
    assert (tmp_path / "list.md").read_text(encoding="utf-8") == text
    assert (tmp_path / "results.csv").read_bytes() == (folder / "results.csv").read_bytes()
    assert again == info
    other = scale_corpus.generate(SIZE, tmp_path / "other.md", tmp_path / "other.csv", seed=7)
    assert (tmp_path / "other.md").read_text(encoding="utf-8") != text
    assert other.one_hit_id


def test_one_hit_word_once_and_no_hit_words_never(corpus):
    info, text, _ = corpus
    lower = text.lower()
    assert lower.count(scale_corpus.ONE_HIT_WORD) == 1
    assert scale_corpus.NO_HIT_WORD not in lower
    assert scale_corpus.TYPO_QUERY not in lower
    bullet = next(b for b in text.split("\n- ") if scale_corpus.ONE_HIT_WORD in b.lower())
    assert f"abs/{info.one_hit_id})" in bullet


def test_ids_are_unique_valid_new_style_arxiv_ids_from_2019_to_2026(corpus):
    _, text, _ = corpus
    ids = arxiv_ids(text)
    assert len(set(ids)) == SIZE  # some papers are listed under two headings, each counts once
    for arxiv_id in set(ids):
        m = _NEW_STYLE.match(arxiv_id)
        assert m, arxiv_id
        assert 19 <= int(m.group(1)) <= 26 and 1 <= int(m.group(2)) <= 12 and int(m.group(3)) >= 1
        assert parse_arxiv_id(arxiv_id).id == arxiv_id


def test_the_parser_reads_titles_authors_years_and_tags(corpus):
    info, text, _ = corpus
    parsed = parse_awesome_list(text)
    entries = {e.arxiv_id: e for e in parsed.entries}
    assert len(entries) == SIZE and not parsed.warnings
    for e in entries.values():
        assert e.title and len(e.authors) >= 2 and e.year and e.tags, e
    assert info.author in entries[info.show_id].authors
    assert all(tag.count("/") <= 1 for e in entries.values() for tag in e.tags)


def test_results_rows_name_listed_papers(corpus):
    info, text, folder = corpus
    with open(folder / "results.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == info.results_rows
    assert {r["paper"] for r in rows} <= set(arxiv_ids(text))
    assert all(r["dataset"] and r["metric"] and float(r["value"]) > 0 for r in rows)
