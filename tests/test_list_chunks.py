"""Very large lists are parsed in parts: the parts must give the same papers, tags and line numbers as one
parse of the whole list, and an import of such a list is still one transaction."""

from __future__ import annotations

import json

from llmkb.awesome_list import parse_awesome_list
from llmkb.awesome_list.chunks import chunks
from llmkb.imports.list_import import _parse_part


def _list(sections: int, per_section: int) -> str:
    lines = ["# Awesome Things", "", "Intro text.", ""]
    n = 0
    for s in range(sections):
        lines += [f"## Topic {s}", ""]
        if s == 1:
            lines += ["```", "# not a heading, inside code", "```", ""]
        lines += [f"### Sub {s}", ""]
        for _ in range(per_section):
            n += 1
            lines += [
                f"- **Paper number {n} about thing {s}**",
                f"  *Ada Lovelace, Alan Turing.* [[pdf](https://arxiv.org/abs/2401.{n:05d})] [ICLR 2024]",
            ]
        lines.append("")
    return "\n".join(lines) + "\n"


def _facts(entries) -> list[tuple]:
    return [(e.line, e.title, e.arxiv_id, tuple(e.tags), tuple(e.authors), e.venue, e.year) for e in entries]


def _parts(text: str, chunk_bytes: int):
    return list(chunks(iter(text.splitlines(keepends=True)), chunk_bytes=chunk_bytes))


def test_a_list_smaller_than_a_part_is_one_part_with_its_own_text():
    text = _list(3, 4)
    (only,) = _parts(text, 1 << 20)
    assert (only.text, only.first_line, only.context_lines) == (text, 1, 0)


def test_parts_give_what_one_parse_of_the_whole_list_gives():
    text = _list(6, 40)
    whole = _facts(parse_awesome_list(text).entries)
    parts = _parts(text, 2_000)
    assert len(parts) > 6  # cut at headings and, within long sections, between items
    pieces = [e for part in parts for e in _parse_part(part, "big.md").entries]
    assert _facts(pieces) == whole
    assert len(whole) == 240 and whole[0][3] == ("topic-0/sub-0",)


def test_a_heading_inside_fenced_code_never_starts_a_part():
    text = _list(3, 30)
    for part in _parts(text, 500):
        own = part.text.splitlines()[part.context_lines :]
        assert not own or own[0] != "# not a heading, inside code"


