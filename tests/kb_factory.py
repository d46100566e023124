"""Small databases written through the real store, for tests that need known papers."""

from __future__ import annotations

from pathlib import Path

from llmkb.store.papers_write import PaperFields, add_tags, save_paper
from llmkb.store.write_session import write_session

PAPERS = [
    (
        PaperFields(
            arxiv_id="2403.03853",
            arxiv_version=2,
            title="ShortGPT: Layers in Large Language Models are More Redundant Than You Expect",
            authors=["Xin Men", "Mingyu Xu"],
            published="2024-03-06",
            categories=["cs.CL"],
            primary_category="cs.CL",
            note="removes redundant layers",
        ),
        ["model-compression/pruning"],
    ),
    (
        PaperFields(
            arxiv_id="2401.15024",
            title="SliceGPT: Compress Large Language Models by Deleting Rows and Columns",
            short_name="SLICEGPT",
            authors=["Saleh Ashkboos", "Maximilian L. Croci"],
            published="2024-01-26",
            categories=["cs.LG", "cs.CL"],
            primary_category="cs.LG",
        ),
        ["model-compression/pruning", "survey-picks"],
    ),
    (
        PaperFields(
            arxiv_id="2210.17323",
            title="GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
            authors=["Elias Frantar", "Saleh Ashkboos"],
            published="2022-10-31",
            categories=["cs.LG"],
            primary_category="cs.LG",
            abstract="We propose GPTQ, a new one-shot weight quantization method.",
        ),
        ["model-compression/quantization"],
    ),
    (
        PaperFields(
            arxiv_id="1503.02531",
            title="Distilling the Knowledge in a Neural Network",
            authors=["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"],
            published="2015-03-09",
            categories=["stat.ML", "cs.LG"],
            primary_category="stat.ML",
        ),
        ["distillation"],
    ),
    (
        PaperFields(title="Model compression", authors=["Cristian Buciluǎ", "Rich Caruana"], year=2006, venue="KDD"),
        ["distillation"],
    ),
    (
        PaperFields(
            arxiv_id="2211.17192",
            title="Fast Inference from Transformers via Speculative Decoding",
            authors=["Yaniv Leviathan", "Matan Kalman", "Yossi Matias"],
            published="2022-11-30",
        ),
        ["efficient-decoding"],
    ),
]


def build_small_kb(path: Path) -> Path:
    with write_session(path) as session:
        for fields, tags in PAPERS:
            _outcome, paper = save_paper(session, fields, source="user", authoritative=True)
            add_tags(session, paper, tags, "user")
    return path
