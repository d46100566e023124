"""Name resolution: every seed spelling resolves, nothing is mapped without confidence, sizes never blur."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmkb.errors import UsageError
from llmkb.vocab.names import normalize, resolve, resolve_or_raise, stem_and_size
from llmkb.vocab.vocabulary import entries

LISTS = Path(__file__).resolve().parent.parent / "data" / "lists"

# Every name in the Models and Datasets tables of the pruning seed list, and what it must resolve to.
PRUNING_LIST_MODELS = {
    "LLaMA2-7B": "LLaMA-2-7B",
    "LLaMaA2-13B": "LLaMA-2-13B",
    "LLaMaA3-8B": "LLaMA-3-8B",
    "LLaMaA3-70B": "LLaMA-3-70B",
    "Baichuan2-7B": "Baichuan2-7B",
    "Baichuan2-13B": "Baichuan2-13B",
    "LLaMA-7B": "LLaMA-7B",
    "Vicuna-7b-v1.3": "Vicuna-7B-v1.3",
    "Vicuna-13b-v1.3": "Vicuna-13B-v1.3",
    "Gemma-2B": "Gemma-2B",
    "TinyLLaMA-1.1B": "TinyLlama-1.1B",
    "Mixtral-7B": None,  # Mixtral-8x7B or Mistral-7B? Never guessed.
}
PRUNING_LIST_DATASETS = {
    "BookCorpus": "BookCorpus",
    "the cleaned version of Alpaca": "Alpaca-cleaned",
    "SlimPajama": "SlimPajama",
    "BoolQ": "BoolQ",
    "PIQA": "PIQA",
    "WikiText2": "WikiText-2",
    "PTB": "PTB",
    "HellaSwag": "HellaSwag",
    "WinoGrande": "WinoGrande",
    "ARC-easy": "ARC-e",
    "ARC-challenge": "ARC-c",
    "OpenbookQA": "OpenBookQA",
    "MMLU": "MMLU",
    "CMMLU": "CMMLU",
    "CMNLI": "CMNLI",
    "CHID": "CHID",
    "CoQA": "CoQA",
    "Race": "RACE",
    "XSum": "XSum",
    "C3": "C3",
    "PG19": "PG19",
    "SCIQ": "SciQ",
}


def _table_names(path: Path, section: str) -> set[str]:
    """First-column cells of the tables under a `## section` heading (through its ### subsections)."""
    names, inside = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == section
        elif inside and line.startswith("|"):
            cell = line.strip("|").split("|")[0].strip()
            if cell and cell != "Name" and not set(cell) <= set("-"):
                names.add(cell)
    return names


def test_the_pruning_list_tables_are_the_names_checked_here():
    path = next(LISTS.glob("003_*.txt"))
    assert _table_names(path, "Models") == set(PRUNING_LIST_MODELS)
    assert _table_names(path, "Datasets") == set(PRUNING_LIST_DATASETS)


@pytest.mark.parametrize(("name", "canonical"), [(n, c) for n, c in PRUNING_LIST_MODELS.items() if c])
def test_pruning_list_models_resolve(name, canonical):
    assert resolve("model", name).canonical == canonical
    assert resolve_or_raise("model", name) == canonical


@pytest.mark.parametrize(("name", "canonical"), PRUNING_LIST_DATASETS.items())
def test_pruning_list_datasets_resolve(name, canonical):
    resolution = resolve("dataset", name)
    assert (resolution.canonical, resolution.how in ("exact", "normalized")) == (canonical, True)


def test_mixtral_7b_stays_unresolved_with_both_readings_offered():
    resolution = resolve("model", "Mixtral-7B")
    assert not resolution.resolved
    assert (resolution.canonical, resolution.how) == (None, None)
    assert {"Mixtral-8x7B", "Mistral-7B"} <= set(resolution.suggestions[:3])
    with pytest.raises(UsageError) as raised:
        resolve_or_raise("model", "Mixtral-7B")
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith("unknown model 'Mixtral-7B' — did you mean ")
    assert "Mixtral-8x7B" in str(raised.value) and "Mistral-7B" in str(raised.value)


@pytest.mark.parametrize(
    ("kind", "name", "canonical"),
    [
        # the resource-constrained seed list
        ("dataset", "CoLA", "CoLA"),
        ("dataset", "MRPC", "MRPC"),
        ("dataset", "SST2 (SST-2)", "SST-2"),
        ("dataset", "QNLI", "QNLI"),
        ("dataset", "QQP", "QQP"),
        ("dataset", "RTE", "RTE"),
        ("dataset", "WMT'14 En-De", "WMT14 En-De"),
        ("dataset", "WMT'14 EN-Fr", "WMT14 En-Fr"),
        ("dataset", "WMT'19 En-De", "WMT19 En-De"),
        ("dataset", "SQuAD (Stanford Question Answer Dataset)", "SQuAD"),
        ("dataset", "C4 (Crawled Corpus)", "C4"),
        ("dataset", "Alpaca dataset", "Alpaca"),
        ("dataset", "GPT4-Alpaca dataset", "GPT4-Alpaca"),
        ("dataset", "MNLI-(m/mm)", "MNLI"),
        ("dataset", "MNLI", "MNLI"),
        ("dataset", "STS-B", "STS-B"),
        ("dataset", "ARC-e", "ARC-e"),
        ("dataset", "ARC-c", "ARC-c"),
        ("dataset", "OBQA", "OpenBookQA"),
        ("dataset", "MMLU (Massive Multitask Language Understanding)", "MMLU"),
        ("model", "TinyBERT", "TinyBERT"),
        ("model", "MobileBERT", "MobileBERT"),
        ("model", "DistillBERT", "DistilBERT"),
        ("model", "LLaMa", "LLaMA"),
        ("model", "Mistral", "Mistral"),
        ("model", "Falcon", "Falcon"),
        ("model", "GPT-NeoX", "GPT-NeoX"),
        ("model", "Mixtral", "Mixtral"),
        ("model", "BERT Families", "BERT"),
        ("metric", "F1", "F1"),
        ("metric", "Accuracy?", "accuracy"),
        ("metric", "Acc", "accuracy"),
        ("metric", "Perplexity (PPL)", "perplexity"),
        ("metric", "BLEU", "BLEU"),
        ("metric", "SacreBLEU", "SacreBLEU"),
        ("metric", "Training Time", "training time"),
        ("metric", "Search Time", "search time"),
        ("metric", "Memory", "memory"),
        ("metric", "#Params", "params"),
        ("metric", "Average GLUE", "GLUE score"),
        ("metric", "Pear", "Pearson"),
        ("metric", "Spear", "Spearman"),
        ("metric", "AIC (Akaike information criterion)", "AIC"),
        ("metric", "BIC (Bayes Information Criteria)", "BIC"),
        # the reading-notes seed list
        ("model", "llama", "LLaMA"),
        ("model", "llama2", "LLaMA-2"),
        ("model", "Mamba", "Mamba"),
        ("model", "Jamba", "Jamba"),
        ("model", "DeepSeek-Coder-v2", "DeepSeek-Coder-V2"),
        # spellings other lists use
        ("model", "LLaMa2-7B", "LLaMA-2-7B"),
        ("model", "llama-2-7b", "LLaMA-2-7B"),
        ("model", "Llama 2 7B", "LLaMA-2-7B"),
        ("model", "Llama-2-7b-hf", "LLaMA-2-7B"),
        ("model", "meta-llama/Llama-2-7b-hf", "LLaMA-2-7B"),
        ("model", "Llama-2-70b-chat-hf", "LLaMA-2-70B-Chat"),
        ("model", "Llama-2-Chat-13B", "LLaMA-2-13B-Chat"),
        ("model", "LLaMA-33B", "LLaMA-30B"),
        ("model", "Mixtral 8x7B", "Mixtral-8x7B"),
        ("model", "Qwen/Qwen1.5-7B", "Qwen1.5-7B"),
        ("model", "OPT-1.3B", "OPT-1.3B"),
        ("model", "opt-13b", "OPT-13B"),
        ("model", "bloom-7b1", "BLOOM-7.1B"),
        ("model", "LLaMA (7B)", "LLaMA-7B"),
        ("model", "Jamba-52B", "Jamba"),
        ("dataset", "WikiText-2", "WikiText-2"),
        ("dataset", "wikitext2", "WikiText-2"),
        ("dataset", "wikitext", "WikiText-2"),
        ("dataset", "WikiText-103", "WikiText-103"),
        ("dataset", "ARC-Easy", "ARC-e"),
        ("dataset", "arc_challenge", "ARC-c"),
        ("dataset", "SST-2", "SST-2"),
        ("dataset", "WMT14 En-De", "WMT14 En-De"),
        ("dataset", "alpaca cleaned", "Alpaca-cleaned"),
        ("dataset", "yahma/alpaca-cleaned", "Alpaca-cleaned"),
        ("dataset", "BIG-Bench-Hard", "BIG-Bench Hard"),
        ("dataset", "HumanEval+", "HumanEval+"),
        ("dataset", "HumanEval", "HumanEval"),
        ("dataset", "the MMLU benchmark", "MMLU"),
        ("metric", "ROUGE-L", "ROUGE-L"),
        ("metric", "pass@1", "pass@1"),
        ("metric", "EM", "exact match"),
        ("metric", "MCC", "Matthews corr."),
    ],
)
def test_seed_and_common_spellings_resolve(kind, name, canonical):
    assert resolve(kind, name).canonical == canonical


@pytest.mark.parametrize("kind", ["dataset", "model", "metric"])
def test_every_vocabulary_spelling_resolves_to_its_entry(kind):
    wrong = {
        spelling: resolve(kind, spelling).canonical
        for entry in entries(kind)
        for spelling in entry.spellings
        if resolve(kind, spelling).canonical != entry.name
    }
    assert not wrong


def test_how_a_name_matched_is_reported():
    assert resolve("model", "LLaMaA2-13B")[2:] == ("LLaMA-2-13B", "exact", 100.0, ())
    assert resolve("model", "llama-2-13b").how == "exact"  # the canonical name, in another case
    assert resolve("model", "LLAMA 2 13b").how == "normalized"
    assert resolve("dataset", "Wiki Text 2").how == "normalized"
    fuzzy = resolve("dataset", "HelaSwag")
    assert (fuzzy.canonical, fuzzy.how) == ("HellaSwag", "fuzzy")
    assert 90 <= fuzzy.score < 100


@pytest.mark.parametrize(
    "spelling", ["Llama 2 7B", "llama-2-7b", "LLaMA2-7B", "LLaMA_2_7B", "Llama 2 - 7B", "LLaMaA2-7B", "Llama-2-7b-hf"]
)
def test_normalized_forms_agree(spelling):
    assert normalize(spelling) == "llama2-7b"


def test_normalization_keeps_numbers_apart():
    assert normalize("OPT-1.3B") != normalize("OPT-13B")
    assert normalize("LLaMA-1-30B") != normalize("LLaMA-130B")
    assert normalize("Gemma-2-2B") != normalize("Gemma-22B")
    assert normalize("TinyLlama 1.1B") == normalize("TinyLlama-1.1B") == "tinyllama1.1b"
    assert normalize("WMT'14 En-De") == "wmt14ende"


def test_stem_and_size():
    assert stem_and_size("Llama-2-Chat-7B") == ("llama2chat", "7b")
    assert stem_and_size("Mixtral-8x7B-v0.1") == ("mixtralv0.1", "8x7b")
    assert stem_and_size("TinyLLaMA1.1B") == ("tinyllama", "1.1b")
    assert stem_and_size("Phi-2") == ("phi2", None)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("LLaMA-2-34B", {"LLaMA-2-7B", "LLaMA-2-13B", "LLaMA-2-70B"}),
        ("LLaMA-2-17B", {"LLaMA-2-7B", "LLaMA-2-13B", "LLaMA-2-70B"}),
        ("Falcon-13B", {"Falcon-7B", "Falcon-40B", "Falcon-180B", "Falcon"}),
        ("OPT-100B", None),
        ("Vicuna-7B", {"Vicuna", "Vicuna-7B-v1.3", "Vicuna-7B-v1.5"}),
        ("LLaMA (34B)", None),
    ],
)
def test_a_family_with_a_size_it_lacks_is_unresolved(name, allowed):
    resolution = resolve("model", name)
    assert resolution.canonical is None
    assert resolution.suggestions
    if allowed:
        assert set(resolution.suggestions[:3]) <= allowed


