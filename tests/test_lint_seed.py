"""The problems catalogued in the five seed lists (shared/seed-metadata/seed-problems.md) that a program can
see are found, with their lines: offline, and with arXiv's answers (the stand-in serves the seed database's
arXiv records, with the version history seed-problems.md describes for LM-Infinite and MiniLLM)."""

from __future__ import annotations

import sqlite3

from arxiv_server import FakePaper
from conftest import LISTS, SEED_DB
from lint_support import VersionedPaper
from llmkb.lint import lint_texts

SEEDS = sorted(LISTS.glob("*.txt"))

# (file prefix, line, code): one row per catalogued problem (or per line of a multi-line one)
OFFLINE = {
    ("000", 24, "LK203"),  # [Arxiv 2024] for a 2023-10 preprint
    ("000", 30, "LK203"),
    ("000", 30, "LK502"),  # the same entry under two sections
    ("000", 31, "LK502"),
    ("001", 8, "LK301"),  # DistillBERT
    ("001", 13, "LK602"),  # Buciluundefined
    ("001", 13, "LK603"),  # Alexan- 659 dru, line numbers 661/663
    ("001", 14, "LK105"),  # 1503.02531arXiv:1503.02531
    ("001", 16, "LK406"),  # empty items
    ("001", 46, "LK406"),
    ("001", 50, "LK406"),
    ("001", 21, "LK501"),  # the DistilBERT reference twice under 2020
    ("001", 26, "LK105"),
    ("001", 26, "LK603"),
    ("001", 28, "LK603"),  # Junt- ing
    ("001", 30, "LK603"),  # 679
    ("001", 36, "LK405"),  # Effiicient decoding
    ("001", 37, "LK603"),  # 773/775
    ("001", 40, "LK603"),  # 770
    ("001", 85, "LK304"),  # C4 (Crawled Corpus)
    ("001", 88, "LK505"),  # a space in the URL
    ("001", 101, "LK405"),  # benmarks
    ("002", 25, "LK508"),  # the link text is the URL
    ("002", 29, "LK110"),  # /ftp/ link
    ("002", 33, "LK604"),  # Jamba:A
    ("002", 49, "LK104"),  # 2203.02155 under two titles
    ("002", 113, "LK507"),  # ShortGPT's summary link under another paper
    ("002", 126, "LK407"),  # indented headings
    ("002", 127, "LK407"),
    ("002", 130, "LK407"),
    ("002", 132, "LK204"),  # AWQ 2023/10
    ("002", 133, "LK403"),  # # MultiModa, empty
    ("002", 141, "LK202"),  # 2024/02 for 2404.11584
    ("003", 7, "LK402"),  # contents promise a Survey section
    ("003", 20, "LK604"),  # ShortGPT:Layers
    ("003", 42, "LK301"),  # LLaMaA2-13B
    ("003", 43, "LK301"),
    ("003", 44, "LK301"),
    ("003", 52, "LK302"),  # Mixtral-7B
    ("003", 63, "LK605"),  # trailing commas
    ("003", 70, "LK605"),
    ("003", 94, "LK404"),  # an empty heading
    ("004", 19, "LK601"),  # mojibake
    ("004", 33, "LK509"),  # PDF copies in a personal repository
    ("004", 58, "LK509"),
    ("004", 51, "LK403"),  # empty year buckets
    ("004", 55, "LK503"),  # SmoothQuant, no link
    ("004", 72, "LK504"),  # []()
}
ONLINE = {
    ("002", 18, "LK202"),  # InstructGPT 2022/02, v1 2022-03-04
    ("002", 49, "LK101"),  # Flan's title on InstructGPT's ID
    ("002", 50, "LK202"),  # 2022/03 for Flan (2210.11416, 2022-10-20)
    ("002", 68, "LK106"),  # LORA ... MODEL
    ("002", 89, "LK106"),  # POSITION INTERPOLATION
    ("002", 93, "LK107"),  # LM-Infinite's v1 title
    ("002", 97, "LK106"),  # LONGCONTEXT
    ("002", 143, "LK109"),  # pinned v1
    ("001", 32, "LK107"),  # MiniLLM's v4 title
    ("004", 58, "LK106"),  # Outlier Suppression+: "effective" for "optimal"
    ("004", 58, "LK506"),  # its PDF copy, with the arXiv page
}


def _found(report) -> set[tuple[str, int, str]]:
    return {(f.source[:3], f.line, f.code) for f in report.findings}


def _texts():
    return [(path.name, path.read_text(encoding="utf-8")) for path in SEEDS]


def test_seed_problems_are_found_offline_with_their_lines():
    found = _found(lint_texts(_texts(), offline=True))
    assert not OFFLINE - found, sorted(OFFLINE - found)


def _seed_arxiv(server) -> None:
    conn = sqlite3.connect(SEED_DB)
    for arxiv_id, title, published in conn.execute(
        "SELECT arxiv_id, title, published FROM paper WHERE arxiv_id IS NOT NULL"
    ):
        server.add(FakePaper(arxiv_id, title=title, published=f"{published or '2020-01-01'}T12:00:00Z"))
    conn.close()
    server.add(
        VersionedPaper(
            "2308.16137",
            version=7,
            title="LM-Infinite: Zero-Shot Extreme Length Generalization for Large Language Models",
            published="2023-08-30T17:00:00Z",
            old_titles={1: "LM-Infinite: Simple On-the-Fly Length Generalization for Large Language Models"},
        ),
        VersionedPaper(
            "2306.08543",
            version=6,
            title="MiniLLM: On-Policy Distillation of Large Language Models",
            published="2023-06-14T17:00:00Z",
            old_titles={
                1: "Knowledge Distillation of Large Language Models",
                4: "MiniLLM: Knowledge Distillation of Large Language Models",
            },
        ),
        FakePaper(
            "2402.01680",
            version=2,
            title="Large Language Model based Multi-Agents: A Survey of Progress and Challenges",
            published="2024-01-21T12:00:00Z",
        ),
    )


def test_seed_problems_that_need_arxiv_are_found_with_its_answers(db_path, arxiv_server):
    _seed_arxiv(arxiv_server)
    report = lint_texts(_texts(), db=db_path, offline=False)
    found = _found(report)
    expected = (OFFLINE - {("004", 58, "LK509")}) | ONLINE  # arXiv has that PDF copy's paper: LK506 instead
    assert not expected - found, sorted(expected - found)
    wrong_ids = [(f.source[:3], f.line) for f in report.findings if f.code in ("LK101", "LK102", "LK104")]
    assert wrong_ids == [("002", 49), ("002", 49)]  # no false "wrong ID" anywhere else
    (mismatch,) = [f for f in report.findings if f.code == "LK101"]
    assert mismatch.fix.startswith("2210.11416")
