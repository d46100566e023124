"""A search while an import holds the write lock answers at once, from the last committed state."""

from __future__ import annotations

import sqlite3


def test_search_while_a_write_transaction_is_open(seed_cli, seed_db):
    assert seed_cli("db", "info").exit_code == 0  # the copy is now in WAL mode
    writer = sqlite3.connect(seed_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO paper (title, title_key, authors, categories, links, sources) "
        "VALUES ('Uncommitted pruning paper', 'uncommitted pruning paper', '[]', '[]', '[]', '[]')"
    )
    try:
        result = seed_cli("search", "pruning", "--format", "ids", "--limit", "100")
        assert result.exit_code == 0, result.stderr
        assert "2403.03853" in result.stdout.split()
        assert "kb-75" not in result.stdout.split()
    finally:
        writer.execute("COMMIT")
        writer.close()
    after = seed_cli("search", "Uncommitted pruning paper", "--format", "ids").stdout.split()
    assert after[0] == "kb-75"