def test_sizes_are_never_fuzzed_across():
    """Shift the size of every sized model: the result is unresolved or an entry of that very size."""
    models = {entry.name: entry for entry in entries("model")}
    for entry in models.values():
        if not entry.size or entry.size not in entry.name:
            continue
        number = re.match(r"[0-9.]+", entry.size.split("x")[-1]).group()
        for shifted in {str(int(float(number)) + 1), str(int(float(number)) * 10)}:
            name = entry.name.replace(number + entry.size[-1], shifted + entry.size[-1])
            canonical = resolve("model", name).canonical
            assert canonical is None or shifted + entry.size[-1] in models[canonical].name, (name, canonical)


@pytest.mark.parametrize(
    ("kind", "typo", "canonical"),
    [
        ("model", "Lama-2-70B", "LLaMA-2-70B"),
        ("model", "Lama-2-7B", "LLaMA-2-7B"),
        ("model", "Mistrall-7B", "Mistral-7B"),
        ("dataset", "WinoGrand", "WinoGrande"),
        ("dataset", "OpenBokQA", "OpenBookQA"),
        ("metric", "perplexty", "perplexity"),
    ],
)
def test_slips_in_letters_are_fixed_without_changing_numbers(kind, typo, canonical):
    resolution = resolve(kind, typo)
    assert (resolution.canonical, resolution.how) == (canonical, "fuzzy")


