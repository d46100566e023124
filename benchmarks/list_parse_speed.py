"""How long `parse_awesome_list` takes for a 5,000-item list, in the two most common layouts.

Target: under 1 s each (bullets with venue tags and code links; a table with author lines and badges).
The lists are synthetic but shaped like real awesome lists; only the parse is timed.

    python benchmarks/list_parse_speed.py [--items N]
"""

import argparse
import sys
import time

from llmkb.awesome_list import parse_awesome_list

TARGET_S = 1.0


def bullet_list(items: int) -> str:
    lines = ["# Awesome Efficient LLM", ""]
    for n in range(1, items + 1):
        if n % 100 == 1:
            lines += [f"## Section {n // 100}", "### Methods"]
        lines.append(
            f"- [ICML 2023] [Paper Title Number {n}: A Study](https://arxiv.org/abs/2301.{n:05d}) - "
            f"a note about it. [Code](https://github.com/a/b{n})"
        )
    return "\n".join(lines)


def table_list(items: int) -> str:
    lines = ["# Awesome Reasoning", "", "| Title | Venue | Code |", "|---|---|---|"]
    for n in range(1, items + 1):
        lines.append(
            f"| [Paper {n} About Reasoning](https://arxiv.org/abs/2301.{n:05d})<br>Ann Lee, Bo Chen | "
            f"![Conference](https://img.shields.io/badge/Conference-ICLR'24-blue) | "
            f"[Code](https://github.com/x/{n}) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    ok = True
    for name, make in (("bullets", bullet_list), ("table", table_list)):
        text = make(args.items)
        start = time.perf_counter()
        parsed = parse_awesome_list(text)
        elapsed = time.perf_counter() - start
        assert len(parsed.entries) == args.items, len(parsed.entries)
        verdict = "ok" if elapsed < TARGET_S else "SLOW"
        ok &= elapsed < TARGET_S
        print(f"{name:>8}  {args.items} items  {elapsed:6.3f} s  (target {TARGET_S:.1f} s)  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
