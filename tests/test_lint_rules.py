"""Every lint code is caught where a list of our own making plants it, at the line it is on, and a clean list
gives nothing. Codes that need arXiv are checked against the local stand-in; the rest offline."""

from __future__ import annotations

import pytest

from lint_support import arxiv_papers, line_of, list_path
from llmkb.kb import KB
from llmkb.lint.findings import RULES

# code -> (list, text on the line the finding must be on)
OFFLINE = {
    "LK103": ("ids.md", "2313.12345"),
    "LK104": ("ids.md", "Scaling Instruction-Finetuned"),
    "LK105": ("ids.md", "1503.02531arXiv"),
    "LK110": ("ids.md", "/ftp/arxiv/"),
    "LK201": ("dates.md", "2021/05"),
    "LK202": ("dates.md", "2024/02"),
    "LK203": ("dates.md", "[Arxiv 2024]"),
    "LK204": ("dates.md", "2023/10"),
    "LK205": ("dates.md", "[NeurIPS 2021]"),
    "LK301": ("names.md", "LLaMaA2-13B"),
    "LK302": ("names.md", "Mixtral-7B"),
    "LK303": ("names.md", "FooBarQA"),
    "LK304": ("names.md", "C4 (Crawled Corpus)"),
    "LK401": ("structure.md", "#quantization-tricks"),
    "LK402": ("structure.md", "- Surveys"),
    "LK403": ("structure.md", "## Empty Topic"),
    "LK404": ("structure.md", "##\n"),
    "LK405": ("structure.md", "Effiicient"),
    "LK406": ("structure.md", "- \n"),
    "LK407": ("structure.md", " ### Indented"),
    "LK501": ("entries.md", "Rows and Columns](https://arxiv.org/abs/2401.15024) again"),
    "LK502": ("entries.md", "## Compression\n+1"),  # the item under the heading
    "LK503": ("entries.md", "SmoothQuant"),
    "LK504": ("entries.md", "Language Models]()"),
    "LK505": ("entries.md", "lm-evaluation- harness"),
    "LK507": ("entries.md", "Ineffectiveness of the Deeper Layers"),
    "LK508": ("ids.md", "[https://arxiv.org/abs/2307.09288]"),
    "LK509": ("entries.md", "papers/gptq.pdf"),
    "LK601": ("text.md", "â€”"),
    "LK602": ("text.md", "Buciluundefined"),
    "LK603": ("text.md", "Alexan- 659 dru"),
    "LK604": ("text.md", "Jamba:A"),
    "LK605": ("text.md", "[1],[2],"),
}
ONLINE = {
    "LK101": ("ids.md", "Scaling Instruction-Finetuned"),
    "LK102": ("ids.md", "2401.99999"),
    "LK106": ("ids.md", "LORA: LOW-RANK"),
    "LK107": ("ids.md", "LM-INFINITE"),
    "LK108": ("ids.md", "Retracted Results"),
    "LK109": ("ids.md", "2402.01680v1"),
    "LK506": ("entries.md", "papers/gptq.pdf"),
}


def _line(name: str, needle: str) -> int:
    if needle.endswith("\n+1"):
        return _line(name, needle[:-2]) + 1
    if needle.endswith("\n"):  # a whole line
        lines = list_path(name).read_text(encoding="utf-8").splitlines()
        return lines.index(needle[:-1]) + 1
    return line_of(name, needle)


def _lint(db_path, name: str, *, offline: bool):
    with KB(db_path) as kb:
        return kb.lint([str(list_path(name))], offline=offline)


def test_every_code_has_a_planted_case():
    assert set(OFFLINE) | set(ONLINE) == {rule.code for rule in RULES}
    assert all(RULES_BY_CODE[code].network for code in ONLINE)
    assert not any(RULES_BY_CODE[code].network for code in OFFLINE)


RULES_BY_CODE = {rule.code: rule for rule in RULES}


@pytest.mark.parametrize("code", sorted(OFFLINE))
def test_offline_code_is_found_on_its_line(code, db_path):
    name, needle = OFFLINE[code]
    report = _lint(db_path, name, offline=True)
    lines = {f.line for f in report.findings if f.code == code}
    assert _line(name, needle) in lines, [(f.code, f.line, f.message) for f in report.findings]
    assert not db_path.exists()  # offline lint creates no database


@pytest.mark.parametrize("code", sorted(ONLINE))
def test_code_that_needs_arxiv_is_found_on_its_line(code, db_path, arxiv_server):
    arxiv_server.add(*arxiv_papers())
    name, needle = ONLINE[code]
    report = _lint(db_path, name, offline=False)
    lines = {f.line for f in report.findings if f.code == code}
    assert _line(name, needle) in lines, [(f.code, f.line, f.message) for f in report.findings]


def test_offline_findings_name_no_code_that_needs_arxiv(db_path):
    for name in ("ids.md", "entries.md", "dates.md"):
        report = _lint(db_path, name, offline=True)
        assert not [f for f in report.findings if f.rule.network]


def test_a_clean_list_has_no_findings_offline_or_online(db_path, arxiv_server):
    arxiv_server.add(*arxiv_papers())
    assert _lint(db_path, "clean.md", offline=True).findings == []
    assert _lint(db_path, "clean.md", offline=False).findings == []


def test_wrong_id_names_the_id_arxiv_finds_for_the_title(db_path, arxiv_server):
    arxiv_server.add(*arxiv_papers())
    report = _lint(db_path, "ids.md", offline=False)
    (mismatch,) = [f for f in report.findings if f.code == "LK101"]
    assert "2210.11416" in mismatch.message and mismatch.fix.startswith("2210.11416")
    assert [(e.old, e.new) for e in mismatch.edits] == [("2203.02155", "2210.11416")]
    # the first-version date is also held against the paper the title names
    assert "Training language models" not in mismatch.message.split("but arXiv's")[0]


def test_old_version_title_says_which_version(db_path, arxiv_server):
    arxiv_server.add(*arxiv_papers())
    report = _lint(db_path, "ids.md", offline=False)
    (old,) = [f for f in report.findings if f.code == "LK107"]
    assert "v1" in old.message and "Zero-Shot Extreme" in old.message
    assert not [f for f in report.findings if f.code == "LK106" and f.line == old.line]


def test_model_names_in_tables_are_not_called_wrong_titles(db_path):
    text = (
        "# Models\n\n## Instruction-tuned models\n\n| Model | Paper |\n|---|---|\n"
        "| mT0 | [paper](https://arxiv.org/abs/2211.01786) |\n"
        "| BLOOMZ | [paper](https://arxiv.org/abs/2211.01786) |\n"
    )
    from llmkb.lint import lint_texts

    report = lint_texts([("models.md", text)])
    assert not [f for f in report.findings if f.code in ("LK104", "LK501")]


def test_select_and_ignore_take_codes_prefixes_and_names(db_path):
    from llmkb.lint import Selection

    with KB(db_path) as kb:
        only = kb.lint([str(list_path("structure.md"))], offline=True, select=["LK40"], ignore=["empty-heading"])
    codes = {f.code for f in only.findings}
    assert codes and all(c.startswith("LK40") for c in codes) and "LK404" not in codes
    assert "LK101" not in Selection(("LK1",), ("arxiv-title-mismatch",))
    with pytest.raises(Exception, match="no lint rule"):
        Selection(("XX9",))
