"""Writing links and results: from imported lists, from paper text (import and refresh), by hand with
`link`/`unlink`, and from CSV with `import-results`; nothing half written on bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from arxiv_server import FakePaper
from conftest import LISTS
from kb_factory import build_small_kb
from llmkb.linking.list_tables import SKIP, table_target
from llmkb.linking.text import text_mentions

PRUNING_LIST = LISTS / "003_852aa6be1788eed6.txt"

MINI_LIST = """# Awesome Mini

## Papers
- [1] ShortGPT: Layers in Large Language Models are More Redundant Than You Expect
  Arxiv, [Paper](https://arxiv.org/pdf/2403.03853)
- [2] SliceGPT: Compress Large Language Models by Deleting Rows and Columns
  Arxiv, [Paper](https://arxiv.org/abs/2401.15024)

## Benchmarks
| Name | Paper |
|---|---|
| PIQA | [1],[2] |
| PIQQA | [2] |
| HellaSwag | [9] |

## Pre-training Data
| Name | Paper |
|---|---|
| SlimPajama | [1] |

## Other
| Name | Paper |
|---|---|
| LLaMA-2-7B | [2] |
| WikiText2 | [1] |
| Frobnicator | [1] |
"""


def links(db: Path) -> set[tuple]:
    """Every link as (paper, kind, name, role, source)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT COALESCE(p.arxiv_id, 'kb-' || p.id), 'dataset', d.name, l.role, l.source FROM paper_dataset l "
            "JOIN dataset d ON d.id = l.dataset_id JOIN paper p ON p.id = l.paper_id UNION ALL "
            "SELECT COALESCE(p.arxiv_id, 'kb-' || p.id), 'model', m.name, l.role, l.source FROM paper_model l "
            "JOIN model m ON m.id = l.model_id JOIN paper p ON p.id = l.paper_id"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) == len(set(rows))
    return set(rows)


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def results(db: Path) -> set[tuple]:
    conn = sqlite3.connect(db)
    try:
        return set(
            conn.execute(
                "SELECT p.arxiv_id, d.name, m.name, x.name, r.value, r.setting, r.source FROM result r "
                "JOIN paper p ON p.id = r.paper_id JOIN dataset d ON d.id = r.dataset_id "
                "JOIN metric x ON x.id = r.metric_id LEFT JOIN model m ON m.id = r.model_id"
            ).fetchall()
        )
    finally:
        conn.close()


@pytest.fixture
def kb(cli, db_path):
    build_small_kb(db_path)
    return cli


# --- from lists ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headings", "target"),
    [
        (["Models"], ("model", "uses")),
        (["Datasets", "Calibration Dataset"], ("dataset", "calibration")),
        (["Datasets", "For Finetuning"], ("dataset", "fine-tuning")),
        (["Datasets", "For Evaluation"], ("dataset", "evaluation")),
        (["Pre-training Data"], ("dataset", "pre-training")),
        (["Benchmarks"], ("dataset", "evaluation")),
        (["Fine-tuning methods"], SKIP),
        (["Tools"], SKIP),
        (["Other"], (None, None)),
        ([], (None, None)),
    ],
)
def test_the_heading_above_a_table_gives_kind_and_role(headings, target):
    assert table_target(headings) == target


def test_pruning_list_links_its_tables_with_their_roles(cli, db_path):
    result = cli("import-list", str(PRUNING_LIST))
    assert result.exit_code == 0, result.stderr
    found = links(db_path)
    listed = {link for link in found if link[4] == "list"}
    assert ("2402.02834", "dataset", "BookCorpus", "calibration", "list") in listed
    assert {p for p, kind, name, role, _ in listed if name == "Alpaca-cleaned" and role == "fine-tuning"} == {
        "2402.02834",
        "2407.00928",
    }  # "the cleaned version of Alpaca"
    assert ("2402.02834", "dataset", "SlimPajama", "fine-tuning", "list") in listed
    assert {p for p, _, name, role, _ in listed if name == "PIQA" and role == "evaluation"} == {
        "2402.02834",
        "2403.03853",
        "2407.00928",
        "2406.16330",
    }
    assert ("2403.03853", "model", "LLaMA-2-13B", "uses", "list") in listed  # written LLaMaA2-13B
    assert ("2406.16330", "model", "Mixtral-7B", "uses", "list") in listed
    assert not {name for _, _, name, _, _ in found} & {"LoRA", "CPT+LoRA", "Mixtral-8x7B", "Mistral-7B"}
    assert ("2402.02834", "model", "LLaMA", "uses", "text") in found  # "Shortened LLaMA: ..."
    assert len(listed) == 38 + 15
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("Mixtral-7B: not resolved (Mixtral-8x7B? Mistral-7B?" in w and "kept as written" in w for w in warnings)
    assert any("'Fine-tuning methods' lists methods or tools" in w for w in warnings)
    assert count(db_path, "SELECT count(*) FROM model WHERE name = 'Mixtral-7B' AND resolved = 0") == 1


