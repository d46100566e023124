"""Rebuild data/seed.sqlite from data/lists/*.txt and data/metadata/papers.jsonl.

Usage: python scripts/build_seed.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_build import build_seed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "seed.sqlite")
    args = parser.parse_args()
    lists = sorted((ROOT / "data" / "lists").glob("*.txt"))
    build = build_seed(lists, ROOT / "data" / "metadata" / "papers.jsonl", args.out)
    for r in build.reports:
        print(
            f"{r.source}: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, "
            f"{r.tags_added} tags, {len(r.warnings)} warnings"
        )
        for w in r.warnings:
            print(f"  warning: {w}")
    print(f"metadata decisions ({len(build.decisions)}):")
    for d in build.decisions:
        print(f"  {d}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
