"""lint stays fast on big lists: heading typos are looked up per word length, never heading against heading."""

from __future__ import annotations

import random
import string
import time

from llmkb.lint import lint_texts


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10)))


def test_five_thousand_headings_lint_in_seconds_and_a_typo_among_them_is_found():
    rng = random.Random(7)
    lines = ["# Big list", ""]
    for i in range(5000):
        lines.append(f"### {_word(rng).capitalize()} {_word(rng)} {i}")
        title = " ".join([_word(rng).capitalize(), _word(rng), _word(rng), "efficient", _word(rng)])
        lines.append(f"- [{title}](https://arxiv.org/abs/2401.{i + 1:05d})")
    lines += ["### Effiicient methods", "- [A Title Of Four Words](https://arxiv.org/abs/2402.00001)"]
    started = time.perf_counter()
    report = lint_texts([("big.md", "\n".join(lines) + "\n")])
    elapsed = time.perf_counter() - started
    assert [(f.code, f.line) for f in report.findings if f.code == "LK405"] == [("LK405", len(lines) - 1)]
    assert elapsed < 10, f"{elapsed:.1f} s"  # about 1.5 s here; a quadratic comparison would take minutes
