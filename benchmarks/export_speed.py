"""How long each export format takes for 10,000 papers, and the peak memory of jsonl for 100,000.

Targets: at most 1 s per format; jsonl over a generator of 100,000 papers peaks under 100 MB. Records are
synthetic (made in memory, shaped like the store's paper records) and output goes to a sink that discards
it, so the numbers measure the writers alone.

    python benchmarks/export_speed.py [--papers N] [--stream-papers M]
"""

import argparse
import io
import time
import tracemalloc
from collections.abc import Iterator

from llmkb.export import write_bibtex, write_csv, write_json, write_jsonl, write_markdown

TIME_TARGET_S = 1.0
MEMORY_TARGET_MB = 100.0
TAGS = ["model-compression/pruning", "model-compression/quantization", "peft", "rag", "reasoning/cot", "moe"]
VENUES = [None, "NeurIPS", "ICLR", "ACL Findings", "EMNLP", "ICML"]


class NullSink(io.TextIOBase):
    """Counts what it is given and keeps nothing."""

    def __init__(self) -> None:
        self.chars = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def synthetic_record(index: int) -> dict:
    year = 2018 + index % 8
    month = 1 + index % 12
    arxiv_id = f"{year % 100:02d}{month:02d}.{index % 100000:05d}" if index % 10 else None
    return {
        "id": arxiv_id or f"kb-{index}",
        "arxiv_id": arxiv_id,
        "version": 1,
        "title": f"Paper {index}: Scaling LoRA & Pruning for Large_Language Models | Study {index % 97}",
        "short_name": None,
        "abstract": "We study efficient large language models. " * 20,
        "authors": [f"Author{index % 311} Ramírez", f"Zoë van der Berg{index % 7}", "Xin Men", "Mingyu Xu"],
        "published": f"{year}-{month:02d}-{1 + index % 28:02d}",
        "updated": None,
        "primary_category": "cs.CL",
        "categories": ["cs.CL", "cs.LG"],
        "comment": "12 pages",
        "journal_ref": "TACL 2023" if index % 13 == 0 else None,
        "doi": None,
        "venue": VENUES[index % len(VENUES)],
        "year": year,
        "month": month,
        "note": "Removes *whole* layers; see [appendix]" if index % 3 == 0 else None,
        "links": [{"kind": "code", "url": f"https://github.com/example/repo{index}"}] if index % 2 else [],
        "sources": ["seed"],
        "tags": [TAGS[index % len(TAGS)], TAGS[(index * 7) % len(TAGS)]] if index % 5 else [],
        "url": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        "datasets": [{"name": "MMLU", "role": "eval", "source": "user"}],
        "models": [{"name": "LLaMA-2-7B", "role": "eval", "source": "user"}],
    }


def records(count: int) -> Iterator[dict]:
    return (synthetic_record(index) for index in range(count))


def time_writers(papers: int) -> bool:
    data = list(records(papers))
    writers = {
        "md": write_markdown,
        "bib": write_bibtex,
        "csv": write_csv,
        "json": write_json,
        "jsonl": write_jsonl,
    }
    passed = True
    for name, writer in writers.items():
        sink = NullSink()
        start = time.perf_counter()
        count = writer(iter(data), sink)
        seconds = time.perf_counter() - start
        ok = seconds <= TIME_TARGET_S and count == papers
        passed &= ok
        print(
            f"{name:6} {papers} papers  {seconds:.3f} s  ({sink.chars / 1e6:.1f} M chars)  "
            f"target <= {TIME_TARGET_S:g} s  {'ok' if ok else 'SLOW'}"
        )
    return passed


def jsonl_peak_memory(papers: int) -> bool:
    tracemalloc.start()
    start = time.perf_counter()
    count = write_jsonl(records(papers), NullSink())
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20
    ok = peak_mb < MEMORY_TARGET_MB and count == papers
    print(
        f"jsonl  {papers} papers streamed  peak {peak_mb:.2f} MB  ({seconds:.2f} s under tracemalloc)  "
        f"target < {MEMORY_TARGET_MB:g} MB  {'ok' if ok else 'TOO MUCH'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--stream-papers", type=int, default=100_000)
    args = parser.parse_args()
    timed = time_writers(args.papers)
    streamed = jsonl_peak_memory(args.stream_papers)
    return 0 if timed and streamed else 1


if __name__ == "__main__":
    raise SystemExit(main())
