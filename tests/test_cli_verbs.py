"""The verbs a reader uses every day: open, edit, note, add, rm, import --bib, tag rename and merge. `$EDITOR`
is a script, the browser a recorder; every test checks the database afterwards, not only the output."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
import webbrowser
from pathlib import Path

import pytest

from arxiv_server import FakePaper
from kb_templates import copy_of, seed_template, small_template  # noqa: F401  (fixtures)
from llmkb.arxiv import client as arxiv_client


@pytest.fixture
def seed_db(tmp_path, seed_template):  # noqa: F811
    return copy_of(seed_template, tmp_path / "seed-copy.sqlite")


@pytest.fixture
def kb(cli, db_path, small_template):  # noqa: F811
    copy_of(small_template, db_path)
    return cli


def row(db: Path, sql: str, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def shown(cli, ref: str) -> dict:
    result = cli("show", ref, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def editor(tmp_path: Path, body: str, name: str = "editor.py") -> str:
    """An editor: a Python script that gets the file to edit as its argument and runs `body` on `path`."""
    script = tmp_path / name
    script.write_text(f"import sys, pathlib, re\npath = pathlib.Path(sys.argv[1])\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{sys.executable} {script}"


# --- open -----------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self, *, works: bool = True):
        self.urls: list[str] = []
        self.works = works

    def open(self, url: str, *args, **kwargs) -> bool:
        self.urls.append(url)
        return self.works


@pytest.fixture
def browser(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(webbrowser, "get", lambda *a: recorder)
    return recorder


def test_open_opens_the_arxiv_page_the_pdf_or_the_code(kb, browser, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE paper SET links = ? WHERE arxiv_id = '2403.03853'",
        ['[{"kind": "code", "url": "https://github.com/x/shortgpt"}]'],
    )
    conn.commit()
    conn.close()
    assert kb("open", "2403.03853").exit_code == 0
    assert kb("open", "2403.03853", "--pdf").exit_code == 0
    assert kb("open", "2403.03853", "--code").exit_code == 0
    assert browser.urls == [
        "https://arxiv.org/abs/2403.03853",
        "https://arxiv.org/pdf/2403.03853",
        "https://github.com/x/shortgpt",
    ]


def test_open_prints_the_address_when_there_is_no_browser(kb, monkeypatch):
    def none(*args):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    result = kb("open", "2403.03853", "2210.17323")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["https://arxiv.org/abs/2403.03853", "https://arxiv.org/abs/2210.17323"]


def test_open_without_the_link_asked_for_is_one_line(kb, browser):
    result = kb("open", "2403.03853", "--code")
    assert result.exit_code == 1
    assert result.stderr == "error: 2403.03853 has no code link\n"
    assert browser.urls == []


def test_open_never_hands_a_non_web_address_to_the_browser(kb, browser, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE paper SET links = ? WHERE id = 5", ['[{"kind": "paper", "url": "javascript:alert(1)"}]'])
    conn.commit()
    conn.close()
    result = kb("open", "kb-5")
    assert result.exit_code == 2
    assert "not a web address" in result.stderr
    assert browser.urls == []


# --- edit ------------------------------------------------------------------------------------------------------


def test_edit_writes_the_saved_fields_in_one_go(kb, db_path, tmp_path, monkeypatch):
    body = (
        "text = path.read_text()\n"
        "text = re.sub(r'(?m)^venue = .*$', 'venue = \"ICLR\"', text)\n"
        "text = re.sub(r'(?m)^tags = .*$', 'tags = [\"model-compression/pruning\", \"Must Read\"]', text)\n"
        'text = re.sub(r\'(?m)^note = .*$\', \'note = """\\nfirst line\\nsecond line"""\', text)\n'
        "path.write_text(text)"
    )
    monkeypatch.setenv("EDITOR", editor(tmp_path, body))
    result = kb("edit", "2403.03853")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2403.03853: changed venue, note, tags\n"
    paper = shown(kb, "2403.03853")
    assert paper["venue"] == "ICLR"
    assert paper["note"] == "first line\nsecond line"
    assert paper["tags"] == ["model-compression/pruning", "must-read"]
    assert kb("search", "second line", "-f", "ids").stdout.split() == ["2403.03853"]


def test_the_file_to_edit_holds_every_editable_field_and_round_trips(kb, tmp_path, monkeypatch):
    copy = tmp_path / "seen.toml"
    monkeypatch.setenv("VISUAL", editor(tmp_path, f"pathlib.Path({str(copy)!r}).write_text(path.read_text())"))
    result = kb("edit", "2210.17323")
    assert result.exit_code == 0
    assert result.stderr == "no changes\n"
    from llmkb.editing import FIELDS, parse_fields

    text = copy.read_text()
    assert all(f"\n{name} = " in text for name in FIELDS)
    assert parse_fields(text)["abstract"] == "We propose GPTQ, a new one-shot weight quantization method."


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ('title = ""', "title cannot be empty"),
        ("year = 20245", "year must be a number from 1000 to 9999"),
        ('links = [{ kind = "code", url = "http://[::1/abs/1" }]', "not a valid web address"),
        ('tags = ["' + "x" * 60000 + '"]', "longer than 200 characters"),
        ('colour = "red"', "unknown field 'colour'"),
        ('title = "unclosed', "not valid TOML"),
    ],
)
def test_an_invalid_file_is_abandoned_and_nothing_changes(kb, db_path, tmp_path, monkeypatch, replacement, message):
    before = row(db_path, "SELECT * FROM paper")
    name = replacement.split(" ", 1)[0]
    body = (
        f"lines = [l for l in path.read_text().splitlines() if not l.startswith({name + ' = '!r})]\n"
        f"path.write_text('\\n'.join(lines) + '\\n' + {replacement!r} + '\\n')"
    )
    monkeypatch.setenv("EDITOR", editor(tmp_path, body))
    result = kb("edit", "2403.03853", input="n\n")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.rstrip().endswith("error: nothing was changed")
    assert row(db_path, "SELECT * FROM paper") == before


def test_an_invalid_file_is_reopened_with_the_error_on_top(kb, tmp_path, monkeypatch):
    seen = tmp_path / "second-round.toml"
    body = (
        "text = path.read_text()\n"
        "if text.startswith('# error: '):\n"
        f"    pathlib.Path({str(seen)!r}).write_text(text)\n"
        "    path.write_text(text.replace('year = 99999', 'year = 2023'))\n"
        "else:\n"
        "    path.write_text(re.sub(r'(?m)^year = .*$', 'year = 99999', text))"
    )
    monkeypatch.setenv("EDITOR", editor(tmp_path, body))
    result = kb("edit", "2403.03853", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert seen.read_text().startswith("# error: year must be a number from 1000 to 9999")
    assert shown(kb, "2403.03853")["year"] == 2023


def test_an_editor_that_fails_changes_nothing(kb, db_path, tmp_path, monkeypatch):
    before = row(db_path, "SELECT * FROM paper")
    monkeypatch.setenv("EDITOR", editor(tmp_path, "path.write_text('title = \"x\"'); sys.exit(3)"))
    result = kb("edit", "2403.03853")
    assert result.exit_code == 1
    assert result.stderr == "error: the editor exited with status 3; nothing was changed\n"
    assert row(db_path, "SELECT * FROM paper") == before


def test_edit_of_a_word_that_names_no_single_paper_opens_nothing(kb, tmp_path, monkeypatch):
    marker = tmp_path / "opened"
    monkeypatch.setenv("EDITOR", editor(tmp_path, f"pathlib.Path({str(marker)!r}).touch()"))
    result = kb("edit", "Large Language Models")
    assert result.exit_code == 1
    assert not marker.exists()


# --- note -------------------------------------------------------------------------------------------------------


def test_note_appends_a_paragraph_and_is_searchable(kb):
    assert kb("note", "2210.17323", "works", "at", "3", "bits").stdout == "2210.17323: note saved\n"
    assert kb("note", "2210.17323", "needs calibration data").exit_code == 0
    assert shown(kb, "2210.17323")["note"] == "works at 3 bits\n\nneeds calibration data"
    assert kb("search", "calibration data", "-f", "ids").stdout.split() == ["2210.17323"]


def test_note_replace_and_standard_input(kb):
    kb("note", "2403.03853", "--replace", "-", input="from a pipe\n")
    assert shown(kb, "2403.03853")["note"] == "from a pipe"


def test_note_without_text_opens_the_note_in_the_editor(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor(tmp_path, "path.write_text(path.read_text().upper() + '\\nmore')"))
    assert kb("note", "2403.03853").exit_code == 0
    assert shown(kb, "2403.03853")["note"] == "REMOVES REDUNDANT LAYERS\nmore"


# --- add ---------------------------------------------------------------------------------------------------------


def test_add_stores_a_paper_that_is_not_on_arxiv(kb, db_path):
    result = kb(
        "add", "--title", "Attention Is Not Explanation", "-a", "Sarthak Jain", "-a", "Byron C. Wallace",
        "--venue", "NAACL", "--year", "2019", "--url", "https://aclanthology.org/N19-1357",
        "--doi", "https://doi.org/10.18653/v1/N19-1357", "-t", "interpretability",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    ref = result.stdout.split(":")[0]
    assert ref.startswith("kb-")
    paper = shown(kb, ref)
    assert (paper["venue"], paper["year"], paper["doi"]) == ("NAACL", 2019, "10.18653/v1/N19-1357")
    assert paper["authors"] == ["Sarthak Jain", "Byron C. Wallace"]
    assert paper["links"] == [{"kind": "paper", "url": "https://aclanthology.org/N19-1357"}]
    assert paper["tags"] == ["interpretability"]
    again = kb("add", "--title", "attention is not explanation", "--format", "json")
    assert json.loads(again.stdout) == {"id": ref, "outcome": "unchanged"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "https://arxiv.org/abs/2106.09685"], "llmkb import 2106.09685"),
        (["--doi", "10.48550/arXiv.2106.09685"], "llmkb import 2106.09685"),
        (["--url", "ftp://example.org/paper.pdf"], "not a web address"),
        (["--url", "http://[::1/abs/1"], "not a valid link"),
        (["--doi", "not-a-doi"], "is not a DOI"),
        (["--year", "twenty"], "is not a whole number"),
        (["-t", "x" * 60000], "longer than 200 characters"),
    ],
)
def test_add_refuses_what_it_cannot_store_in_one_line(kb, db_path, args, message):
    before = row(db_path, "SELECT count(*) FROM paper")
    result = kb("add", "--title", "Some paper", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr.splitlines()[0]
    assert row(db_path, "SELECT count(*) FROM paper") == before


# --- rm -------------------------------------------------------------------------------------------------------------


def _link_and_result(cli, tmp_path):
    (tmp_path / "r.csv").write_text("paper,model,dataset,metric,value\n2403.03853,LLaMA-2-7B,PIQA,accuracy,70\n")
    assert cli("import-results", str(tmp_path / "r.csv")).exit_code == 0


def test_rm_asks_and_no_keeps_everything(kb, db_path, tmp_path):
    _link_and_result(kb, tmp_path)
    result = kb("rm", "2403.03853", input="n\n")
    assert result.exit_code == 1
    assert "2403.03853  ShortGPT" in result.stderr and "remove 1 paper? [y/N]" in result.stderr
    assert row(db_path, "SELECT count(*) FROM paper WHERE arxiv_id = '2403.03853'") == [(1,)]


def test_rm_removes_the_paper_its_tags_links_and_results(kb, db_path, tmp_path):
    _link_and_result(kb, tmp_path)
    kb("tag", "add", "2403.03853", "only-here")
    result = kb("rm", "2403.03853", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "removed 2403.03853: 2 tags, 2 links, 1 result\n"
    for sql in (
        "SELECT count(*) FROM paper WHERE arxiv_id = '2403.03853'",
        "SELECT count(*) FROM result",
        "SELECT count(*) FROM tag WHERE name = 'only-here'",
        "SELECT count(*) FROM paper_fts WHERE paper_fts MATCH 'redundant'",
    ):
        assert row(db_path, sql) == [(0,)], sql
    assert row(db_path, "SELECT count(*) FROM tag WHERE name = 'model-compression/pruning'") == [(1,)]  # SliceGPT's
    assert kb("db", "check").exit_code == 0


def test_rm_of_ids_from_standard_input_needs_yes(kb, db_path):
    refused = kb("rm", "-", input="2403.03853\n")
    assert refused.exit_code == 2 and "-y" in refused.stderr
    assert row(db_path, "SELECT count(*) FROM paper") == [(6,)]
    done = kb("rm", "-", "-y", input="2403.03853\nkb-5\n")
    assert done.exit_code == 0
    assert done.stdout.splitlines() == [
        "removed 2403.03853: 1 tag, 0 links, 0 results",
        "removed kb-5: 1 tag, 0 links, 0 results",
    ]
    assert row(db_path, "SELECT count(*) FROM paper") == [(4,)]


def test_rm_of_an_unknown_paper_removes_nothing(kb, db_path):
    result = kb("rm", "2403.03853", "2501.99999", "-y")
    assert result.exit_code == 1
    assert row(db_path, "SELECT count(*) FROM paper") == [(6,)]


# --- import --bib -------------------------------------------------------------------------------------------------

BIB = r"""
@article{hu2021lora,
  title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
  author = {Hu, Edward J. and Shen, Yelong},
  eprint = {2106.09685}, archivePrefix = {arXiv}, year = {2021}, month = jun
}
@inproceedings{vaswani2017,
  title = {Attention is All you Need}, author = {Vaswani, Ashish and Shazeer, Noam},
  booktitle = {Advances in Neural Information Processing Systems}, year = {2017},
  doi = {10.5555/3295222.3295349}, url = {https://papers.nips.cc/paper/7181}
}
@misc{broken, title = "no closing
@book{goodfellow2016, title = {Deep Learning}, author = {Ian Goodfellow and Yoshua Bengio and Aaron Courville},
  publisher = {MIT Press}, year = 2016}
@misc{untitled, author = {Nobody}}
"""


def test_import_bib_offline_stores_what_the_file_says(cli, db_path, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    result = cli("import", "--bib", str(bib), "-t", "thesis")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "refs.bib: 3 papers — 3 added, 0 updated, 0 unchanged; 2 warnings\n"
    assert "line 12: could not be read" in result.stderr and "@misc{untitled} has no title" in result.stderr
    lora = shown(cli, "2106.09685")
    assert lora["title"] == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert (lora["authors"], lora["year"], lora["month"]) == (["Edward J. Hu", "Yelong Shen"], 2021, 6)
    assert lora["verified"] is None
    attention = shown(cli, "Attention is All you Need")
    assert attention["id"].startswith("kb-") and attention["doi"] == "10.5555/3295222.3295349"
    assert attention["venue"] == "Advances in Neural Information Processing Systems"
    assert set(cli("search", "-t", "thesis", "-f", "ids").stdout.split()) == {
        "2106.09685",
        attention["id"],
        shown(cli, "Deep Learning")["id"],
    }
    again = cli("import", "--bib", str(bib), "-t", "thesis")
    assert again.stdout == "refs.bib: 3 papers — 0 added, 0 updated, 3 unchanged; 2 warnings\n"


def test_import_bib_looks_arxiv_eprints_up_and_arxivs_record_wins(cli, tmp_path, arxiv_server, monkeypatch):
    monkeypatch.setattr(arxiv_client, "_sleep", lambda seconds: None)
    arxiv_server.add(
        FakePaper(
            "2106.09685",
            title="LoRA: Low-Rank Adaptation of Large Language Models",
            authors=["Edward J. Hu", "Yelong Shen", "Phillip Wallis"],
        )
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    result = cli("import", "--bib", str(bib))
    assert result.exit_code == 0, result.stderr
    lora = shown(cli, "2106.09685")
    assert lora["authors"] == ["Edward J. Hu", "Yelong Shen", "Phillip Wallis"]
    assert lora["verified"] and lora["abstract"] == "An abstract."
    assert arxiv_server.id_lists() == [["2106.09685"]]


@pytest.mark.parametrize("content", [b"\x00\x01binary\x02", b"<!DOCTYPE html><html><body>404</body></html>"])
def test_import_bib_of_a_file_that_is_not_bibtex_is_one_line(cli, db_path, tmp_path, content):
    path = tmp_path / "refs.bib"
    path.write_bytes(content)
    result = cli("import", "--bib", str(path))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
    assert not db_path.exists() or row(db_path, "SELECT count(*) FROM paper") == [(0,)]


# --- tag rename, tag merge ----------------------------------------------------------------------------------------


def test_tag_rename_moves_a_tag_and_the_tags_below_it_on_every_paper(kb):
    result = kb("tag", "rename", "model-compression", "squeeze")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "renamed model-compression/pruning -> squeeze/pruning",
        "renamed model-compression/quantization -> squeeze/quantization",
        "3 papers changed",
    ]
    names = [item["tag"] for item in json.loads(kb("tags", "-f", "json").stdout)]
    assert "squeeze/pruning" in names and not any(n.startswith("model-compression") for n in names)
    compressed = {"2403.03853", "2401.15024", "2210.17323"}
    assert set(kb("search", "-t", "squeeze", "-f", "ids").stdout.split()) == compressed
    assert set(kb("search", "squeeze", "-f", "ids").stdout.split()) == compressed  # the full-text index follows


def test_tag_rename_onto_an_existing_tag_is_refused_and_merge_joins_them(kb):
    refused = kb("tag", "rename", "distillation", "efficient-decoding")
    assert refused.exit_code == 2
    assert "tag merge distillation efficient-decoding" in refused.stderr
    merged = kb("tag", "merge", "distillation", "efficient-decoding", "-y")
    assert merged.exit_code == 0, merged.stderr
    assert set(kb("search", "-t", "efficient-decoding", "-f", "ids").stdout.split()) == {
        "1503.02531",
        "kb-5",
        "2211.17192",
    }
    assert kb("search", "-t", "distillation", "-f", "ids").stdout == ""


def test_tag_merge_asks_first(kb):
    result = kb("tag", "merge", "distillation", "efficient-decoding", input="n\n")
    assert result.exit_code == 1
    assert len(kb("search", "-t", "distillation", "-f", "ids").stdout.split()) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["tag", "add", "2403.03853", "x"],
        ["link", "2403.03853", "-d", "PIQA"],
        ["note", "2403.03853", "x"],
        ["rm", "2403.03853", "-y"],
        ["tag", "rename", "a", "b"],
    ],
)
def test_commands_that_change_a_stored_paper_never_create_a_database(cli, db_path, args):
    result = cli(*args)
    assert result.exit_code == 1
    assert str(db_path) in result.stderr
    assert not db_path.exists()


def test_tag_counts_stay_right_through_rename_merge_and_rm(seed_cli):
    """The tree's counts are kept by the store as tags move and papers go; they must equal a recount."""
    import sqlite3

    assert seed_cli("tag", "rename", "compression", "squeeze").exit_code == 0
    assert seed_cli("tag", "merge", "pruning", "squeeze/pruning", "-y").exit_code == 0
    assert seed_cli("rm", "2403.03853", "-y").exit_code == 0
    conn = sqlite3.connect(seed_cli.db)
    kept = dict(conn.execute("SELECT name, papers FROM tag"))
    recount = dict(
        conn.execute(
            "SELECT a.name, count(DISTINCT pt.paper_id) FROM tag a "
            "JOIN tag t ON t.name = a.name OR t.name LIKE a.name || '/%' "
            "JOIN paper_tag pt ON pt.tag_id = t.id GROUP BY a.name"
        )
    )
    conn.close()
    assert kept == recount
    assert "squeeze/pruning" in kept and "compression" not in kept and "pruning" not in kept
