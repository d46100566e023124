"""`llmkb triage`: the key rules (pure), a real pseudo-terminal (keys in, screen out), and the decisions as
options when standard input is not a terminal."""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time

import pytest

from arxiv_server import FakePaper
from llmkb.arxiv import client as arxiv_client
from llmkb.watch.triage import DISMISS, HELP, KEEP, LATER, OPEN, QUIT, TAG, UNKNOWN, Triage

NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    monkeypatch.setattr(arxiv_client, "_sleep", lambda _s: None)


def stamp(hours_ago: float) -> str:
    return (NOW - datetime.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def feed_cli(cli, arxiv_server):
    """A watch that found three papers; the feed shows them in this order (by relevance to `abs:cache`)."""
    arxiv_server.add(
        FakePaper("2401.00001", title="KV cache compression", summary="Cache, cache and cache.", published=stamp(3)),
        FakePaper("2401.00002", title="Serving with a cache", summary="A cache for serving.", published=stamp(2)),
        FakePaper("2401.00003", title="Decoding", summary="Drafts kept in a cache.", published=stamp(1)),
    )
    assert cli("watch", "add", "kv", "abs:cache").exit_code == 0
    assert cli("watch", "run").exit_code == 0
    assert feed(cli) == ["2401.00001", "2401.00002", "2401.00003"]
    return cli


def feed(cli, *names: str) -> list[str]:
    return cli("feed", *names, "-f", "ids").stdout.split()


def paper_state(db, arxiv_id: str) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT p.status, wp.dismissed FROM paper p JOIN watch_paper wp ON wp.paper_id = p.id WHERE p.arxiv_id = ?",
            (arxiv_id,),
        ).fetchone()
    finally:
        conn.close()


# --- the rules ------------------------------------------------------------------------------------------


def test_keys_move_through_the_papers_and_record_decisions():
    walk = Triage(3)
    assert walk.press("?") == (HELP_EFFECT := walk.press("h"))
    assert HELP_EFFECT.action == HELP and walk.position == 0
    assert walk.press("t").action == TAG and walk.position == 0  # tagging stays on the paper
    assert walk.press("o").action == OPEN and walk.position == 0
    assert walk.press("K").action == KEEP and walk.position == 1
    assert walk.press(" ").action == LATER and walk.position == 2
    assert walk.press("z").action == UNKNOWN and walk.position == 2
    assert walk.press("\x1b[A").action == UNKNOWN  # an arrow key is not Escape
    effect = walk.press("d")
    assert (effect.action, effect.index) == (DISMISS, 2)
    assert walk.done and walk.current is None
    assert walk.press("k").action == QUIT  # nothing after the last paper
    assert walk.decisions == {0: KEEP, 2: DISMISS}
    assert walk.summary() == {"kept": 1, "dismissed": 1, "left": 1}


@pytest.mark.parametrize("key", ["q", "Q", "\x03", "\x04", "\x1b"])
def test_quit_keys(key):
    walk = Triage(2)
    assert walk.press(key).action == QUIT
    assert walk.done and walk.summary() == {"kept": 0, "dismissed": 0, "left": 2}


# --- without a terminal ---------------------------------------------------------------------------------


