"""Building `data/seed.sqlite` from the seed lists and the metadata file, reproducibly.

Same inputs, same rows: lists are imported in file-name order into a fresh file, each through the same
import path users run, with the metadata merged in; the result is compacted into a single file (no WAL)
and moved into place only when complete. The decisions the metadata forced are returned for the build
to print.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from seed_metadata import load_metadata, metadata_enricher

from llmkb.imports.list_import import ImportReport, import_list


@dataclass
class SeedBuild:
    reports: list[ImportReport] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)


def build_seed(lists: list[Path], metadata: Path, out: Path) -> SeedBuild:
    build = SeedBuild()
    tmp = out.with_name(out.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    records = load_metadata(metadata)
    for path in sorted(lists):
        decisions: list[str] = []
        report = import_list(tmp, str(path), enrich=metadata_enricher(records, decisions))
        build.reports.append(report)
        build.decisions += [f"{path.name}: {d}" for d in decisions]
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    os.replace(tmp, out)
    return build
