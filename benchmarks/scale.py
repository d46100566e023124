"""Every read command of llmkb, end to end, on knowledge bases of 10k, 100k and 1M papers, against the floor.

For each size a synthetic awesome list (`scale_corpus.py`: real vocabulary, authors, summaries naming
datasets and models, topic headings as tags) is imported with `llmkb import-list`, plus a results CSV with
`llmkb import-results`; the knowledge base is cached between runs. Then each command runs as a child
process, `python -m llmkb --db KB ...` with its output into a pipe (read and thrown away), `--runs` times,
each run right after a run of the floor: a bare two-command Typer app run by the same Python, the cost
every Typer CLI pays. Wall time and peak RSS (wait4) are taken per run. Printed per size: median, min, max,
ratio of the medians to the floor's, peak MiB, the target and the verdict; the import's time and memory
(from the build record); `export jsonl` against `sqlite3 -json` on the same paper columns.

Targets (from the issue): every read <= 2.0x the floor at 1M and <= 1.5x at 100k, peak <= 100 MiB at 1M;
import-list of 1M papers <= 10 min and <= 500 MiB; export jsonl of 1M <= 2x sqlite3 -json, <= 100 MiB.

    python benchmarks/scale.py [--sizes 10000,100000,1000000] [--runs 7] [--markdown] [--json OUT]
    python benchmarks/scale.py --report OUT --markdown     # the same tables again, from a saved run

Knowledge bases live in $LLMKB_BENCH_CACHE (default ~/.cache/llmkb-bench/), one folder per size and
generator/schema key; `--rebuild` makes them anew. The harness uses the standard library only and never
imports llmkb: Linux starts a child's peak RSS at its parent's, so the parent stays small (the corpus is
written by a child too). Its own peak is printed; no child's peak can read lower.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = Path(__file__).resolve().parent / "scale_corpus.py"
MIGRATIONS = ROOT / "migrations" / "versions"
DEFAULT_SIZES = "10000,100000,1000000"

READ_TARGETS = {100_000: 1.5, 1_000_000: 2.0}  # ratio to the floor's median; no target at other sizes
READ_MEMORY_MIB = {1_000_000: 100.0}
EXPORT_VS_SQLITE = {1_000_000: 2.0}
EXPORT_MEMORY_MIB = {1_000_000: 100.0}
IMPORT_TARGETS = {1_000_000: (600.0, 500.0)}  # seconds, MiB

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

# Fallback for `sqlite3 -json` when the binary is absent: the same rows as a JSON array, by Python's module.
PY_SQLITE_JSON = """
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
cur = conn.execute(sys.argv[2])
names = [d[0] for d in cur.description]
out = sys.stdout
out.write("[")
first = True
for row in cur:
    out.write(("" if first else ",\\n") + json.dumps(dict(zip(names, row)), ensure_ascii=False))
    first = False
out.write("]\\n")
"""


# --- one child process, timed ----------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    peak_kib: int
    exit: int
    stdout_bytes: int = 0
    stdout_lines: int = 0
    stderr_first: str = ""
    stdout_tail: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit == 0 and not self.timed_out


def run_child(cmd: list[str], env: dict[str, str], timeout: float | None = None) -> Run:
    """Run `cmd` with stdout into a pipe that is read and discarded; wall time and peak RSS from wait4."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        size = lines = 0
        tail = b""
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
            tail = (tail + chunk)[-4096:]
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
        proc.stdout.close()
        err.seek(0)
        first = first_error_line(err.read(1 << 16).decode("utf-8", "replace"))
    return Run(
        wall,
        usage.ru_maxrss,
        proc.returncode,
        size,
        lines,
        first,
        tail.decode("utf-8", "replace").strip().splitlines()[-1:][0] if tail.strip() else "",
        timed_out.is_set(),
    )


