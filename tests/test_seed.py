"""The seed database: rebuilt reproducibly from the five lists and the metadata file, committed up to date,
and answering on a fresh machine from the user's data folder without ever being written itself."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import LISTS, ROOT, SEED_DB, Cli

sys.path.insert(0, str(ROOT / "scripts"))
from seed_build import build_seed  # noqa: E402

METADATA = ROOT / "data" / "metadata" / "papers.jsonl"
TABLES = ("paper", "tag", "paper_tag", "model", "dataset", "metric", "paper_dataset", "paper_model", "result")


def rows(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.sqlite"
    build = build_seed(sorted(LISTS.glob("*.txt")), METADATA, out)
    return out, build


def test_build_is_reproducible_and_the_committed_seed_is_current(fresh_build, tmp_path):
    out, _build = fresh_build
    again = tmp_path / "again.sqlite"
    # another process with another hash seed: set and dict orders must not reach the file
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_seed.py"), "--out", str(again)],
        env=env,
        check=True,
        capture_output=True,
    )
    assert rows(out) == rows(SEED_DB), "data/seed.sqlite is stale: run python scripts/build_seed.py"
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert hashlib.sha256(again.read_bytes()).hexdigest() == digest  # byte for byte
    assert hashlib.sha256(SEED_DB.read_bytes()).hexdigest() == digest


def test_seed_counts(fresh_build):
    out, build = fresh_build
    conn = sqlite3.connect(out)
    papers, with_id = conn.execute("SELECT count(*), count(arxiv_id) FROM paper").fetchone()
    links = dict(
        conn.execute(
            "SELECT 'dataset ' || source, count(*) FROM paper_dataset GROUP BY source UNION ALL "
            "SELECT 'model ' || source, count(*) FROM paper_model GROUP BY source"
        )
    )
    unresolved = [row[0] for row in conn.execute("SELECT name FROM model WHERE resolved = 0")]
    conn.close()
    assert (papers, with_id) == (74, 69)
    # the pruning list's tables (38 dataset and 15 model links) and the mentions in titles and notes
    assert links == {"dataset list": 38, "dataset text": 3, "model list": 15, "model text": 13}
    assert unresolved == ["Mixtral-7B"]
    per_list = {r.source: (len(r.added), len(r.updated), len(r.unchanged)) for r in build.reports}
    assert per_list == {
        "000_34b8ae8875d9948c.txt": (6, 0, 0),
        "001_fe4d9f8c502d677f.txt": (17, 0, 0),
        "002_a4a4b4dee48e642a.txt": (30, 1, 0),  # QLoRA came from 001
        "003_852aa6be1788eed6.txt": (4, 1, 0),  # ShortGPT came from 002
        "004_0e9a1a67e97d2c54.txt": (17, 2, 0),  # GPTQ and AWQ came from 002; SmoothQuant is named bare
    }


def test_metadata_wins_and_every_decision_is_reported(fresh_build):
    _out, build = fresh_build
    text = "\n".join(build.decisions)
    assert "'Scaling Instruction-Finetuned Language Models' is linked to arXiv 2203.02155" in text
    assert "the metadata gives it 2210.11416" in text
    assert "replaced by the arXiv title 'LoRA: Low-Rank Adaptation of Large Language Models'" in text
    assert "'Holistic Evaluation of Language Models' matched by title to 2211.09110" in text
    assert "first arXiv version is 2023-10-02" in text  # "[Arxiv 2024] Merge, Then Compress"


def test_papers_without_arxiv_links_get_their_ids(seed_cli):
    def paper(ref):
        result = seed_cli("show", ref, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    hinton = paper("1503.02531")
    assert hinton["authors"] == ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]
    assert "compression-lite-llms/kd-for-llms/kd-original-papers" in hinton["tags"]
    layerskip = paper("2404.16710")  # 004 links a PDF copy on GitHub
    assert layerskip["title"].startswith("LayerSkip")
    flan = paper("2210.11416")
    assert flan["title"] == "Scaling Instruction-Finetuned Language Models"
    assert "instruction-finetune" in flan["tags"]
    instruct = paper("2203.02155")
    assert "instruction-finetune" not in instruct["tags"]
    kdd = paper("Model compression")
    assert kdd["arxiv_id"] is None and kdd["year"] == 2006


def test_search_pruning_on_the_seed(seed_cli):
    result = seed_cli("search", "pruning", "--format", "ids")
    found = result.stdout.split()
    assert {"2403.03853", "2402.02834", "2402.11187", "2305.11627"} <= set(found)
    tagged = seed_cli("search", "-t", "pruning", "--format", "ids", "--limit", "100").stdout.split()
    assert {
        "2402.02834",
        "2403.03853",
        "2407.00928",
        "2406.16330",
        "2402.11187",  # the pruning list
        "2401.15024",
        "2403.17887",
        "2310.05015",
    } <= set(tagged)


def test_slicegpt_heading_is_a_searchable_short_name(seed_cli):
    result = seed_cli("search", "slicegpt", "--format", "json")
    record = json.loads(result.stdout)[0]
    assert record["id"] == "2401.15024"
    assert record["short_name"] == "SLICEGPT"
    assert "compression/pruning" in record["tags"]
    assert not any("slicegpt" in t for t in record["tags"])


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_run_copies_the_seed_to_the_user_folder(isolated_user_dirs):
    before = _digest(SEED_DB)
    result = Cli(None)("search", "pruning", "--format", "ids")
    assert result.exit_code == 0, result.stderr
    assert "2403.03853" in result.stdout.split()
    user_db = isolated_user_dirs / ".local" / "share" / "llmkb" / "llmkb.sqlite"
    assert user_db.exists()
    assert Cli(None)("tag", "add", "2403.03853", "favourite").exit_code == 0
    assert _digest(SEED_DB) == before
    assert Cli(None)("search", "-t", "favourite", "--format", "ids").stdout.split() == ["2403.03853"]


def test_db_option_beats_environment(monkeypatch, seed_db, db_path):
    monkeypatch.setenv("LLMKB_DB", str(seed_db))
    assert "2403.03853" in Cli(None)("search", "pruning", "--format", "ids").stdout.split()
    assert Cli(db_path)("search", "pruning", "--format", "ids").stdout.split() == []


def test_reading_a_database_named_with_db_changes_nothing_in_the_file(tmp_path):
    """Read commands do not even switch the journal mode: a packaged seed read in place stays byte for byte."""
    copy = tmp_path / "seed-in-place.sqlite"
    copy.write_bytes(SEED_DB.read_bytes())
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    for args in (["search", "pruning"], ["show", "2403.03853"], ["tags"], ["xref", "--dataset", "PIQA"]):
        assert Cli(copy)(*args).exit_code == 0
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed-in-place.sqlite"]  # no -wal, -shm or lock left


@pytest.mark.parametrize("name", ["LaCo", "FoldGPT", "SpQR", "OmniQuant", "SmoothQuant"])
def test_papers_are_found_by_the_name_their_title_opens_with(seed_cli, name):
    result = seed_cli("show", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"].startswith(f"{name}:")


def test_a_journal_reference_gives_venue_and_year(seed_cli):
    orca = json.loads(seed_cli("show", "Orca: A Distributed Serving System", "--format", "json").stdout)
    assert (orca["venue"], orca["year"]) == ("OSDI", 2022)
