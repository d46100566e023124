"""Helpers the hostile-input tests share (no tests here): a newer schema revision, damaged and locked
databases, read-only folders, small disks, child processes that start together on command."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from llmkb import locations
from llmkb.store import schema_version

ROOT = Path(__file__).resolve().parent.parent
SEED_DB = ROOT / "data" / "seed.sqlite"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def one_line(text: str) -> str:
    """The only line of `text` (a one-line error) besides notes, failing the test if there are more or none."""
    lines = [line for line in text.strip().splitlines() if not line.startswith("note: ")]
    assert len(lines) == 1, text
    return lines[0]


def revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def papers(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM paper").fetchone()[0]
    finally:
        conn.close()


def settle(path: Path) -> None:
    """Fold any WAL content into the main file so digests compare whole databases."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# --- a schema revision newer than the packaged head ---------------------------------------------------


ADD_READING_MINUTES_COLUMN = "    op.add_column('paper', sa.Column('reading_minutes', sa.Integer()))\n"


def newer_migrations(tmp_path: Path, upgrade_body: str = ADD_READING_MINUTES_COLUMN):
    """A copy of the migrations with one more revision; returns (folder, old head, new head)."""
    head = schema_version.head_revision()
    following = f"{int(head) + 1:04d}"
    folder = tmp_path / f"migrations-{uuid.uuid4().hex[:8]}"
    shutil.copytree(locations.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{following}_test_revision.py").write_text(
        '"""test revision"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '{following}'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n"
        f"def upgrade():\n{upgrade_body}"
        "def downgrade():\n    pass\n"
    )
    return folder, head, following


# --- damaged files ------------------------------------------------------------------------------------


def damage_pages(path: Path, tables: tuple[str, ...] = ("paper", "paper_tag")) -> None:
    """Overwrite the first pages of `tables` with garbage, leaving the header and the schema readable."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0] for t in tables]
    finally:
        conn.close()
    with open(path, "r+b") as file:
        for root in roots:
            for page in (root, root + 1):
                file.seek((page - 1) * page_size + 8)
                file.write(b"\xff" * (page_size // 2))


# --- read-only folders and small disks ----------------------------------------------------------------


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make `folder` read-only for this process: chmod for a normal user; for root (whom permissions do
    not stop) a read-only bind mount, or skip when mounting is not allowed."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if not _mount("--bind", str(folder), str(folder)):
        pytest.skip("running as root without permission to mount: cannot make a folder read-only")
    try:
        if not _mount("-o", "remount,ro,bind", str(folder)):
            pytest.skip("running as root without permission to remount read-only")
        yield
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


@contextlib.contextmanager
def small_disk(folder: Path, size_kib: int):
    """A tmpfs of `size_kib` mounted on `folder` (a real full disk: ENOSPC); skips unless root may mount."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)):
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root and permission to mount")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


# --- child processes that start together ---------------------------------------------------------------


class Together:
    """Child Python processes that each print "ready", wait for a line on stdin, then run their code: the
    parent releases them all at once, so they really race (no sleeps, no timing guesses)."""

    def __init__(self, code: str, argvs: list[list[str]], env: dict[str, str] | None = None):
        script = "import sys\nprint('ready', flush=True)\nsys.stdin.readline()\n" + code
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, *argv],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, **(env or {})},
            )
            for argv in argvs
        ]

    def run(self, timeout: float = 120) -> list[tuple[int, str, str]]:
        for proc in self.procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in self.procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in self.procs:
            out, err = proc.communicate(timeout=timeout)
            results.append((proc.returncode, out, err))
        return results
