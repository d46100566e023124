import io
import re

import pytest
from markdown_it import MarkdownIt

from export_records import paper, sample_papers
from llmkb.awesome_list.export_reader import read_exported_list
from llmkb.errors import UsageError
from llmkb.export.markdown import escape_text, segment_heading, write_markdown
from llmkb.slugs import slugify


def export(records, **options) -> str:
    out = io.StringIO()
    write_markdown(records, out, **options)
    return out.getvalue()


def test_entry_follows_the_documented_shape():
    record = paper(
        venue="NeurIPS",
        note="great",
        links=[{"kind": "code", "url": "https://github.com/example/x"}],
    )
    line = export([record], group_by="none").splitlines()[4]
    assert line == (
        "- [ShortGPT: Layers in Large Language Models are More Redundant Than You Expect]"
        "(https://arxiv.org/abs/2403.03853) — **NeurIPS 2024** — *Xin Men, Mingyu Xu, Qingyu Zhang, Bingning Wang*"
        " — [Code](https://github.com/example/x) — great"
    )


def test_first_authors_then_et_al_when_asked_or_when_the_list_named_only_them():
    shortened = export([paper()], group_by="none", max_authors=2)
    assert "*Xin Men, Mingyu Xu et al.*" in shortened
    partial = export([paper(authors=["A One", "B Two", "et al."])], group_by="none")
    assert "*A One, B Two et al.*" in partial


def test_every_link_is_written_with_its_kind():
    links = [
        {"kind": "code", "url": "https://github.com/e/c"},
        {"kind": "pdf", "url": "https://x.org/p.pdf"},
        {"kind": "project", "url": "https://e.github.io/p"},
        {"kind": "summary", "url": "https://blog.example.org/post"},
    ]
    line = export([paper(links=links)], group_by="none").splitlines()[4]
    assert line.endswith(
        " — [Code](https://github.com/e/c), [PDF](https://x.org/p.pdf), [Project](https://e.github.io/p), "
        "[Summary](https://blog.example.org/post)"
    )


def test_three_authors_have_no_et_al_and_none_leave_the_field_out():
    three = export([paper(authors=["A One", "B Two", "C Three"])], group_by="none")
    assert "*A One, B Two, C Three*" in three
    assert "et al." not in three
    nobody = export([paper(authors=[], year=None, published=None, month=None)], group_by="none")
    assert nobody.splitlines()[4].endswith("(https://arxiv.org/abs/2403.03853)")


def test_markup_characters_in_titles_and_notes_render_literally():
    title = "A_b | c* [d] <e> `f` ~h~ $x$ \\ *bold*"
    note = "**not bold** [not](a link) <b>html</b>"
    record = paper(title=title, note=note, authors=[], year=None, month=None, published=None)
    text = export([record], group_by="none")
    html = MarkdownIt("commonmark").render(text)
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html
    assert "<b>" not in html and 'href="a' not in html
    [entry] = read_exported_list(text)
    assert (entry.title, entry.note) == (title, note)


@pytest.mark.parametrize("title", ["1. Numbered", "- Dash", "+ Plus", "# Hash", "> Quote", "2) Paren"])
def test_a_title_that_looks_like_block_markup_stays_one_plain_list_item(title):
    text = export([paper(None, id="kb-1", title=title, links=[], url=None)], group_by="none")
    tokens = MarkdownIt("commonmark").parse(text)
    types = [token.type for token in tokens]
    assert types.count("bullet_list_open") == 1
    assert "ordered_list_open" not in types and "blockquote_open" not in types
    assert types.count("heading_open") == 1  # only the document title
    assert [entry.title for entry in read_exported_list(text)] == [title]


def test_table_style_keeps_one_cell_per_column_despite_pipes():
    md = MarkdownIt("commonmark").enable("table")
    text = export([paper(title="a | b", note="c | d | e")], style="table", group_by="none")
    html = md.render(text)
    assert html.count("<th>") == 7
    assert html.count("<td>") == 7
    assert "<td>c | d | e</td>" in html


def test_table_style_with_xref_adds_dataset_and_model_columns():
    record = paper(
        datasets=[{"name": "MMLU", "role": "evaluation", "source": "user"}, {"name": "C4", "role": "calibration"}],
        models=[{"name": "LLaMA-2-7B", "role": "uses", "source": "user"}, {"name": "Mamba", "role": "proposes"}],
    )
    text = export([record], style="table", group_by="none", with_xref=True)
    assert "| Datasets | Models |" in text
    assert "| MMLU, C4 (calibration) | LLaMA-2-7B, Mamba (proposes) |" in text


def test_with_xref_lists_datasets_and_models_under_each_entry():
    record = paper(
        datasets=[{"name": "MMLU", "role": "evaluation", "source": "user"}, {"name": "PIQA", "role": "evaluation"}],
        models=[{"name": "LLaMA-2-7B", "role": "uses", "source": "user"}],
    )
    lines = export([record], group_by="none", with_xref=True).splitlines()
    assert lines[5:7] == ["  - Datasets: MMLU, PIQA", "  - Models: LLaMA-2-7B"]
    plain = export([record], group_by="none")
    assert "Datasets" not in plain