def test_reimporting_a_list_adds_no_duplicate(cli, db_path):
    cli("import-list", str(PRUNING_LIST))
    before = links(db_path)
    rows = count(db_path, "SELECT (SELECT count(*) FROM paper_dataset) + (SELECT count(*) FROM paper_model)")
    entities = count(db_path, "SELECT (SELECT count(*) FROM dataset) + (SELECT count(*) FROM model)")
    again = cli("import-list", str(PRUNING_LIST))
    assert again.exit_code == 0
    assert "5 unchanged" in again.stdout
    assert links(db_path) == before
    assert count(db_path, "SELECT (SELECT count(*) FROM paper_dataset) + (SELECT count(*) FROM paper_model)") == rows
    assert count(db_path, "SELECT (SELECT count(*) FROM dataset) + (SELECT count(*) FROM model)") == entities


def test_unplaceable_rows_and_missing_references_are_warned_about(cli, db_path, tmp_path):
    source = tmp_path / "mini.md"
    source.write_text(MINI_LIST)
    result = cli("import-list", str(source))
    assert result.exit_code == 0, result.stderr
    assert links(db_path) == {
        ("2403.03853", "dataset", "PIQA", "evaluation", "list"),
        ("2401.15024", "dataset", "PIQA", "evaluation", "list"),
        ("2401.15024", "dataset", "PIQQA", "evaluation", "list"),  # kept as written, not mapped to PIQA
        ("2403.03853", "dataset", "SlimPajama", "pre-training", "list"),
        ("2401.15024", "model", "LLaMA-2-7B", "uses", "list"),  # no heading says: placed by its name
        ("2403.03853", "dataset", "WikiText-2", "evaluation", "list"),
    }
    assert "line 13: PIQQA: not resolved (PIQA?); kept as written" in result.stderr
    assert "line 14: HellaSwag cites [9], which is not a numbered paper of the list" in result.stderr
    assert "line 26: Frobnicator: neither a known dataset nor a known model; not linked" in result.stderr
    unresolved = json.loads(cli("datasets", "--unresolved", "--format", "json").stdout)
    assert [(row["name"], row["papers"], row["suggestions"]) for row in unresolved] == [("PIQQA", 1, ["PIQA"])]


def test_a_name_the_vocabulary_learns_later_is_merged_into_its_entry(kb, db_path):
    conn = sqlite3.connect(db_path)  # as an older vocabulary would have left it: kept as written
    conn.execute("INSERT INTO model (name, aliases, resolved) VALUES ('LLaMaA2 13B', '[]', 0)")
    conn.execute(
        "INSERT INTO paper_model (paper_id, model_id, role, source) "
        "SELECT 1, id, 'uses', 'list' FROM model WHERE name = 'LLaMaA2 13B'"
    )
    conn.commit()
    conn.close()
    assert kb("link", "2401.15024", "--model", "LLaMA-2-7B").exit_code == 0  # any linking write
    assert ("2403.03853", "model", "LLaMA-2-13B", "uses", "list") in links(db_path)
    assert count(db_path, "SELECT count(*) FROM model WHERE resolved = 0") == 0


# --- from text -----------------------------------------------------------------------------------------


