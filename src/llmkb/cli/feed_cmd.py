"""`llmkb feed` (what the watches found, by day and relevance) and `llmkb triage` (deciding on it).

Triage on a terminal reads single keys (cbreak mode: no Enter, no echo) and draws one paper at a time with
rich; each decision is written the moment its key is pressed, so quitting or a closed terminal loses
nothing decided. Ctrl-C arrives as a key (the terminal's signal keys are off during the walk) and quits like
q: a signal could land in the middle of a decision's transaction, a key cannot. Without a terminal,
triage takes the decisions as options.
"""

from __future__ import annotations

import codecs
import os
import re
import sys

import typer

from llmkb.cli import filter_options as opt
from llmkb.cli.common import err, open_kb, out_console
from llmkb.cli.output import Format
from llmkb.errors import UsageError

NAMES = typer.Argument(None, metavar="NAME", help="Only what these watches found (default: every watch).")
SINCE = typer.Option(
    None, "--since", metavar="DATE", help="Only papers found since DATE: YYYY-MM-DD, YYYY-MM, Nd, today, yesterday."
)


def feed(
    ctx: typer.Context,
    names: list[str] = NAMES,
    since: str = SINCE,
    limit: int = opt.LIMIT,
    every: bool = opt.ALL,
    fmt: Format = opt.FORMAT,
) -> None:
    """Papers the watches found that are not decided yet: newest day first, most relevant first in a day.

    Into a pipe the rows are tab-separated: ID, day found, submitted, found by, title, tags.

    Examples:

    $ llmkb feed
    $ llmkb feed kv-cache --since 2026-11-28
    $ llmkb feed -f ids | llmkb mark - to-read
    """
    with open_kb(ctx) as kb:
        entries = kb.feed(names or (), since=since, limit=None if every else limit)
    from llmkb.cli import output, render

    records = render.public([record for _item, record in entries])
    for (item, _record), data in zip(entries, records, strict=True):
        data.update(found_at=item.found_at, found_by=item.watches, relevance=round(item.relevance, 3))
    rows = output.Rows(
        [
            output.Column("ID", wrap=False, style="cyan"),
            output.Column("Found", wrap=False),
            output.Column("Submitted", wrap=False),
            output.Column("Found by", ratio=1, style="magenta"),
            output.Column("Title", ratio=3),
            output.Column("Tags", ratio=1, style="green"),
        ],
        [
            [r["id"], item.day, r.get("published") or "", list(item.watches), r["title"], sorted(r["tags"])]
            for item, r in entries
        ],
    )
    empty = "Nothing new in the feed." + ("" if since else " Run the watches with: llmkb watch run")
    output.emit(rows, fmt, data=lambda: records, items=lambda: records, empty=empty)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- triage ---------------------------------------------------------------------------------------------


def _split_ids(values: list[str] | None) -> list[str]:
    """Repeatable ID options that may also hold several IDs (comma or space separated), or `-` for stdin."""
    from llmkb.cli.reading_cmd import expand_ids

    out: list[str] = []
    for value in values or []:
        out.extend(expand_ids([part for part in re.split(r"[,\s]+", value) if part]))
    return out