def test_a_list_of_many_parts_imports_in_one_go(cli, db_path, tmp_path, monkeypatch):
    import llmkb.awesome_list.chunks as chunking

    monkeypatch.setattr(chunking, "CHUNK_BYTES", 3_000)
    (tmp_path / "big.md").write_text(_list(5, 30))
    result = cli("import-list", str(tmp_path / "big.md"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["added"] == 150
    shown = json.loads(cli("show", "2401.00150", "--format", "json").stdout)
    assert shown["title"] == "Paper number 150 about thing 4"
    assert shown["tags"] == ["topic-4/sub-4"]


def test_papers_of_many_parts_are_in_the_full_text_index_with_their_tags(cli, db_path, tmp_path, monkeypatch):
    """Each part's new papers are indexed in one statement: the index must still hold every paper once,
    with its tags, and agree with the table (`db check`)."""
    import llmkb.awesome_list.chunks as chunking

    monkeypatch.setattr(chunking, "CHUNK_BYTES", 3_000)
    (tmp_path / "big.md").write_text(_list(5, 30))
    assert cli("import-list", str(tmp_path / "big.md")).exit_code == 0
    by_tag = cli("search", '"sub 3"', "-n", "30", "-f", "ids").stdout.split()
    assert sorted(by_tag) == [f"2401.{n:05d}" for n in range(91, 121)]
    assert len(cli("search", "paper", "-n", "500", "-f", "ids").stdout.split()) == 150
    checked = cli("db", "check")
    assert checked.exit_code == 0, checked.stderr
    import sqlite3

    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM paper_fts").fetchone()[0] == 150
    conn.close()


def test_an_interruption_after_some_parts_were_written_leaves_the_database_as_it_was(
    cli, db_path, tmp_path, monkeypatch
):
    """Earlier parts' papers are already in the tables (moved from the staging tables) when a later part is
    interrupted: the one transaction must take them back, and the same import then runs whole."""
    import sqlite3

    import llmkb.awesome_list.chunks as chunking
    import llmkb.store.papers_write as papers_write

    monkeypatch.setattr(chunking, "CHUNK_BYTES", 3_000)
    (tmp_path / "big.md").write_text(_list(5, 30))
    calls = {"n": 0}
    real = papers_write.TagCache.id_for

    def interrupted(self, name):  # one look-up per paper: the 100th paper is several parts in
        calls["n"] += 1
        if calls["n"] == 100:
            raise KeyboardInterrupt
        return real(self, name)

    monkeypatch.setattr(papers_write.TagCache, "id_for", interrupted)
    assert cli("import-list", str(tmp_path / "big.md")).exit_code != 0
    assert calls["n"] == 100
    conn = sqlite3.connect(db_path)
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("paper", "paper_tag", "paper_fts")]
    conn.close()
    assert counts == [0, 0, 0]
    monkeypatch.setattr(papers_write.TagCache, "id_for", real)
    again = cli("import-list", str(tmp_path / "big.md"), "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)[0]["added"] == 150
    assert cli("db", "check").exit_code == 0


def _mentioning_list(papers: int) -> str:
    lines = ["# Awesome Things", ""]
    for n in range(1, papers + 1):
        if n % 10 == 1:
            lines += [f"## Topic {n // 10}", ""]
        lines += [
            f"- **Mamba{n}: Paper {n} on Llama 2 7B**  [[pdf](https://arxiv.org/abs/2401.{n:05d})]",
            f"  Evaluated on PIQA and MMLU with Mistral-7B{' and GPT-4' if n % 3 else ''}.",
        ]
    return "\n".join(lines) + "\n"


def _links(db) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    rows = [
        ("dataset", *row)
        for row in conn.execute(
            "SELECT p.arxiv_id, d.name, l.role, l.source FROM paper_dataset l JOIN paper p ON p.id = l.paper_id "
            "JOIN dataset d ON d.id = l.dataset_id"
        )
    ] + [
        ("model", *row)
        for row in conn.execute(
            "SELECT p.arxiv_id, m.name, l.role, l.source FROM paper_model l JOIN paper p ON p.id = l.paper_id "
            "JOIN model m ON m.id = l.model_id"
        )
    ]
    conn.close()
    return sorted(rows)


def test_the_mentions_the_parsing_processes_find_link_what_the_writer_would(tmp_path, monkeypatch):
    """A list of many parts has its entries' mentions found by the worker processes; the links must be
    those a one-part import (the writer finding them itself) stores."""
    import llmkb.awesome_list.chunks as chunking
    from llmkb.imports.list_import import import_list_text

    text = _mentioning_list(60)
    whole = import_list_text(tmp_path / "whole.sqlite", text, source="l.md", offline=True)
    monkeypatch.setattr(chunking, "CHUNK_BYTES", 1_500)
    parts = import_list_text(tmp_path / "parts.sqlite", text, source="l.md", offline=True)
    assert len(list(chunks(iter(text.splitlines(keepends=True)), chunk_bytes=1_500))) >= 3
    assert whole.paper_ids and len(parts.paper_ids) == len(whole.paper_ids) == 60
    links = _links(tmp_path / "whole.sqlite")
    assert links == _links(tmp_path / "parts.sqlite")
    assert ("dataset", "2401.00001", "PIQA", "evaluation", "text") in links
    assert ("model", "2401.00002", "GPT-4", "uses", "text") in links


def test_mentions_found_ahead_are_used_only_for_the_texts_they_were_found_in():
    from llmkb.linking.text import text_links

    class Catalog:
        def id_of(self, kind, name):
            return {"PIQA": 1, "MMLU": 2}[name]

    known = {("A title", None, "Evaluated on PIQA."): {("dataset", "PIQA", "evaluation")}}
    assert text_links(7, "A title", None, "Evaluated on PIQA.", Catalog(), known) == [("dataset", 7, 1, "evaluation")]
    stale = {("A title", None, "Evaluated on PIQA."): {("dataset", "PIQA", "evaluation")}}
    assert text_links(7, "A title", None, "Evaluated on MMLU.", Catalog(), stale) == [("dataset", 7, 2, "evaluation")]
