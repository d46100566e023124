"""Papers stored per second by `llmkb import`, end to end, from a local arXiv stand-in with delay 0.

Target: at least 1,000 papers/s for 1,000 and for 10,000 IDs. Each run imports into a new database
(creation and migration included) through the service the CLI uses: ID parsing, batched HTTP requests,
Atom parsing, one transaction per batch.

    python benchmarks/import_speed.py [--sizes 1000 10000]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from arxiv_server import FakeArxiv, FakePaper  # noqa: E402

TARGET = 1000.0


def paper(index: int) -> FakePaper:
    arxiv_id = f"2401.{index:05d}"
    return FakePaper(
        arxiv_id,
        version=1 + index % 3,
        title=f"Scaling Sparse Attention for Large Language Models, Study {index}",
        summary="We study efficient large language models and their pruning. " * 15,
        authors=[f"Author {index % 311}", "Xin Men", "Mingyu Xu", "Zoë van der Berg"],
        categories=["cs.CL", "cs.LG"],
        comment="12 pages, 4 figures",
    )


def run(size: int) -> float:
    from llmkb.arxiv.importer import import_ids

    server = FakeArxiv().start()
    try:
        server.add(*(paper(i) for i in range(1, size + 1)))
        os.environ.update(LLMKB_ARXIV_URL=server.url, LLMKB_ARXIV_DELAY="0")
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.sqlite"
            ids = [f"2401.{i:05d}" for i in range(1, size + 1)]
            start = time.perf_counter()
            summary = import_ids(db, ids)
            elapsed = time.perf_counter() - start
        assert len(summary.added) == size and summary.ok, summary.as_dict()
        assert server.request_count == -(-size // 100)
    finally:
        server.stop()
    return size / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    ok = True
    for size in args.sizes:
        rate = run(size)
        verdict = "ok" if rate >= TARGET else "SLOW"
        ok &= rate >= TARGET
        print(f"{size:>7} IDs  {rate:8.0f} papers/s  (target {TARGET:.0f})  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
