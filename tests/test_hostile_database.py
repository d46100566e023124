"""Hostile databases and database paths: every case is one line on stderr and an exit code, and no file
is lost, overwritten or half-written. Upgrades back up first (to a name that never existed), creation and
upgrades are locked, every writable file is WAL, busy and damaged files say so."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import time

import pytest
from typer.testing import CliRunner

from conftest import SEED_DB, Cli
from llmkb import locations
from llmkb.cli.app import app
from llmkb.errors import DatabaseError, NoDatabaseError, set_notice_handler
from llmkb.store import connection, schema_version
from llmkb.store.admin import check, schema_problems
from llmkb.store.connection import connect, ensure_current
from llmkb.store.schema_version import head_revision
from test_safety_support import (
    Together,
    damage_pages,
    digest,
    newer_migrations,
    one_line,
    papers,
    read_only_folder,
    revision,
    settle,
    small_disk,
)


@pytest.fixture
def notes():
    """The notes llmkb gives the user (`llmkb.errors.notify`) during the test."""
    seen: list[str] = []
    previous = set_notice_handler(seen.append)
    yield seen
    set_notice_handler(previous)


@pytest.fixture
def use_migrations(monkeypatch):
    """Point llmkb at another migrations folder for the rest of the test: `use_migrations(folder)`."""

    def use(folder) -> None:
        monkeypatch.setattr(locations, "migrations_dir", lambda: folder)
        schema_version.head_revision.cache_clear()

    yield use
    schema_version.head_revision.cache_clear()


@pytest.fixture
def wal_seed(seed_db):
    ensure_current(seed_db).close()
    return seed_db


def _columns(path, table):
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def _tags(path):
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM tag")}
    finally:
        conn.close()


def _journal_mode_in_header(path) -> str:
    header = path.read_bytes()[:20]
    return "wal" if header[18] == 2 and header[19] == 2 else "rollback"


# --- backups before an upgrade ------------------------------------------------------------------------


class TestBackupBeforeUpgrade:
    def test_backup_holds_rows_committed_while_another_process_reads(self, wal_seed, tmp_path, use_migrations):
        folder, head, new = newer_migrations(tmp_path)
        reader = sqlite3.connect(wal_seed)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM paper").fetchone()  # a snapshot older than the next commit
        writer = sqlite3.connect(wal_seed)
        writer.execute("INSERT INTO tag (name) VALUES ('committed-while-someone-reads')")
        writer.commit()
        writer.close()
        use_migrations(folder)
        try:
            result = Cli(wal_seed)("search", "pruning", "--format", "ids")
        finally:
            reader.rollback()
            reader.close()
        assert result.exit_code == 0, result.stderr
        backup = wal_seed.with_name(f"{wal_seed.name}.bak-{head}")
        assert revision(backup) == head
        assert "committed-while-someone-reads" in _tags(backup)
        assert "reading_minutes" not in _columns(backup, "paper")
        assert revision(wal_seed) == new

    def test_backup_never_overwrites_or_follows_an_existing_name(self, wal_seed, tmp_path, use_migrations, notes):
        folder, head, new = newer_migrations(tmp_path)
        victim = tmp_path / "victim.txt"
        victim.write_text("precious")
        link = wal_seed.with_name(f"{wal_seed.name}.bak-{head}")
        link.symlink_to(victim)
        older = wal_seed.with_name(f"{wal_seed.name}.bak-{head}.1")
        older.write_text("an older backup")
        use_migrations(folder)
        result = Cli(wal_seed)("db", "info")
        assert result.exit_code == 0
        assert victim.read_text() == "precious"
        assert link.is_symlink() and older.read_text() == "an older backup"
        backup = wal_seed.with_name(f"{wal_seed.name}.bak-{head}.2")
        assert revision(backup) == head and papers(backup) == papers(SEED_DB)
        assert revision(wal_seed) == new
        assert [n for n in result.stderr.splitlines() if "upgraded" in n] == [
            f"note: upgraded {wal_seed} from schema {head} to {new}; the file as it was is kept in {backup}"
        ]

    def test_backup_that_fails_midway_leaves_no_file_and_the_original_untouched(
        self, wal_seed, tmp_path, use_migrations
    ):
        folder, head, _new = newer_migrations(tmp_path)
        use_migrations(folder)
        settle(wal_seed)
        before = digest(wal_seed)
        # Files may not grow past half the database: the copy fails part-way (EFBIG, as a full disk would).
        limit = max(wal_seed.stat().st_size // 2, 64 * 1024)
        old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
        old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
        try:
            result = Cli(wal_seed)("search", "pruning")
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
            signal.signal(signal.SIGXFSZ, old_handler)
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith(f"error: cannot back up {wal_seed}") and line.endswith("nothing was changed")
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(wal_seed.name)) == [wal_seed.name]
        settle(wal_seed)
        assert digest(wal_seed) == before and revision(wal_seed) == head

    def test_no_room_for_the_backup_on_a_small_disk(self, tmp_path, use_migrations):
        with small_disk(tmp_path / "disk", 400) as disk:
            db = disk / "kb.sqlite"
            db.write_bytes(SEED_DB.read_bytes())
            ensure_current(db).close()
            folder, head, _new = newer_migrations(tmp_path)
            use_migrations(folder)
            settle(db)
            before = digest(db)
            result = Cli(db)("search", "pruning")
            assert result.exit_code == 1
            assert one_line(result.stderr).startswith(f"error: cannot back up {db}")
            assert sorted(p.name for p in disk.iterdir()) == ["kb.sqlite"]
            assert digest(db) == before and revision(db) == head

    def test_failed_upgrade_is_rolled_back_from_the_backup(self, wal_seed, tmp_path, use_migrations):
        body = (
            "    op.add_column('paper', sa.Column('reading_minutes', sa.Integer()))\n"
            "    op.execute('DELETE FROM paper_tag')\n"
            "    raise RuntimeError('this revision breaks half-way')\n"
        )
        folder, head, _new = newer_migrations(tmp_path, body)
        use_migrations(folder)
        tags_before = _tags(wal_seed)
        result = Cli(wal_seed)("search", "pruning")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert "cannot upgrade" in line and "this revision breaks half-way" in line
        assert "restored from the backup" in line
        assert revision(wal_seed) == head
        assert "reading_minutes" not in _columns(wal_seed, "paper")
        assert _tags(wal_seed) == tags_before
        conn = sqlite3.connect(wal_seed)
        assert conn.execute("SELECT count(*) FROM paper_tag").fetchone()[0] > 0
        conn.close()


# --- locking: creation, upgrades, writers -------------------------------------------------------------

_ENSURE = (
    "from pathlib import Path\n"
    "from llmkb import locations\n"
    "if len(sys.argv) > 2:\n"
    "    locations.migrations_dir = lambda: Path(sys.argv[2])\n"
    "from llmkb.store.connection import ensure_current\n"
    "ensure_current(Path(sys.argv[1])).close()\n"
)


class TestConcurrency:
    def test_processes_creating_one_new_database_at_once(self, db_path):
        results = Together(_ENSURE, [[str(db_path)]] * 4).run()
        assert [code for code, _out, _err in results] == [0, 0, 0, 0], [err for _c, _o, err in results]
        assert revision(db_path) == head_revision()
        assert not db_path.with_name(db_path.name + ".lock").exists()
        conn = connect(db_path)
        assert check(conn) == []
        conn.close()

    def test_processes_upgrading_one_database_at_once(self, wal_seed, tmp_path):
        folder, head, new = newer_migrations(tmp_path)
        results = Together(_ENSURE, [[str(wal_seed), str(folder)]] * 4).run()
        assert [code for code, _out, _err in results] == [0, 0, 0, 0], [err for _c, _o, err in results]
        assert revision(wal_seed) == new
        backups = sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name)
        assert backups == [f"{wal_seed.name}.bak-{head}"]

    def test_concurrent_writers_on_a_copied_rollback_journal_database_all_succeed(self, seed_db):
        assert _journal_mode_in_header(seed_db) == "rollback"  # as a plain copy of the seed is
        code = "from llmkb.cli.app import app\napp(sys.argv[1:])\n"
        argvs = [["--db", str(seed_db), "tag", "add", "2403.03853", f"race-{n}"] for n in range(8)]
        results = Together(code, argvs).run()
        assert [c for c, _o, _e in results] == [0] * 8, [e for _c, _o, e in results]
        assert {f"race-{n}" for n in range(8)} <= _tags(seed_db)
        assert _journal_mode_in_header(seed_db) == "wal"

    def test_writer_waiting_past_the_busy_timeout_gets_one_line(self, wal_seed, monkeypatch):
        monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
        holder = sqlite3.connect(wal_seed, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            result = Cli(wal_seed)("tag", "add", "2403.03853", "waited-too-long")
            elapsed = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert result.exit_code == 1
        assert one_line(result.stderr) == (
            f"error: the database is busy: another llmkb process is writing {wal_seed}; try again"
        )
        assert elapsed < 5
        assert "waited-too-long" not in _tags(wal_seed)

    def test_locked_database_is_busy_not_foreign_and_within_the_timeout(self, seed_db, monkeypatch):
        monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
        holder = sqlite3.connect(seed_db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # a rollback-journal file held by another program
        try:
            started = time.monotonic()
            result = Cli(seed_db)("search", "pruning")
            elapsed = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert "busy" in line and "not an llmkb database" not in line
        assert elapsed < 3 * 0.3 + 2  # one busy timeout, not two (and not 2 x 10 s)


# --- the seed on a first run --------------------------------------------------------------------------


class TestFirstRun:
    def test_seed_copy_is_wal_and_reported(self, isolated_user_dirs, notes):
        from llmkb.locations import default_db_path, resolve_db_path

        copies = []
        path = resolve_db_path(None, on_seed_copied=lambda p, n: copies.append((p, n)))
        assert path == default_db_path()
        assert copies == [(path, papers(SEED_DB))]
        assert _journal_mode_in_header(path) == "wal"
        assert _journal_mode_in_header(SEED_DB) == "rollback"  # the packaged file is never written
        assert resolve_db_path(None) == path and copies == [(path, papers(SEED_DB))]
        assert notes == []  # the callback, not the default note, was told

    def test_first_run_note_names_the_count_and_the_place(self, isolated_user_dirs):
        result = Cli(None)("search", "pruning", "--format", "ids")
        assert result.exit_code == 0
        from llmkb.locations import default_db_path

        expected = f"note: first run: copied the seed database ({papers(SEED_DB)} papers) to {default_db_path()}"
        assert result.stderr.splitlines() == [expected]
        again = Cli(None)("search", "pruning", "--format", "ids")
        assert again.stderr == ""  # only the first run says it

    def test_a_database_already_there_is_never_replaced(self, tmp_path):
        from llmkb.locations import install_seed

        target = tmp_path / "llmkb.sqlite"
        target.write_bytes(b"written by another first run")
        assert install_seed(target) is None
        assert target.read_bytes() == b"written by another first run"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["llmkb.sqlite"]

    def test_data_folder_that_is_a_file(self, isolated_user_dirs, monkeypatch):
        blocker = isolated_user_dirs / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
        result = Cli(None)("search", "pruning")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith("error: cannot put the database in") and "LLMKB_DB" in line
        assert blocker.read_text() == "x"

    def test_data_folder_that_is_read_only(self, isolated_user_dirs, monkeypatch):
        data = isolated_user_dirs / "ro-data"
        data.mkdir()
        monkeypatch.setenv("XDG_DATA_HOME", str(data))
        with read_only_folder(data):
            result = Cli(None)("search", "pruning")
        assert result.exit_code == 1
        assert one_line(result.stderr).startswith("error: cannot put the database in")
        assert list(data.iterdir()) == []


# --- paths that are not databases ---------------------------------------------------------------------


class TestPaths:
    @pytest.mark.parametrize("args", [["search", "pruning"], ["tags"], ["db", "check"], ["export", "csv"]])
    def test_read_command_on_a_missing_database_creates_nothing(self, db_path, args):
        result = Cli(db_path)(*args)
        assert result.exit_code == 1
        assert one_line(result.stderr) == (
            f"error: no database at {db_path} (a command that writes, such as `llmkb import`, creates one)"
        )
        assert list(db_path.parent.iterdir()) == []

    def test_connect_does_not_create_and_ensure_current_does_and_says_where(self, db_path, notes):
        with pytest.raises(NoDatabaseError):
            connect(db_path)
        assert not db_path.exists()
        ensure_current(db_path).close()
        assert notes == [f"created a new llmkb database at {db_path}"]
        assert revision(db_path) == head_revision()

    @pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/full"])
    @pytest.mark.parametrize("args", [["search", "pruning"], ["tag", "add", "2403.03853", "x"], ["db", "check"]])
    def test_device_as_database(self, device, args):
        if not os.path.exists(device):
            pytest.skip(f"no {device} here")
        result = CliRunner().invoke(app, ["--db", device, *args], catch_exceptions=False)
        assert result.exit_code == 1
        assert one_line(result.stderr) == f"error: {device} is a character device, not a database file"
        assert stat.S_ISCHR(os.stat(device).st_mode)

    @pytest.mark.parametrize("how", ["option", "environment"])
    def test_home_of_a_user_that_does_not_exist(self, how, monkeypatch):
        value = "~no-such-user-llmkb/kb.sqlite"
        if how == "option":
            result = CliRunner().invoke(app, ["--db", value, "search", "x"], catch_exceptions=False)
        else:
            monkeypatch.setenv("LLMKB_DB", value)
            result = CliRunner().invoke(app, ["search", "x"], catch_exceptions=False)
        assert result.exit_code == 2
        assert "no-such-user-llmkb" in one_line(result.stderr)

    def test_file_that_is_not_a_database(self, tmp_path):
        notes_file = tmp_path / "notes.sqlite"
        notes_file.write_text("my notes\n" * 500)
        for args in (["search", "x"], ["tag", "add", "2403.03853", "x"], ["db", "check"]):
            result = Cli(notes_file)(*args)
            assert result.exit_code == 1
            assert "not an llmkb database" in one_line(result.stderr)
        assert notes_file.read_text() == "my notes\n" * 500

    def test_dangling_symlink_and_a_file_in_the_path(self, tmp_path):
        link = tmp_path / "kb.sqlite"
        link.symlink_to(tmp_path / "gone.sqlite")
        result = Cli(link)("tag", "add", "2403.03853", "x")
        assert result.exit_code == 1
        assert "symbolic link to a missing file" in one_line(result.stderr)
        assert not (tmp_path / "gone.sqlite").exists()
        blocker = tmp_path / "file.txt"
        blocker.write_text("x")
        result = Cli(blocker / "kb.sqlite")("search", "x")
        assert result.exit_code == 1
        assert "not a folder" in one_line(result.stderr)


# --- damaged files ------------------------------------------------------------------------------------

READ_COMMANDS = [
    ["search", "pruning"],
    ["search", "-t", "pruning", "--format", "json"],
    ["show", "2403.03853"],
    ["tags"],
    ["db", "info"],
    ["export", "csv"],
    ["export", "md"],
    ["xref", "--tag", "pruning"],
    ["datasets"],
    ["models"],
    ["metrics"],
    ["leaderboard", "PIQA"],
]
WRITE_COMMANDS = [["tag", "add", "2403.03853", "x"], ["link", "2403.03853", "--dataset", "PIQA"]]


def _one_line_or_success(result) -> None:
    if result.exit_code != 0:
        assert result.exit_code in (1, 2)
        one_line(result.stderr)


class TestDamagedFiles:
    def test_every_command_on_overwritten_pages(self, seed_db):
        damage_pages(seed_db)
        failures = 0
        for args in READ_COMMANDS + WRITE_COMMANDS:
            result = Cli(seed_db)(*args)
            _one_line_or_success(result)
            failures += result.exit_code != 0
            if result.exit_code:
                assert "damaged" in result.stderr or "malformed" in result.stderr, (args, result.stderr)
        assert failures >= 3
        result = Cli(seed_db)("db", "check")
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert lines and all(line.startswith("problem: ") for line in lines)

    def test_overwritten_header_is_not_a_database(self, seed_db):
        with open(seed_db, "r+b") as file:
            file.write(b"\x00garbage" * 64)
        before = digest(seed_db)
        for args in [*READ_COMMANDS[:3], ["db", "check"], *WRITE_COMMANDS]:
            result = Cli(seed_db)(*args)
            assert result.exit_code == 1
            assert "not an llmkb database" in one_line(result.stderr)
        assert digest(seed_db) == before

    @pytest.mark.parametrize("table", ["paper_tag", "result"])
    def test_missing_table_is_found_by_db_check_and_one_line_elsewhere(self, wal_seed, table):
        conn = sqlite3.connect(wal_seed)
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
        conn.close()
        result = Cli(wal_seed)("db", "check")
        assert result.exit_code == 1
        assert f"problem: table {table} is missing" in result.stderr.splitlines()
        for args in READ_COMMANDS + WRITE_COMMANDS:
            _one_line_or_success(Cli(wal_seed)(*args))

    def test_missing_column_is_found_by_db_check(self, wal_seed):
        conn = sqlite3.connect(wal_seed)
        conn.execute("ALTER TABLE model DROP COLUMN family")
        conn.commit()
        conn.close()
        result = Cli(wal_seed)("db", "check")
        assert result.exit_code == 1
        assert "problem: table model lacks the column family" in result.stderr.splitlines()

    def test_sound_databases_have_no_schema_problems(self, wal_seed, db_path):
        ensure_current(db_path).close()
        for path in (wal_seed, db_path):
            conn = connect(path)
            assert schema_problems(conn) == [] and check(conn) == []
            conn.close()

    @pytest.mark.parametrize(
        ("damage", "words"),
        [
            ("DELETE FROM alembic_version", "records no schema revision"),
            ("DROP TABLE alembic_version", "no alembic_version table"),
            ("UPDATE alembic_version SET version_num = 'x1'", "is not one llmkb writes"),
        ],
    )
    def test_schema_revision_missing_or_nonsense(self, wal_seed, damage, words):
        conn = sqlite3.connect(wal_seed)
        conn.execute(damage)
        conn.commit()
        conn.close()
        settle(wal_seed)
        before = digest(wal_seed)
        for args in (["search", "pruning"], ["tag", "add", "2403.03853", "x"], ["db", "check"]):
            result = Cli(wal_seed)(*args)
            assert result.exit_code == 1
            assert words in one_line(result.stderr)
        assert digest(wal_seed) == before


# --- read-only files and folders, full disks ----------------------------------------------------------


class TestReadOnlyAndFull:
    def _db_in_own_folder(self, tmp_path):
        folder = tmp_path / "shelf"
        folder.mkdir()
        db = folder / "kb.sqlite"
        db.write_bytes(SEED_DB.read_bytes())
        ensure_current(db).close()  # WAL, the hard case: readers normally need to create the -shm file
        settle(db)
        return folder, db

    def test_read_only_folder_reads_work_and_writes_are_one_line(self, tmp_path):
        folder, db = self._db_in_own_folder(tmp_path)
        before = digest(db)
        with read_only_folder(folder):
            search = Cli(db)("search", "pruning", "--format", "ids")
            assert search.exit_code == 0, search.stderr
            assert "2403.03853" in search.stdout.split()
            checked = Cli(db)("db", "check")
            assert (checked.exit_code, checked.stdout.strip(), checked.stderr) == (0, "ok", "")
            assert Cli(db)("db", "info").exit_code == 0
            write = Cli(db)("tag", "add", "2403.03853", "x")
            assert write.exit_code == 1
            assert one_line(write.stderr).startswith(f"error: cannot write {db}: it is on a read-only file system")
        assert digest(db) == before

    def test_old_database_in_a_read_only_folder_is_refused_untouched(self, tmp_path, use_migrations):
        folder, db = self._db_in_own_folder(tmp_path)
        migrations, head, new = newer_migrations(tmp_path)
        use_migrations(migrations)
        before = digest(db)
        with read_only_folder(folder):
            result = Cli(db)("search", "pruning")
        assert result.exit_code == 1
        line = one_line(result.stderr)
        assert line.startswith(f"error: {db} has schema revision {head} and this llmkb needs {new}, but it cannot")
        assert digest(db) == before and sorted(p.name for p in folder.iterdir()) == ["kb.sqlite"]

    @pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
    def test_read_only_file(self, tmp_path):
        _folder, db = self._db_in_own_folder(tmp_path)
        db.chmod(0o444)
        before = digest(db)
        assert Cli(db)("search", "pruning").exit_code == 0
        assert Cli(db)("db", "check").exit_code == 0
        write = Cli(db)("tag", "add", "2403.03853", "x")
        assert write.exit_code == 1
        assert "read-only" in one_line(write.stderr)
        assert digest(db) == before

    def test_full_disk_during_a_write(self, tmp_path):
        big_list = tmp_path / "big.md"
        big_list.write_text(_big_list(3000))
        with small_disk(tmp_path / "disk", 900) as disk:
            db = disk / "kb.sqlite"
            db.write_bytes(SEED_DB.read_bytes())
            ensure_current(db).close()
            count = papers(db)
            result = Cli(db)("import-list", str(big_list))
            assert result.exit_code == 1
            assert one_line(result.stderr) == f"error: cannot write {db}: the disk is full"
            assert papers(db) == count
            conn = connect(db)
            assert check(conn) == []
            conn.close()

    def test_file_size_limit_during_a_write(self, tmp_path, seed_db):
        """The same without root: the process may not grow files (RLIMIT_FSIZE), as on a full disk."""
        import subprocess
        import sys

        ensure_current(seed_db).close()
        settle(seed_db)
        count = papers(seed_db)
        big_list = tmp_path / "big.md"
        big_list.write_text(_big_list(3000))
        limit = seed_db.stat().st_size + 64 * 1024

        def limited():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

        proc = subprocess.run(
            [sys.executable, "-m", "llmkb", "--db", str(seed_db), "import-list", str(big_list)],
            capture_output=True,
            text=True,
            preexec_fn=limited,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr
        assert one_line(proc.stderr).startswith(f"error: cannot read or write {seed_db}")
        assert papers(seed_db) == count
        conn = connect(seed_db)
        assert check(conn) == []
        conn.close()


def _big_list(count: int) -> str:
    lines = ["# A very long list", "", "## Section", ""]
    for n in range(count):
        lines.append(
            f"- [A paper about topic {n} with a long title to fill pages](https://arxiv.org/abs/2401.{n + 10000:05d}) "
            f"- {'a long note ' * 40}"
        )
    return "\n".join(lines) + "\n"


def test_translated_errors_are_still_sqlite_errors(wal_seed):
    """Code that catches sqlite3.OperationalError keeps catching the one-line errors."""
    conn = connect(wal_seed)
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute("SELECT * FROM no_such_table_here")
    assert isinstance(raised.value, DatabaseError)
    conn.close()
