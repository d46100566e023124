"""How long typical cross-reference queries take on 100,000 papers with 1,000,000 links.

Target: a median of at most 100 ms per query, in process (name resolution, SQL and the rows each view
returns; not the terminal rendering). The database is made by the store's own `connect` (schema, indexes,
FTS triggers) and filled with raw inserts: every vocabulary dataset and model, papers with one to three
tags, six dataset links and four model links per paper (popular benchmarks and models far more often
than rare ones, as in real collections: PIQA is linked by about one paper in five, the most used model
by one in eight), and about 170,000 results. No ANALYZE: user databases have no statistics either.

    python benchmarks/xref_speed.py [--papers N] [--runs R] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path

TARGET_MS = 100.0
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
DATASET_LINKS, MODEL_LINKS, RESULTS_PER_PAPER = 6, 4, 2
DATASET_ROLES = ["evaluation"] * 8 + ["calibration", "fine-tuning"]
SOURCES = ["list", "list", "text", "user"]


def _weights(count: int, flatness: float) -> list[float]:
    """Zipf-like popularity: the first entry is the most used."""
    return list(accumulate(1.0 / (rank + flatness) for rank in range(count)))


def _pick(rng: random.Random, population: int, cumulative: list[float], k: int) -> list[int]:
    picked: dict[int, None] = {}
    while len(picked) < k:
        picked.setdefault(rng.choices(range(population), cum_weights=cumulative, k=1)[0])
    return list(picked)


def build_database(path: Path, papers: int) -> dict[str, int]:
    """A database at the current schema with `papers` papers, their tags, links and results; row counts."""
    from llmkb.store.connection import connect
    from llmkb.vocab.vocabulary import records

    rng = random.Random(11)
    conn = connect(path, create=True)
    try:
        with conn:
            conn.executemany("INSERT INTO tag (name) VALUES (?)", [(tag,) for tag in TAGS])
            conn.execute("INSERT INTO tag_ancestor (tag_id, ancestor_id) SELECT id, id FROM tag")  # flat tags
            conn.executemany(
                "INSERT INTO metric (name, higher_is_better, aliases) VALUES (?, ?, '[]')",
                [(r["name"], r["higher_is_better"]) for r in records("metric")],
            )
            conn.executemany(
                "INSERT INTO dataset (name, task, usual_metric, aliases, resolved) VALUES (?, ?, ?, ?, 1)",
                [(r["name"], r["task"], r["metric"], json.dumps(r["aliases"])) for r in records("dataset")],
            )
            conn.executemany(
                "INSERT INTO model (name, family, size, aliases, resolved) VALUES (?, ?, ?, ?, 1)",
                [(r["name"], r["family"], r["size"], json.dumps(r["aliases"])) for r in records("model")],
            )
            datasets = [row[0] for row in conn.execute("SELECT id FROM dataset ORDER BY id")]
            models = [row[0] for row in conn.execute("SELECT id FROM model ORDER BY id")]
            metric_of = {
                d: m
                for d, m in conn.execute("SELECT d.id, x.id FROM dataset d JOIN metric x ON x.name = d.usual_metric")
            }
            # popularity order: the benchmarks every paper reports first, then the rest of the file's order
            favourites = ["PIQA", "HellaSwag", "WinoGrande", "ARC-e", "ARC-c", "BoolQ", "WikiText-2", "MMLU"]
            by_name = dict(conn.execute("SELECT name, id FROM dataset"))
            datasets = [by_name[n] for n in favourites] + [
                d for d in datasets if d not in {by_name[n] for n in favourites}
            ]
            top_models = [
                m
                for (m,) in conn.execute(
                    "SELECT id FROM model WHERE name IN ('LLaMA-2-7B', 'LLaMA-2-13B', 'Mistral-7B', 'LLaMA-7B', "
                    "'OPT-6.7B', 'LLaMA-3-8B') ORDER BY id"
                )
            ]
            models = top_models + [m for m in models if m not in top_models]
            dataset_weights, model_weights = _weights(len(datasets), 10.0), _weights(len(models), 10.0)

            conn.executemany(
                "INSERT INTO paper (arxiv_id, arxiv_version, title, title_key, authors, published, year, month, "
                "categories, links, sources) VALUES (?, 1, ?, ?, '[\"A. Author\"]', ?, ?, ?, '[\"cs.CL\"]', '[]', "
                "'[\"list:bench.md\"]')",
                (
                    (
                        f"{2018 + i % 8 - 2000:02d}{1 + i % 12:02d}.{i:05d}",
                        f"Paper {i}",
                        f"paper {i}",
                        f"{2018 + i % 8}-{1 + i % 12:02d}-01",
                        2018 + i % 8,
                        1 + i % 12,
                    )
                    for i in range(papers)
                ),
            )
            conn.executemany(
                "INSERT INTO paper_tag (paper_id, tag_id, source) VALUES (?, ?, 'list')",
                (
                    (pid, tag)
                    for pid in range(1, papers + 1)
                    for tag in rng.sample(range(1, len(TAGS) + 1), 1 + pid % 3)
                ),
            )
            dataset_links: list[tuple] = []
            model_links: list[tuple] = []
            results: list[tuple] = []
            for pid in range(1, papers + 1):
                chosen_datasets = [datasets[i] for i in _pick(rng, len(datasets), dataset_weights, DATASET_LINKS)]
                chosen_models = [models[i] for i in _pick(rng, len(models), model_weights, MODEL_LINKS)]
                dataset_links += [(pid, d, rng.choice(DATASET_ROLES), rng.choice(SOURCES)) for d in chosen_datasets]
                model_links += [(pid, m, "uses", rng.choice(SOURCES)) for m in chosen_models]
                for d in chosen_datasets[:RESULTS_PER_PAPER]:
                    if d in metric_of:
                        results.append(
                            (
                                pid,
                                d,
                                rng.choice(chosen_models),
                                metric_of[d],
                                round(rng.uniform(5, 90), 2),
                                rng.choice(["0-shot", "5-shot", None]),
                                "user",
                            )
                        )
            conn.executemany(
                "INSERT INTO paper_dataset (paper_id, dataset_id, role, source) VALUES (?, ?, ?, ?)", dataset_links
            )
            conn.executemany(
                "INSERT INTO paper_model (paper_id, model_id, role, source) VALUES (?, ?, ?, ?)", model_links
            )
            conn.executemany(
                "INSERT INTO result (paper_id, dataset_id, model_id, metric_id, value, setting, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                results,
            )
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("paper", "paper_dataset", "paper_model", "result")
        }
    finally:
        conn.close()
    return counts


def queries():
    """(label, function of a connection returning how many rows the view produced)."""
    from llmkb.query import PaperQuery
    from llmkb.xref.counts import entity_counts
    from llmkb.xref.leaderboard import leaderboard
    from llmkb.xref.matrix import matrix
    from llmkb.xref.papers import xref

    def XrefQuery(*, tags=(), datasets=(), models=(), role=None, source=None, limit=None):  # noqa: N802
        return PaperQuery(
            tags=list(tags), datasets=list(datasets), models=list(models), role=role, link_source=source, limit=limit
        )

    return [
        (
            "xref --tag pruning --dataset PIQA",
            lambda c: len(xref(c, XrefQuery(tags=["pruning"], datasets=["PIQA"])).papers),
        ),
        (
            "xref --tag quantization --dataset wikitext2 --role evaluation",
            lambda c: len(xref(c, XrefQuery(tags=["quantization"], datasets=["wikitext2"], role="evaluation")).papers),
        ),
        ("xref --dataset BoolQ --dataset MMLU", lambda c: len(xref(c, XrefQuery(datasets=["BoolQ", "MMLU"])).papers)),
        (
            "xref --dataset GSM8K --model LLaMA-3-8B",
            lambda c: len(xref(c, XrefQuery(datasets=["GSM8K"], models=["LLaMA-3-8B"])).papers),
        ),
        (
            "xref --model Mistral-7B --source list",
            lambda c: len(xref(c, XrefQuery(models=["Mistral-7B"], source="list")).papers),
        ),
        (
            "xref --tag pruning --dataset PIQA --limit 20",
            lambda c: len(xref(c, XrefQuery(tags=["pruning"], datasets=["PIQA"], limit=20)).papers),
        ),
        (
            "xref matrix --tag moe --dataset MMLU --by model",
            lambda c: len(matrix(c, XrefQuery(tags=["moe"], datasets=["MMLU"]), "model", max_columns=8).papers),
        ),
        ("datasets", lambda c: len(entity_counts(c, "dataset", PaperQuery(limit=None)))),
        (
            "datasets --tag pruning",
            lambda c: len(entity_counts(c, "dataset", PaperQuery(tags=["pruning"], limit=None))),
        ),
        ("models", lambda c: len(entity_counts(c, "model", PaperQuery(limit=None)))),
        ("metrics", lambda c: len(entity_counts(c, "metric", PaperQuery(limit=None)))),
        ("leaderboard PIQA", lambda c: leaderboard(c, "PIQA").total),
        ("leaderboard WikiText-2 --model LLaMA-2-7B", lambda c: leaderboard(c, "WikiText-2", model="LLaMA-2-7B").total),
    ]


def time_queries(db: Path, runs: int) -> bool:
    from llmkb.store.connection import connect

    passed = True
    conn = connect(db)
    try:
        for label, run in queries():
            run(conn)  # warm the page cache and the resolver, as a second command in a session would find them
            times, rows = [], 0
            for _ in range(runs):
                start = time.perf_counter()
                rows = run(conn)
                times.append((time.perf_counter() - start) * 1000)
            median = statistics.median(times)
            ok = median <= TARGET_MS
            passed &= ok
            print(
                f"{label:58} {rows:7} rows  median {median:7.1f} ms  (max {max(times):6.1f})  "
                f"target <= {TARGET_MS:g} ms  ratio {median / TARGET_MS:.2f}  {'ok' if ok else 'SLOW'}"
            )
    finally:
        conn.close()
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database at this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "xref.sqlite"
        if not db.exists():
            start = time.perf_counter()
            counts = build_database(db, args.papers)
            links = counts["paper_dataset"] + counts["paper_model"]
            print(
                f"built {counts['paper']} papers, {links} links ({counts['paper_dataset']} dataset, "
                f"{counts['paper_model']} model), {counts['result']} results in {time.perf_counter() - start:.1f} s"
            )
        passed = time_queries(db, args.runs)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