def test_contents_links_point_at_github_anchors_of_the_headings():
    records = sample_papers() + [paper("2501.00001", title="Table of contents", tags=["contents"])]
    text = export(records)
    toc = re.findall(r"^\s*- \[([^\]]+)\]\(#([^)]+)\)$", text, flags=re.M)
    assert toc == [
        ("contents", "contents-1"),
        ("LLM", "llm"),
        ("Model Compression", "model-compression"),
        ("Pruning", "pruning"),
        ("Quantization", "quantization"),
        ("2 Bit", "2-bit"),
        ("PEFT", "peft"),
        ("Vision", "vision"),
        ("Pruning", "pruning-1"),
        ("Untagged", "untagged"),
    ]
    headings = re.findall(r"^(#+) (.+)$", text, flags=re.M)
    assert headings[:3] == [("#", "Reading list"), ("##", "Contents"), ("##", "contents")]
    assert ("####", "2 Bit") in headings and ("###", "Quantization") in headings


def test_title_heading_and_contents_take_their_anchors_first():
    text = export([paper(tags=["reading-list"])], title="Reading  list")
    assert text.startswith(
        "# Reading list\n\n<!-- llmkb export; group-by: tag -->\n\n## Contents\n\n- [Reading List](#reading-list-1)\n"
    )


def test_segment_headings_slugify_back_to_the_segment():
    assert segment_heading("model-compression") == "Model Compression"
    assert segment_heading("llms-for-rag") == "LLMs for RAG"
    assert segment_heading("mixture-of-experts") == "Mixture of Experts"
    for segment in ["model-compression", "2-bit", "llm", "a-b-c", "kv-cache", "x"]:
        assert slugify(segment_heading(segment)) == segment
    assert segment_heading("c++") == "c++"  # no readable form slugifies back: raw text
    assert segment_heading("untagged") == "untagged"


def test_order_is_stable_whatever_the_input_order():
    records = sample_papers()
    assert export(records) == export(list(reversed(records)))
    assert export(records, sort="title") == export(list(reversed(records)), sort="title")


def test_date_sort_puts_newest_first_then_titles_and_undated_last():
    records = [
        paper("2101.00001", title="b old", published="2021-01-01", year=2021),
        paper("2401.00002", title="Beta new", published="2024-01-01", year=2024),
        paper("2401.00001", title="alpha new", published="2024-01-01", year=2024),
        paper(None, id="kb-2", title="Undated", published=None, year=None, month=None),
    ]
    titles = [entry.title for entry in read_exported_list(export(records, group_by="none"))]
    assert titles == ["alpha new", "Beta new", "b old", "Undated"]
    titles = [entry.title for entry in read_exported_list(export(records, group_by="none", sort="title"))]
    assert titles == ["alpha new", "b old", "Beta new", "Undated"]


def test_group_by_year_and_venue_order_groups_with_unknown_last():
    records = sample_papers()
    years = re.findall(r"^## (.+)$", export(records, group_by="year"), flags=re.M)
    assert years == ["Contents", "2024", "2023", "2021", "No year"]
    venues = re.findall(r"^## (.+)$", export(records, group_by="venue"), flags=re.M)
    assert venues == ["Contents", "ACL Findings", "ICLR", "No venue"]


def test_group_by_none_has_no_contents():
    text = export(sample_papers(), group_by="none")
    assert "## " not in text
    assert text.count("\n- ") == len(sample_papers())


def test_columns_choose_fields_and_title_is_always_there():
    record = paper(venue="ICML", note="keep", links=[{"kind": "code", "url": "https://github.com/e/x"}])
    line = export([record], group_by="none", columns=["note", "year"]).splitlines()[4]
    assert line.endswith("(https://arxiv.org/abs/2403.03853) — **2024** — keep")
    with pytest.raises(UsageError, match="unknown column 'pages'"):
        export([record], columns=["pages"])


def test_papers_without_arxiv_id_link_to_their_pdf_or_code_or_nothing():
    pdf = paper(None, id="kb-1", links=[{"kind": "pdf", "url": "https://x.org/a b.pdf"}])
    code = paper(None, id="kb-2", title="Coded", links=[{"kind": "code", "url": "https://github.com/e/c"}])
    bare = paper(None, id="kb-3", title="Bare", links=[])
    text = export([pdf, code, bare], group_by="none")
    assert "](https://x.org/a%20b.pdf)" in text
    assert "- [Coded](https://github.com/e/c) — " in text
    assert "\n- Bare — " in text


def test_many_tags_put_the_paper_under_each():
    tags = [f"topic-{number}" for number in range(12)]
    entries = read_exported_list(export([paper(tags=tags)]))
    assert sorted(entry.tag for entry in entries) == sorted(tags)


def test_empty_selection_is_a_valid_document():
    out = io.StringIO()
    assert write_markdown([], out) == 0
    assert out.getvalue() == "# Reading list\n\n<!-- llmkb export; group-by: tag -->\n\n"


def test_unknown_option_values_are_usage_errors():
    for options in ({"group_by": "author"}, {"sort": "random"}, {"style": "grid"}):
        with pytest.raises(UsageError):
            export([paper()], **options)


def test_escape_text_leaves_plain_text_alone_and_flattens_lines():
    assert escape_text("Plain title: 2-bit LLMs (v2)!") == "Plain title: 2-bit LLMs (v2)!"
    assert escape_text("a\n  b") == "a b"
    assert escape_text("&amp; & x") == "\\&amp; & x"
