"""`llmkb show`, `llmkb tag add|rm`, `llmkb tags`, `llmkb db info|check`."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kb_factory import build_small_kb
from llmkb.store.schema_version import head_revision


@pytest.fixture
def kb(cli, db_path):
    build_small_kb(db_path)
    return cli


@pytest.mark.parametrize(
    "ref",
    [
        "2403.03853",
        "arXiv:2403.03853v2",
        "https://arxiv.org/abs/2403.03853",
        "https://arxiv.org/pdf/2403.03853v1.pdf",
        "ShortGPT: Layers in Large Language Models are More Redundant Than You Expect",
        "shortgpt layers in large language models are more redundant",
    ],
)
def test_show_accepts_any_id_form_or_a_title(kb, ref):
    result = kb("show", ref, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "2403.03853"


def test_show_prints_every_field(kb):
    result = kb("show", "2210.17323")
    assert result.exit_code == 0
    for text in (
        "GPTQ",
        "Elias Frantar",
        "2022-10-31",
        "model-compression/quantization",
        "https://arxiv.org/abs/2210.17323",
        "one-shot weight quantization",
    ):
        assert text in result.stdout


def test_show_paper_without_arxiv_id(kb):
    result = kb("show", "kb-5", "--format", "json")
    assert json.loads(result.stdout)["title"] == "Model compression"


def test_show_ambiguous_title_lists_candidates(kb):
    result = kb("show", "Large Language Models")
    assert result.exit_code == 1
    assert "fits several papers" in result.stderr
    assert "2403.03853" in result.stdout and "2401.15024" in result.stdout


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("2501.99999", "no paper with arXiv ID"),
        ("1513.00001", "not a valid arXiv ID"),
        ("kb-999", "no paper kb-999"),
        ("completely unrelated words about cooking", "no paper matches"),
    ],
)
def test_show_unknown_paper_is_one_line(kb, ref, message):
    result = kb("show", ref)
    assert result.exit_code == (2 if "valid" in message else 1)  # an impossible ID is a usage error
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_tag_add_and_rm(kb):
    result = kb("tag", "add", "2403.03853", "Must Read", "layer-pruning")
    assert result.exit_code == 0, result.stderr
    assert "must-read" in result.stdout
    assert set(kb("search", "-t", "must-read", "--format", "ids").stdout.split()) == {"2403.03853"}
    again = kb("tag", "add", "2403.03853", "must-read")
    assert "already tagged" in again.stdout
    removed = kb("tag", "rm", "2403.03853", "must-read")
    assert removed.exit_code == 0
    assert kb("search", "-t", "must-read", "--format", "ids").stdout.split() == []


def test_tags_are_searchable_text(kb):
    kb("tag", "add", "1503.02531", "teacher-student")
    assert kb("search", "teacher", "--format", "ids").stdout.split() == ["1503.02531"]


def test_tags_tree_counts_papers_under_each_node(kb):
    result = kb("tags", "--format", "json")
    counts = dict((d["tag"], d["papers"]) for d in json.loads(result.stdout))
    assert counts["model-compression/pruning"] == 2
    assert counts["distillation"] == 2
    tree = kb("tags", "--format", "table").stdout
    assert "model-compression (3)" in tree
    assert "pruning (2)" in tree


def test_db_info_reports_path_revision_and_counts(kb, db_path):
    result = kb("db", "info", "--format", "json")
    info = json.loads(result.stdout)
    assert info["path"] == str(db_path)
    assert info["revision"] == head_revision()
    assert info["counts"]["paper"] == 6
    assert info["counts"]["tag"] == 6  # five tag paths and model-compression, the parent of two


def test_db_check_passes_then_fails_on_a_broken_index(kb, db_path):
    assert kb("db", "check").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM paper_fts WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = kb("db", "check")
    assert result.exit_code == 1
    assert "full-text index" in result.stderr


@pytest.mark.parametrize(
    "title",
    [
        "ShortGPT Layers in Large Language Model are More Redundant Than You Expect",  # singular for plural
        "ShortGPT Lyaers in Large Language Models are More Redundant Than You Expect",  # one word mistyped
        "ShortGPT Layerz in Large Languagge Models are More Redundantt Than You Expect",  # typos after 4 letters
    ],
)
def test_a_title_with_slips_finds_its_paper(db_path, title):
    from llmkb import KB

    build_small_kb(db_path)
    with KB(db_path) as kb:
        assert kb.get(title)["id"] == "2403.03853"
