"""How long `llmkb export` takes per format for 10,000 papers, and its peak memory for 100,000 in jsonl.

Targets: at most 1 s per format for 10,000 papers (selection + records + writer, in process, output to a
sink that discards it); the jsonl export of 100,000 papers, run as the real command in a child process
with stdout to /dev/null, peaks under 100 MB of resident memory. The databases are made by the store's
own `ensure_current` (schema, FTS index and its triggers) and filled with raw inserts of realistic papers:
several authors, an abstract, one to three tags, code links, notes, venues, some papers without arXiv ID.

Linux starts a child's ru_maxrss at the RSS of the process that spawned it, so the large database is
built in a child of its own and measured while this process is still small (standard library only); the
in-process timings, which load llmkb, come after.

    python benchmarks/export_speed.py [--papers N] [--stream-papers M]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_TARGET_S = 1.0
MEMORY_TARGET_MB = 100.0
TAGS = [
    "model-compression/pruning",
    "model-compression/quantization",
    "model-compression/distillation",
    "efficient-decoding/speculative",
    "peft/lora",
    "peft/adapters",
    "rag",
    "rag/retrieval",
    "reasoning/cot",
    "moe",
    "long-context",
    "evaluation/benchmarks",
    "alignment/rlhf",
    "agents",
    "multimodal/vlm",
]
VENUES = [None, None, "NeurIPS", "ICLR", "ICML", "ACL", "ACL Findings", "EMNLP", "NAACL", "arXiv"]
WORDS = [
    "language",
    "model",
    "models",
    "large",
    "sparse",
    "pruning",
    "quantization",
    "distillation",
    "layer",
    "layers",
    "attention",
    "head",
    "heads",
    "token",
    "tokens",
    "decoding",
    "speculative",
    "retrieval",
    "augmented",
    "generation",
    "reasoning",
    "chain",
    "thought",
    "benchmark",
    "evaluation",
    "alignment",
    "preference",
    "reward",
    "policy",
    "mixture",
    "experts",
    "routing",
    "context",
    "window",
    "length",
    "memory",
    "efficient",
    "inference",
    "training",
    "fine-tuning",
    "adapter",
    "low-rank",
    "parameter",
    "calibration",
    "outlier",
    "activation",
    "weight",
    "compression",
    "accuracy",
    "perplexity",
    "throughput",
    "latency",
    "hardware",
    "kernel",
    "cache",
]
FIRST = ["Xin", "Mingyu", "Saleh", "Elias", "Geoffrey", "Zoë", "José", "Yaniv", "Wei", "Hannah", "Ravi", "Li"]
LAST = [
    "Men",
    "Xu",
    "Ashkboos",
    "Frantar",
    "Hinton",
    "van der Berg",
    "Ramírez",
    "Leviathan",
    "Zhang",
    "Müller",
    "Patel",
    "Wang",
    "Kim",
    "Dubois",
]


class NullSink(io.TextIOBase):
    """Counts what it is given and keeps nothing."""

    def __init__(self) -> None:
        self.chars = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _paper_row(index: int, rng: random.Random) -> tuple:
    year = 2018 + index % 8
    month = 1 + index % 12
    arxiv_id = f"{year % 100:02d}{month:02d}.{index % 100000:05d}" if index % 10 else None
    title_words = rng.sample(WORDS, 8)
    title = f"{title_words[0].capitalize()}GPT: " + " ".join(title_words[1:]).capitalize() + f" ({index})"
    abstract = " ".join(rng.choices(WORDS, k=150)).capitalize() + "."
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}{index % 97}" for _ in range(rng.randint(1, 12))]
    links = [{"kind": "code", "url": f"https://github.com/example/repo{index}"}] if index % 2 else []
    if not arxiv_id:
        links.insert(0, {"kind": "pdf", "url": f"https://example.org/papers/{index}.pdf"})
    published = f"{year}-{month:02d}-{1 + index % 28:02d}" if arxiv_id else None
    note = "Removes *whole* layers; see [appendix] | 2x faster" if index % 3 == 0 else None
    return (
        arxiv_id,
        1 if arxiv_id else None,
        title,
        title.casefold(),
        abstract,
        json.dumps(authors, ensure_ascii=False),
        published,
        published,
        "cs.CL" if arxiv_id else None,
        json.dumps(["cs.CL", "cs.LG"] if arxiv_id else []),
        VENUES[index % len(VENUES)],
        year,
        month,
        note,
        json.dumps(links),
        json.dumps(["list:bench.md"]),
    )


def build_database(path: Path, papers: int) -> None:
    """A database at the current schema holding `papers` realistic papers with tags."""
    from llmkb.store.connection import ensure_current

    rng = random.Random(7)
    conn = ensure_current(path)
    try:
        with conn:
            conn.executemany("INSERT INTO tag (name) VALUES (?)", [(tag,) for tag in TAGS])
            conn.executemany(
                "INSERT INTO paper (arxiv_id, arxiv_version, title, title_key, abstract, authors, published, "
                "updated, primary_category, categories, venue, year, month, note, links, sources) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_paper_row(index, rng) for index in range(papers)),
            )
            conn.executemany(
                "INSERT INTO paper_tag (paper_id, tag_id, source) VALUES (?, ?, 'list')",
                (
                    (paper_id, tag_id)
                    for paper_id in range(1, papers + 1)
                    for tag_id in rng.sample(range(1, len(TAGS) + 1), 1 + paper_id % 3)
                ),
            )
    finally:
        conn.close()


def time_formats(db: Path, papers: int) -> bool:
    from llmkb.export.write import FORMATS, ExportOptions, write_export
    from llmkb.query import PaperQuery
    from llmkb.search import select
    from llmkb.store.connection import connect

    passed = True
    conn = connect(db)
    try:
        runs = [(fmt, None) for fmt in FORMATS] + [("jsonl", "pruning layers")]
        for fmt, query in runs:
            sink = NullSink()
            start = time.perf_counter()
            selection = select(conn, PaperQuery(text=query, limit=None))
            count = write_export(conn, fmt, selection.ids, sink, ExportOptions())
            seconds = time.perf_counter() - start
            ok = seconds <= TIME_TARGET_S and count > 0 and (query or count == papers)
            passed &= bool(ok)
            label = f"{fmt} {query!r}" if query else fmt
            print(
                f"{label:24} {count:6} papers  {seconds:.3f} s  ({sink.chars / 1e6:.1f} M chars)  "
                f"target <= {TIME_TARGET_S:g} s  ratio {seconds / TIME_TARGET_S:.2f}  {'ok' if ok else 'SLOW'}"
            )
    finally:
        conn.close()
    return passed


def _child_peak_rss_mb(args: list[str]) -> tuple[float, float, int]:
    """Run the command with stdout discarded; (peak RSS in MB, seconds, exit code) of that child alone."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, stdout=devnull, stderr=errors)
        _pid, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, not all children's
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    divisor = 2**20 if sys.platform == "darwin" else 2**10
    return usage.ru_maxrss / divisor, time.perf_counter() - start, code


