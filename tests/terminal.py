"""Running llmkb as a user does: in a child process, on a pseudo-terminal of a given width, or into a pipe.

CliRunner never has a terminal, so the paths that only run on one (tables that fit, colour, completion
scripts) are checked here against the real program.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Run:
    code: int
    output: str  # stdout and stderr as the terminal shows them (\r\n turned into \n)

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()

    @property
    def plain(self) -> str:
        return ANSI.sub("", self.output)


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    out.update(TERM="xterm-256color", **extra)
    return out


def on_terminal(args: list[str], *, columns: int = 80, input: bytes | None = None, **extra: str) -> Run:
    """`python -m llmkb ARGS` with stdout and stderr on a pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "llmkb", *args],
        stdin=subprocess.PIPE if input is not None else slave,
        stdout=slave,
        stderr=slave,
        env=env(**extra),
        close_fds=True,
    )
    os.close(slave)
    if input is not None:
        proc.stdin.write(input)
        proc.stdin.close()
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = proc.wait()
    return Run(code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))


def in_pipe(args: list[str], *, input: str | None = None, **extra: str) -> subprocess.CompletedProcess:
    """`python -m llmkb ARGS` with stdout and stderr captured (pipes), as in a shell pipeline."""
    return subprocess.run(
        [sys.executable, "-m", "llmkb", *args],
        input=input,
        capture_output=True,
        text=True,
        env=env(**extra),
        check=False,
    )