def first_error_line(stderr: str) -> str:
    """The line of stderr that says what went wrong (Click's "No such option" rather than its usage line)."""
    lines = [ln.strip(" │╭╮╰╯─\t") for ln in stderr.splitlines()]
    lines = [ln for ln in lines if ln and ln != "Error"]  # "Error" alone is the title of Typer's box
    if any(ln.startswith("Traceback") for ln in lines):
        return lines[-1]  # the exception itself
    for ln in lines:
        if re.search(r"error|no such|invalid|missing", ln, re.IGNORECASE) and not ln.startswith("Usage"):
            return ln
    return lines[0] if lines else ""


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LLMKB_DB"}
    env["LLMKB_OFFLINE"] = "1"
    env.setdefault("LLMKB_MAX_LIST_BYTES", "4G")  # a 1M-paper list is ~375 MB; lists are capped at 20 MB otherwise
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def llmkb(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "llmkb", "--db", str(db), *args]


_HELP_CACHE: dict[str, str] = {}


def command_help(*command: str) -> str:
    key = " ".join(command)
    if key not in _HELP_CACHE:
        done = subprocess.run(
            [sys.executable, "-m", "llmkb", *command, "--help"],
            capture_output=True,
            text=True,
            env={**bench_env(), "COLUMNS": "200"},
        )
        _HELP_CACHE[key] = done.stdout
    return _HELP_CACHE[key]


def import_list_command(db: Path, list_path: Path) -> list[str]:
    """The one place the import command line is made: `--offline` once import-list has it."""
    extra = ["--offline"] if "--offline" in command_help("import-list") else []
    return llmkb(db, "import-list", *extra, str(list_path))


def import_results_command(db: Path, csv_path: Path) -> list[str]:
    return llmkb(db, "import-results", str(csv_path))


# --- building and caching knowledge bases ----------------------------------------------------------------


