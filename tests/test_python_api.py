"""`llmkb.KB` does from Python what the command line does, and raises the library's own errors."""

from __future__ import annotations

import io
import json

import pytest

from conftest import LISTS
from llmkb import KB
from llmkb.errors import AmbiguousPaper, InvalidArxivId, PaperNotFound, UnknownName
from llmkb.query import PaperQuery


def test_the_readme_example_runs_on_a_list_file(db_path):
    with KB(db_path) as kb:
        report = kb.import_list(str(LISTS / "003_852aa6be1788eed6.txt"), offline=True)
        assert len(report.added) == 5 and report.ok
        papers = kb.search("pruning", tags=["pruning"], since="2024").papers
        assert {p["id"] for p in papers} >= {"2402.02834", "2403.03853"}
        assert all(p["year"] >= 2024 for p in papers)


def test_reads_writes_and_views_on_the_seed(seed_db):
    with KB(seed_db, create=False) as kb:
        assert kb.get("ShortGPT")["id"] == "2403.03853"
        assert kb.tag("2403.03853", add=["must-read"]).changed == ["must-read"]
        assert [p["id"] for p in kb.search(tags=["must-read"]).papers] == ["2403.03853"]
        piqa = kb.xref(PaperQuery(tags=["pruning"], datasets=["PIQA"], limit=None))
        assert {p["id"] for p in piqa.papers} == {"2402.02834", "2403.03853", "2407.00928", "2406.16330"}
        assert sum(1 for _ in kb.papers()) == 74
        out = io.StringIO()
        assert kb.export("jsonl", out, PaperQuery(ids=["2403.03853"], limit=None)).count == 1
        assert json.loads(out.getvalue())["tags"][-1] == "must-read"
        counts = {c.name: c.papers for c in kb.counts("dataset")}
        assert counts["PIQA"] == 4


def test_errors_are_the_librarys_own(seed_db):
    with KB(seed_db, create=False) as kb:
        with pytest.raises(PaperNotFound):
            kb.get("2501.99999")
        with pytest.raises(InvalidArxivId, match="month 13 does not exist"):
            kb.find("arXiv:1513.00001")
        with pytest.raises(UnknownName, match="did you mean PIQA"):
            kb.xref(PaperQuery(datasets=["PIQQA"]))
        with pytest.raises(AmbiguousPaper):
            kb.get("Large Language Model Pruning")