def triage(
    ctx: typer.Context,
    names: list[str] = NAMES,
    since: str = SINCE,
    keep: list[str] = typer.Option(
        None,
        "--keep",
        metavar="ID",
        help="Keep these papers (to-read), without a terminal (repeatable; - reads stdin).",
    ),
    dismiss: list[str] = typer.Option(
        None,
        "--dismiss",
        metavar="ID",
        help="Dismiss these papers for the watches that found them (repeatable).",
    ),
    tag: list[str] = typer.Option(None, "--tag", "-t", metavar="TAG", help="Tag the papers kept with --keep."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json (for --keep/--dismiss)."),
) -> None:
    """Walk the feed one paper at a time: k keep, s skip (dismiss), t tag, o open, n later, q quit.

    Without a terminal, say what to do with --keep and --dismiss.

    Examples:

    $ llmkb triage
    $ llmkb triage kv-cache
    $ llmkb triage --keep 2611.01234 --dismiss 2611.04321 -t to-cite
    """
    if fmt not in ("text", "json"):
        raise UsageError(f"--format takes text or json, not {fmt!r}")
    keep_ids, dismiss_ids = _split_ids(keep), _split_ids(dismiss)
    if keep or dismiss:
        with open_kb(ctx) as kb:
            done = kb.triage_decide(keep=keep_ids, dismiss=dismiss_ids, watches=names or (), tags=tag or ())
        _print_decisions(done, fmt)
        return
    if tag:
        raise UsageError("--tag applies to the papers kept with --keep")
    if not sys.stdin.isatty():
        raise UsageError(
            "triage reads keys from a terminal and standard input is not one; "
            "decide with --keep ID... --dismiss ID... (llmkb feed lists the IDs)"
        )
    with open_kb(ctx) as kb:
        entries = kb.feed(names or (), since=since)
        if not entries:
            err("Nothing new in the feed." + ("" if since else " Run the watches with: llmkb watch run"))
            return
        _Session(kb, entries, names or ()).walk()


def _print_decisions(done, fmt: str) -> None:
    if fmt == "json":
        from llmkb.cli.render import print_json

        print_json(done.as_dict())
        return
    if done.kept:
        print(f"kept (to-read): {', '.join(done.kept)}" + (f"; tagged {', '.join(done.tags)}" if done.tags else ""))
    if done.already:
        print(f"already to-read, reading or read: {', '.join(done.already)}")
    if done.dismissed:
        print(f"dismissed: {', '.join(done.dismissed)}")


class _Keys:
    """Single keys from a terminal in cbreak mode; an escape sequence (an arrow key) is one key."""

    _SEQUENCE = re.compile(r"\x1b[\[O][0-9;]*[@-~]")

    def __init__(self, fd: int):
        self.fd = fd
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def next(self) -> str:
        while not self.pending:
            data = os.read(self.fd, 64)
            if not data:
                return "\x04"  # the terminal went away: as Ctrl-D
            self.pending += self.decoder.decode(data)
        m = self._SEQUENCE.match(self.pending)
        size = m.end() if m else 1
        key, self.pending = self.pending[:size], self.pending[size:]
        return key


class _Session:
    """One walk through the feed on a terminal: the loop around `llmkb.watch.triage.Triage`."""

    def __init__(self, kb, entries, names):
        from llmkb.watch.triage import Triage

        self.kb = kb
        self.entries = entries
        self.names = list(names)
        self.machine = Triage(len(entries))
        self.console = out_console()
        self.message: str | None = None

    def walk(self) -> None:
        try:
            import termios
            import tty
        except ImportError:  # not a POSIX system
            raise UsageError("triage needs a POSIX terminal here; decide with --keep ID... --dismiss ID...") from None

        from llmkb.watch import triage as t

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        keys = _Keys(fd)
        try:
            tty.setcbreak(fd)
            keys_only = termios.tcgetattr(fd)
            keys_only[3] &= ~termios.ISIG  # Ctrl-C, Ctrl-Z, Ctrl-\ come in as keys
            termios.tcsetattr(fd, termios.TCSADRAIN, keys_only)
            while not self.machine.done:
                item, record = self.entries[self.machine.position]
                self._draw(item, record)
                key = keys.next()
                effect = self.machine.press(key)
                self.message = None
                if effect.action == t.KEEP:
                    self.kb.triage_decide(keep=[record["id"]])
                elif effect.action == t.DISMISS:
                    self.kb.triage_decide(dismiss=[record["id"]], watches=self.names)
                elif effect.action == t.TAG:
                    self._tag(keys, record)
                elif effect.action == t.OPEN:
                    self._open(fd, saved, record)
                elif effect.action == t.HELP:
                    self.message = "\n".join(t.HELP_TEXT)
                elif effect.action == t.UNKNOWN:
                    self.message = f"{key!r} does nothing here; ? lists the keys"
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        done = self.machine.summary()
        self.console.print(
            f"kept {done['kept']} (to-read), dismissed {done['dismissed']}, {done['left']} left in the feed",
            highlight=False,
        )

    def _draw(self, item, record) -> None:
        from rich.text import Text

        from llmkb.display import authors_text

        position, total = self.machine.position + 1, self.machine.count
        self.console.clear()
        head = Text(f"{position}/{total}  found {item.day} by {', '.join(item.watches)}", style="dim")
        ident = f"{record['id']}  submitted {record.get('published') or '?'}"
        if record["categories"]:
            ident += "  " + ", ".join(record["categories"])
        self.console.print(head)
        self.console.print(Text(ident, style="cyan"))
        self.console.print(Text(_one_line(record["title"]), style="bold"))
        self.console.print(Text(authors_text(record["authors"], most=8)))
        self.console.print()
        self.console.print(Text(_one_line(record.get("abstract") or "(no abstract)")))
        if record["tags"]:
            self.console.print(Text("tags: " + ", ".join(record["tags"]), style="green"))
        self.console.print()
        self.console.print(Text("k keep · s skip · t tag · o open · n later · q quit · ? help", style="bold"))
        if self.message:
            self.console.print(Text(self.message, style="yellow"))

    def _tag(self, keys: _Keys, record) -> None:
        line = self._read_line(keys, "tags (space or comma between them, Enter to save, Esc to cancel): ")
        names = [part for part in re.split(r"[,\s]+", line or "") if part]
        if not names:
            self.message = "no tag given"
            return
        change = self.kb.tag(record["id"], add=names)
        record["tags"] = sorted(set(record["tags"]) | set(change.changed) | set(change.unchanged))
        self.message = f"tagged {', '.join(change.changed) or 'nothing new'}"

    def _read_line(self, keys: _Keys, prompt: str) -> str | None:
        """A line typed in cbreak mode: echoed here, Backspace works, Esc or Ctrl-C cancels."""
        out = sys.stdout
        out.write(prompt)
        out.flush()
        text = ""
        while True:
            key = keys.next()
            if key in ("\r", "\n"):
                out.write("\n")
                return text
            if key in ("\x1b", "\x03", "\x04"):
                return None
            if key in ("\x7f", "\b"):
                if text:
                    text = text[:-1]
                    out.write("\b \b")
            elif len(key) == 1 and key.isprintable():
                text += key
                out.write(key)
            out.flush()

    def _open(self, fd: int, saved, record) -> None:
        import termios
        import webbrowser

        url = record.get("url") or next((link["url"] for link in record["links"]), None)
        if not url:
            self.message = "this paper has no link to open"
            return
        current = termios.tcgetattr(fd)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)  # a text-mode browser needs the terminal as it was
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, current)
        self.message = f"opened {url}" if opened else f"no browser to open it with; the paper is at {url}"
