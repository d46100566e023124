"""One grammar: shared options, the query as the rest of the line, several IDs and `-` for IDs on standard
input wherever a command takes papers, choices that fail the same way everywhere."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from kb_templates import copy_of, seed_template, small_template  # noqa: F401  (fixtures)
from terminal import in_pipe


@pytest.fixture
def seed_db(tmp_path, seed_template):  # noqa: F811
    return copy_of(seed_template, tmp_path / "seed-copy.sqlite")


@pytest.fixture
def kb(cli, db_path, small_template):  # noqa: F811
    copy_of(small_template, db_path)
    return cli


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def bib_ids(text: str) -> list[str]:
    return [entry.fields_dict["eprint"].value for entry in bibtexparser.parse_string(text).entries]


def test_the_query_is_the_rest_of_the_line(kb):
    quoted = ids(kb("search", "speculative decoding", "-f", "ids"))
    assert quoted == ["2211.17192"]
    assert ids(kb("search", "speculative", "decoding", "-f", "ids")) == quoted
    assert ids(kb("search", "speculative", "-f", "ids", "decoding")) == quoted  # options anywhere


def test_search_filters_by_dataset_and_model_like_xref(seed_cli):
    searched = ids(seed_cli("search", "-t", "pruning", "-d", "PIQA", "-m", "LLaMA-2-7B", "-f", "ids"))
    linked = ids(seed_cli("xref", "-t", "pruning", "-d", "PIQA", "-m", "LLaMA-2-7B", "-f", "ids"))
    assert searched and set(searched) == set(linked)


def test_search_ids_piped_into_export_bib_exports_exactly_those_papers_in_that_order(seed_db):
    found = in_pipe(["--db", str(seed_db), "search", "prunning", "-n", "4", "-f", "ids"])
    wanted = found.stdout.split()
    assert len(wanted) == 4
    exported = in_pipe(["--db", str(seed_db), "export", "bib", "-"], input=found.stdout)
    assert exported.returncode == 0, exported.stderr
    assert bib_ids(exported.stdout) == wanted


def test_tab_separated_search_output_is_read_by_its_first_column(seed_cli):
    rows = seed_cli("search", "pruning", "-n", "3").stdout
    assert len(rows.splitlines()) == 3 and "\t" in rows
    exported = seed_cli("export", "jsonl", "-", input="# a comment\n\n" + rows)
    wanted = [line.split("\t")[0] for line in rows.splitlines()]
    assert [json.loads(line)["id"] for line in exported.stdout.splitlines()] == wanted


def test_export_takes_several_ids_on_the_line_and_the_format_as_option_or_word(kb):
    by_word = kb("export", "bib", "2401.15024", "2403.03853")
    by_option = kb("export", "-f", "bib", "2401.15024", "2403.03853")
    assert by_word.exit_code == 0 and by_word.stdout == by_option.stdout
    assert bib_ids(by_word.stdout) == ["2401.15024", "2403.03853"]


def test_no_ids_on_standard_input_exports_nothing_not_everything(kb):
    result = kb("export", "jsonl", "-", input="")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no paper IDs" in result.stderr


def test_an_unknown_id_stops_an_export_before_anything_is_written(kb, tmp_path):
    target = tmp_path / "out.bib"
    result = kb("export", "bib", "-", "-o", str(target), input="2403.03853\n2501.99999\n")
    assert result.exit_code == 1
    assert "2501.99999" in result.stderr
    assert not target.exists()


def test_ids_on_standard_input_cannot_be_mixed_with_words(kb):
    result = kb("export", "bib", "-", "pruning", input="2403.03853\n")
    assert result.exit_code == 2
    assert "cannot be mixed" in result.stderr


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["show", "-", "-f", "json"], lambda out: [r["id"] for r in json.loads(out)] == ["2403.03853", "2210.17323"]),
        (["tag", "add", "-", "from-stdin"], lambda out: out.count("tagged from-stdin") == 2),
    ],
)
def test_commands_that_take_papers_read_ids_from_standard_input(kb, args, check):
    result = kb(*args, input="2403.03853\n2210.17323\tGPTQ\n")
    assert result.exit_code == 0, result.stderr
    assert check(result.stdout)


def test_show_prints_each_of_several_papers(kb):
    text = kb("show", "2403.03853", "kb-5").stdout
    assert "ShortGPT" in text and "Model compression" in text


def test_tag_takes_several_papers_then_tags(kb):
    result = kb("tag", "add", "2403.03853", "2210.17323", "must-read", "later")
    assert result.exit_code == 0, result.stderr
    assert set(ids(kb("search", "-t", "must-read", "-t", "later", "-f", "ids"))) == {"2403.03853", "2210.17323"}


def test_link_takes_several_papers(seed_cli):
    result = seed_cli("link", "2403.03853", "2401.15024", "-d", "GSM8K")
    assert result.exit_code == 0, result.stderr
    assert set(ids(seed_cli("xref", "-d", "GSM8K", "-f", "ids"))) == {"2403.03853", "2401.15024"}


@pytest.mark.parametrize("ref", ["pruning", "survey", "Large Language Models"])
def test_words_that_occur_in_titles_list_candidates_and_pick_none(seed_cli, ref):
    result = seed_cli("show", ref)
    assert result.exit_code == 1
    assert "fits several papers" in result.stderr.splitlines()[0]
    assert len([line for line in result.stdout.splitlines() if line.strip()]) >= 2


def test_a_tag_command_never_guesses_a_paper_from_a_word(seed_cli):
    before = seed_cli("search", "-t", "oops", "-f", "ids").stdout
    result = seed_cli("tag", "add", "pruning", "oops")
    assert result.exit_code == 1
    assert seed_cli("search", "-t", "oops", "-f", "ids").stdout == before == ""


@pytest.mark.parametrize(
    "ref",
    ["slicegpt", "SliceGPT: Compress Large Language Models by Deleting Rows and Columns", "shortgpt"],
)
def test_a_short_name_or_a_whole_title_names_one_paper(seed_cli, ref):
    result = seed_cli("show", ref, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] in ("2401.15024", "2403.03853")


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "-f", "yaml"],
        ["xref", "-f", "yaml"],
        ["datasets", "-f", "yaml"],
        ["leaderboard", "PIQA", "-f", "yaml"],
        ["tags", "-f", "yaml"],
        ["show", "2403.03853", "-f", "yaml"],
        ["db", "info", "-f", "yaml"],
        ["import", "2403.03853", "-f", "yaml"],
        ["import-list", "x.md", "-f", "yaml"],
        ["import-results", "x.csv", "-f", "yaml"],
        ["export", "-f", "yaml"],
        ["import", "--query", "x", "--sort", "random"],
        ["xref", "--role", "judge"],
    ],
)
def test_a_bad_choice_gets_the_same_treatment_everywhere(seed_cli, args):
    result = seed_cli(*args)
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()
    assert first.startswith("error: Invalid value for '") and "is not one of '" in first
    assert hint.startswith("try 'llmkb ") and hint.endswith(" --help'")
    assert result.stdout == ""


def test_import_says_limit_and_tag_like_every_other_command(cli):
    result = cli("import", "--query", "x", "--max", "3")
    assert result.exit_code == 2 and "No such option: --max" in result.stderr
    dry = cli("import", "--dry-run", "2403.03853", "-t", "x", "-n", "5")
    assert dry.exit_code == 0 and dry.stdout == "2403.03853\t2403.03853\n"


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--year", "２０２４"],
        ["search", "-n", "２０"],
        ["search", "--since", "２０２４"],
        ["show", "２４０３.０３８５３"],
        ["show", "kb-１"],
        ["import", "--dry-run", "２４０３.０３８５３"],
        ["tag", "add", "２４０３.０３８５３", "x"],
    ],
)
def test_digits_other_than_0_to_9_are_not_ids_dates_or_numbers(kb, args):
    result = kb(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert kb("search", "-t", "x", "-f", "ids").stdout == ""


def test_all_lifts_the_limit_and_a_huge_limit_means_no_limit(seed_cli):
    default = ids(seed_cli("search", "-f", "ids"))
    every = ids(seed_cli("search", "--all", "-f", "ids"))
    huge = ids(seed_cli("search", "-n", "99999999999999999999", "-f", "ids"))
    assert len(default) == 20 and len(every) == 74 and huge == every
    assert "--all" in seed_cli("search").stderr  # the default limit says there is more
    assert seed_cli("search", "-n", "5").stderr == ""  # an explicit limit is what was asked for


def test_xref_and_every_listing_have_a_limit(seed_cli):
    assert len(ids(seed_cli("xref", "-f", "ids", "-n", "5"))) == 5
    assert len(ids(seed_cli("xref", "-f", "ids", "--all"))) == len(ids(seed_cli("xref", "-f", "ids"))) == 14
    assert len(seed_cli("datasets").stdout.splitlines()) == 20
    assert len(seed_cli("datasets", "-n", "5").stdout.splitlines()) == 5
    assert "of 122 datasets" in seed_cli("datasets", "-n", "5", "--unused").stderr
