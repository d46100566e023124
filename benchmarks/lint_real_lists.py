"""`llmkb lint --offline` on the real awesome lists: wall time per list and the findings per code.

Each list is linted end to end as a user runs it (a child process, `--format json`), three times; the median
wall time is compared with the target of 2 s per list. The table of findings per code is what a curator of
each list would be shown. Skips cleanly when the real lists are absent (they live outside the repository).

    python benchmarks/lint_real_lists.py [--lists DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 2.0


def lists_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("LLMKB_REAL_LISTS"):
        return Path(os.environ["LLMKB_REAL_LISTS"])
    return ROOT.parent / "shared" / "real-lists"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = lists_dir(args.lists)
    files = sorted(p for p in folder.glob("*.md") if p.name != "README.md") if folder.is_dir() else []
    if not files:
        print(f"skipped: no real lists in {folder}")
        return 0
    env = {**os.environ, "LLMKB_OFFLINE": "1"}
    rows, codes = [], Counter()
    slow = False
    for path in files:
        cmd = [sys.executable, "-m", "llmkb", "lint", "--offline", "--format", "json", str(path)]
        walls, out = [], ""
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, env=env)
            walls.append(time.perf_counter() - start)
            out = done.stdout
            if done.returncode not in (0, 1):
                print(f"{path.name}: exit {done.returncode}: {done.stderr.strip()[:200]}")
                return 1
        found = Counter(f["code"] for f in json.loads(out)["findings"])
        codes.update(found)
        median = statistics.median(walls)
        slow |= median > TARGET_S
        rows.append((path.name.split("-")[0], median, found))
    shown = sorted(codes)
    print(f"{'list':<12} {'median s':>8}  " + " ".join(f"{c:>6}" for c in shown))
    for name, median, found in rows:
        verdict = "ok" if median <= TARGET_S else "SLOW"
        print(f"{name:<12} {median:8.2f}  " + " ".join(f"{found.get(c, 0):6d}" for c in shown) + f"  {verdict}")
    print(f"target: <= {TARGET_S:g} s per list offline; {'SLOW' if slow else 'ok'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
