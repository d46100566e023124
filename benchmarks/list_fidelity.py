"""How faithfully `llmkb import-list` reads real awesome lists, field by field, against hand-checked gold records.

Each gold file in benchmarks/list_fidelity/gold/ names a real list and holds entries checked by eye against the raw
list text (see benchmarks/list_fidelity/README.md for the field rules). For every gold file whose list is in the lists
folder, the list is imported into a fresh temporary database through the real CLI, the stored records are read back
with `export jsonl`, and each gold entry is matched to a record and scored: arXiv ID, title, authors, venue
(also non-arXiv venues alone), year, code link.

This is a measurement, not a test: it prints the table and exits 0 whatever the numbers.

    python benchmarks/list_fidelity.py [-v] [--list NAME] [--lists DIR] [--gold DIR] [--online] [--check-gold]

--lists: the folder of real lists (default: $LLMKB_REAL_LISTS, else <repo>/../shared/real-lists, else
/work/shared/real-lists). --online: instead of importing offline, run a local arXiv stand-in that answers for every
arXiv ID the list links; titles and authors of arXiv papers are then scored against what it served.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_fidelity_score import TARGETS, Tally, score_list, target_line  # noqa: E402

GOLD = ROOT / "benchmarks" / "list_fidelity" / "gold"
ARXIV_LINK = re.compile(r"arxiv\.org/[^\s)\]\"'>]*?(\d{4}\.\d{4,5})", re.IGNORECASE)
COLUMNS = (
    ("IDs", "ids"),
    ("titles", "titles"),
    ("authors", "authors"),
    ("venues", "venues"),
    ("non-arXiv venues", "nonarxiv_venues"),
    ("years", "years"),
    ("code", "code"),
)
PLACEHOLDER_AUTHORS = ["A. Author", "B. Author"]


def default_lists() -> Path:
    if os.environ.get("LLMKB_REAL_LISTS"):
        return Path(os.environ["LLMKB_REAL_LISTS"])
    beside = ROOT.parent / "shared" / "real-lists"
    return beside if beside.is_dir() else Path("/work/shared/real-lists")


def llmkb(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "llmkb", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def base_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LLMKB_DB", None)
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    return env


def import_and_export(list_file: Path, env: dict[str, str], extra: list[str], tmp: Path) -> tuple[list[dict], str]:
    """Import one list into a new database under tmp; return the exported records and any error text."""
    db = tmp / f"{list_file.stem}.sqlite"
    done = llmkb("--db", str(db), "import-list", str(list_file), *extra, env=env)
    if done.returncode != 0:
        return [], f"import-list exited {done.returncode}: {(done.stderr or done.stdout).strip()[-500:]}"
    out = llmkb("--db", str(db), "export", "jsonl", env=env)
    if out.returncode != 0:
        return [], f"export jsonl exited {out.returncode}: {(out.stderr or out.stdout).strip()[-500:]}"
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()], ""


def published_for(arxiv_id: str) -> str:
    return f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-01T00:00:00Z"


def serve_list(
    server, list_text: str, entries: list[dict], fake_paper
) -> tuple[dict[int, dict], dict[str, tuple[str, list[str]]]]:
    """Load the stand-in with every arXiv ID the list links; return the expected title/authors per gold line
    and what was served per ID."""
    expectations: dict[int, dict] = {}
    served: dict[str, tuple[str, list[str]]] = {}
    for entry in entries:
        if entry.get("arxiv_id"):
            authors = [a for a in entry.get("authors") or [] if a != "et al."] or PLACEHOLDER_AUTHORS
            served[entry["arxiv_id"]] = (entry["title"], authors)
    for arxiv_id in sorted(set(ARXIV_LINK.findall(list_text)) | set(served)):
        title, authors = served.setdefault(arxiv_id, (f"Placeholder paper {arxiv_id}", ["P. Holder"]))
        server.add(fake_paper(id=arxiv_id, title=title, authors=list(authors), published=published_for(arxiv_id)))
    for entry in entries:
        if entry.get("arxiv_id"):
            title, authors = served[entry["arxiv_id"]]
            expectations[entry["line"]] = {"title": title, "authors": authors}
    return expectations, served


def short_name(list_name: str, taken: set[str]) -> str:
    name = list_name.split("-")[0]
    return list_name.rsplit(".", 1)[0] if name in taken else name


def print_table(rows: list[tuple[str, Tally]], total: Tally) -> None:
    header = ["list", "n", "not found", *(title for title, _ in COLUMNS)]
    lines = [[name, str(t.n), str(t.not_found), *(t.cell(key) for _, key in COLUMNS)] for name, t in rows]
    lines.append(["TOTAL", str(total.n), str(total.not_found), *(total.cell(key) for _, key in COLUMNS)])
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(cells))

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for row in lines[:-1]:
        print(fmt(row))
    print("  ".join("-" * w for w in widths))
    print(fmt(lines[-1]))


def print_misses(total: Tally) -> None:
    print()
    print(f"misses ({len(total.misses)}):")
    for miss in total.misses:
        expected = json.dumps(miss.expected, ensure_ascii=False)
        stored = miss.stored if miss.stored == "(not found)" else json.dumps(miss.stored, ensure_ascii=False)
        print(f"  {miss.list_name}:{miss.line}  {miss.field}: expected {expected}  stored {stored}")


def check_gold(lists: Path, golds: list[tuple[Path, dict]]) -> int:
    """Print the gold entries whose title, IDs, links or author names do not appear around their line."""
    problems = 0
    for path, gold in golds:
        list_file = lists / gold["list"]
        if not list_file.is_file():
            print(f"{path.name}: list not in {lists}, not checked")
            continue
        lines = list_file.read_text(encoding="utf-8").split("\n")
        for entry in gold["entries"]:
            raw = " ".join(lines[entry["line"] - 1 : entry["line"] + 3])
            text = " ".join(raw.replace("\\", "").split())
            wanted = [("title", " ".join(entry["title"].split()))]
            wanted += [(key, entry[key]) for key in ("arxiv_id", "url", "code", "short_name") if entry.get(key)]
            wanted += [("author", name) for name in entry.get("authors") or [] if name != "et al."]
            bare = text.replace("*", "")  # markup that splits a name: "S*ang Michael Xie et al*"
            absent = [f"{key} {value!r}" for key, value in wanted if not any(value in t for t in (text, raw, bare))]
            if absent:
                problems += 1
                print(f"{gold['list']}:{entry['line']}: not found around the line: {'; '.join(absent)}")
    print(f"checked {sum(len(g['entries']) for _, g in golds)} gold entries: {problems} with something to look at")
    return 0


def load_gold(gold_dir: Path, only: str | None) -> list[tuple[Path, dict]]:
    golds = []
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = data["list"]
        if only and only.casefold() not in name.casefold():
            continue
        golds.append((path, data))
    return golds


def import_online(
    list_file: Path, entries: list[dict], env: dict[str, str], tmp: Path, fake_arxiv, fake_paper
) -> tuple[list[dict], str, dict[int, dict], dict[str, tuple[str, list[str]]]]:
    """Import one list against a local arXiv stand-in loaded with its papers; returns the records, any error
    text, and what the stand-in was expected to give (see `serve_list`)."""
    server = fake_arxiv().start()
    try:
        expectations, served = serve_list(server, list_file.read_text(encoding="utf-8"), entries, fake_paper)
        run_env = {k: v for k, v in env.items() if k != "LLMKB_OFFLINE"}
        run_env.update(
            LLMKB_ARXIV_URL=server.url, LLMKB_ARXIV_DELAY="0", LLMKB_ARXIV_BACKOFF="0", LLMKB_ARXIV_TIMEOUT="10"
        )
        records, error = import_and_export(list_file, run_env, [], tmp)
    finally:
        server.stop()
    return records, error, expectations, served


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=None, help="folder of real lists (see above)")
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"folder of gold files (default: {GOLD})")
    parser.add_argument("--list", dest="only", default=None, help="only the list whose file name contains NAME")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    parser.add_argument("--online", action="store_true", help="import against a local arXiv stand-in")
    parser.add_argument("--check-gold", action="store_true", help="check gold entries against the raw list text")
    args = parser.parse_args(argv)

    lists = args.lists or default_lists()
    if not lists.is_dir():
        print(f"list fidelity: no real lists at {lists} (set --lists or $LLMKB_REAL_LISTS); nothing measured")
        return 0
    golds = load_gold(args.gold, args.only)
    if not golds:
        print(f"list fidelity: no gold files in {args.gold}" + (f" matching {args.only!r}" if args.only else ""))
        return 0
    if args.check_gold:
        return check_gold(lists, golds)

    fake_arxiv = fake_paper = None
    if args.online:
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            from arxiv_server import FakeArxiv, FakePaper
        except ImportError as exc:
            print(f"list fidelity: --online needs tests/arxiv_server.py and its imports ({exc})")
            return 0
        fake_arxiv, fake_paper = FakeArxiv, FakePaper

    rows: list[tuple[str, Tally]] = []
    total = Tally()
    skipped: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="llmkb-fidelity-") as tmp_name:
        tmp = Path(tmp_name)
        env = base_env(tmp)
        helped = llmkb("import-list", "--help", env=env)
        if helped.returncode != 0:
            print(f"list fidelity: `{sys.executable} -m llmkb` does not run: {helped.stderr.strip()[-300:]}")
            return 0
        offline_flag = ["--offline"] if "--offline" in helped.stdout else []
        mode = "online (local arXiv stand-in)" if args.online else "offline"
        print(
            f"list fidelity, {mode}: lists from {lists}, gold from {args.gold}"
            + (", import-list --offline" if offline_flag and not args.online else "")
        )
        print()
        taken: set[str] = set()
        for _, gold in golds:
            list_file = lists / gold["list"]
            if not list_file.is_file():
                skipped.append(gold["list"])
                continue
            if args.online:
                records, error, expectations, served = import_online(
                    list_file, gold["entries"], env, tmp, fake_arxiv, fake_paper
                )
            else:
                records, error = import_and_export(list_file, {**env, "LLMKB_OFFLINE": "1"}, offline_flag, tmp)
                expectations = served = None
            if error:
                errors.append(f"{gold['list']}: {error}")
            tally = score_list(gold["list"], gold["entries"], records, expectations, served)
            name = short_name(gold["list"], taken)
            taken.add(name)
            rows.append((name, tally))
            total.add(tally)

    report(rows, total, skipped, errors, online=args.online, verbose=args.verbose)
    return 0


def report(
    rows: list[tuple[str, Tally]], total: Tally, skipped: list[str], errors: list[str], *, online: bool, verbose: bool
) -> None:
    if rows:
        print_table(rows, total)
        print()
        print(target_line(total, TARGETS))
        if online:
            print(
                "online: titles and authors of arXiv papers are scored against what the stand-in served (target 100%)"
            )
    else:
        print("no gold file's list is in the lists folder; nothing measured")
    for name in skipped:
        print(f"not in the lists folder, skipped: {name}")
    for error in errors:
        print(f"error: {error}")
    if verbose and rows:
        print_misses(total)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        sys.exit(0)