def jsonl_peak_memory(db: Path, papers: int) -> bool:
    command = [sys.executable, "-m", "llmkb", "--db", str(db), "export", "jsonl"]
    baseline_mb, _, _ = _child_peak_rss_mb([*command, "-t", "no-such-tag"])
    peak_mb, seconds, code = _child_peak_rss_mb(command)
    ok = code == 0 and peak_mb < MEMORY_TARGET_MB
    print(
        f"{'jsonl (subprocess)':24} {papers:6} papers  {seconds:.2f} s  peak RSS {peak_mb:.1f} MB "
        f"(empty export: {baseline_mb:.1f} MB)  target < {MEMORY_TARGET_MB:g} MB  "
        f"ratio {peak_mb / MEMORY_TARGET_MB:.2f}  {'ok' if ok else 'TOO MUCH'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--stream-papers", type=int, default=100_000)
    parser.add_argument("--build-only", metavar="PATH", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build_database(args.build_only, args.papers)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder) / "small.sqlite", Path(folder) / "large.sqlite"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--build-only", str(large), "--papers", str(args.stream_papers)],
            check=True,
        )
        print(f"built a {args.stream_papers}-paper database in {time.perf_counter() - start:.1f} s")
        streamed = jsonl_peak_memory(large, args.stream_papers)
        start = time.perf_counter()
        build_database(small, args.papers)
        print(f"built a {args.papers}-paper database in {time.perf_counter() - start:.1f} s")
        timed = time_formats(small, args.papers)
    return 0 if timed and streamed else 1


if __name__ == "__main__":
    raise SystemExit(main())
