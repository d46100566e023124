"""The awesome-list parser on the five seed lists, on lists in other layouts, and on hostile input.

Seed counts were settled by reading each seed by hand:
- 000: 8 entries, all with arXiv IDs (6 unique: Merge-Then-Compress and LoSparse appear under two headings);
  the dataset, leaderboard and harness links are not papers.
- 001: 18 entries; 5 with arXiv IDs (4 links + Hinton's "arXiv:1503.02531" text; SMaLL-100 and TeacherLM
  cite theirs in text too), 13 plain reference citations or ACL-Anthology links without one. Bare names
  (TinyBERT, CoLA, MMLU, ...) and the GitHub/paperswithcode links are not entries.
- 002: 31 **Paper** blocks, all on arXiv, 30 unique (2203.02155 is given to InstructGPT and to Flan).
- 003: the 5 numbered references, all on arXiv; 5 reference tables.
- 004: 18 papers, none on arXiv (PDF copies in a GitHub repo, and HELM's empty link); the repos, blogs and
  the bare "SmoothQuant" are not entries.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmkb.awesome_list import Link, ParsedList, RefRow, parse_awesome_list, slugify

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "lists"
OWN = Path(__file__).resolve().parent / "lists"


def seed(prefix: str) -> ParsedList:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse_awesome_list(path.read_text(encoding="utf-8"), source=path.name)


def own(name: str) -> ParsedList:
    return parse_awesome_list((OWN / name).read_text(encoding="utf-8"), source=name)


def parse(text: str) -> ParsedList:
    return parse_awesome_list(text)


def by_id(parsed: ParsedList, arxiv_id: str):
    found = [e for e in parsed.entries if e.arxiv_id == arxiv_id]
    assert found, f"{arxiv_id} not found"
    return found[0]


def at_line(parsed: ParsedList, line: int):
    found = [e for e in parsed.entries if e.line == line]
    assert len(found) == 1, [e.line for e in parsed.entries]
    return found[0]


def counts(parsed: ParsedList) -> tuple[int, int, int, int]:
    ids = [e.arxiv_id for e in parsed.entries if e.arxiv_id]
    return len(parsed.entries), len(ids), len(set(ids)), sum(1 for e in parsed.entries if not e.arxiv_id)


def all_tags(parsed: ParsedList) -> set[str]:
    return {t for e in parsed.entries for t in e.tags}


# --- the five seed lists --------------------------------------------------------------------------------

SEED_EXPECTED = {
    "000": (
        (8, 8, 6, 0),
        {
            "llm-evaluation",
            "model-compression/survey",
            "model-compression/low-rank-decomposition",
            "model-compression/pruning",
        },
    ),
    "001": (
        (18, 5, 5, 13),
        {
            "compression-lite-llms/pruning-for-llms",
            "compression-lite-llms/kd-for-llms/kd-original-papers",
            "compression-lite-llms/kd-for-llms/llm-distillation",
            "compression-lite-llms/effiicient-decoding",
            "compression-lite-llms/model-recycling",
            "compression-lite-llms/size-reduction",
            "resource-constrained-hardware",
        },
    ),
    "002": (
        (31, 31, 30, 0),
        {
            "typical-llms",
            "pretrain-method/system",
            "instruction-finetune",
            "rlhf",
            "peft",
            "extent-length",
            "extent-length/attention-based",
            "extent-length/fine-tuning-based",
            "compression/pruning",
            "compression/quantization/quantization-aware-fine-tuning-qaf",
            "compression/quantization/post-training-quantization-ptq",
            "agent/surveys",
            "rag",
            "rag/longllm-vs-rag",
        },
    ),
    "003": ((5, 5, 5, 0), {"pruning"}),
    "004": (
        (19, 0, 0, 19),  # 18 linked papers and SmoothQuant, named bare among them
        {
            "overviews-and-common-concepts",
            "optimization-concepts",
            "quantization/many-years-ago-classic",
            "quantization",
            "accuracy-benchmark",
        },
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_counts_and_tags(prefix):
    parsed = seed(prefix)
    expected_counts, expected_tags = SEED_EXPECTED[prefix]
    assert counts(parsed) == expected_counts
    assert all_tags(parsed) == expected_tags


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_entries_are_clean(prefix):
    for e in seed(prefix).entries:
        assert e.title is None or e.title.lower() not in {"paper", "pdf", "arxiv", "code"}, e
        assert e.title is None or "://" not in e.title
        assert e.line >= 1
        assert all(link.kind in {"code", "pdf", "paper", "project", "summary", "other"} for link in e.links)
        assert not any("arxiv.org" in link.url for link in e.links)  # the ID stands for the arXiv link


def test_seed_document_titles():
    assert [seed(p).title for p in sorted(SEED_EXPECTED)] == [
        "LLM Materials",
        "LLMs for Resource-constrained Hardware",
        "Overview",
        "Awesome-LLM-Pruning",
        "LLM_info",
    ]


def test_000_tinybenchmarks_takes_its_title_from_the_item_not_from_paper():
    e = by_id(seed("000"), "2402.14992")
    assert e.title == "tinyBenchmarks"
    assert e.tags == ["llm-evaluation"]
    assert e.note == ("A small version of open llm leaderboard. This benchmark only contains 100 samples of each task.")
    assert [link.url for link in e.links] == ["https://huggingface.co/tinyBenchmarks"]


def test_000_bracketed_venue_and_code_links():
    parsed = seed("000")
    merge = [e for e in parsed.entries if e.arxiv_id == "2310.01334"]
    assert [e.tags for e in merge] == [["model-compression/low-rank-decomposition"], ["model-compression/pruning"]]
    assert {(e.venue, e.year) for e in merge} == {("arXiv", 2024)}
    assert merge[0].title == "Merge, Then Compress: Demystify Efficient SMoE with Hints from Its Routing Policy"
    assert merge[0].links == [Link("code", "https://github.com/UNITES-Lab/MC-SMoE")]
    assert merge[0].note.startswith("grouping experts in a layer")
    assert "[Code]" not in merge[0].note
    svd = by_id(parsed, "2403.07378")
    assert svd.note.startswith("Proposing a truncation-aware")  # ". Proposing" after the link
    survey = by_id(parsed, "2308.07633")
    assert (survey.venue, survey.year, survey.note) == ("arXiv", 2023, None)


def test_000_non_papers_are_not_entries():
    lines = {e.line for e in seed("000").entries}
    assert lines == {15, 21, 24, 25, 26, 27, 30, 31}


def test_001_bucilua_reference_is_a_paper_without_arxiv_id():
    parsed = seed("001")
    e = at_line(parsed, 13)
    assert e.arxiv_id is None
    assert (e.title, e.year, e.venue) == ("Model compression", 2006, "KDD")
    assert e.authors[1:] == ["Rich Caruana", "Alexandru Niculescu-Mizil"]  # "Alexan- 659 dru" repaired
    assert e.tags == ["compression-lite-llms/kd-for-llms/kd-original-papers", "resource-constrained-hardware"]
    assert any(w.line == 13 and "undefined" in w.message for w in parsed.warnings)


def test_001_hinton_is_found_from_the_doubled_arxiv_citation():
    e = by_id(seed("001"), "1503.02531")
    assert e.line == 14
    assert (e.title, e.year) == ("Distilling the knowledge in a neural network", 2015)
    assert e.authors == ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]


def test_001_pdf_artefacts_are_cleaned():
    parsed = seed("001")
    small = by_id(parsed, "2210.11621")
    assert small.title == (
        "Small-100: Introducing shallow multilingual machine translation model for low-resource languages"
    )
    assert at_line(parsed, 30).title == "Cost-effective distillation of large language models"
    assert at_line(parsed, 30).venue == "Findings of ACL"
    assert "Junting Pan" in by_id(parsed, "2310.19019").authors
    leviathan = at_line(parsed, 37)
    assert leviathan.authors == ["Yaniv Leviathan", "Matan Kalman", "Yossi Matias"]
    assert (leviathan.year, leviathan.venue) == (2023, "ICML")
    assert at_line(parsed, 40).authors[-1] == "Noah Constant"
    assert at_line(parsed, 38).title == "FiD-ICL: A fusion-in-decoder approach for efficient in-context learning"
    # "Qun Liu. 2020 Tinybert: ..." has no full stop after the year
    assert at_line(parsed, 20).title == "Tinybert: Distilling bert for natural language understanding"


def test_001_bare_names_and_empty_items_are_not_entries():
    lines = {e.line for e in seed("001").entries}
    assert lines == {10, 13, 14, 19, 20, 21, 22, 24, 26, 28, 29, 30, 32, 37, 38, 40, 42, 43}


def test_001_acl_anthology_link_gives_venue_year_and_short_name():
    e = at_line(seed("001"), 24)
    assert (e.title, e.short_name, e.venue, e.year) == (
        "Distilling Linguistic Context for Language Model Compression",
        "CKD",
        "EMNLP",
        2021,
    )
    assert e.links == [Link("pdf", "https://aclanthology.org/2021.emnlp-main.30.pdf")]


def test_001_year_headings_give_a_default_year_not_a_tag():
    e = by_id(seed("001"), "2306.08543")  # under "##### 2024"
    assert e.year == 2024
    assert e.tags == ["compression-lite-llms/kd-for-llms/llm-distillation", "resource-constrained-hardware"]


def test_002_slicegpt_heading_names_the_paper():
    e = by_id(seed("002"), "2401.15024")
    assert e.short_name == "SLICEGPT"
    assert e.tags == ["compression/pruning"]
    assert (e.year, e.month) == (2024, 1)
    assert e.note == "通过删除大型语言模型中的行和列来实现模型的压缩"
    assert e.links == [Link("summary", "https://www.xiaohongshu.com/explore/65ba158a0000000008020723")]


def test_002_paper_block_is_one_entry_with_year_month_and_summary():
    parsed = seed("002")
    e = by_id(parsed, "2302.13971")
    assert (e.title, e.short_name, e.year, e.month) == (
        "LLaMA: Open and Efficient Foundation Language Models",
        "llama",
        2023,
        2,
    )
    assert e.note == "most widely used opensource llms now"
    assert e.tags == ["typical-llms"]
    assert by_id(parsed, "2305.14314").note.startswith("通过一个冻结")  # "::" after the label


def test_002_bare_url_link_text_gives_no_title_and_a_warning():
    parsed = seed("002")
    e = by_id(parsed, "2307.09288")
    assert e.title is None and e.short_name == "llama2"
    assert any(w.line == 25 and "2307.09288" in w.message for w in parsed.warnings)


def test_002_same_id_with_two_titles_is_warned():
    parsed = seed("002")
    flan = [w for w in parsed.warnings if "2203.02155" in w.message and "two titles" in w.message]
    assert len(flan) == 1
    assert flan[0].line == 49
    assert "Training language models to follow instructions with human feedback" in flan[0].message
    assert "Scaling Instruction-Finetuned Language Models" in flan[0].message
    assert len(parsed.warnings) == 2  # and the llama2 title


def test_002_topics_with_one_paper_stay_topics():
    parsed = seed("002")
    flan = at_line(parsed, 49)
    assert (flan.tags, flan.short_name) == (["instruction-finetune"], None)  # a top-level section
    assert by_id(parsed, "2308.16137").tags == ["extent-length/attention-based"]
    assert by_id(parsed, "2308.16137").short_name == "LM-INFINITE"  # from its title, not the heading
    assert by_id(parsed, "2406.13121").tags == ["rag/longllm-vs-rag"]
    assert by_id(parsed, "2110.04366").short_name is None  # the heading is the title itself


def test_002_indented_headings_and_bullets():
    parsed = seed("002")
    for arxiv_id, name in (("2210.17323", "GPTQ"), ("2306.00978", "AWQ")):
        e = by_id(parsed, arxiv_id)
        assert e.tags == ["compression/quantization/post-training-quantization-ptq"]
        assert e.short_name == name
    assert by_id(parsed, "2309.02427").year == 2023  # " - **year**" one space in
    assert by_id(parsed, "2402.01680").arxiv_version == 1
    assert by_id(parsed, "2312.00752").title.startswith("Mamba")  # /ftp/ link


def test_003_numbered_references_and_ref_tables():
    parsed = seed("003")
    assert parsed.references == {1: 0, 2: 1, 3: 2, 4: 3, 5: 4}
    first = parsed.entries[0]
    assert (first.arxiv_id, first.venue, first.ref) == ("2402.02834", "arXiv", 1)
    assert first.title == (
        "Shortened LLaMA: Depth Pruning for Large Language Models with Comparison of Retraining Methods"
    )
    assert first.links == [Link("code", "https://github.com/Nota-NetsPresso/shortened-llm")]
    assert [t.heading_path for t in parsed.ref_tables] == [
        ["Fine-tuning methods"],
        ["Models"],
        ["Datasets", "Calibration Dataset"],
        ["Datasets", "For Finetuning"],
        ["Datasets", "For Evaluation"],
    ]
    models = parsed.ref_tables[1]
    assert len(models.rows) == 12
    assert models.rows[0] == RefRow("LLaMA2-7B", [2, 3, 4], 41)
    assert models.rows[-1] == RefRow("Mixtral-7B", [4], 52)
    finetuning = parsed.ref_tables[3]
    assert finetuning.rows[0] == RefRow("the cleaned version of Alpaca", [1, 3], 63)  # "[1],[3],"
    evaluation = parsed.ref_tables[4]
    assert len(evaluation.rows) == 19
    assert RefRow("PIQA", [1, 2, 3, 4], 70) in evaluation.rows


def test_004_github_pdfs_are_papers_without_id():
    parsed = seed("004")
    for e in parsed.entries:
        assert e.arxiv_id is None
    pdf_entries = [e for e in parsed.entries if any(link.kind == "pdf" for link in e.links)]
    assert len(pdf_entries) == 17  # all but HELM
    assert all(
        link.url.startswith("https://github.com/vvchernov/LLM_info/blob/main/papers/")
        for e in pdf_entries
        for link in e.links
        if link.kind == "pdf"
    )
    awq = at_line(parsed, 56)
    assert awq.title == "AWQ: Activation-aware Weight Quantization for LLM compression and acceleration"
    assert awq.links[1] == Link("code", "https://github.com/mit-han-lab/llm-awq")
    assert (awq.year, awq.tags) == (2023, ["quantization"])
    code_lines = {e.line for e in parsed.entries if any(link.kind == "code" for link in e.links)}
    assert code_lines == {56, 57, 58, 59, 72}
    assert at_line(parsed, 65).year == 2024


def test_004_short_names_from_prefixes_and_empty_link():
    parsed = seed("004")
    helm = at_line(parsed, 72)
    assert (helm.title, helm.short_name, helm.arxiv_id) == ("Holistic Evaluation of Language Models", "HELM", None)
    assert helm.links == [Link("code", "https://github.com/stanford-crfm/helm")]
    assert helm.note is None
    assert helm.tags == ["accuracy-benchmark"]
    yoco = at_line(parsed, 41)
    assert (yoco.short_name, yoco.title) == (
        "YOCO",
        "You Only Cache Once: decoder-decoder architectures for language models",
    )


def test_004_repos_and_blogs_are_not_entries_and_a_bare_name_among_papers_is_a_bare_one():
    entries = {e.line: e for e in seed("004").entries}
    assert not set(entries) & {6, 7, 11, 12, 13, 19, 22, 23, 26, 31, 32}
    assert {33, 39, 40, 41} <= set(entries)
    assert [line for line, e in entries.items() if e.bare] == [55]
    assert (entries[55].title, entries[55].short_name) == ("SmoothQuant", "SmoothQuant")


def test_a_name_alone_is_a_paper_only_among_papers():
    parsed = parse_awesome_list(
        "# L\n\n## Papers\n\n1. SmoothQuant\n2. [GPTQ: Accurate Quantization](https://arxiv.org/abs/2210.17323)\n"
        "\n## Tools\n\n- vLLM\n- TensorRT-LLM\n- [Docs](https://example.org/docs)\n"
        "\n## Notes\n\n1. Read this, it is a full sentence.\n2. [GPTQ: Accurate Quantization](https://arxiv.org/abs/2210.17323)\n"
    )
    assert [(e.line, e.title) for e in parsed.entries if e.bare] == [(5, "SmoothQuant")]


# --- other layouts (tests/lists) ---------------------------------------------------------------------------


def test_table_with_badges_and_author_lines():
    parsed = own("table_badges.md")
    assert parsed.title == "Awesome Efficient Reasoning"
    assert counts(parsed) == (6, 5, 5, 1)
    assert all_tags(parsed) == {"chain-of-thought", "agents", "efficient-reasoning"}
    cot = by_id(parsed, "2201.11903")
    assert (cot.venue, cot.year) == ("NeurIPS", 2022)
    assert cot.authors == ["Jason Wei", "Xuezhi Wang", "Dale Schuurmans"]
    assert cot.tags == ["chain-of-thought", "efficient-reasoning"]
    assert cot.note is None
    sc = by_id(parsed, "2203.11171")
    assert (sc.arxiv_version, sc.venue, sc.year) == (4, "ICLR", 2023)
    assert sc.links == [Link("code", "https://github.com/google/sc")]  # a star badge linking the repo
    assert (by_id(parsed, "2305.10601").venue, by_id(parsed, "2305.10601").year) == ("arXiv", 2023)
    verify = at_line(parsed, 12)
    assert (verify.title, verify.arxiv_id) == ("Let's Verify Step by Step", None)
    assert (verify.venue, verify.year) == ("ICLR", 2024)
    assert verify.links == [Link("paper", "https://openreview.net/forum?id=v8L0pN6EOi")]


def test_table_with_author_and_year_columns():
    parsed = own("table_badges.md")
    react = by_id(parsed, "2210.03629")
    assert react.title == "ReAct: Synergizing Reasoning and Acting in Language Models"
    assert react.authors == ["Shunyu Yao", "Jeffrey Zhao"]
    assert (react.year, react.month) == (2022, 10)
    toolformer = by_id(parsed, "2302.04761")
    assert toolformer.year == 2023 and toolformer.note is None
    assert toolformer.links == [Link("code", "https://github.com/lucidrains/toolformer-pytorch")]


def test_numbered_reference_list_with_venue_lines():
    parsed = own("numbered_refs.md")
    assert counts(parsed) == (6, 5, 5, 1)
    assert parsed.references == {1: 0, 2: 1, 3: 2, 5: 3}  # [4] names no paper
    h2o, streaming, fastgen, kivi = parsed.entries[:4]
    assert (h2o.venue, h2o.year, h2o.ref) == ("NeurIPS", 2023, 1)
    assert (streaming.venue, streaming.year, streaming.arxiv_version) == ("ICLR", 2024, 4)
    assert fastgen.title == "Model Tells You What to Discard: Adaptive KV Cache Compression for LLMs"
    assert fastgen.links == [Link("pdf", "https://openreview.net/pdf?id=uNrFpDPMyo")]
    assert kivi.venue == "arXiv"
    assert all_tags(parsed) == {"kv-cache-compression", "surveys"}
    survey, review = parsed.entries[4:]
    assert (survey.year, survey.note) == (2024, None)
    assert (review.venue, review.year) == ("COLM", 2024)
    assert [(t.heading_path, t.rows) for t in parsed.ref_tables] == [
        (
            ["Models"],
            [RefRow("Llama-2-7B", [1, 2, 5], 24), RefRow("Mistral-7B", [3], 25), RefRow("Falcon-7B", [2, 4], 26)],
        ),
        (["Benchmarks"], [RefRow("LongBench", [3, 5], 31), RefRow("PG19", [2], 32)]),
    ]


def test_paper_blocks_with_fields():
    parsed = own("paper_blocks.md")
    assert counts(parsed) == (5, 5, 5, 0)
    sparsegpt = by_id(parsed, "2301.00774")
    assert (sparsegpt.short_name, sparsegpt.tags, sparsegpt.year, sparsegpt.month) == (
        "SparseGPT",
        ["pruning-and-sparsity"],
        2023,
        1,
    )
    assert sparsegpt.note == "one-shot pruning to 50% sparsity."
    assert sparsegpt.links == [
        Link("summary", "https://zhuanlan.zhihu.com/p/620412385"),
        Link("code", "https://github.com/IST-DASLab/sparsegpt"),
    ]
    wanda = by_id(parsed, "2306.11695")
    assert (wanda.title, wanda.short_name, wanda.year, wanda.month) == (None, "Wanda", 2023, 6)
    assert [w.line for w in parsed.warnings] == [12]
    pruner = by_id(parsed, "2305.11627")
    assert (pruner.short_name, pruner.tags) == ("LLM-Pruner", ["pruning-and-sparsity/structured-methods"])
    int8 = by_id(parsed, "2208.07339")  # fields nested under the **Paper** item
    assert (int8.year, int8.month, int8.venue, int8.tags) == (2022, 8, "NeurIPS", ["quantization"])
    smooth = by_id(parsed, "2211.10438")
    assert (smooth.year, smooth.month, smooth.note) == (2022, 11, "migrates activation outliers into weights")


def test_plain_bullets_in_many_shapes():
    parsed = own("plain_bullets.md")
    assert counts(parsed) == (10, 9, 7, 1)
    assert all_tags(parsed) == {"retrieval/dense-retrieval", "retrieval", "中文资料", "한국어-자료", "rag"}
    dpr = by_id(parsed, "2004.04906")
    assert (dpr.venue, dpr.year, dpr.note) == ("EMNLP", 2020, "The DPR paper.")
    rag = by_id(parsed, "2005.11401")
    assert (rag.title, rag.venue, rag.year, rag.note) == (
        "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
        "NeurIPS",
        2020,
        None,
    )
    assert rag.links == [Link("code", "https://github.com/huggingface/transformers")]
    realm = at_line(parsed, 17)
    assert (realm.title, realm.arxiv_id, realm.venue, realm.year) == (
        "REALM: Retrieval-Augmented Language Model Pre-Training",
        None,
        "ICML",
        2020,
    )
    assert realm.links[0].kind == "pdf"
    atlas = by_id(parsed, "2208.03299")  # a huggingface.co/papers link
    assert (atlas.venue, atlas.year) == ("JMLR", 2023)
    assert by_id(parsed, "2004.12832").title == "ColBERT: efficient passage search via late interaction"
    two = [e for e in parsed.entries if e.line == 22]
    assert [(e.arxiv_id, e.arxiv_version, e.year) for e in two] == [("2310.11511", 1, 2023), ("2305.06983", None, 2023)]
    chinese = at_line(parsed, 28)
    assert (chinese.title, chinese.note) == ("检索增强生成综述", "一篇很全面的中文解读")
    assert chinese.tags == ["中文资料", "rag"]
    assert chinese.links == [Link("summary", "https://zhuanlan.zhihu.com/p/673910600")]
    korean = at_line(parsed, 31)
    assert (korean.title, korean.note, korean.tags) == ("RAG 논문 정리", "한국어 요약", ["한국어-자료", "rag"])
    [retitled] = parsed.warnings  # the two retitled IDs, one warning for the cause
    assert (retitled.cause, retitled.lines) == ("two-titles", [28, 31])


def test_html_blocks_tables_and_mojibake():
    parsed = own("html_mixed.md")
    assert parsed.title == "Awesome Multimodal LLM"
    assert counts(parsed) == (6, 5, 5, 1)
    assert all_tags(parsed) == {"vision-language-models", "speech", "기타-misc", "multimodal"}
    vit = by_id(parsed, "2304.08485")
    assert (vit.title, vit.venue, vit.year, vit.line) == ("Visual Instruction Tuning", "NeurIPS", 2023, 12)
    assert (by_id(parsed, "2301.12597").venue, by_id(parsed, "2204.14198").year) == ("ICML", 2022)
    clip = by_id(parsed, "2103.00020")
    assert clip.title == "Learning Transferable Visual Models From Natural Language Supervision"
    assert clip.authors == ["Alec Radford", "Jong Wook Kim", "Chris Hallacy"]
    whisper = at_line(parsed, 32)
    assert (whisper.title, whisper.links) == (
        "Robust Speech Recognition via Large-Scale Weak Supervision",
        [Link("pdf", "https://cdn.openai.com/papers/whisper.pdf")],
    )
    assert by_id(parsed, "2101.03961").title == "Mojibake test — Switch Transformers"


def test_reference_citations_in_several_styles():
    parsed = own("citations.md")
    assert counts(parsed) == (5, 2, 2, 3)
    assert all_tags(parsed) == {"classic", "pasted-from-a-pdf", "distillation"}
    hinton = by_id(parsed, "1503.02531")
    assert (hinton.venue, hinton.year) == ("arXiv", 2015)
    bucila = at_line(parsed, 5)
    assert (bucila.title, bucila.year, bucila.venue) == ("Model compression", 2006, "KDD")
    apa = by_id(parsed, "1910.01108")
    assert apa.authors == ["V. Sanh", "L. Debut", "J. Chaumond", "T. Wolf"]
    assert apa.year == 2019
    assert apa.title == "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter"
    ieee = at_line(parsed, 7)
    assert (ieee.title, ieee.year, ieee.authors[2]) == ("Knowledge distillation: A survey", 2021, "S. J. Maybank")
    kim = at_line(parsed, 10)
    assert (kim.title, kim.venue, kim.year) == ("Sequence-level knowledge distillation", "EMNLP", 2016)
    assert kim.authors == ["Yoon Kim", "Alexander M. Rush"]


def test_broken_markdown_gives_best_effort_and_warnings():
    parsed = own("broken.md")
    unclosed = at_line(parsed, 3)
    assert (unclosed.title, unclosed.arxiv_id) == ("Unclosed link text", "2106.09685")
    assert by_id(parsed, "2401.04088").title == "Mixtral of Experts"  # <a> never closed
    assert by_id(parsed, "1706.03762").title == "Attention Is All You Need"
    assert at_line(parsed, 15).title is None
    causes = {w.cause: w for w in parsed.warnings}
    assert causes["malformed-link"].lines == [3, 5]
    assert "malformed markdown link" in causes["malformed-link"].message
    assert causes["invalid-arxiv-link"].lines == [16] and "month 99" in causes["invalid-arxiv-link"].message
    assert causes["two-titles"].lines == [4] and "two titles" in causes["two-titles"].message


# --- headings, titles and small layouts -------------------------------------------------------------------


def test_slugify():
    assert slugify("Pruning and Sparsity") == "pruning-and-sparsity"
    assert slugify("Compression / Lite LLMs") == "compression-lite-llms"
    assert slugify("  Post Training Quantization(PTQ) ") == "post-training-quantization-ptq"


@pytest.mark.parametrize(
    ("title", "tag"),
    [
        ("Awesome-LLM-Pruning", "pruning"),
        ("LLM_info", None),
        ("Overview", None),
        ("LLM Materials", None),
        ("Awesome Large Language Model Papers", None),
        ("Awesome Model Compression for LLMs", "model-compression"),
        ("LLMs for Resource-constrained Hardware", "resource-constrained-hardware"),
    ],
)
def test_document_title_gives_a_topic_tag_unless_generic(title, tag):
    parsed = parse(f"# {title}\n\n- [Some Paper Title](https://arxiv.org/abs/2301.00001)\n")
    assert parsed.title == title
    assert parsed.entries[0].tags == ([tag] if tag else [])


@pytest.mark.parametrize(
    "heading",
    [
        "Contents",
        "Table of Contents",
        "Contributing",
        "Star History",
        "License",
        "Citation",
        "Acknowledgements",
        "Acknowledgments",
        "Overview",
        "Introduction",
        "📰 News",
        "Contact",
        "References",
        "Etc.",
        "Papers",
        "",
    ],
)
def test_non_topic_headings_give_no_tag(heading):
    parsed = parse(f"# Title X\n## Topic A\n### {heading}\n- [Some Paper Title](https://arxiv.org/abs/2301.00001)\n")
    assert parsed.entries[0].tags == ["topic-a", "title-x"]


def test_skipped_heading_levels_nest_and_year_headings_give_years():
    parsed = parse(
        "# Awesome\n## A\n#### B\n##### 2022\n- [Paper One Title](https://arxiv.org/abs/2301.00001)\n"
        "### C\n- [Paper Two Title](https://arxiv.org/abs/2301.00002) ICML'23\n"
    )
    first, second = parsed.entries
    assert (first.tags, first.year) == (["a/b"], 2022)
    assert (second.tags, second.year, second.venue) == (["a/c"], 2023, "ICML")


def test_first_top_level_heading_with_papers_is_a_section_not_the_title():
    parsed = parse(
        "# Pruning\n- [Paper One Title](https://arxiv.org/abs/2301.00001)\n"
        "# Quantization\n- [Paper Two Title](https://arxiv.org/abs/2301.00002)\n"
    )
    assert [e.tags for e in parsed.entries] == [["pruning"], ["quantization"]]


def test_heading_that_links_a_paper_is_an_entry():
    parsed = parse(
        "# Awesome Agents\n## Planning\n### [ReAct: Synergizing Reasoning and Acting]"
        "(https://arxiv.org/abs/2210.03629)\nInterleaves thoughts and actions. [code](https://github.com/x/y)\n"
    )
    e = parsed.entries[0]
    assert (e.arxiv_id, e.tags, e.line) == ("2210.03629", ["planning", "agents"], 3)
    assert e.note == "Interleaves thoughts and actions."
    assert e.links == [Link("code", "https://github.com/x/y")]


def test_items_that_are_not_papers():
    parsed = parse(
        "# X\n- [LangChain](https://github.com/langchain-ai/langchain) framework\n"
        "- [A blog post about RAG](https://medium.com/@x/rag-101)\n"
        "- [Open LLM Leaderboard](https://huggingface.co/spaces/open-llm-leaderboard/board)\n"
        "- SmoothQuant\n- TinyBERT, MobileBERT, DistillBERT...\n- [Paper](https://arxiv.org/abs/9912.00001)\n"
    )
    assert parsed.entries == []


def test_arxiv_id_forms_and_versions():
    parsed = parse(
        "- [A Title Here](https://arxiv.org/pdf/2106.09685v2.pdf)\n"
        "- [B Title Here](http://export.arxiv.org/abs/hep-th/9901001v1)\n"
        "- C Title Here arXiv:2305.14314\n"
        "- [D Title Here](https://doi.org/10.48550/arXiv.2402.01680)\n"
    )
    assert [(e.arxiv_id, e.arxiv_version) for e in parsed.entries] == [
        ("2106.09685", 2),
        ("hep-th/9901001", 1),
        ("2305.14314", None),
        ("2402.01680", None),
    ]
    assert parsed.entries[2].title == "C Title Here"


def test_paragraph_lines_each_naming_a_paper_are_separate_entries():
    parsed = parse(
        "Intro text without links.\n\n[First Paper Title](https://arxiv.org/abs/2301.00001)\n"
        "[Second Paper Title](https://arxiv.org/abs/2301.00002)\n**Third Paper Title**\n"
        "[paper](https://arxiv.org/abs/2301.00003) [code](https://github.com/a/b)\n"
    )
    assert [(e.title, e.line) for e in parsed.entries] == [
        ("First Paper Title", 3),
        ("Second Paper Title", 4),
        ("Third Paper Title", 5),
    ]
    assert parsed.entries[2].links == [Link("code", "https://github.com/a/b")]


# --- robustness --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "# Only\n## Headings\n### Here",
        "<div><p>only html</p></div>",
        "<!-- comment only -->",
        "```\nunclosed fence [A](https://arxiv.org/abs/2301.00001)",
        "| a |\n|---|",
        "\x00\x01\x02",
        "\ufeff# T",
        "- \n- \n-",
        "[]()",
        "# [](https://arxiv.org/abs/2301.00001)",
        ">" * 200,
        "*" * 500,
        "[" * 300 + "]" * 300,
    ],
)
def test_odd_documents_never_crash(text):
    parsed = parse(text)
    assert isinstance(parsed, ParsedList)
    assert all(e.title is None or e.title.strip() for e in parsed.entries)


def test_indented_code_block_is_reported():
    parsed = parse("# T\n\n    - [Indented Paper Title](https://arxiv.org/abs/2301.00001)\n")
    assert parsed.entries == []
    assert [w.line for w in parsed.warnings] == [3]


def test_deeply_nested_lists_are_read_until_the_nesting_limit():
    text = "\n".join("  " * i + f"- [Nested Paper {i}](https://arxiv.org/abs/2301.{i + 1:05d})" for i in range(60))
    parsed = parse(text)
    assert 10 < len(parsed.entries) < 60
    assert [e.title for e in parsed.entries[:2]] == ["Nested Paper 0", "Nested Paper 1"]
    assert any("nested" in w.message for w in parsed.warnings)


def test_line_numbers_survive_crlf_and_bom():
    text = (SEEDS / next(p.name for p in SEEDS.glob("002_*.txt"))).read_text(encoding="utf-8")
    plain = [e.line for e in parse(text).entries]
    assert [e.line for e in parse("\ufeff" + text.replace("\n", "\r\n")).entries] == plain


def test_random_bytes_never_crash():
    rng = random.Random(7)
    for _ in range(200):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(600)))
        for text in (blob.decode("latin-1"), blob.decode("utf-8", "replace")):
            assert isinstance(parse(text), ParsedList)


_FRAGMENTS = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "1. ",
        "    ",
        "> ",
        "|",
        "---",
        "[",
        "]",
        "(",
        ")",
        "**",
        "`",
        "```",
        "<a href='",
        "</a>",
        "<br>",
        "<!--",
        "-->",
        "<table><tr><td>",
        "https://arxiv.org/abs/2301.00001",
        "https://github.com/a/b",
        "x.pdf",
        "2023",
        "ICML'23",
        "[1]",
        "[2],[3],",
        "**Paper**:",
        "**year**:2023/02",
        "\n",
        "\n\n",
        "中文",
        "â€”",
        "Title Words",
        "Ann Lee, Bo Chen, and Cy Dee. 2020. A title. In ACL.",
        "arXiv:2301.00002",
        "![b](https://img.shields.io/badge/x-ICLR'24-blue)",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=60))
def test_generated_markdown_never_crashes(parts):
    parsed = parse("".join(parts))
    for e in parsed.entries:
        assert e.line >= 1
        assert e.arxiv_id or e.title
        assert all(t and "//" not in t and not t.startswith("/") and not t.endswith("/") for t in e.tags)


def test_five_thousand_items_all_parse():
    lines = ["# Awesome Efficient LLM"]
    for section in range(50):
        lines += [f"## Section {section}", "### Methods"]
        for i in range(100):
            n = section * 100 + i + 1
            lines.append(
                f"- [ICML 2023] [Paper Title Number {n}: A Study](https://arxiv.org/abs/2301.{n:05d}) - "
                f"a note. [Code](https://github.com/a/b{n})"
            )
    text = "\n".join(lines)
    parsed = parse(text)  # speed is measured by benchmarks/list_parse_speed.py, not here
    assert len(parsed.entries) == 5000
    assert parsed.entries[-1].tags == ["section-49/methods", "efficient"]
