import os
import stat

import pytest

from llmkb.errors import LlmkbError, UsageError
from llmkb.export.atomic_write import atomic_output


def test_writes_the_file_when_the_block_succeeds(tmp_path):
    target = tmp_path / "list.md"
    with atomic_output(target, force=False) as out:
        out.write("# Reading list\nRamírez\r\n")
        assert not target.exists()  # nothing visible until the end
    assert target.read_bytes() == "# Reading list\nRamírez\r\n".encode()
    assert list(tmp_path.iterdir()) == [target]


def test_new_file_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "list.md"
    umask = os.umask(0o022)
    try:
        with atomic_output(target, force=False) as out:
            out.write("x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "papers.bib"
    target.write_text("old")
    with (
        pytest.raises(UsageError, match="already exists; use --force") as raised,
        atomic_output(target, force=False) as out,
    ):
        out.write("new")
    assert raised.value.exit_code == 2
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_force_overwrites_and_keeps_the_old_permissions(tmp_path):
    target = tmp_path / "papers.bib"
    target.write_text("old")
    target.chmod(0o600)
    with atomic_output(target, force=True) as out:
        out.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failure_leaves_the_target_untouched_and_no_temp_file(tmp_path):
    target = tmp_path / "papers.csv"
    target.write_text("old")
    with (
        pytest.raises(RuntimeError, match="boom"),
        atomic_output(target, force=True) as out,
    ):
        out.write("partial")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_failure_on_a_new_path_creates_nothing(tmp_path):
    with (
        pytest.raises(KeyError),
        atomic_output(tmp_path / "new.json", force=False) as out,
    ):
        out.write("[")
        raise KeyError("x")
    assert list(tmp_path.iterdir()) == []


def test_write_errors_become_one_line_errors(tmp_path):
    with (
        pytest.raises(LlmkbError, match="cannot write .*new.json: No space left"),
        atomic_output(tmp_path / "new.json", force=False),
    ):
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_is_a_usage_error(tmp_path):
    with (
        pytest.raises(UsageError, match="directory .*missing does not exist"),
        atomic_output(tmp_path / "missing" / "list.md", force=False),
    ):
        pass


def test_directory_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("")
    with (
        pytest.raises(UsageError, match="is not a directory"),
        atomic_output(tmp_path / "file" / "list.md", force=False),
    ):
        pass


def test_target_that_is_a_directory_is_a_usage_error(tmp_path):
    with (
        pytest.raises(UsageError, match="is a directory"),
        atomic_output(tmp_path, force=True),
    ):
        pass


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_unwritable_directory_is_a_usage_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(UsageError, match="is not writable"), atomic_output(locked / "list.md", force=False):
            pass
    finally:
        locked.chmod(0o700)