def cache_root(arg: str | None) -> Path:
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("LLMKB_BENCH_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "llmkb-bench"


def generator_version() -> str:
    for line in CORPUS_SCRIPT.read_text(encoding="utf-8").splitlines():
        if line.startswith("GENERATOR_VERSION"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError("GENERATOR_VERSION not found in scale_corpus.py")


def cache_key(seed: int | None) -> str:
    listing = sorted(p.name for p in MIGRATIONS.glob("*.py")) if MIGRATIONS.is_dir() else []
    text = json.dumps({"generator": generator_version(), "seed": seed, "migrations": listing})
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _mib(kib: int) -> float:
    return kib / 1024


def _count(db: Path, sql: str) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def build(size: int, folder: Path, seed: int | None, *, keep_list: bool, timeout: float) -> dict:
    """Generate the list, import it and the results; return the build record (also written as build.json)."""
    work = folder.with_name(folder.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = bench_env()
    db, list_path, results_path, info_path = (
        work / "kb.sqlite",
        work / "list.md",
        work / "results.csv",
        work / "corpus.json",
    )
    say(f"[{size}] generating the list ...")
    gen_cmd = [sys.executable, str(CORPUS_SCRIPT), str(size), str(list_path), str(results_path), str(info_path)]
    if seed is not None:
        gen_cmd += ["--seed", str(seed)]
    gen = run_child(gen_cmd, env)
    if not gen.ok:
        raise RuntimeError(f"corpus generation failed (exit {gen.exit}): {gen.stderr_first}")
    corpus = json.loads(info_path.read_text(encoding="utf-8"))
    say(f"[{size}] list written ({corpus['list_bytes'] / 2**20:.0f} MiB, {gen.wall:.1f} s); import-list ...")
    imp_cmd = import_list_command(db, list_path)
    imp = run_child(imp_cmd, env, timeout)
    say(f"[{size}] import-list: exit {imp.exit}, {imp.wall:.1f} s, peak {_mib(imp.peak_kib):.0f} MiB")
    res = None
    if imp.ok:
        res = run_child(import_results_command(db, results_path), env, timeout)
        say(f"[{size}] import-results: exit {res.exit}, {res.wall:.1f} s, peak {_mib(res.peak_kib):.0f} MiB")
    record = {
        "size": size,
        "key": folder.name,
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "llmkb_commit": git_commit(),
        "python": platform.python_version(),
        "corpus": corpus,
        "generate": {"seconds": gen.wall, "peak_mib": _mib(gen.peak_kib)},
        "import_list": {
            "command": " ".join(imp_cmd[1:]),
            "seconds": imp.wall,
            "peak_mib": _mib(imp.peak_kib),
            "exit": imp.exit,
            "timed_out": imp.timed_out,
            "stderr_first": imp.stderr_first,
            "summary": imp.stdout_tail,
        },
        "import_results": None
        if res is None
        else {
            "rows": corpus["results_rows"],
            "seconds": res.wall,
            "peak_mib": _mib(res.peak_kib),
            "exit": res.exit,
            "stderr_first": res.stderr_first,
            "summary": res.stdout_tail,
        },
        "db_mib": db.stat().st_size / 2**20 if db.exists() else None,
        "papers": _count(db, "SELECT count(*) FROM paper"),
        "results": _count(db, "SELECT count(*) FROM result"),
    }
    if not keep_list:
        list_path.unlink(missing_ok=True)
        results_path.unlink(missing_ok=True)
    (work / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    return record


def ensure_kb(
    size: int, cache: Path, seed: int | None, *, rebuild: bool, keep_list: bool, timeout: float
) -> tuple[Path, dict]:
    folder = cache / f"kb-{size}-{cache_key(seed)}"
    record_path = folder / "build.json"
    if record_path.exists() and (folder / "kb.sqlite").exists() and not rebuild:
        say(f"[{size}] using the cached knowledge base {folder}")
        return folder / "kb.sqlite", json.loads(record_path.read_text(encoding="utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    return folder / "kb.sqlite", build(size, folder, seed, keep_list=keep_list, timeout=timeout)


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
        return done.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


# --- the commands ----------------------------------------------------------------------------------------


@dataclass
class Command:
    label: str
    argv: list[str]
    kind: str = "read"  # read, export, reference
    heavy: bool = False  # runs --heavy-runs times, without an untimed warm-up
    runs: list[Run] = field(default_factory=list)
    failure: str | None = None


def paper_columns() -> str:
    """The columns `export` reads from the paper table, from llmkb itself (in a child: the harness stays small)."""
    done = subprocess.run(
        [sys.executable, "-c", "from llmkb.store.records import PAPER_COLUMNS as c; print(c)"],
        capture_output=True,
        text=True,
        env=bench_env(),
    )
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "*"


def sqlite_json_command(db: Path) -> tuple[str, list[str]]:
    sql = f"SELECT {paper_columns()} FROM paper ORDER BY id"
    binary = shutil.which("sqlite3")
    if binary:
        return "sqlite3 -json (reference)", [binary, "-json", "-readonly", str(db), sql]
    return "python sqlite3 module as JSON (reference; no sqlite3 binary)", [
        sys.executable,
        "-c",
        PY_SQLITE_JSON,
        str(db),
        sql,
    ]


def commands(db: Path, corpus: dict) -> list[Command]:
    ref_label, ref_argv = sqlite_json_command(db)
    return [
        Command("search quantization", llmkb(db, "search", "quantization")),
        Command("search quantisaton (typo)", llmkb(db, "search", "quantisaton")),
        Command("search xylophonic (one hit)", llmkb(db, "search", "xylophonic")),
        Command("search zzzzqqq (no hit)", llmkb(db, "search", "zzzzqqq")),
        Command(f'search --author "{corpus["author"]}"', llmkb(db, "search", "--author", corpus["author"])),
        Command("search --limit 20", llmkb(db, "search", "--limit", "20")),
        Command("search --since 2025", llmkb(db, "search", "--since", "2025")),
        Command("search -t pruning", llmkb(db, "search", "-t", "pruning")),
        Command("show <ID>", llmkb(db, "show", corpus["show_id"])),
        Command("show <fuzzy title>", llmkb(db, "show", corpus["fuzzy_title"])),
        Command("xref --tag pruning --dataset PIQA", llmkb(db, "xref", "--tag", "pruning", "--dataset", "PIQA")),
        Command("tags", llmkb(db, "tags")),
        Command("datasets", llmkb(db, "datasets")),
        Command("models", llmkb(db, "models")),
        Command("leaderboard PIQA", llmkb(db, "leaderboard", "PIQA")),
        Command("export jsonl (all papers)", llmkb(db, "export", "jsonl"), kind="export", heavy=True),
        Command(ref_label, ref_argv, kind="reference", heavy=True),
    ]


def failure_text(run: Run) -> str:
    if run.timed_out:
        return f"failed (timed out after {run.wall:.0f} s)"
    return f"failed (exit {run.exit})" + (f": {run.stderr_first}" if run.stderr_first else "")


def measure(size: int, db: Path, corpus: dict, args: argparse.Namespace, floor_cmd: list[str]) -> dict:
    env = bench_env()
    cmds = [c for c in commands(db, corpus) if not args.only or any(o in c.label for o in args.only)]
    floor: list[Run] = []
    say(f"[{size}] warming up ...")
    run_child(floor_cmd, env, args.timeout)
    for c in cmds:
        if c.heavy:
            continue
        warm = run_child(c.argv, env, args.timeout)
        if not warm.ok:
            c.failure = failure_text(warm)
            c.runs.append(warm)
    for r in range(max(args.runs, args.heavy_runs)):
        say(f"[{size}] round {r + 1}/{max(args.runs, args.heavy_runs)}")
        for c in cmds:
            if c.failure or len(c.runs) >= (args.heavy_runs if c.heavy else args.runs):
                continue
            floor.append(run_child(floor_cmd, env, args.timeout))
            run = run_child(c.argv, env, args.timeout)
            if not run.ok:
                c.failure = failure_text(run)
                c.runs = [run]
                continue
            c.runs.append(run)
    return summarize(size, cmds, floor)


def _stats(runs: list[Run]) -> dict:
    walls = [r.wall for r in runs]
    return {
        "median_ms": statistics.median(walls) * 1000,
        "min_ms": min(walls) * 1000,
        "max_ms": max(walls) * 1000,
        "peak_mib": max(_mib(r.peak_kib) for r in runs),
        "runs": len(runs),
        "out_lines": runs[-1].stdout_lines,
        "out_bytes": runs[-1].stdout_bytes,
    }


def summarize(size: int, cmds: list[Command], floor: list[Run]) -> dict:
    floor_stats = _stats(floor)
    rows = []
    ref = next((c for c in cmds if c.kind == "reference" and not c.failure and c.runs), None)
    ref_median = _stats(ref.runs)["median_ms"] if ref else None
    for c in cmds:
        row: dict = {"command": c.label, "kind": c.kind, "argv": c.argv[1:] if c.argv[0] == sys.executable else c.argv}
        if c.failure or not c.runs:
            row.update(failure=c.failure or "not run", verdict="FAILED")
            rows.append(row)
            continue
        st = _stats(c.runs)
        row.update(st, ratio=st["median_ms"] / floor_stats["median_ms"])
        if c.kind == "read":
            target, mem = READ_TARGETS.get(size), READ_MEMORY_MIB.get(size)
            row["target"] = target
            row["memory_target_mib"] = mem
            slow = target is not None and row["ratio"] > target
            big = mem is not None and st["peak_mib"] > mem
        elif c.kind == "export":
            target, mem = EXPORT_VS_SQLITE.get(size), EXPORT_MEMORY_MIB.get(size)
            row["vs_reference"] = st["median_ms"] / ref_median if ref_median else None
            row["target_vs_reference"] = target
            row["memory_target_mib"] = mem
            slow = target is not None and row["vs_reference"] is not None and row["vs_reference"] > target
            big = mem is not None and st["peak_mib"] > mem
        else:
            slow = big = False
        row["verdict"] = "SLOW+BIG" if slow and big else "SLOW" if slow else "BIG" if big else "ok"
        rows.append(row)
    return {"size": size, "floor": floor_stats, "commands": rows}


# --- printing --------------------------------------------------------------------------------------------


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _target_text(size: int, row: dict) -> str:
    if row.get("kind") == "read":
        parts = []
        if row.get("target"):
            parts.append(f"≤{row['target']:.1f}×")
        if row.get("memory_target_mib"):
            parts.append(f"≤{row['memory_target_mib']:.0f} MiB")
        return ", ".join(parts) or "—"
    if row.get("kind") == "export":
        parts = []
        if row.get("target_vs_reference"):
            parts.append(f"≤{row['target_vs_reference']:.1f}× sqlite3")
        if row.get("memory_target_mib"):
            parts.append(f"≤{row['memory_target_mib']:.0f} MiB")
        return ", ".join(parts) or "—"
    return "(reference)"


def table_rows(result: dict) -> list[list[str]]:
    size = result["size"]
    fl = result["floor"]
    rows = [
        [
            "floor: bare two-command Typer app",
            _ms(fl["median_ms"]),
            _ms(fl["min_ms"]),
            _ms(fl["max_ms"]),
            "1.00",
            f"{fl['peak_mib']:.0f}",
            "",
            "",
            "",
        ]
    ]
    for row in result["commands"]:
        if "failure" in row:
            rows.append([row["command"], row["failure"], "", "", "", "", "", _target_text(size, row), "FAILED"])
            continue
        ratio = f"{row['ratio']:.2f}"
        if row["kind"] == "export" and row.get("vs_reference"):
            ratio += f" ({row['vs_reference']:.2f}× sqlite3)"
        rows.append(
            [
                row["command"],
                _ms(row["median_ms"]),
                _ms(row["min_ms"]),
                _ms(row["max_ms"]),
                ratio,
                f"{row['peak_mib']:.0f}",
                f"{row['out_lines']:,}",
                _target_text(size, row),
                row["verdict"],
            ]
        )
    return rows


HEADER = ["command", "median ms", "min ms", "max ms", "× floor", "peak MiB", "out lines", "target", "verdict"]


def render_table(rows: list[list[str]], *, markdown: bool) -> str:
    if markdown:
        lines = [
            "| " + " | ".join(HEADER) + " |",
            "|" + "|".join("---" if i == 0 else "---:" if i < 7 else "---" for i in range(len(HEADER))) + "|",
        ]
        for r in rows:
            cells = [c.replace("|", "\\|") for c in r]
            if cells[1].startswith("failed"):  # spread the failure over the figure columns
                cells = [cells[0], cells[1], "", "", "", "", "", cells[7], cells[8]]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    widths = [
        max(len(HEADER[i]), *(len(r[i]) for r in rows if not (i == 1 and r[1].startswith("failed"))))
        for i in range(len(HEADER))
    ]
    right = {1, 2, 3, 4, 5, 6}

    def fmt(r: list[str]) -> str:
        if r[1].startswith("failed"):
            return f"{r[0]:<{widths[0]}}  {r[1]}  [{r[7]}] {r[8]}"
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(r))

    return "\n".join([fmt(HEADER), "  ".join("-" * w for w in widths), *map(fmt, rows)])


def build_lines(size: int, record: dict) -> list[str]:
    imp = record["import_list"]
    lines = []
    target = IMPORT_TARGETS.get(size)
    verdict = ""
    if target and imp["exit"] == 0:
        slow, big = imp["seconds"] > target[0], imp["peak_mib"] > target[1]
        verdict = (
            f" (target ≤{target[0] / 60:.0f} min, ≤{target[1]:.0f} MiB: "
            f"{'SLOW+BIG' if slow and big else 'SLOW' if slow else 'BIG' if big else 'ok'})"
        )
    if imp["exit"] != 0:
        lines.append(
            f"import-list: failed (exit {imp['exit']}{', timed out' if imp.get('timed_out') else ''}) "
            f"after {imp['seconds']:.0f} s, peak {imp['peak_mib']:.0f} MiB: {imp['stderr_first']}"
        )
    else:
        rate = size / imp["seconds"] if imp["seconds"] else 0
        lines.append(
            f"import-list: {size:,} papers in {imp['seconds']:.1f} s ({rate:,.0f} papers/s), "
            f"peak {imp['peak_mib']:.0f} MiB{verdict}"
        )
    res = record.get("import_results")
    if res:
        lines.append(
            f"import-results: {res['rows']:,} rows in {res['seconds']:.1f} s, peak {res['peak_mib']:.0f} MiB"
            + ("" if res["exit"] == 0 else f", exit {res['exit']}: {res['stderr_first']}")
        )
    c = record["corpus"]
    papers, results = record.get("papers"), record.get("results")
    lines.append(
        f"knowledge base: {papers if papers is None else f'{papers:,}'} papers, "
        f"{results if results is None else f'{results:,}'} results, "
        f"{record.get('db_mib') or 0:.1f} MiB on disk; list {c['list_bytes'] / 2**20:.1f} MiB "
        f"(generated in {record['generate']['seconds']:.1f} s); built {record['built_at']} "
        f"at {record.get('llmkb_commit')}"
    )
    lines.append(
        f'corpus: --author "{c["author"]}" has {c["author_papers"]} papers; xylophonic is '
        f"{c['one_hit_id']}; {c['since_2025']:,} papers from 2025 on; {c['pruning_papers']:,} under "
        f"Pruning, {c['pruning_piqa']:,} of them naming PIQA"
    )
    return lines


def print_size(size: int, record: dict, result: dict | None, *, markdown: bool) -> None:
    out = sys.stdout
    out.write(f"\n{'### ' if markdown else '== '}{size:,} papers\n\n")
    for line in build_lines(size, record):
        out.write(f"- {line}\n" if markdown else f"{line}\n")
    if result is not None:
        fl = result["floor"]
        out.write(
            f"{'- ' if markdown else ''}floor (bare two-command Typer app, {fl['runs']} runs interleaved): "
            f"median {_ms(fl['median_ms'])} ms\n\n"
        )
        out.write(render_table(table_rows(result), markdown=markdown) + "\n")
        export = next((r for r in result["commands"] if r["kind"] == "export" and "failure" not in r), None)
        if export and export.get("vs_reference"):
            out.write(
                f"\nexport jsonl vs {result['commands'][-1]['command'].split(' (')[0]}: "
                f"{export['vs_reference']:.2f}× the time, {export['peak_mib']:.0f} MiB peak\n"
            )
    out.flush()


# --- main ------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument(
        "--heavy-runs", type=int, default=None, help="timed runs of export jsonl and sqlite3 -json (default: --runs)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only the commands whose label contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--cache", default=None, help="cache folder (default $LLMKB_BENCH_CACHE or ~/.cache/llmkb-bench)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the knowledge bases anew")
    parser.add_argument("--build-only", action="store_true", help="build (or load) and print the build figures")
    parser.add_argument("--keep-list", action="store_true", help="keep the generated list and CSV in the cache")
    parser.add_argument("--seed", type=int, default=None, help="corpus seed (default: the generator's)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per command run (default 900)")
    parser.add_argument(
        "--import-timeout", type=float, default=4 * 3600.0, help="seconds for one import-list (default 4 h)"
    )
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write every figure as JSON")
    parser.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="JSON",
        help="print the tables of a file written by --json, measuring nothing",
    )
    args = parser.parse_args(argv)
    args.heavy_runs = args.runs if args.heavy_runs is None else args.heavy_runs
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        for entry in saved["sizes"]:
            print_size(entry["size"], entry["build"], entry["measure"], markdown=args.markdown)
        return 0
    cache = cache_root(args.cache)
    report: dict = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "llmkb_commit": git_commit(),
        "runs": args.runs,
        "heavy_runs": args.heavy_runs,
        "cache": str(cache),
        "sizes": [],
    }
    failed = False
    # An installed wheel ships compiled modules; with PYTHONDONTWRITEBYTECODE an editable checkout would
    # compile every module on every run, and the ratios would measure the compiler.
    compileall.compile_dir(ROOT / "src" / "llmkb", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        floor_app = Path(tmp) / "minimal_app.py"
        floor_app.write_text(MINIMAL_APP, encoding="utf-8")
        floor_cmd = [sys.executable, str(floor_app), "search", "pruning"]
        for size in args.sizes:
            db, record = ensure_kb(
                size, cache, args.seed, rebuild=args.rebuild, keep_list=args.keep_list, timeout=args.import_timeout
            )
            entry = {"size": size, "build": record, "measure": None}
            report["sizes"].append(entry)
            if record["import_list"]["exit"] != 0 or args.build_only:
                failed |= record["import_list"]["exit"] != 0
                print_size(size, record, None, markdown=args.markdown)
                continue
            entry["measure"] = measure(size, db, record["corpus"], args, floor_cmd)
            print_size(size, record, entry["measure"], markdown=args.markdown)
            failed |= any(r.get("verdict") == "FAILED" for r in entry["measure"]["commands"])
            if args.json:
                args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    harness = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report["harness_peak_mib"] = _mib(harness)
    sys.stdout.write(
        f"\nharness peak RSS {_mib(harness):.0f} MiB (no child's peak can read lower); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, llmkb {report['llmkb_commit']}\n"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
