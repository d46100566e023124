"""Cross-reference views: `xref`, `xref matrix`, `datasets|models|metrics`, `leaderboard`, and `show` with
links and results, on the seed database and on small databases with results."""

from __future__ import annotations

import json

import pytest

PIQA_PAPERS = {"2402.02834", "2403.03853", "2407.00928", "2406.16330"}  # the pruning list cites [1]-[4]


def ids(result) -> set[str]:
    assert result.exit_code == 0, result.stderr
    return set(result.stdout.split())


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_pruning_papers_evaluated_on_piqa_are_exactly_the_four_the_list_cites(seed_cli):
    assert ids(seed_cli("xref", "--tag", "pruning", "--dataset", "PIQA", "--format", "ids")) == PIQA_PAPERS
    papers = as_json(seed_cli("xref", "--tag", "pruning", "--dataset", "PIQA", "--format", "json"))
    assert {p["id"] for p in papers} == PIQA_PAPERS
    for paper in papers:  # each with the dataset that matched, and where the link came from
        assert paper["datasets"] == [{"name": "PIQA", "role": "evaluation", "source": "list"}]
    # no text mention of PIQA anywhere in the seed: the list is the only source of these links
    assert ids(seed_cli("xref", "--dataset", "PIQA", "--source", "text", "--format", "ids")) == set()
    assert ids(seed_cli("xref", "--dataset", "piqa", "--format", "ids")) == PIQA_PAPERS


def test_the_lists_misspelt_model_resolves(seed_cli):
    assert ids(seed_cli("xref", "--model", "LLaMaA2-13B", "--format", "ids")) == {"2403.03853", "2406.16330"}
    papers = as_json(seed_cli("xref", "--tag", "pruning", "--model", "LLaMaA2-13B", "--format", "json"))
    assert {m["name"] for p in papers for m in p["models"]} == {"LLaMA-2-13B"}


def test_several_filters_must_all_hold(seed_cli):
    both = ids(seed_cli("xref", "--dataset", "PIQA", "--dataset", "MMLU", "--format", "ids"))
    assert both == {"2403.03853", "2407.00928", "2406.16330"}
    assert ids(seed_cli("xref", "-d", "PIQA", "-m", "Gemma-2B", "--format", "ids")) == {"2407.00928"}
    # the heading above each table gives the role
    assert ids(seed_cli("xref", "--role", "calibration", "--format", "ids")) == {"2402.02834"}
    tuned = ids(
        seed_cli("xref", "--dataset", "the cleaned version of Alpaca", "--role", "fine-tuning", "--format", "ids")
    )
    assert tuned == {"2402.02834", "2407.00928"}
    assert ids(seed_cli("xref", "--dataset", "PIQA", "--role", "calibration", "--format", "ids")) == set()


def test_text_links_from_titles_and_the_models_a_title_proposes(seed_cli):
    proposed = ids(seed_cli("xref", "--role", "proposes", "--format", "ids"))
    assert {"2302.13971", "2307.09288", "2312.00752", "2403.19887"} <= proposed  # LLaMA, Llama 2, Mamba, Jamba
    assert "2402.02834" not in proposed  # "Shortened LLaMA: ..." uses LLaMA
    mamba = as_json(seed_cli("xref", "--model", "Mamba", "--source", "text", "--format", "json"))
    roles = {p["id"]: p["models"] for p in mamba}
    assert roles["2312.00752"] == [{"name": "Mamba", "role": "proposes", "source": "text"}]
    assert roles["2403.19887"] == [{"name": "Mamba", "role": "uses", "source": "text"}]


def test_without_link_filters_xref_lists_the_linked_papers_under_the_tag(seed_cli):
    linked = ids(seed_cli("xref", "--tag", "pruning", "--format", "ids"))
    tagged = ids(seed_cli("search", "--tag", "pruning", "--format", "ids", "--limit", "200"))
    assert PIQA_PAPERS <= linked < tagged  # papers with no link at all are not cross-references


