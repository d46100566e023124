"""The list-fidelity benchmark's scoring rules, on hand-made gold entries and records."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from list_fidelity_score import (  # noqa: E402
    RecordIndex,
    Tally,
    authors_equal,
    norm_title,
    norm_url,
    score_list,
    target_line,
    title_key,
    venue_key,
    venues_equal,
)


def record(**fields) -> dict:
    base = {
        "id": "kb-1",
        "arxiv_id": None,
        "title": None,
        "authors": [],
        "venue": None,
        "year": None,
        "doi": None,
        "links": [],
        "url": None,
        "short_name": None,
    }
    base.update(fields)
    return base


def gold(line: int = 10, **fields) -> dict:
    base = {
        "line": line,
        "arxiv_id": None,
        "url": None,
        "title": "A Paper",
        "authors": None,
        "venue": None,
        "year": None,
        "code": None,
    }
    base.update(fields)
    return base


def test_titles_compare_without_case_quotes_spacing_or_final_period():
    assert norm_title("“Sparse  Mixers:  A Study”.") == norm_title("sparse mixers: a study")
    assert norm_title("Ｆｕｌｌ-width Ｔｉｔｌｅ") == norm_title("Full-width Title")
    assert norm_title("Sparse Mixers: A Study") != norm_title("Sparse Mixers: A Study, Preprint 2021")
    assert norm_title("Sparse Mixers") != norm_title("arXiv:2101.00001")


def test_title_key_ignores_punctuation_and_keeps_cjk():
    assert title_key("Tree-of-Thought: A Survey!") == title_key("tree of thought a survey")
    assert title_key("长度外推：一个笔记") == "长度外推一个笔记"
    assert title_key("长度外推") != title_key("局部注意力")


def test_authors_compare_names_and_et_al():
    assert authors_equal(["Ann Lee", "Bo Chen."], ["ann lee", "Bo  Chen"])
    assert authors_equal(["Ann Lee", "et al."], ["Ann Lee", "et al"])
    assert not authors_equal(["Ann Lee", "et al."], ["Ann Lee"])
    assert not authors_equal(["Ann Lee", "Bo Chen"], ["Bo Chen", "Ann Lee"])
    assert not authors_equal(["Ann Lee"], [])


def test_venue_normalisation():
    assert venues_equal("NeurIPS", "NIPS")
    assert venues_equal("Findings of ACL", "ACL Findings")
    assert venues_equal("Findings of EMNLP", "findings-emnlp")
    assert venues_equal("ACM MM", "acm-mm")
    assert not venues_equal("ICLR Workshop", "ICLR")
    assert not venues_equal("ICLR", "ICLR 2024")
    assert not venues_equal("ICLR", None)
    assert venue_key("arXiv") == venue_key("Arxiv") == "arxiv"


def test_urls_ignore_scheme_trailing_slash_and_dot_git():
    assert norm_url("https://github.com/ann/tool/") == norm_url("http://github.com/ann/tool.git")
    assert norm_url("https://GitHub.com/ann/tool") == norm_url("https://github.com/ann/tool")
    assert norm_url("https://github.com/ann/tool") != norm_url("https://github.com/ann/tool2")


def test_matching_by_id_then_link_or_doi_then_title():
    records = [
        record(id="2401.00001", arxiv_id="2401.00001v2", title="Stored With Version"),
        record(id="kb-2", title="Other", links=[{"kind": "paper", "url": "https://openreview.net/forum?id=abc"}]),
        record(id="kb-3", title="Has DOI", doi="10.1145/123.456"),
        record(id="kb-4", title="Matched: By Title!"),
    ]
    index = RecordIndex(records)
    assert index.match(gold(arxiv_id="2401.00001"))["id"] == "2401.00001"
    assert index.match(gold(url="http://openreview.net/forum?id=abc/"))["id"] == "kb-2"
    assert index.match(gold(url="https://example.org/x", doi="10.1145/123.456"))["id"] == "kb-3"
    assert index.match(gold(title="matched by title"))["id"] == "kb-4"
    assert index.match(gold(arxiv_id="2401.99999", title="Nowhere")) is None


def test_a_faithful_record_scores_every_field():
    entry = gold(
        arxiv_id="2402.00002",
        title="Good Paper",
        authors=["Ann Lee", "et al."],
        venue="ICLR",
        year=2024,
        code="https://github.com/ann/good",
    )
    stored = record(
        arxiv_id="2402.00002",
        title="Good Paper.",
        authors=["Ann Lee", "et al."],
        venue="ICLR",
        year=2024,
        links=[{"kind": "code", "url": "https://github.com/ann/good/"}],
    )
    tally = score_list("demo.md", [entry], [stored])
    for name in ("ids", "titles", "authors", "venues", "nonarxiv_venues", "years", "code"):
        assert (tally.right[name], tally.total[name]) == (1, 1), name
    assert tally.misses == [] and tally.not_found == 0


def test_wrong_fields_are_misses_and_arxiv_venues_are_not_non_arxiv():
    entry = gold(
        line=7,
        arxiv_id="2403.00003",
        title="Right Title",
        authors=["Bo Chen"],
        venue="arXiv",
        year=2024,
        code="https://github.com/bo/x",
    )
    stored = record(arxiv_id="2403.00003", title="Right Title, arXiv 2024", authors=[], venue=None, year=None)
    tally = score_list("demo.md", [entry], [stored])
    assert tally.right["ids"] == 1
    assert {m.field for m in tally.misses} == {"titles", "authors", "venues", "years", "code"}
    assert tally.total["nonarxiv_venues"] == 0
    assert all(m.line == 7 and m.list_name == "demo.md" for m in tally.misses)


def test_an_entry_not_found_fails_every_field_it_has():
    entry = gold(url="https://aclanthology.org/x.pdf", title="Lost Paper", venue="ACL", year=2023)
    tally = score_list("demo.md", [entry], [record(title="Something else")])
    assert tally.not_found == 1 and tally.n == 1
    assert tally.total["ids"] == 0 and tally.total["authors"] == 0 and tally.total["code"] == 0
    assert (tally.right["titles"], tally.total["titles"]) == (0, 1)
    assert (tally.right["nonarxiv_venues"], tally.total["nonarxiv_venues"]) == (0, 1)
    assert {m.stored for m in tally.misses} == {"(not found)"}


def test_expectations_override_title_and_authors():
    entry = gold(arxiv_id="2404.00004", title="List Title", authors=None)
    stored = record(arxiv_id="2404.00004", title="Served Title", authors=["A. Author", "B. Author"])
    expect = {10: {"title": "Served Title", "authors": ["A. Author", "B. Author"]}}
    tally = score_list("demo.md", [entry], [stored], expect)
    assert (tally.right["titles"], tally.right["authors"], tally.total["authors"]) == (1, 1, 1)


def test_cells_totals_and_targets():
    tally = Tally()
    tally.right["titles"], tally.total["titles"] = 33, 35
    assert tally.cell("titles") == "94.3% (33/35)"
    assert tally.cell("code") == "—"
    other = Tally()
    other.right["titles"], other.total["titles"] = 2, 5
    tally.add(other)
    assert tally.cell("titles") == "87.5% (35/40)"
    line = target_line(tally, {"titles": 98.0, "ids": 100.0})
    assert line == "targets: titles ≥ 98% BELOW, ids 100% —"
    perfect = Tally()
    perfect.right["ids"], perfect.total["ids"] = 4, 4
    assert target_line(perfect, {"ids": 100.0}) == "targets: ids 100% ok"
