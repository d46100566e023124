"""Triage as a pure state machine: keys in, effects out; no terminal, no database.

The command line reads a key, asks `Triage.press` what it means, carries out the effect (write the
decision, prompt for tags, open a browser) and draws the current paper again. Keeping the rules here makes
every key's meaning testable without a terminal, and the terminal code a thin loop.

Keys: k keep (to-read), s or d skip (dismiss), t tag, o open in the browser, n or space later (leave it in
the feed), q quit, ? help. Case does not matter; Ctrl-C, Ctrl-D and Escape quit. Every decision is final
for the walk (it is written at once), so there is no going back to change one: `llmkb mark` does that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEEP, DISMISS, TAG, OPEN, LATER, QUIT, HELP, UNKNOWN = (
    "keep",
    "dismiss",
    "tag",
    "open",
    "later",
    "quit",
    "help",
    "unknown",
)

KEYS = {
    "k": KEEP,
    "s": DISMISS,
    "d": DISMISS,
    "t": TAG,
    "o": OPEN,
    "n": LATER,
    " ": LATER,
    "q": QUIT,
    "\x03": QUIT,  # Ctrl-C (the terminal passes it on as a key during triage)
    "\x04": QUIT,  # Ctrl-D
    "\x1b": QUIT,  # Escape
    "?": HELP,
    "h": HELP,
}

HELP_TEXT = (
    "k keep (to-read) · s skip (dismiss) · t tag · o open · n later · q quit · ? help",
    "Skipping dismisses the paper for the watches that found it: they never bring it back.",
)


@dataclass(frozen=True)
class Effect:
    """What a key asks the caller to do; `index` is the paper it concerns (None: none)."""

    action: str
    index: int | None = None


@dataclass
class Triage:
    """Where a walk through `count` papers stands and what was decided on the way."""

    count: int
    position: int = 0
    decisions: dict[int, str] = field(default_factory=dict)  # paper index -> KEEP or DISMISS
    quit: bool = False

    @property
    def done(self) -> bool:
        return self.quit or self.position >= self.count

    @property
    def current(self) -> int | None:
        return None if self.done else self.position

    def press(self, key: str) -> Effect:
        action = KEYS.get(key.lower() if len(key) == 1 else key, UNKNOWN)
        if self.done:
            return Effect(QUIT)
        index = self.position
        if action in (KEEP, DISMISS):
            self.decisions[index] = action
            self.position += 1
        elif action == LATER:
            self.position += 1
        elif action == QUIT:
            self.quit = True
        return Effect(action, index)

    def summary(self) -> dict[str, int]:
        kept = sum(1 for d in self.decisions.values() if d == KEEP)
        dismissed = sum(1 for d in self.decisions.values() if d == DISMISS)
        return {"kept": kept, "dismissed": dismissed, "left": self.count - kept - dismissed}