def test_text_mentions_give_roles():
    found = text_mentions(
        "Mamba: Linear-Time Sequence Modeling", "We beat Transformers on PIQA with LLaMA-2-7B.", "compare with Mamba"
    )
    assert found == {("model", "Mamba", "proposes"), ("dataset", "PIQA", "evaluation"), ("model", "LLaMA-2-7B", "uses")}
    assert text_mentions("Shortened LLaMA: Depth Pruning", None, None) == {("model", "LLaMA", "uses")}
    assert text_mentions("DistilBERT, a distilled version of BERT", None, None) == {
        ("model", "DistilBERT", "proposes"),
        ("model", "BERT", "uses"),
    }


def test_text_links_are_derived_on_import_and_rederived_on_refresh(cli, db_path, arxiv_server):
    arxiv_server.add(
        FakePaper(
            "2401.00001",
            title="Mamba: Linear-Time Sequence Modeling",
            summary="We evaluate on PIQA and WikiText-2 with LLaMA-2-7B.",
        )
    )
    assert cli("import", "2401.00001").exit_code == 0
    assert links(db_path) == {
        ("2401.00001", "model", "Mamba", "proposes", "text"),
        ("2401.00001", "dataset", "PIQA", "evaluation", "text"),
        ("2401.00001", "dataset", "WikiText-2", "evaluation", "text"),
        ("2401.00001", "model", "LLaMA-2-7B", "uses", "text"),
    }
    assert cli("link", "2401.00001", "--dataset", "PIQA").exit_code == 0  # a user link survives refreshes
    arxiv_server.add(
        FakePaper(
            "2401.00001",
            version=2,
            title="Mamba: Linear-Time Sequence Modeling",
            summary="We evaluate on HellaSwag with Mistral-7B.",
        )
    )
    refreshed = cli("refresh", "2401.00001", "--format", "json")
    assert refreshed.exit_code == 0, refreshed.stderr
    assert links(db_path) == {
        ("2401.00001", "model", "Mamba", "proposes", "text"),
        ("2401.00001", "dataset", "HellaSwag", "evaluation", "text"),
        ("2401.00001", "model", "Mistral-7B", "uses", "text"),
        ("2401.00001", "dataset", "PIQA", "evaluation", "user"),
    }
    xref = json.loads(cli("xref", "--dataset", "HellaSwag", "--source", "text", "--format", "json").stdout)
    assert [p["id"] for p in xref] == ["2401.00001"]


def test_list_import_derives_text_links_from_notes(cli, db_path, tmp_path):
    source = tmp_path / "notes.md"
    source.write_text(
        "# Notes\n\n## Pruning\n- [ShortGPT](https://arxiv.org/abs/2403.03853) - prunes layers; evaluated on MMLU\n"
    )
    result = cli("import-list", str(source))
    assert result.exit_code == 0, result.stderr
    assert ("2403.03853", "dataset", "MMLU", "evaluation", "text") in links(db_path)


# --- by hand -------------------------------------------------------------------------------------------


