"""Tab completion, end to end, on the 100k-paper knowledge base of `benchmarks/scale.py`, against the floor.

Each completion is what bash runs on Tab: `llmkb` with `_LLMKB_COMPLETE=complete_bash`, `COMP_WORDS` and
`COMP_CWORD` set, answering with candidates from the database (commands, tag, dataset and model names, paper
IDs). Every run follows a run of the floor, the bare two-command Typer app `scale.py` uses, so noise hits both
alike. Prints the median, the ratio to the floor's median and the number of candidates.

Target: well under 150 ms where the floor is ~124 ms, i.e. <= 1.2x the floor: Tab must cost no more than
starting any Typer program. The knowledge base is built by `scale.py` (cached, ~1 min at 100k) when absent.

Usage: python benchmarks/completion.py [--size 100000] [--runs 11]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
from pathlib import Path

import scale

COMPLETIONS = [
    ("a command", "llmkb se"),
    ("tag names", "llmkb search -t model"),
    ("dataset names", "llmkb xref -d P"),
    ("model names", "llmkb xref -m LLaMA"),
    ("paper IDs", "llmkb show 1901.0"),
    ("subcommand", "llmkb tag r"),
]
TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--cache", default=None)
    args = parser.parse_args()
    compileall.compile_dir(scale.ROOT / "src" / "llmkb", quiet=1)
    db, _record = scale.ensure_kb(
        args.size, scale.cache_root(args.cache), None, rebuild=False, keep_list=False, timeout=4 * 3600
    )
    with tempfile.TemporaryDirectory() as tmp:
        floor_app = Path(tmp) / "minimal_app.py"
        floor_app.write_text(scale.MINIMAL_APP, encoding="utf-8")
        floor_cmd = [sys.executable, str(floor_app), "search", "pruning"]
        base = scale.bench_env()
        for label, line in COMPLETIONS:
            env = {
                **base,
                "LLMKB_DB": str(db),
                "_LLMKB_COMPLETE": "complete_bash",
                "COMP_WORDS": line,
                "COMP_CWORD": str(len(line.split()) - 1),
            }
            ours_cmd = [sys.executable, "-m", "llmkb"]
            scale.run_child(ours_cmd, env)  # warm the page cache
            ours, floor = [], []
            for _ in range(args.runs):
                floor.append(scale.run_child(floor_cmd, base).wall)
                run = scale.run_child(ours_cmd, env)
                if not run.ok:
                    sys.exit(f"{line!r}: exit {run.exit}: {run.stderr_first}")
                ours.append(run.wall)
            a, b = statistics.median(ours), statistics.median(floor)
            verdict = "ok" if a / b <= TARGET else "OVER TARGET"
            print(
                f"{label:<14} {line!r:<26} {run.stdout_lines:3d} candidates  median {a * 1000:6.1f} ms | "
                f"floor {b * 1000:6.1f} ms | ratio {a / b:.2f} (target <= {TARGET}) {verdict}"
            )


if __name__ == "__main__":
    main()