@pytest.mark.parametrize("tag", ["pruning", "quantization", "model-compression", "compression/pruning", "kd"])
def test_tag_filter_selects_the_same_papers_as_search(seed_cli, tag):
    tagged = ids(seed_cli("search", "--tag", tag, "--format", "ids", "--limit", "500"))
    linked = ids(seed_cli("xref", "--format", "ids"))
    assert ids(seed_cli("xref", "--tag", tag, "--format", "ids")) == tagged & linked


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xref", "--dataset", "PIQQA"], "unknown dataset 'PIQQA' — did you mean PIQA?"),
        (["xref", "--model", "LLaMA-2-34B"], "unknown model 'LLaMA-2-34B' — did you mean"),
        (["xref", "--metric", "perplex"], "unknown metric 'perplex' — did you mean perplexity?"),
        (["xref", "--by", "model"], "--by belongs to `llmkb xref matrix`"),
        (["leaderboard", "Wikitext-3"], "did you mean WikiText-2 or WikiText-103?"),
        (["datasets", "--role", "uses"], "--role uses is a model role"),
        (["models", "--tag", "%%"], "has no letters or digits"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(seed_cli, args, message):
    result = seed_cli(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["xref", "--role", "judging"],
            "Invalid value for '--role': 'judging' is not one of 'evaluation', 'calibration', 'fine-tuning', "
            "'pre-training', 'uses', 'proposes'.",
        ),
        (["xref", "--source", "web"], "Invalid value for '--source': 'web' is not one of 'list', 'user', 'text'."),
        (
            ["xref", "--format", "yaml"],
            "Invalid value for '--format' / '-f': 'yaml' is not one of 'table', 'tsv', 'csv', 'json', 'jsonl', "
            "'ids', 'md'.",
        ),
        (["xref", "grid"], "Invalid value for 'matrix': 'grid' is not one of 'list', 'matrix'."),
        (["xref", "matrix", "--by", "metric"], "Invalid value for '--by': 'metric' is not one of 'dataset', 'model'."),
    ],
)
def test_a_bad_choice_is_one_line_naming_the_valid_ones_and_exit_2(seed_cli, args, message):
    result = seed_cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"error: {message}", f"try 'llmkb {args[0]} --help'"]
    assert result.stdout == ""


def test_markdown_and_table_formats(seed_cli):
    md = seed_cli("xref", "--tag", "pruning", "--dataset", "PIQA", "--format", "md").stdout.splitlines()
    assert md[0] == "| ID | Year | Title | Datasets | Models |"
    assert len(md) == 2 + 4
    assert any(line.startswith("| 2403.03853 | 2024 | ShortGPT") and "LLaMA-2-13B" in line for line in md)
    table = seed_cli("xref", "--tag", "pruning", "--dataset", "PIQA").stdout
    assert "2407.00928" in table and "Mixtral-7B" in table
    none = seed_cli("xref", "--dataset", "GSM8K")
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "No paper matches.\n")


def test_dataset_counts_most_used_first(seed_cli):
    rows = as_json(seed_cli("datasets", "--tag", "pruning", "--format", "json"))
    counts = {row["name"]: row["papers"] for row in rows}
    assert counts["PIQA"] == counts["BoolQ"] == counts["HellaSwag"] == 4
    assert counts["MMLU"] == 3 and counts["WikiText-2"] == 2 and counts["BookCorpus"] == 1
    assert [row["papers"] for row in rows] == sorted((row["papers"] for row in rows), reverse=True)
    piqa = next(row for row in rows if row["name"] == "PIQA")
    assert piqa["task"] == "commonsense reasoning" and piqa["usual_metric"] == "accuracy"
    assert {row["name"] for row in as_json(seed_cli("datasets", "--role", "calibration", "-f", "json"))} == {
        "BookCorpus"
    }
    text = seed_cli("datasets", "--all").stdout
    assert "PIQA" in text and "HELM" in text  # HELM: from a title ("Holistic Evaluation of Language Models")
    everything = as_json(seed_cli("datasets", "--unused", "--all", "--format", "json"))
    assert len(everything) > len(as_json(seed_cli("datasets", "--all", "--format", "json")))
    assert everything[-1]["papers"] == 0


def test_counts_from_python_take_only_the_three_kinds(seed_db):
    from llmkb.errors import UsageError
    from llmkb.kb import KB

    with KB(seed_db) as kb:
        assert kb.counts("dataset")
        with pytest.raises(UsageError, match="unknown vocabulary kind 'paper'"):
            kb.counts("paper")


