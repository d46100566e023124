"""What the lint tests share: the lists of our own making, where a finding is expected, and a stand-in
arXiv that knows their papers (titles, first-version dates, versions, a withdrawal)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from arxiv_server import FakePaper

LINT_LISTS = Path(__file__).resolve().parent / "lists" / "lint"


def list_path(name: str) -> Path:
    return LINT_LISTS / name


def line_of(name: str, needle: str) -> int:
    """The 1-based line of the first line of a test list containing `needle`."""
    for number, line in enumerate(list_path(name).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {name}")


@dataclass
class VersionedPaper(FakePaper):
    """A paper whose earlier versions had other titles (answers to id_list=IDvN carry them)."""

    old_titles: dict[int, str] = field(default_factory=dict)

    def entry(self, version: int | None = None) -> str:
        if version in self.old_titles:
            return dataclasses.replace(self, title=self.old_titles[version], old_titles={}).entry(version)
        return super().entry(version)


INSTRUCTGPT = "Training language models to follow instructions with human feedback"
FLAN = "Scaling Instruction-Finetuned Language Models"
LM_INFINITE_V1 = "LM-Infinite: Simple On-the-Fly Length Generalization for Large Language Models"
LM_INFINITE = "LM-Infinite: Zero-Shot Extreme Length Generalization for Large Language Models"


def arxiv_papers() -> list[FakePaper]:
    return [
        FakePaper("2203.02155", title=INSTRUCTGPT, published="2022-03-04T18:00:00Z"),
        FakePaper("2210.11416", title=FLAN, published="2022-10-20T17:00:00Z"),
        FakePaper("1503.02531", title="Distilling the Knowledge in a Neural Network", published="2015-03-09T15:00:00Z"),
        FakePaper(
            "2312.00752",
            title="Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            published="2023-12-01T18:00:00Z",
        ),
        FakePaper(
            "2106.09685", title="LoRA: Low-Rank Adaptation of Large Language Models", published="2021-06-17T17:00:00Z"
        ),
        VersionedPaper(
            "2308.16137",
            version=7,
            title=LM_INFINITE,
            published="2023-08-30T17:00:00Z",
            old_titles={1: LM_INFINITE_V1, 2: LM_INFINITE_V1},
        ),
        FakePaper(
            "2402.00001",
            title="Retracted Results On Sparse Attention Kernels",
            published="2024-02-01T10:00:00Z",
            comment="This paper has been withdrawn by the authors due to an error in Table 2",
        ),
        FakePaper(
            "2402.01680",
            version=2,
            title="Large Language Model based Multi-Agents: A Survey of Progress and Challenges",
            published="2024-01-21T10:00:00Z",
        ),
        FakePaper(
            "2307.09288", title="Llama 2: Open Foundation and Fine-Tuned Chat Models", published="2023-07-18T10:00:00Z"
        ),
        FakePaper(
            "2210.17323",
            title="GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
            published="2022-10-31T10:00:00Z",
        ),
        FakePaper(
            "2401.15024",
            title="SliceGPT: Compress Large Language Models by Deleting Rows and Columns",
            published="2024-01-26T10:00:00Z",
        ),
        FakePaper(
            "2403.03853",
            title="ShortGPT: Layers in Large Language Models are More Redundant Than You Expect",
            published="2024-03-06T10:00:00Z",
        ),
    ]
