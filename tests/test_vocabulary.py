"""The packaged vocabulary: well-formed, unambiguous, complete for the seed lists, cheap to load."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest

from llmkb.vocab.names import normalize
from llmkb.vocab.vocabulary import KINDS, entries, parse, records

SIZE = re.compile(r"(?:[0-9]+x)?[0-9]+(?:\.[0-9]+)?[MBT]")


@pytest.mark.parametrize("kind", KINDS)
def test_no_spelling_names_two_entries_of_a_kind(kind):
    owners = defaultdict(set)
    for entry in entries(kind):
        for spelling in entry.spellings:
            owners[("exact", spelling.casefold())].add(entry.name)
            owners[("normalized", normalize(spelling))].add(entry.name)
    clashes = {spelling: sorted(names) for spelling, names in owners.items() if len(names) > 1}
    assert not clashes


@pytest.mark.parametrize("kind", KINDS)
def test_every_spelling_normalizes_to_something(kind):
    empty = [(entry.name, s) for entry in entries(kind) for s in entry.spellings if not normalize(s)]
    assert not empty


def test_usual_metrics_of_datasets_are_vocabulary_metrics():
    metrics = {entry.name for entry in entries("metric")}
    unknown = {entry.name: entry.metric for entry in entries("dataset") if entry.metric and entry.metric not in metrics}
    assert not unknown


def test_every_dataset_has_a_task():
    assert all(entry.task for entry in entries("dataset"))


@pytest.mark.parametrize(
    ("metric", "higher_is_better"),
    [
        ("accuracy", True),
        ("F1", True),
        ("exact match", True),
        ("BLEU", True),
        ("SacreBLEU", True),
        ("ROUGE-L", True),
        ("Pearson", True),
        ("Spearman", True),
        ("Matthews corr.", True),
        ("pass@1", True),
        ("throughput", True),
        ("speedup", True),
        ("compression ratio", True),
        ("perplexity", False),
        ("params", False),
        ("memory", False),
        ("latency", False),
        ("training time", False),
    ],
)
def test_metric_direction(metric, higher_is_better):
    (entry,) = [e for e in entries("metric") if e.name == metric]
    assert entry.higher_is_better is higher_is_better


def test_model_sizes_are_written_the_usual_way():
    odd = {entry.name: entry.size for entry in entries("model") if entry.size and not SIZE.fullmatch(entry.size)}
    assert not odd


def test_every_model_has_a_family():
    assert all(entry.family for entry in entries("model"))


def test_records_carry_the_columns_of_each_table():
    by_name = {kind: {record["name"]: record for record in records(kind)} for kind in KINDS}
    assert by_name["model"]["LLaMA-2-13B"] == {
        "name": "LLaMA-2-13B",
        "family": "LLaMA-2",
        "size": "13B",
        "aliases": ["LLaMaA2-13B"],
    }
    assert by_name["model"]["Mixtral"]["size"] is None
    piqa = by_name["dataset"]["PIQA"]
    assert (piqa["task"], piqa["metric"]) == ("commonsense reasoning", "accuracy")
    assert set(piqa) == {"name", "task", "metric", "aliases"}
    assert by_name["metric"]["perplexity"] == {
        "name": "perplexity",
        "higher_is_better": False,
        "aliases": ["PPL", "Perplexity (PPL)", "word perplexity"],
    }
    assert "Alpaca-cleaned" in by_name["dataset"]
    assert "the cleaned version of Alpaca" in by_name["dataset"]["Alpaca-cleaned"]["aliases"]


def test_records_never_repeat_the_name_among_aliases():
    for kind in KINDS:
        for record in records(kind):
            assert record["name"] not in record["aliases"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[dataset]\n"X" = { tsk = "y" }', "unknown key"),
        ('[metric]\n"X" = { aliases = ["x"] }', "higher_is_better is required"),
        ('[model]\n"X" = { aliases = "x" }', "aliases must be a list"),
        ('[model]\n"X" = { aliases = [""] }', "aliases must be a list"),
        ('[model]\n"X" = { size = 7 }', "size must be a string"),
        ('[dataset]\n"X" = { case_sensitive = "yes" }', "case_sensitive must be true or false"),
        ('[benchmark]\n"X" = {}', "unknown section"),
        ('[model]\n"" = {}', "empty name"),
    ],
)
def test_malformed_vocabulary_is_rejected_with_the_entry_named(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_parse_keeps_file_order_and_fields():
    parsed = parse(
        '[model]\n"B-7B" = { family = "B", size = "7B", aliases = ["b7"] }\n"A" = { family = "A" }\n'
        '[metric]\n"loss" = { higher_is_better = false }\n'
    )
    assert [entry.name for entry in parsed["model"]] == ["B-7B", "A"]
    assert parsed["model"][0].spellings == ("B-7B", "b7")
    assert parsed["metric"][0].higher_is_better is False
    assert parsed["dataset"] == ()


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown vocabulary kind"):
        entries("benchmark")


def test_resolving_a_known_name_loads_neither_rapidfuzz_nor_the_write_stack():
    code = (
        "import sys\n"
        "import llmkb.vocab.names, llmkb.vocab.mentions\n"
        "assert 'tomllib' not in sys.modules, 'vocabulary parsed at import'\n"
        "assert llmkb.vocab.names.resolve('dataset', 'WikiText2').canonical == 'WikiText-2'\n"
        "assert llmkb.vocab.mentions.find_mentions('LLaMA-7B on PIQA')\n"
        "heavy = {'rapidfuzz', 'sqlmodel', 'sqlalchemy', 'alembic', 'arxiv', 'httpx'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