def test_model_counts_and_names_kept_as_written(seed_cli):
    counts = {row["name"]: row["papers"] for row in as_json(seed_cli("models", "-t", "pruning", "-f", "json"))}
    assert counts["LLaMA-2-7B"] == 3 and counts["LLaMA-2-13B"] == 2 and counts["Mixtral-7B"] == 1
    unresolved = as_json(seed_cli("models", "--unresolved", "--format", "json"))
    assert [row["name"] for row in unresolved] == ["Mixtral-7B"]
    assert unresolved[0]["resolved"] is False
    assert unresolved[0]["suggestions"][:2] == ["Mixtral-8x7B", "Mistral-7B"]
    table = seed_cli("models", "--unresolved").stdout
    assert "Mixtral-7B" in table and "Mixtral-8x7B" in table
    # a name kept as written can be queried as written, and is never mapped to a guess
    assert ids(seed_cli("xref", "--model", "Mixtral-7B", "--format", "ids")) == {"2406.16330"}
    assert ids(seed_cli("xref", "--model", "Mixtral-8x7B", "--format", "ids")) == set()
    assert ids(seed_cli("xref", "--model", "Mistral-7B", "--format", "ids")) == set()
    resolved = seed_cli("datasets", "--unresolved")
    assert (resolved.stdout, resolved.stderr) == ("", "Every dataset name is resolved.\n")


def test_leaderboard_orders_by_the_metrics_direction(seed_cli, tmp_path):
    rows = [
        "paper,model,dataset,metric,value,setting",
        "2403.03853,LLaMA-2-7B,WikiText2,PPL,18.45,",
        "2406.16330,LLaMA-2-7B,WikiText2,PPL,9.30,",
        "2402.02834,LLaMA-7B,WikiText2,perplexity,20.2,",
        "2403.03853,LLaMA-2-7B,PIQA,acc,66.4,0-shot",
        "2406.16330,LLaMA-2-7B,PIQA,acc,71.3,0-shot",
        "2407.00928,LLaMA-2-7B,PIQA,accuracy,70.1,0-shot",
        "2407.00928,Gemma-2B,PIQA,accuracy,61.0,0-shot",
        "2407.00928,LLaMA-2-7B,PIQA,F1,0.5,",
    ]
    csv_file = tmp_path / "results.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    assert seed_cli("import-results", str(csv_file)).exit_code == 0

    perplexity = as_json(seed_cli("leaderboard", "wikitext-2", "--format", "json"))
    assert (perplexity["metric"], perplexity["higher_is_better"]) == ("perplexity", False)
    assert [r["value"] for r in perplexity["results"]] == [9.30, 18.45, 20.2]  # lower is better
    accuracy = as_json(seed_cli("leaderboard", "PIQA", "--format", "json"))
    assert accuracy["metric"] == "accuracy"  # PIQA's usual metric, though it also has an F1 result
    assert [r["value"] for r in accuracy["results"]] == [71.3, 70.1, 66.4, 61.0]  # higher is better
    assert accuracy["results"][0] == {
        "rank": 1,
        "value": 71.3,
        "model": "LLaMA-2-7B",
        "paper": "2406.16330",
        "title": accuracy["results"][0]["title"],
        "setting": "0-shot",
        "source": "user",
    }
    assert accuracy["other_metrics"] == [{"metric": "F1", "results": 1}]
    gemma = as_json(seed_cli("leaderboard", "PIQA", "--model", "Gemma-2B", "--format", "json"))
    assert [r["value"] for r in gemma["results"]] == [61.0]
    f1 = as_json(seed_cli("leaderboard", "PIQA", "--metric", "F1", "--format", "json"))
    assert [r["value"] for r in f1["results"]] == [0.5]

    table = seed_cli("leaderboard", "PIQA", "--limit", "2", "--format", "table")
    assert "PIQA — accuracy (higher is better)" in table.stdout
    assert "71.3" in table.stdout and "66.4" not in table.stdout
    assert "showing 2 of 4 results" in table.stderr and "--metric 'F1'" in table.stderr
    md = seed_cli("leaderboard", "WikiText-2", "--format", "md").stdout.splitlines()
    assert md[0] == "**WikiText-2 — perplexity (lower is better)**"
    assert md[4].startswith("| 1 | 9.3 | LLaMA-2-7B | 2406.16330 |")
    none = seed_cli("leaderboard", "GSM8K")
    assert (none.stdout, none.stderr) == ("", "No results on GSM8K in accuracy.\n")

    metrics = {row["name"]: row for row in as_json(seed_cli("metrics", "--format", "json"))}
    assert metrics["accuracy"]["papers"] == 3 and metrics["perplexity"]["papers"] == 3
    assert metrics["perplexity"]["higher_is_better"] is False
    assert ids(seed_cli("xref", "--metric", "F1", "--format", "ids")) == {"2407.00928"}


