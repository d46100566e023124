"""`import-list` asks arXiv, the authority for arXiv papers, about every ID a list links: arXiv's record wins
for the bibliographic fields, the list keeps what arXiv does not know, and a list title that names another
paper is warned about and flagged. Against the local arXiv stand-in only."""

from __future__ import annotations

import json

from arxiv_server import FakePaper

SHORTGPT = "ShortGPT: Layers in Large Language Models are More Redundant Than You Expect"
INSTRUCTGPT = "Training language models to follow instructions with human feedback"

LIST = """# Awesome Compression

## Pruning

- [ShortGPT: layers are redundant](https://arxiv.org/abs/2403.03853) [ICLR 2025] [[code](https://github.com/x/shortgpt)]

## Instruction tuning

- [Scaling Instruction-Finetuned Language Models](https://arxiv.org/abs/2203.02155), NeurIPS 2022
"""


def _serve(arxiv_server) -> None:
    arxiv_server.add(
        FakePaper(id="2403.03853", title=SHORTGPT, authors=["Xin Men", "Mingyu Xu"], summary="Layers are redundant."),
        FakePaper(id="2203.02155", title=INSTRUCTGPT, authors=["Long Ouyang", "Jeff Wu"], summary="RLHF."),
    )


def _show(cli, paper_id: str) -> dict:
    result = cli("show", paper_id, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_arxiv_wins_for_bibliographic_fields_and_the_list_gives_the_rest(cli, tmp_path, arxiv_server):
    _serve(arxiv_server)
    (tmp_path / "list.md").write_text(LIST)
    result = cli("import-list", str(tmp_path / "list.md"))
    assert result.exit_code == 0, result.stderr
    assert arxiv_server.request_count == 1  # both IDs in one batch
    paper = _show(cli, "2403.03853")
    assert paper["title"] == SHORTGPT
    assert paper["authors"] == ["Xin Men", "Mingyu Xu"]
    assert paper["abstract"] == "Layers are redundant."
    assert paper["published"] == "2024-03-06"
    assert (paper["venue"], paper["year"]) == ("ICLR", 2025)
    assert {"kind": "code", "url": "https://github.com/x/shortgpt"} in paper["links"]
    assert sorted(paper["tags"]) == ["compression", "pruning"]
    assert paper["list_title"] == "ShortGPT: layers are redundant"  # kept beside arXiv's
    assert paper["flag"] is None
    assert paper["verified"]
    assert "arxiv" in paper["sources"]
    text = cli("show", "2403.03853").stdout
    assert "List title" in text and "ShortGPT: layers are redundant" in text


def test_a_list_title_that_names_another_paper_is_warned_about_and_flagged(cli, tmp_path, arxiv_server):
    _serve(arxiv_server)
    (tmp_path / "list.md").write_text(LIST)
    result = cli("import-list", str(tmp_path / "list.md"))
    assert result.exit_code == 0, result.stderr
    warning = (
        "line 9: the list calls 2203.02155 'Scaling Instruction-Finetuned Language Models' "
        f"but arXiv's title is '{INSTRUCTGPT}'"
    )
    assert warning in result.stderr
    assert "2403.03853" not in result.stderr  # a rewording of the same paper is no conflict
    flagged = cli("search", "--flagged", "--format", "ids")
    assert flagged.stdout.split() == ["2203.02155"]
    paper = _show(cli, "2203.02155")
    assert paper["title"] == INSTRUCTGPT
    assert "another paper" in paper["flag"]
    assert paper["list_title"] == "Scaling Instruction-Finetuned Language Models"


def test_250_ids_take_3_requests_and_a_reimport_takes_none(cli, tmp_path, arxiv_server):
    ids = arxiv_server.add_many(250)
    lines = ["# Papers", "", "## Many", ""] + [f"- [Paper number {i}](https://arxiv.org/abs/{i})" for i in ids]
    (tmp_path / "big.md").write_text("\n".join(lines) + "\n")
    first = cli("import-list", str(tmp_path / "big.md"))
    assert first.exit_code == 0, first.stderr
    assert arxiv_server.request_count == 3
    assert [len(batch) for batch in arxiv_server.id_lists()] == [100, 100, 50]
    again = cli("import-list", str(tmp_path / "big.md"))
    assert again.exit_code == 0, again.stderr
    assert arxiv_server.request_count == 3  # every paper confirmed less than 30 days ago
    assert "250 unchanged" in again.stdout
    stale = cli("import-list", "--max-age", "0", str(tmp_path / "big.md"))
    assert stale.exit_code == 0
    assert arxiv_server.request_count == 6


def test_offline_asks_nothing_and_leaves_papers_unverified(cli, tmp_path, arxiv_server, monkeypatch):
    _serve(arxiv_server)
    (tmp_path / "list.md").write_text(LIST)
    assert cli("import-list", "--offline", str(tmp_path / "list.md")).exit_code == 0
    monkeypatch.setenv("LLMKB_OFFLINE", "1")
    assert cli("import-list", str(tmp_path / "list.md")).exit_code == 0
    assert arxiv_server.request_count == 0
    assert _show(cli, "2403.03853")["title"] == "ShortGPT: layers are redundant"
    unverified = cli("search", "--unverified", "--format", "ids").stdout.split()
    assert sorted(unverified) == ["2203.02155", "2403.03853"]


def test_unreachable_arxiv_keeps_the_lists_facts_and_refresh_completes_them(cli, tmp_path, arxiv_server, monkeypatch):
    (tmp_path / "list.md").write_text(LIST)
    monkeypatch.setenv("LLMKB_ARXIV_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("LLMKB_ARXIV_RETRIES", "0")
    result = cli("import-list", str(tmp_path / "list.md"))
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "arXiv could not be reached" in line]
    assert len(notes) == 1 and "refresh --unverified" in notes[0]
    assert "Traceback" not in result.stderr
    assert _show(cli, "2403.03853")["verified"] is None
    _serve(arxiv_server)
    monkeypatch.setenv("LLMKB_ARXIV_URL", arxiv_server.url)
    refreshed = cli("refresh", "--unverified")
    assert refreshed.exit_code == 0, refreshed.stderr
    paper = _show(cli, "2403.03853")
    assert paper["title"] == SHORTGPT and paper["verified"]
    assert paper["venue"] == "ICLR"  # what only the list knew stays
    assert cli("search", "--unverified", "--format", "ids").stdout == ""


def test_an_id_arxiv_does_not_know_is_warned_about_and_flagged(cli, tmp_path, arxiv_server):
    (tmp_path / "list.md").write_text("# L\n\n- [Ghost paper title](https://arxiv.org/abs/2401.99999)\n")
    result = cli("import-list", str(tmp_path / "list.md"))
    assert result.exit_code == 0, result.stderr
    assert "line 3: arXiv has no paper 2401.99999" in result.stderr
    paper = _show(cli, "2401.99999")
    assert paper["title"] == "Ghost paper title"
    assert paper["flag"] == "arXiv has no paper with this ID"


BARE = """# Quantization

## Papers

1. SmoothQuant
2. [GPTQ: Accurate Post-Training Quantization](https://arxiv.org/abs/2210.17323)
"""


def test_a_bare_name_is_not_stored_unless_resolve_finds_the_paper_it_names(cli, tmp_path, arxiv_server):
    arxiv_server.add(
        FakePaper(id="2210.17323", title="GPTQ: Accurate Post-Training Quantization for Generative Transformers"),
        FakePaper(id="2211.10438", title="SmoothQuant: Accurate and Efficient Post-Training Quantization"),
        FakePaper(id="2301.00001", title="Smooth quantization of everything"),
    )
    (tmp_path / "list.md").write_text(BARE)
    plain = cli("import-list", str(tmp_path / "list.md"))
    assert plain.exit_code == 0, plain.stderr
    assert "line 5: 'SmoothQuant' names a paper but links none; not imported" in plain.stderr
    assert cli("show", "2211.10438").exit_code == 1
    resolved = cli("import-list", "--resolve", str(tmp_path / "list.md"))
    assert resolved.exit_code == 0, resolved.stderr
    paper = _show(cli, "SmoothQuant")
    assert paper["id"] == "2211.10438"  # the paper whose title opens with the name, not the closest words
    assert paper["tags"] == ["quantization"]  # the list's title; "Papers" names no topic
