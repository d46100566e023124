import io

import pytest

from export_records import paper, sample_papers
from llmkb.awesome_list.export_reader import is_exported_list, read_exported_list
from llmkb.export.markdown import write_markdown


def export(records, **options) -> str:
    out = io.StringIO()
    write_markdown(records, out, **options)
    return out.getvalue()


def by_title(entries) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for entry in entries:
        grouped.setdefault(entry.title, []).append(entry)
    return grouped


@pytest.mark.parametrize("style", ["list", "table"])
def test_export_reads_back_to_the_same_papers_tags_venues_years_notes_and_code(style):
    records = sample_papers()
    found = by_title(read_exported_list(export(records, style=style, with_xref=True)))
    assert len(found) == len(records)
    for record in records:
        entries = found[record["title"]]
        assert sorted(entry.tag or "" for entry in entries) == sorted(record["tags"] or [""])
        for entry in entries:
            assert entry.arxiv_id == record["arxiv_id"]
            assert entry.venue == record["venue"]
            assert entry.year == record["year"]
            assert entry.code == [link["url"] for link in record["links"] if link["kind"] == "code"]
            assert entry.note == (" ".join(record["note"].split()) if record["note"] else None)
            assert entry.authors == record["authors"]
            assert entry.links == [(link["kind"], link["url"]) for link in record["links"]]


def test_paper_without_arxiv_id_keeps_its_title_link():
    [entry] = read_exported_list(export([paper(None, id="kb-3", links=[{"kind": "pdf", "url": "https://x.org/p"}])]))
    assert entry.arxiv_id is None
    assert entry.url == "https://x.org/p"


def test_tags_deeper_than_the_headings_come_back_whole():
    tag = "a/b/c/d/e/f/g"
    text = export([paper(tags=[tag, "a/b/c/d/e"])])
    assert "###### e/f/g" in text
    assert sorted(entry.tag for entry in read_exported_list(text)) == ["a/b/c/d/e", tag]


def test_tags_named_like_the_reserved_headings_survive():
    tagged = paper(tags=["contents", "untagged"])
    text = export([tagged, paper("2401.00001", title="No tags", tags=[])])
    tags = {(entry.title, entry.tag) for entry in read_exported_list(text)}
    assert tags == {(tagged["title"], "contents"), (tagged["title"], "untagged"), ("No tags", None)}


@pytest.mark.parametrize("group_by", ["year", "venue", "none"])
def test_other_groupings_give_no_tags_but_the_same_papers(group_by):
    records = sample_papers()
    entries = read_exported_list(export(records, group_by=group_by))
    assert {entry.tag for entry in entries} == {None}
    assert sorted(entry.title for entry in entries) == sorted(record["title"] for record in records)


def test_only_exported_lists_are_read():
    plain = "# Awesome LLM\n\n## Pruning\n\n- [ShortGPT](https://arxiv.org/abs/2403.03853)\n"
    assert not is_exported_list(plain)
    assert read_exported_list(plain) == []
    assert is_exported_list(export([]))
    assert read_exported_list(export([])) == []


def test_entries_carry_their_line_numbers():
    text = export([paper()], group_by="none")
    [entry] = read_exported_list(text)
    assert text.splitlines()[entry.line - 1].startswith("- [ShortGPT")
