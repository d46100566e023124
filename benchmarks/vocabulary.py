"""Cost of the vocabulary for a read command: loading, indexing, resolving, finding mentions.

Each measurement runs in a fresh interpreter that has already imported what every read command imports
(typer, rich, sqlite3, json), so only the vocabulary's own cost is counted. Prints medians over the runs.
Target: loading and indexing the whole vocabulary in about 5 ms; mentions in a 1,000-word abstract < 1 ms.

Usage: python benchmarks/vocabulary.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
import typer, rich.console, sqlite3  # already loaded by any read command
t0 = time.perf_counter()
from llmkb.vocab import mentions, names, vocabulary
t1 = time.perf_counter()
import tomllib
t2 = time.perf_counter()
vocabulary.entries("dataset")
t3 = time.perf_counter()
for kind in vocabulary.KINDS:
    names._index(kind)
t4 = time.perf_counter()
names.resolve("model", "LLaMaA2-13B")
t5 = time.perf_counter()
names.resolve("dataset", "PIQQA")
t6 = time.perf_counter()
mentions.find_mentions("")
t7 = time.perf_counter()
sentence = (
    "We prune LLaMA-2-7B and Mistral-7B, score PIQA, HellaSwag, ARC-e and ARC-c zero-shot, and report "
    "perplexity on WikiText2 and C4 after tuning on the cleaned version of Alpaca; the race to larger "
    "models goes on while memory and latency fall by half on one GPU with little loss on MMLU. ")
words = " ".join((sentence.split() * 40)[:1000])
t8 = time.perf_counter()
for _ in range(50):
    mentions.find_mentions(words)
t9 = time.perf_counter()
print(json.dumps({
    "import llmkb.vocab.names/mentions": t1 - t0,
    "import tomllib": t2 - t1,
    "read + parse TOML": t3 - t2,
    "index all kinds": t4 - t3,
    "first normalized resolve": t5 - t4,
    "first fuzzy resolve (imports rapidfuzz)": t6 - t5,
    "mention index": t7 - t6,
    "find_mentions, 1,000 words": (t9 - t8) / 50,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
        for label, seconds in json.loads(out).items():
            samples.setdefault(label, []).append(seconds)
    for label, values in samples.items():
        print(f"{label:42s} {statistics.median(values) * 1000:7.2f} ms")
    load = statistics.median(
        [a + b for a, b in zip(samples["read + parse TOML"], samples["index all kinds"], strict=True)]
    )
    print(f"{'load + index, whole vocabulary':42s} {load * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
