"""Dataset and model mentions in titles, abstracts and notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmkb.vocab.mentions import Mention, find_mentions

PAPERS = Path(__file__).resolve().parent.parent / "data" / "metadata" / "papers.jsonl"


def names(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.canonical) for m in find_mentions(text)]


def test_mentions_carry_kind_canonical_name_and_position():
    text = "We prune LLaMA-2-7B and report perplexity on WikiText2."
    mentions = find_mentions(text)
    assert mentions == [
        Mention("model", "LLaMA-2-7B", "LLaMA-2-7B", 9, 19),
        Mention("dataset", "WikiText-2", "WikiText2", 45, 54),
    ]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_a_pruning_abstract():
    text = (
        "We evaluate LLaMA-2-7B, Llama 2 13B and LLaMaA3-8B on PIQA, HellaSwag, WinoGrande, ARC-e and ARC-c "
        "(zero-shot), on MMLU (5-shot), and by perplexity on WikiText2 and C4, after fine-tuning on the cleaned "
        "version of Alpaca."
    )
    assert names(text) == [
        ("model", "LLaMA-2-7B"),
        ("model", "LLaMA-2-13B"),
        ("model", "LLaMA-3-8B"),
        ("dataset", "PIQA"),
        ("dataset", "HellaSwag"),
        ("dataset", "WinoGrande"),
        ("dataset", "ARC-e"),
        ("dataset", "ARC-c"),
        ("dataset", "MMLU"),
        ("dataset", "WikiText-2"),
        ("dataset", "C4"),
        ("dataset", "Alpaca-cleaned"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", [("model", "Mamba")]),
        ("MAMBA: LINEAR-TIME SEQUENCE MODELING", [("model", "Mamba")]),
        ("Jamba: A Hybrid Transformer-Mamba Language Model", [("model", "Jamba"), ("model", "Mamba")]),
        ("DistilBERT, a distilled version of BERT", [("model", "DistilBERT"), ("model", "BERT")]),
        ("Shortened LLaMA: Depth Pruning for Large Language Models", [("model", "LLaMA")]),
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", [("model", "LLaMA-2")]),
        ("Measuring Massive Multitask Language Understanding", [("dataset", "MMLU")]),
        ("Instruction Tuning with GPT-4", [("model", "GPT-4")]),
        ("results on RACE and on Race-h", [("dataset", "RACE"), ("dataset", "RACE")]),
        ("WMT'14 En-De and WMT'14 EN-Fr", [("dataset", "WMT14 En-De"), ("dataset", "WMT14 En-Fr")]),
        ("HumanEval+ and MBPP", [("dataset", "HumanEval+"), ("dataset", "MBPP")]),
        ("we sample from The Pile", [("dataset", "The Pile")]),
        ("BLOOM-176B and BLOOM", [("model", "BLOOM-176B"), ("model", "BLOOM")]),
        ("Vicuna-7b-v1.3 and TinyLLaMA-1.1B", [("model", "Vicuna-7B-v1.3"), ("model", "TinyLlama-1.1B")]),
        ("Mixtral-8x7B, a sparse mixture", [("model", "Mixtral-8x7B")]),
        ("C3, CHID and PTB", [("dataset", "C3"), ("dataset", "CHID"), ("dataset", "PTB")]),
        ("Qwen1.5-7B and OPT-1.3B", [("model", "Qwen1.5-7B"), ("model", "OPT-1.3B")]),
        ("LLaMA-2-7B/13B", [("model", "LLaMA-2-7B")]),
        ("Mamba-2 is faster", [("model", "Mamba-2")]),
        ("在MMLU上评测", [("dataset", "MMLU")]),
    ],
)
def test_names_in_text(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the race to build larger models",  # an English word, not the RACE dataset
        "the pile of results grows",
        "a bloom filter",
        "c4 and ptb and piqa written in lowercase",
        "an arc of reasoning",
        "ShortGPT: Layers in Large Language Models are More Redundant Than You Expect",  # no GPT inside
        "RoBERTaX and XBERT are not BERT",  # the last one is
        "HelaSwag and WinoGrand",  # no fuzzy matching in free text
        "LLaMA-2-34B",  # a size the family does not have: not silently LLaMA-2
        "math is hard",
        "",
    ],
)
def test_words_that_are_not_mentions(text):
    found = names(text)
    assert found == ([("model", "BERT")] if text.endswith("not BERT") else [])


def test_the_longest_name_wins():
    assert names("GPT4-Alpaca") == [("dataset", "GPT4-Alpaca")]
    assert names("ARC-Challenge") == [("dataset", "ARC-c")]
    assert names("LLaMA-2-7B-Chat") == [("model", "LLaMA-2-7B-Chat")]
    assert names("Llama-2-7b-hf")[0] == ("model", "LLaMA-2-7B")
    assert find_mentions("Llama-2-7b-hf")[0].surface == "Llama-2-7b-hf"


def test_every_occurrence_is_reported_in_order():
    found = find_mentions("PIQA first, then MMLU, then PIQA again")
    assert [m.canonical for m in found] == ["PIQA", "MMLU", "PIQA"]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_seed_titles_mention_what_they_are_about():
    titles = {}
    for line in PAPERS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        titles[record["title"]] = names(record["title"])
    assert titles["LLaMA: Open and Efficient Foundation Language Models"] == [("model", "LLaMA")]
    assert titles["TinyBERT: Distilling BERT for Natural Language Understanding"] == [
        ("model", "TinyBERT"),
        ("model", "BERT"),
    ]
    assert titles["DeepSeek-Coder-V2: Breaking the Barrier of Closed-Source Models in Code Intelligence"] == [
        ("model", "DeepSeek-Coder-V2")
    ]
    assert titles["Holistic Evaluation of Language Models"] == [("dataset", "HELM")]
    assert titles["LoRA: Low-Rank Adaptation of Large Language Models"] == []
    # Nothing in these titles is a dataset or model, and nothing is invented.
    assert titles["A Survey on Model Compression for Large Language Models"] == []
    assert titles["Cognitive Architectures for Language Agents"] == []
