"""`llmkb search`: ranking, typo correction, filters, output formats, and safety with any query text."""

from __future__ import annotations

import json

import pytest

from kb_factory import build_small_kb


@pytest.fixture
def kb(cli, db_path):
    build_small_kb(db_path)
    return cli


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_query_finds_papers_by_title_words(kb):
    assert ids(kb("search", "quantization", "--format", "ids")) == ["2210.17323"]


def test_misspelled_word_is_corrected_and_the_correction_reported(kb):
    result = kb("search", "prunning", "--format", "ids")
    assert set(ids(result)) == {"2403.03853", "2401.15024"}
    assert "'pruning' instead of 'prunning'" in result.stderr


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("quantisation", "2210.17323"),
        ("distilation", "1503.02531"),
        ("speculatve", "2211.17192"),
        ("shortgtp", "2403.03853"),
    ],
)
def test_typos_find_the_intended_paper(kb, typo, expected):
    result = kb("search", typo, "--format", "ids")
    assert expected in ids(result)
    assert "instead of" in result.stderr


def test_exact_title_comes_first(kb):
    found = ids(kb("search", "Model compression", "--format", "ids"))
    assert found[0] == "kb-5"


def test_no_query_lists_every_paper_newest_first(kb):
    assert ids(kb("search", "--format", "ids")) == [
        "2403.03853",
        "2401.15024",
        "2211.17192",
        "2210.17323",
        "1503.02531",
        "kb-5",
    ]


def test_tag_matches_any_segment_and_parents_match_children(kb):
    assert set(ids(kb("search", "-t", "pruning", "--format", "ids"))) == {"2403.03853", "2401.15024"}
    assert len(ids(kb("search", "-t", "model-compression", "--format", "ids"))) == 3
    assert ids(kb("search", "-t", "Model Compression/Quantization", "--format", "ids")) == ["2210.17323"]


def test_tags_combine_with_and_and_not(kb):
    assert ids(kb("search", "-t", "pruning", "-t", "survey-picks", "--format", "ids")) == ["2401.15024"]
    assert ids(kb("search", "-t", "pruning", "-T", "survey-picks", "--format", "ids")) == ["2403.03853"]


def test_author_filter_tolerates_typos(kb):
    assert ids(kb("search", "--author", "Geoffry Hinton", "--format", "ids")) == ["1503.02531"]
    assert set(ids(kb("search", "--author", "Saleh Ashkbos", "--format", "ids"))) == {"2401.15024", "2210.17323"}


def test_date_filters(kb):
    assert ids(kb("search", "--year", "2006", "--format", "ids")) == ["kb-5"]
    assert set(ids(kb("search", "--since", "2024", "--format", "ids"))) == {"2403.03853", "2401.15024"}
    assert ids(kb("search", "--since", "2024-02", "--until", "2024-03", "--format", "ids")) == ["2403.03853"]
    assert ids(kb("search", "--until", "2015", "--format", "ids")) == ["1503.02531", "kb-5"]


def test_category_filter(kb):
    assert set(ids(kb("search", "--category", "cs.CL", "--format", "ids"))) == {"2403.03853", "2401.15024"}


def test_limit(kb):
    assert len(ids(kb("search", "--limit", "2", "--format", "ids"))) == 2


def test_json_output_has_full_records(kb):
    result = kb("search", "gptq", "--format", "json")
    records = json.loads(result.stdout)
    assert records[0]["id"] == "2210.17323"
    assert records[0]["authors"] == ["Elias Frantar", "Saleh Ashkboos"]
    assert records[0]["tags"] == ["model-compression/quantization"]
    assert records[0]["url"] == "https://arxiv.org/abs/2210.17323"


def test_table_output_into_a_pipe_is_tab_separated(kb):
    result = kb("search", "ShortGPT")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")
    assert first[:2] == ["2403.03853", "2024"]
    assert first[2].startswith("ShortGPT: Layers")
    assert first[3] == "model-compression/pruning"


def test_table_output_on_a_terminal_is_a_rich_table(kb, monkeypatch):
    from llmkb.cli import output

    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    result = kb("search", "ShortGPT")
    assert "┃ ID " in result.stdout
    assert "│ 2403.03853 │ 2024 │ ShortGPT" in result.stdout


def test_no_match_is_a_friendly_line_on_stderr_and_exit_zero(kb):
    result = kb("search", "zzzzqqqq")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No paper matches" in result.stderr


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "*",
        "AND(",
        "-x",
        ":",
        "NEAR",
        "NEAR(a b)",
        "title:foo",
        "a OR",
        "'; DROP TABLE paper;--",
        ".",
        "^",
        "(((",
        "剪枝",
        "Ｑｕａｎｔ",
        "🙂",
        "x" * 500,
        "\\",
        "%_",
    ],
)
def test_any_query_text_is_safe(kb, query):
    result = kb("search", "--", query)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("args", [["--since", "2024-13"], ["--until", "last year"], ["-t", "///"]])
def test_bad_filter_values_exit_2_with_one_line(kb, args):
    result = kb("search", *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_query_of_identifiers_finds_those_papers_in_order(kb):
    assert ids(kb("search", "arXiv:1503.02531v1 https://arxiv.org/abs/2403.03853 kb-5", "--format", "ids")) == [
        "1503.02531",
        "2403.03853",
        "kb-5",
    ]
    assert ids(kb("search", "2210.17323", "-t", "pruning", "--format", "ids")) == []
