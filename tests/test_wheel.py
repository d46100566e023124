"""The wheel carries everything a fresh install needs: the migrations and the seed database."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_searches_the_seed_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("llmkb-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "llmkb/data/seed.sqlite" in names
    assert "llmkb/migrations/env.py" in names
    assert any(n.startswith("llmkb/migrations/versions/0001_") for n in names)

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # the read path pays no bytecode compilation: pip compiles the package as it installs it
    for module in ("cli/app", "cli/search_cmd", "search", "store/query_sql", "store/records"):
        folder = (target / "llmkb" / module).parent / "__pycache__"
        assert list(folder.glob(f"{Path(module).name}.cpython-*.pyc")), module
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
    }
    env.pop("LLMKB_DB", None)
    where = subprocess.run(
        [sys.executable, "-c", "import llmkb; print(llmkb.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "llmkb", "search", "pruning", "--format", "ids"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "2403.03853" in result.stdout.split()
    user_db = tmp_path / "home" / "data" / "llmkb" / "llmkb.sqlite"
    assert user_db.exists()
    packaged = target / "llmkb" / "data" / "seed.sqlite"
    assert not Path(f"{packaged}-wal").exists()
