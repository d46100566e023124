"""`lint --fix`: rewrite only what is certain, atomically, and show the change as a unified diff.

Certain means an ID arXiv itself confirms for the list's title (LK101) and a name the vocabulary spells
otherwise (LK301); nothing that needs judgement (a date, a title wording, an empty section) is touched.
Each edit says what text it replaces; if the file no longer has that text there (edited since it was
read), the edit is skipped, never applied elsewhere. The file is replaced in one rename, keeping its
mode, line endings and byte-order mark, so a reader sees the old list or the new one. Fixing twice changes
nothing the second time, because a fixed list no longer produces the findings.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from llmkb.lint.findings import Edit, Finding

_BOM = "\ufeff"


@dataclass
class FixResult:
    source: str
    diff: str = ""
    applied: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why an edit or the file was left alone
    written: bool = False


def _local_file(source: str) -> bool:
    from llmkb.awesome_list.source import STDIN, is_url

    return source != STDIN and not is_url(source) and os.path.isfile(source)


def apply_edits(text: str, edits: Sequence[tuple[Finding, Edit]]) -> tuple[str, list[Finding], list[str]]:
    """`text` with the edits made (1-based line and column of each), the findings fixed, and why others
    were not."""
    lines = text.splitlines(keepends=True)
    skipped: list[str] = []
    fixed: dict[int, Finding] = {}
    taken: dict[int, list[tuple[int, int]]] = {}
    # right to left within a line, so earlier columns stay valid
    for finding, edit in sorted(edits, key=lambda pair: (pair[1].line, -pair[1].column)):
        if not 1 <= edit.line <= len(lines):
            skipped.append(f"line {edit.line}: no such line")
            continue
        line = lines[edit.line - 1]
        start = edit.column - 1
        end = start + len(edit.old)
        if line[start:end] != edit.old or not edit.old:
            skipped.append(f"line {edit.line}: {edit.old!r} is no longer at column {edit.column}")
            continue
        if any(start < b and a < end for a, b in taken.get(edit.line, [])):
            skipped.append(f"line {edit.line}: two fixes for the same text; only the first was made")
            continue
        lines[edit.line - 1] = line[:start] + edit.new + line[end:]
        taken.setdefault(edit.line, []).append((start, start + len(edit.new)))
        fixed[id(finding)] = finding
    return "".join(lines), list(fixed.values()), skipped


def fix_sources(findings: Sequence[Finding], texts: dict[str, str], *, write: bool) -> list[FixResult]:
    """One result per list with certain fixes; writes the files unless `write` is false."""
    by_source: dict[str, list[tuple[Finding, Edit]]] = {}
    for f in findings:
        if f.edits and f.rule.fixable:
            by_source.setdefault(f.source, []).extend((f, e) for e in f.edits)
    results = []
    for source, edits in by_source.items():
        result = FixResult(source)
        results.append(result)
        bom = ""
        if _local_file(source):
            try:
                with open(source, encoding="utf-8", newline="") as stream:
                    original = stream.read()
            except (OSError, UnicodeDecodeError) as exc:
                result.skipped.append(f"cannot read it again as UTF-8 text: {exc}")
                continue
            if original.startswith(_BOM):
                bom, original = _BOM, original[1:]
        else:
            original = texts.get(source, "")
            if write:
                result.skipped.append("not a file here (a URL or standard input): the diff is all --fix can give")
        new, applied, skipped = apply_edits(original, edits)
        result.applied, result.skipped = applied, result.skipped + skipped
        if new == original:
            continue
        result.diff = "".join(
            difflib.unified_diff(
                original.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{source}",
                tofile=f"b/{source}",
            )
        )
        if result.diff and not result.diff.endswith("\n"):
            result.diff += "\n\\ No newline at end of file\n"
        if write and _local_file(source):
            from llmkb.export.atomic_write import atomic_output

            with atomic_output(source, force=True) as stream:
                stream.write(bom + new)
            result.written = True
    return results
