"""`lint --fix` rewrites only certain fixes (vocabulary spellings, IDs arXiv confirms by title), prints a
unified diff, keeps line endings and file mode, and a second --fix changes nothing."""

from __future__ import annotations

import os
import shutil
import stat

from lint_support import arxiv_papers, list_path


def _copy(tmp_path, name: str):
    target = tmp_path / name
    shutil.copyfile(list_path(name), target)
    return target


def test_fix_rewrites_vocabulary_spellings_and_prints_the_diff(cli, tmp_path):
    path = _copy(tmp_path, "names.md")
    result = cli("lint", "--offline", "--fix", str(path))
    text = path.read_text(encoding="utf-8")
    assert "| LLaMA-2-13B | [1] |" in text and "LLaMaA2" not in text
    assert "TinyBERT, MobileBERT, DistilBERT..." in text
    assert "Mixtral-7B" in text and "PIQQA" in text  # not certain: only suggested
    assert f"--- a/{path}" in result.stdout and "-| LLaMaA2-13B | [1] |" in result.stdout
    assert "+| LLaMA-2-13B | [1] |" in result.stdout
    assert "fixed 2 findings in 1 list(s)" in result.stderr
    assert result.exit_code == 0


def test_fix_is_idempotent(cli, tmp_path):
    path = _copy(tmp_path, "names.md")
    cli("lint", "--offline", "--fix", str(path))
    once = path.read_bytes()
    again = cli("lint", "--offline", "--fix", str(path))
    assert path.read_bytes() == once
    assert again.stdout == ""
    assert "fixed 0 findings" in again.stderr


def test_dry_run_prints_the_diff_and_changes_nothing(cli, tmp_path):
    path = _copy(tmp_path, "names.md")
    before = path.read_bytes()
    result = cli("lint", "--offline", "--fix", "--dry-run", str(path))
    assert path.read_bytes() == before
    assert "+| LLaMA-2-13B | [1] |" in result.stdout
    assert "would fix 2 findings" in result.stderr


def test_fix_keeps_crlf_line_endings_and_the_file_mode(cli, tmp_path):
    path = tmp_path / "crlf.md"
    path.write_bytes(list_path("names.md").read_bytes().replace(b"\n", b"\r\n"))
    os.chmod(path, 0o640)
    cli("lint", "--offline", "--fix", str(path))
    data = path.read_bytes()
    assert b"| LLaMA-2-13B | [1] |\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_fix_replaces_an_id_arxiv_confirms_by_title(cli, tmp_path, arxiv_server):
    arxiv_server.add(*arxiv_papers())
    path = _copy(tmp_path, "ids.md")
    result = cli("lint", "--fix", "--select", "LK101", str(path))
    text = path.read_text(encoding="utf-8")
    assert "[Scaling Instruction-Finetuned Language Models](https://arxiv.org/abs/2210.11416)" in text
    assert (
        "[Training language models to follow instructions with human feedback](https://arxiv.org/abs/2203.02155)"
        in text
    )
    assert result.exit_code == 0  # the one error selected was fixed
    requests = arxiv_server.request_count
    assert requests == 3  # one batch of IDs, one title search, one batch of earlier versions
    again = cli("lint", "--fix", "--select", "LK101", str(path))
    assert again.stdout == "" and path.read_text(encoding="utf-8") == text
    assert arxiv_server.request_count == requests  # the title search cached 2210.11416 too


def test_fix_leaves_a_list_read_from_stdin_alone_and_says_so(cli):
    result = cli("lint", "--offline", "--fix", "-", input=list_path("names.md").read_text(encoding="utf-8"))
    assert "+| LLaMA-2-13B | [1] |" in result.stdout
    assert "not a file here" in result.stderr
