"""The config file: defaults for the database, arXiv's delay, markdown export and the editor, where the command
line beats the environment, which beats the file, which beats the built-in default."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest
from typer.testing import CliRunner

from conftest import SEED_DB
from kb_factory import build_small_kb
from llmkb.cli.app import app


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("LLMKB_CONFIG", str(path))
    return path


def info_path(*args: str) -> str:
    result = run(*args, "db", "info", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["path"]


def test_the_database_comes_from_the_command_line_then_environment_then_config(config, tmp_path, monkeypatch):
    dbs = {}
    for name in ("cli", "env", "config"):
        dbs[name] = tmp_path / f"{name}.sqlite"
        shutil.copyfile(SEED_DB, dbs[name])
    config.write_text('db = "../config.sqlite"\n')  # relative to the config file's folder
    assert info_path() == str(dbs["config"])
    monkeypatch.setenv("LLMKB_DB", str(dbs["env"]))
    assert info_path() == str(dbs["env"])
    assert info_path("--db", str(dbs["cli"])) == str(dbs["cli"])


def test_a_configured_database_that_does_not_exist_is_not_created_by_reads(config, tmp_path):
    config.write_text(f'db = "{tmp_path / "missing.sqlite"}"\n')
    result = run("search", "x")
    assert result.exit_code == 1
    assert "missing.sqlite" in result.stderr
    assert not (tmp_path / "missing.sqlite").exists()


def test_db_info_shows_where_the_config_file_is(config, seed_db):
    text = run("--db", str(seed_db), "db", "info").stdout
    assert f"config\t{config} (none yet)" in text.splitlines()
    config.write_text("")
    assert f"config\t{config}" in run("--db", str(seed_db), "db", "info").stdout.splitlines()
    assert json.loads(run("--db", str(seed_db), "db", "info", "-f", "json").stdout)["config"] == str(config)


def test_without_llmkb_config_the_file_is_in_the_platform_config_folder(isolated_user_dirs, seed_db):
    expected = isolated_user_dirs / ".config" / "llmkb" / "config.toml"
    assert json.loads(run("--db", str(seed_db), "db", "info", "-f", "json").stdout)["config"] == str(expected)


def test_export_defaults_come_from_the_config_and_the_command_line_wins(config, db_path):
    build_small_kb(db_path)
    config.write_text('[export]\ncolumns = ["title", "year"]\ngroup_by = "year"\n')
    text = run("--db", str(db_path), "export", "md").stdout
    assert "## 2024" in text and "| Title | Year |" not in text
    assert "- [" in text and "Saleh Ashkboos" not in text  # no authors column
    by_tag = run("--db", str(db_path), "export", "md", "--group-by", "tag").stdout
    assert "## 2024" not in by_tag and "## Distillation" in by_tag


def test_the_editor_comes_from_visual_or_editor_then_the_config(config, db_path, tmp_path, monkeypatch):
    build_small_kb(db_path)
    marker = tmp_path / "which"
    scripts = {}
    for name in ("visual", "editor", "configured"):
        script = tmp_path / f"{name}.py"
        script.write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text({name!r})\n")
        scripts[name] = f"{sys.executable} {script}"
    config.write_text(f"editor = {json.dumps(scripts['configured'])}\n")
    expected = [("configured", {}), ("editor", {"EDITOR": scripts["editor"]})]
    expected.append(("visual", {"EDITOR": scripts["editor"], "VISUAL": scripts["visual"]}))
    for name, env in expected:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        assert run("--db", str(db_path), "note", "2403.03853").exit_code == 0
        assert marker.read_text() == name


def test_arxiv_delay_reaches_the_arxiv_client_unless_the_environment_says_otherwise(config, db_path, monkeypatch):
    from llmkb.arxiv import importer

    config.write_text("arxiv_delay = 7.5\n")
    seen: list[str | None] = []

    def fake_import_ids(db, inputs, **kwargs):
        seen.append(os.environ.get("LLMKB_ARXIV_DELAY"))
        return kwargs["summary"]

    monkeypatch.setattr(importer, "import_ids", fake_import_ids)
    run("--db", str(db_path), "import", "2403.03853")
    monkeypatch.setenv("LLMKB_ARXIV_DELAY", "1")
    run("--db", str(db_path), "import", "2403.03853")
    assert seen == ["7.5", "1"]
    assert os.environ["LLMKB_ARXIV_DELAY"] == "1"


def test_max_wait_reaches_the_arxiv_client_for_the_one_command(db_path, monkeypatch):
    from llmkb.arxiv import importer

    seen: list[str | None] = []
    monkeypatch.setattr(
        importer,
        "import_ids",
        lambda db, inputs, **kw: seen.append(os.environ.get("LLMKB_ARXIV_MAX_WAIT")) or kw["summary"],
    )
    run("--db", str(db_path), "import", "2403.03853", "--max-wait", "12")
    assert seen == ["12"] and "LLMKB_ARXIV_MAX_WAIT" not in os.environ
    refused = run("--db", str(db_path), "import", "2403.03853", "--max-wait", "-1")
    assert refused.exit_code == 2 and "seconds" in refused.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("db = \n", "config "),
        ("db = 3\n", "db must be a path"),
        ("arxiv_delay = 'slow'\n", "arxiv_delay must be a number of seconds from 0 to 60"),
        ("[export]\ncolumns = ['title', 'doi']\n", "export.columns must be a list of"),
        ("[export]\ngroup_by = 'author'\n", "export.group_by must be one of tag, year, venue, none"),
        ("\x00\x01", "config "),
    ],
)
def test_a_broken_config_file_is_one_line_naming_it(config, text, message):
    config.write_bytes(text.encode())
    result = run("search", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: config {config}") or str(config) in result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