def test_link_by_hand_with_a_result(kb, db_path):
    result = kb(
        "link",
        "2403.03853",
        "--dataset",
        "piqa",
        "--model",
        "Llama 2 7B",
        "--metric",
        "acc",
        "--value",
        "66.4",
        "--setting",
        "0-shot",
    )
    assert result.exit_code == 0, result.stderr
    assert "2403.03853: linked PIQA (evaluation), LLaMA-2-7B (uses)" in result.stdout
    assert "result added: PIQA · LLaMA-2-7B: accuracy 66.4 (0-shot)" in result.stdout
    assert {
        ("2403.03853", "dataset", "PIQA", "evaluation", "user"),
        ("2403.03853", "model", "LLaMA-2-7B", "uses", "user"),
    } <= links(db_path)
    again = kb(
        "link",
        "shortgpt layers in large language models are more redundant",
        "-d",
        "PIQA",
        "-m",
        "LLaMA-2-7B",
        "--metric",
        "accuracy",
        "--value",
        "67",
    )
    assert "already linked PIQA (evaluation), LLaMA-2-7B (uses)" in again.stdout
    assert "result added" in again.stdout  # no setting: another result
    kb(
        "link",
        "2403.03853",
        "-d",
        "PIQA",
        "-m",
        "LLaMA-2-7B",
        "--metric",
        "acc",
        "--value",
        "66.9",
        "--setting",
        "0-shot",
    )
    assert results(db_path) == {
        ("2403.03853", "PIQA", "LLaMA-2-7B", "accuracy", 66.9, "0-shot", "user"),
        ("2403.03853", "PIQA", "LLaMA-2-7B", "accuracy", 67.0, None, "user"),
    }
    calibration = kb("link", "2403.03853", "-d", "C4", "--role", "calibration")
    assert "linked C4 (calibration)" in calibration.stdout
    proposes = kb("link", "2401.15024", "-m", "LLaMA-2-7B", "--role", "proposes")
    assert "linked LLaMA-2-7B (proposes)" in proposes.stdout
    record = json.loads(kb("show", "2403.03853", "--format", "json").stdout)
    assert {"name": "C4", "role": "calibration", "source": "user"} in record["datasets"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["2403.03853", "--dataset", "PIQQA"], 2, "unknown dataset 'PIQQA' — did you mean PIQA?"),
        (["2403.03853", "-d", "PIQA", "-m", "Mixtral-7B"], 2, "unknown model 'Mixtral-7B' — did you mean"),
        (["2403.03853", "-d", "PIQA", "--metric", "acc", "--value", "high"], 2, "value 'high' is not a number"),
        (["2403.03853", "-d", "PIQA", "--metric", "acc", "--value", "nan"], 2, "value 'nan' is not a number"),
        (["2403.03853", "-d", "PIQA", "--metric", "acc"], 2, "--metric and --value go together"),
        (["2403.03853", "-m", "OPT-13B", "--metric", "acc", "--value", "1"], 2, "a result needs --dataset"),
        (["2403.03853", "-d", "PIQA", "--setting", "0-shot"], 2, "--setting describes a result"),
        (["2403.03853", "-d", "PIQA", "--role", "proposes"], 2, "--role proposes is a model role"),
        (["2403.03853"], 2, "say what to link"),
        (["2501.99999", "-d", "PIQA"], 1, "no paper with arXiv ID 2501.99999"),
    ],
)
def test_bad_link_is_one_line_and_writes_nothing(kb, db_path, args, code, message):
    before = (links(db_path), results(db_path))
    result = kb("link", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (links(db_path), results(db_path)) == before


def test_unlink_removes_list_and_user_links_and_says_what(cli, db_path):
    cli("import-list", str(PRUNING_LIST))
    cli("link", "2403.03853", "-d", "PIQA", "-m", "LLaMA-2-13B", "--metric", "acc", "--value", "70")
    result = cli("unlink", "2403.03853", "--dataset", "PIQA")
    assert result.exit_code == 0, result.stderr
    assert "2403.03853: removed PIQA (evaluation, list), PIQA (evaluation, user)" in result.stdout
    assert "kept 1 result on it (--results removes them)" in result.stdout
    assert not {link for link in links(db_path) if link[0] == "2403.03853" and link[2] == "PIQA"}
    assert ("2403.03853", "dataset", "BoolQ", "evaluation", "list") in links(db_path)
    assert len(results(db_path)) == 1

    nothing = cli("unlink", "2403.03853", "--dataset", "PIQA", "--results")
    assert "no list or user link to remove" in nothing.stdout
    assert "removed 1 result" in nothing.stdout
    assert results(db_path) == set()

    text = cli("unlink", "2402.02834", "--model", "LLaMA")  # only found in its title
    assert "no list or user link to remove" in text.stdout
    assert "kept LLaMA (uses, text): found in the paper's title, abstract or note" in text.stdout
    assert ("2402.02834", "model", "LLaMA", "uses", "text") in links(db_path)

    by_role = cli("unlink", "2402.02834", "--role", "fine-tuning")
    assert "removed Alpaca-cleaned (fine-tuning, list), SlimPajama (fine-tuning, list)" in by_role.stdout
    assert ("2402.02834", "dataset", "BookCorpus", "calibration", "list") in links(db_path)

    kept = cli("unlink", "2406.16330", "--model", "Mixtral-7B")  # a name kept as written, typed as written
    assert "removed Mixtral-7B (uses, list)" in kept.stdout
    assert cli("unlink", "2406.16330").exit_code == 2


# --- results from CSV ----------------------------------------------------------------------------------


def test_import_results_keeps_good_rows_and_reports_bad_ones_by_line(kb, db_path, tmp_path):
    source = tmp_path / "results.csv"
    source.write_text(
        "Paper,Model,Dataset,Metric,Value,Setting,Comment\n"  # any case; extra columns ignored
        "2403.03853,LLaMA-2-7B,PIQA,acc,66.4,0-shot,\n"
        "2403.03853,LLaMA-2-7B,WikiText2,PPL,18.45,,from table 3\n"
        "2403.03853,LLaMA-2-7B,PIQQA,acc,60,0-shot,\n"
        "2401.15024,,PIQA,accuracy,n/a,,\n"
        "\n"
        "2501.99999,OPT-13B,PIQA,acc,70,,\n"
        'SliceGPT,OPT-13B,"PIQA",acc,71.5,5-shot,\n'
        "2401.15024,OPT-13B,PIQA,,71.5,,\n",
        encoding="utf-8",
    )
    result = kb("import-results", str(source))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: results.csv, line 4: unknown dataset 'PIQQA' — did you mean PIQA?",
        "error: results.csv, line 5: value 'n/a' is not a number",
        "error: results.csv, line 7: no paper with arXiv ID 2501.99999 in the database (try: llmkb import 2501.99999)",
        "error: results.csv, line 9: no metric",
    ]
    assert "note: ignored column comment" in result.stderr
    assert "results.csv: 7 rows — 3 added, 0 updated, 0 unchanged; 4 bad rows skipped" in result.stdout
    assert results(db_path) == {
        ("2403.03853", "PIQA", "LLaMA-2-7B", "accuracy", 66.4, "0-shot", "user"),
        ("2403.03853", "WikiText-2", "LLaMA-2-7B", "perplexity", 18.45, None, "user"),
        ("2401.15024", "PIQA", "OPT-13B", "accuracy", 71.5, "5-shot", "user"),
    }
    assert ("2401.15024", "model", "OPT-13B", "uses", "user") in links(db_path)  # a result links too

    source.write_text("paper,dataset,metric,value\n2403.03853,PIQA,acc,66.5\n2403.03853,PIQA,acc,66.4\n")
    summary = json.loads(kb("import-results", str(source), "--format", "json").stdout)
    assert (summary["added"], summary["updated"], summary["ok"]) == (1, 1, True)  # no model: a new result


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("paper,model,dataset\n2403.03853,LLaMA-2-7B,PIQA\n", "missing columns metric, value"),
        ("paper,model,dataset,metric,setting\n2403.03853,LLaMA-2-7B,PIQA,acc,\n", "missing column value"),
        ("", "is empty"),
    ],
)
def test_import_results_with_missing_columns_writes_nothing(kb, db_path, tmp_path, text, message):
    source = tmp_path / "bad.csv"
    source.write_text(text)
    before = (links(db_path), count(db_path, "SELECT count(*) FROM dataset"))
    result = kb("import-results", str(source))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (links(db_path), count(db_path, "SELECT count(*) FROM dataset")) == before
    assert results(db_path) == set()


def test_import_results_of_a_file_that_is_not_there(kb, tmp_path):
    result = kb("import-results", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: no file {tmp_path / 'nope.csv'}"


# --- schema --------------------------------------------------------------------------------------------


def test_a_database_from_before_the_link_indexes_is_upgraded_with_its_links(db_path):
    from llmkb.store.connection import connect
    from llmkb.store.migrate import upgrade

    upgrade(db_path, "0001")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO paper (title, title_key, authors, categories, links, sources) "
        "VALUES ('A', 'a', '[]', '[]', '[]', '[]')"
    )
    conn.execute("INSERT INTO dataset (name, aliases, resolved) VALUES ('PIQA', '[]', 1)")
    conn.execute("INSERT INTO paper_dataset VALUES (1, 1, 'evaluation', 'user')")
    conn.commit()
    conn.close()
    conn = connect(db_path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert [tuple(row) for row in conn.execute("SELECT * FROM paper_dataset")] == [(1, 1, "evaluation", "user")]
    conn.close()
    assert "ix_paper_dataset_dataset_id_paper_id" in indexes
    assert "ix_paper_dataset_dataset_id" not in indexes
