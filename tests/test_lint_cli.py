"""`llmkb lint` on the command line: output formats (SARIF checked against its schema), exit codes, the
summary line, and what it does to databases (nothing, except arXiv's answers when online)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from lint_support import arxiv_papers, line_of, list_path

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json").read_text())


def _run(cli, *args: str):
    return cli("lint", *args)


def test_text_output_is_one_finding_per_line_and_a_summary_on_stderr(cli):
    path = str(list_path("names.md"))
    result = _run(cli, "--offline", path)
    lines = result.stdout.splitlines()
    assert lines and all(re.match(rf"^{re.escape(path)}:\d+:\d+: LK\d{{3}} ", line) for line in lines)
    expected = f"{path}:{line_of('names.md', 'LLaMaA2-13B')}:3: LK301 'LLaMaA2-13B' is misspelt"
    assert any(line.startswith(expected) and line.endswith("[fix: LLaMA-2-13B]") for line in lines)
    assert re.search(r"^0 errors, 5 warnings, 1 note in 1 list; offline", result.stderr, re.M)


def test_exit_codes_follow_fail_on(cli):
    assert _run(cli, "--offline", str(list_path("clean.md"))).exit_code == 0
    assert _run(cli, "--offline", str(list_path("ids.md"))).exit_code == 1  # errors: LK103, LK104
    names = str(list_path("names.md"))  # warnings and a note, no error
    assert _run(cli, "--offline", names).exit_code == 0
    assert _run(cli, "--offline", "--fail-on", "warning", names).exit_code == 1
    assert _run(cli, "--offline", "--fail-on", "warning", "--ignore", "LK30", names).exit_code == 0
    assert _run(cli, "--offline", "--fail-on", "info", str(list_path("text.md"))).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--select", "LK999"),
        ("--format", "xml"),
        ("--fail-on", "fatal"),
        ("--dry-run",),
    ],
)
def test_usage_errors_exit_2(cli, args):
    result = _run(cli, "--offline", *args, str(list_path("clean.md")))
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")


def test_a_missing_file_is_one_line_and_exit_1(cli, tmp_path):
    result = _run(cli, "--offline", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "nope.md" in result.stderr


def test_json_output_lists_findings_and_counts(cli):
    result = _run(cli, "--offline", "--format", "json", str(list_path("structure.md")))
    data = json.loads(result.stdout)
    codes = [f["code"] for f in data["findings"]]
    assert codes == sorted(codes, key=lambda c: codes.index(c)) and "LK401" in codes
    assert data["summary"]["counts"] == {"info": 1, "warning": 6, "error": 0}
    assert data["summary"]["by_code"]["LK405"] == 1
    first = data["findings"][0]
    assert set(first) == {"file", "line", "column", "code", "name", "severity", "message", "fix", "fixable"}


def test_github_annotations_carry_file_line_column_and_escape_their_text(cli, tmp_path):
    path = tmp_path / "list, with: comma.md"
    path.write_text("# A\n\n## B\n\n- [x](#nowhere)\n\n## Empty\n", encoding="utf-8")
    result = _run(cli, "--offline", "--format", "github", str(path))
    lines = result.stdout.splitlines()
    escaped = str(path).replace(",", "%2C").replace(":", "%3A")
    assert f"::warning file={escaped},line=5,col=7,title=LK401 toc-anchor-missing::" in lines[0]
    assert lines[1].startswith(f"::warning file={escaped},line=7,col=1,title=LK403 empty-section::")
    notice = _run(cli, "--offline", "--format", "github", str(list_path("text.md"))).stdout
    assert "::notice file=" in notice and "::error" not in notice
    errors = _run(cli, "--offline", "--format", "github", str(list_path("ids.md"))).stdout
    assert re.search(r"^::error file=.*,line=7,col=50,title=LK103 arxiv-invalid-id::", errors, re.M)


def test_sarif_log_is_valid_sarif_2_1_0(cli):
    result = _run(cli, "--offline", "--format", "sarif", str(list_path("names.md")), str(list_path("ids.md")))
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    results = run["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    fixed = [r for r in results if r.get("fixes")]
    assert fixed and fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]


def test_the_sarif_schema_copy_rejects_what_sarif_forbids():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "info"}]}]}
        jsonschema.validate(bad, SCHEMA)


def test_offline_lint_without_a_database_creates_nothing(tmp_path, isolated_user_dirs):
    from conftest import Cli

    result = Cli(None)("lint", "--offline", str(list_path("names.md")))
    assert result.exit_code == 0
    assert not (isolated_user_dirs / ".local" / "share" / "llmkb").exists()


def test_lint_changes_no_database_but_caches_arxiv_answers(cli, db_path, arxiv_server):
    import sqlite3

    arxiv_server.add(*arxiv_papers())
    assert cli("import-list", "--offline", str(list_path("clean.md"))).exit_code == 0
    before = sqlite3.connect(db_path).execute("SELECT count(*), max(id) FROM paper").fetchone()
    result = _run(cli, str(list_path("ids.md")))
    assert result.exit_code == 1
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*), max(id) FROM paper").fetchone() == before
    cached = dict(conn.execute("SELECT arxiv_id, found FROM arxiv_record"))
    assert cached["2203.02155"] == 1 and cached["2401.99999"] == 0
    assert cached["2308.16137v1"] == 1  # an earlier version's answer, kept under its versioned ID


def test_the_readme_codes_table_is_the_rules_table():
    from conftest import ROOT
    from llmkb.lint.findings import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (LK\d{3}) \| ([a-z0-9-]+) \| (error|warning|info) \| (.+) \|$", readme, re.M)
    assert [(code, name, severity) for code, name, severity, _ in rows] == [
        (rule.code, rule.name, rule.severity.label) for rule in RULES
    ]
    for (_, _, _, text), rule in zip(rows, RULES, strict=True):
        assert text.startswith(rule.summary)
        assert ("(arXiv)" in text) == rule.network and ("`--fix`" in text) == rule.fixable


def test_sarif_names_files_as_uri_references(cli, tmp_path):
    path = tmp_path / "my list.md"
    path.write_text("# A\n\n## Empty\n", encoding="utf-8")
    log = json.loads(_run(cli, "--offline", "--format", "sarif", str(path)).stdout)
    jsonschema.validate(log, SCHEMA, format_checker=jsonschema.FormatChecker())
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/my%20list.md")