def test_keep_and_dismiss_as_options(feed_cli):
    result = feed_cli("triage", "--keep", "2401.00001", "--dismiss", "2401.00002", "-t", "kv-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout == "kept (to-read): 2401.00001; tagged kv-cache\ndismissed: 2401.00002\n"
    assert paper_state(feed_cli.db, "2401.00001") == ("to-read", 0)
    assert paper_state(feed_cli.db, "2401.00002") == ("dismissed", 1)
    assert feed(feed_cli) == ["2401.00003"]
    assert json.loads(feed_cli("show", "2401.00001", "-f", "json").stdout)["tags"] == ["kv-cache"]


def test_ids_from_stdin_and_in_one_value(feed_cli):
    result = feed_cli("triage", "--keep", "-", "--dismiss", "2401.00002,2401.00003", input="2401.00001\tx\n")
    assert result.exit_code == 0, result.output
    assert feed(feed_cli) == []
    data = json.loads(feed_cli("triage", "--keep", "2401.00001", "-f", "json").stdout)
    assert data == {"kept": [], "already": ["2401.00001"], "dismissed": [], "tags": []}


def test_dismissed_papers_never_come_back_from_the_same_query(feed_cli, arxiv_server):
    assert feed_cli("triage", "--dismiss", "2401.00002").exit_code == 0
    assert feed_cli("mark", "2401.00002", "new").exit_code == 0  # even made new again by hand
    assert feed_cli("watch", "edit", "kv", "--restart").exit_code == 0  # and the stretch read again
    code = feed_cli("watch", "run", "-f", "json")
    assert code.exit_code == 0
    assert json.loads(code.stdout)[0]["seen"] == 3
    assert "2401.00002" not in feed(feed_cli)
    assert paper_state(feed_cli.db, "2401.00002") == ("new", 1)
    # another query that finds it shows it
    assert feed_cli("watch", "add", "serving", "ti:serving").exit_code == 0
    assert feed_cli("watch", "run", "serving").exit_code == 0
    assert feed(feed_cli, "serving") == ["2401.00002"]


def test_dismissing_for_one_watch_leaves_the_others(feed_cli):
    feed_cli("watch", "add", "serving", "ti:serving")
    feed_cli("watch", "run", "serving")
    feed_cli("mark", "2401.00002", "none")  # stored before: no status, so only links are dismissed
    assert feed_cli("triage", "kv", "--dismiss", "2401.00002").exit_code == 0
    assert feed(feed_cli, "kv") == ["2401.00001", "2401.00003"]
    assert feed(feed_cli, "serving") == ["2401.00002"]


def test_without_a_terminal_or_decisions_one_clear_line(feed_cli):
    result = feed_cli("triage")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "standard input is not one; decide with --keep ID... --dismiss ID..." in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--keep", "2401.00001", "--dismiss", "2401.00001"], "is both kept and dismissed"),
        (["--dismiss", "2401.00001", "--dismiss", "2401.09999"], "no paper with arXiv ID 2401.09999"),
        (["serving", "--dismiss", "2401.00001"], "no watch named 'serving'"),
        (["-t", "x"], "--tag applies to the papers kept with --keep"),
    ],
)
def test_bad_decisions_change_nothing(feed_cli, args, message):
    result = feed_cli("triage", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert feed(feed_cli) == ["2401.00001", "2401.00002", "2401.00003"]


def test_only_papers_of_the_feed_can_be_dismissed(feed_cli):
    from llmkb.store.papers_write import PaperFields, save_paper
    from llmkb.store.write_session import write_session

    with write_session(feed_cli.db) as session:
        save_paper(session, PaperFields(arxiv_id="2301.00001", title="Elsewhere"), source="x", authoritative=True)
    result = feed_cli("triage", "--dismiss", "2301.00001")
    assert result.exit_code == 2 and "2301.00001 is not in any watch's feed" in result.stderr


# --- on a terminal --------------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")


class Terminal:
    """A program on a pseudo-terminal: write keys, wait (bounded) for text to appear on its screen."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        # a session of its own with the terminal as its controlling terminal, so Ctrl-C is a SIGINT for it
        become_controlled = (
            "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); os.execv(sys.argv[1], sys.argv[1:])"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", become_controlled, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = b""
        self.seen = 0  # text before this offset has been matched already

    @property
    def screen(self) -> str:
        return _ANSI.sub("", self.raw.decode("utf-8", "replace")).replace("\r", "")

    def expect(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.seen :]:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(remaining, 0))
            if not ready:
                raise AssertionError(f"{text!r} did not appear; the screen ends with {self.screen[-1200:]!r}")
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the program has exited and closed the terminal
                data = b""
            if not data:
                raise AssertionError(f"the program ended before {text!r}; screen: {self.screen[-1200:]!r}")
            self.raw += data
        self.seen = self.screen.index(text, self.seen) + len(text)

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        finally:
            os.close(self.master)


@pytest.fixture
def terminal_env(tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    env = {**os.environ, "TERM": "xterm-256color", "BROWSER": str(browser), "COLUMNS": "120", "LINES": "40"}
    return env, opened


def test_triage_in_a_pseudo_terminal(feed_cli, terminal_env):
    env, opened = terminal_env
    term = Terminal([sys.executable, "-m", "llmkb", "--db", str(feed_cli.db), "triage"], env)
    try:
        term.expect("1/3")
        term.expect("KV cache compression")
        term.expect("q quit")
        term.press("?")
        term.expect("Skipping dismisses the paper")
        term.press("t")
        term.expect("tags (space or comma")
        term.press("long-contxt\x7f\x7fext\r")  # Backspace works in the prompt
        term.expect("tagged long-context")
        term.press("k")
        term.expect("2/3")
        term.expect("Serving with a cache")
        term.press("o")
        term.expect("opened https://arxiv.org/abs/2401.00002")
        term.press("x")
        term.expect("'x' does nothing here")
        term.press("s")
        term.expect("Decoding")
        term.press("q")
        term.expect("kept 1 (to-read), dismissed 1, 1 left in the feed")
    finally:
        code = term.close()
    assert code == 0
    assert opened.read_text() == "https://arxiv.org/abs/2401.00002\n"
    assert paper_state(feed_cli.db, "2401.00001") == ("to-read", 0)
    assert paper_state(feed_cli.db, "2401.00002") == ("dismissed", 1)
    assert paper_state(feed_cli.db, "2401.00003") == ("new", 0)
    assert json.loads(feed_cli("show", "2401.00001", "-f", "json").stdout)["tags"] == ["long-context"]
    assert feed(feed_cli) == ["2401.00003"]


def test_ctrl_c_in_a_pseudo_terminal_keeps_what_was_decided(feed_cli, terminal_env):
    env, _opened = terminal_env
    term = Terminal([sys.executable, "-m", "llmkb", "--db", str(feed_cli.db), "triage"], env)
    try:
        term.expect("KV cache compression")
        term.press("kk")  # typed ahead: both keys count
        term.expect("3/3")
        term.press("\x03")
        term.expect("kept 2 (to-read), dismissed 0, 1 left in the feed")
    finally:
        code = term.close()
    assert code == 0
    assert feed(feed_cli) == ["2401.00003"]
