"""Start-up cost of read commands against the floor every Typer CLI pays.

Runs, alternating in one loop so machine noise hits both sides alike:
  - `llmkb search pruning` on a copy of the seed database vs. a minimal two-command Typer app that only
    prints its argument;
  - `llmkb --help` vs. the minimal app's `--help`.
Prints median wall times and their ratios. Targets: search <= 1.3x, --help <= 1.15x.

Usage: python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_APP = """
import typer

app = typer.Typer()


@app.command()
def search(query: str) -> None:
    print(query)


@app.command()
def show(item: str) -> None:
    print(item)


app()
"""


def _time(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    # An installed wheel ships compiled modules; an editable checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile every module on every run and measure the compiler.
    compileall.compile_dir(ROOT / "src" / "llmkb", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
        minimal = Path(tmp) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        env = {**os.environ, "LLMKB_DB": str(db)}
        py = sys.executable
        pairs = {
            "search": ([py, "-m", "llmkb", "search", "pruning"], [py, str(minimal), "search", "pruning"]),
            "--help": ([py, "-m", "llmkb", "--help"], [py, str(minimal), "--help"]),
        }
        for ours, floor in pairs.values():  # warm the OS caches
            _time(ours, env)
            _time(floor, env)
        times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in pairs}
        for _ in range(args.runs):
            for name, (ours, floor) in pairs.items():
                times[name][0].append(_time(ours, env))
                times[name][1].append(_time(floor, env))
    targets = {"search": 1.3, "--help": 1.15}
    for name, (ours, floor) in times.items():
        a, b = statistics.median(ours), statistics.median(floor)
        verdict = "ok" if a / b <= targets[name] else "OVER TARGET"
        print(
            f"llmkb {name:<7} median {a * 1000:6.1f} ms | minimal Typer app {b * 1000:6.1f} ms | "
            f"ratio {a / b:.2f} (target <= {targets[name]}) {verdict}"
        )


if __name__ == "__main__":
    main()