def test_matrix_marks_links_and_shows_values(seed_cli):
    grid = as_json(seed_cli("xref", "matrix", "--tag", "pruning", "--columns", "0", "--format", "json"))
    assert grid["by"] == "dataset" and grid["metric"] is None
    assert {p["id"] for p in grid["papers"]} == ids(seed_cli("xref", "--tag", "pruning", "--format", "ids"))
    cells = {p["id"]: p["cells"] for p in grid["papers"]}
    assert all(cells[paper]["PIQA"] is True for paper in PIQA_PAPERS)
    assert "CMMLU" in cells["2403.03853"] and "CMMLU" not in cells["2402.02834"]
    assert grid["columns"][:3] == ["BoolQ", "HellaSwag", "PIQA"]  # the most linked first

    assert (
        seed_cli(
            "link",
            "2403.03853",
            "-d",
            "PIQA",
            "-m",
            "LLaMA-2-7B",
            "--metric",
            "acc",
            "--value",
            "66.4",
            "--setting",
            "0-shot",
        ).exit_code
        == 0
    )
    assert (
        seed_cli(
            "link", "2403.03853", "-d", "PIQA", "-m", "LLaMA-2-13B", "--metric", "acc", "--value", "70.5"
        ).exit_code
        == 0
    )
    grid = as_json(seed_cli("xref", "matrix", "--tag", "pruning", "--dataset", "PIQA", "--format", "json"))
    assert grid["columns"][0] == "PIQA" and grid["metric"] == "accuracy"
    cells = {p["id"]: p["cells"] for p in grid["papers"]}
    assert cells["2403.03853"]["PIQA"] == 70.5  # the best of its two PIQA accuracies
    assert cells["2406.16330"]["PIQA"] is True

    by_model = as_json(seed_cli("xref", "matrix", "-d", "PIQA", "--by", "model", "--format", "json"))
    cells = {p["id"]: p["cells"] for p in by_model["papers"]}
    assert cells["2403.03853"]["LLaMA-2-7B"] == 66.4 and cells["2403.03853"]["LLaMA-2-13B"] == 70.5
    assert cells["2403.03853"]["Baichuan2-7B"] is True

    md = seed_cli("xref", "matrix", "-t", "pruning", "-d", "PIQA", "--columns", "2", "--format", "md")
    lines = md.stdout.splitlines()
    assert lines[0] == "| ID | Paper | PIQA | BoolQ |"
    assert "| 2403.03853 | ShortGPT | 70.5 | ✓ |" in lines
    assert "more datasets not shown" in md.stderr
    table = seed_cli("xref", "matrix", "-t", "pruning", "-d", "PIQA")
    assert "✓" in table.stdout and "70.5" in table.stdout


def test_show_lists_datasets_models_and_results(seed_cli):
    assert (
        seed_cli(
            "link", "2406.16330", "-d", "WikiText-2", "-m", "LLaMA-2-7B", "--metric", "PPL", "--value", "9.3"
        ).exit_code
        == 0
    )
    record = as_json(seed_cli("show", "2406.16330", "--format", "json"))
    assert {"name": "PIQA", "role": "evaluation", "source": "list"} in record["datasets"]
    assert {"name": "WikiText-2", "role": "evaluation", "source": "user"} in record["datasets"]
    assert {"name": "Mixtral-7B", "role": "uses", "source": "list"} in record["models"]
    assert record["results"] == [
        {
            "dataset": "WikiText-2",
            "model": "LLaMA-2-7B",
            "metric": "perplexity",
            "value": 9.3,
            "setting": None,
            "source": "user",
        }
    ]
    text = seed_cli("show", "2406.16330").stdout
    assert "PIQA (evaluation: list)" in text
    assert "LLaMA-2-7B (uses: list, user)" in text
    assert "WikiText-2 · LLaMA-2-7B: perplexity 9.3" in text  # the same result text as xref