@pytest.mark.parametrize(
    ("kind", "name", "offered"),
    [
        ("dataset", "PIQQA", ("PIQA",)),
        ("dataset", "WikiText-3", ("WikiText-2", "WikiText-103")),
        ("metric", "BLUE", ("BLEU",)),
        ("metric", "F1/Acc", ("accuracy",)),
        ("dataset", "WikiText2/PTB", ("WikiText-2",)),
        ("model", "Baichuan-7B-v2", ()),
    ],
)
def test_unconfident_names_are_kept_unresolved(kind, name, offered):
    resolution = resolve(kind, name)
    assert resolution.canonical is None
    assert set(offered) <= set(resolution.suggestions)


def test_did_you_mean_message():
    with pytest.raises(UsageError, match="^unknown dataset 'PIQQA' — did you mean PIQA\\?$"):
        resolve_or_raise("dataset", "PIQQA")
    with pytest.raises(UsageError, match="^unknown dataset 'WikiText-3' — did you mean WikiText-2 or WikiText-103\\?$"):
        resolve_or_raise("dataset", "WikiText-3")


def test_unknown_name_without_anything_close():
    resolution = resolve("dataset", "zzzqqq")
    assert (resolution.canonical, resolution.suggestions) == (None, ())
    with pytest.raises(UsageError, match="^unknown dataset 'zzzqqq'$"):
        resolve_or_raise("dataset", "zzzqqq")


@pytest.mark.parametrize("name", ["", "   ", "()", "—"])
def test_empty_or_punctuation_only_names_resolve_to_nothing(name):
    assert resolve("dataset", name).canonical is None


def test_names_from_one_kind_do_not_resolve_as_another():
    assert resolve("dataset", "LLaMA-2-7B").canonical is None
    assert resolve("model", "PIQA").canonical is None
    assert resolve("metric", "MMLU").canonical is None


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown vocabulary kind"):
        resolve("benchmark", "PIQA")
