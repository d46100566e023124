"""Read commands must not load the write stack: a search answers in about the time Typer takes to start."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

HEAVY = ("sqlmodel", "sqlalchemy", "alembic", "arxiv", "httpx")


def _imported(args: list[str], env_db) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "llmkb", "--db", str(env_db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = set()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+\d+ \|\s+(.+)$", line)
        if m:
            modules.add(m.group(1).strip().split(".")[0])
    return modules


@pytest.mark.parametrize(
    "args",
    [
        ["search", "pruning"],
        ["search", "prunning", "-t", "pruning", "--format", "json"],
        ["show", "2403.03853"],
        ["tags"],
        ["--help"],
        ["db", "info"],
        ["export", "jsonl", "-t", "pruning"],
        ["export", "md", "pruning", "--style", "table"],
        ["xref", "--tag", "pruning", "--dataset", "PIQA", "--model", "LLaMaA2-13B", "--format", "json"],
        ["xref", "matrix", "-t", "pruning", "--by", "model", "--format", "md"],
        ["datasets", "-t", "pruning"],
        ["models", "--unresolved"],
        ["metrics"],
        ["leaderboard", "PIQA"],
        ["search", "kv", "cache", "-f", "csv"],
        ["show", "2403.03853", "2401.15024", "-f", "tsv"],
        ["tags", "-f", "table"],
        ["xref", "matrix", "-t", "pruning", "-f", "table"],
    ],
)
def test_read_commands_do_not_import_the_write_stack(seed_db, args):
    loaded = _imported(args, seed_db)
    assert "llmkb" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_package_offers_kb_without_loading_it_on_import():
    code = (
        "import sys, llmkb\n"
        "assert 'llmkb.kb' not in sys.modules\n"
        "from llmkb import KB\n"
        "from llmkb.kb import KB as Defined\n"
        "assert KB is Defined\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
