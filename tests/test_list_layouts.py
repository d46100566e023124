"""The layouts real reading lists use, each on a few entries made up for the test.

Author lines in italics or after a line break, citation-style items, title cells and badges in tables,
quoted titles with a venue written after them, venue-and-date lines, model tables, papers that are not on
arXiv, and the headings and warnings around them.
"""

from __future__ import annotations

import time

import pytest

from llmkb.awesome_list import Link, parse_awesome_list
from llmkb.awesome_list.source import read_list
from llmkb.titles import title_key


def parse(text: str):
    return parse_awesome_list(text)


def only(text: str):
    [entry] = parse(text).entries
    return entry


def test_bold_title_then_italic_author_line_with_date_and_venue_badge():
    e = only(
        "## Drafting\n\n"
        "- **Quick Drafts: Faster Decoding with Tiny Helpers**  \n"
        "  *Ann Lee, Bo-Ram Choi and Carl Xuan-Phi.* [[pdf](https://arxiv.org/pdf/2404.01234.pdf)], "
        "[[code](https://github.com/x/quick)], 2024.04. ![](https://img.shields.io/badge/ACL2024--findings-orange) "
        "![](https://img.shields.io/badge/QuickDraft-blue)\n"
    )
    assert e.title == "Quick Drafts: Faster Decoding with Tiny Helpers"
    assert e.authors == ["Ann Lee", "Bo-Ram Choi", "Carl Xuan-Phi"]
    assert (e.venue, e.year, e.month) == ("Findings of ACL", 2024, 4)
    assert e.note is None  # the author line is not a note
    assert e.links == [Link("code", "https://github.com/x/quick")]


def test_linked_bold_title_with_italic_authors_and_venue_year():
    parsed = parse(
        "1. [**Long Memory: Caching Keys for Long Inputs.**](https://arxiv.org/abs/2410.01805) "
        "_Dana Park, Eli Moss._ Arxiv 2024.\n"
        "2. [**Blog Post Paper: Extrapolation Notes.**](https://blog.example.org/p/9431) _苏某(Mou Su)._ 2023.\n"
        "3. [**Graph Memory for Agents.**](https://www.computer.org/csdl/journal/tp/2026/01/111) "
        "_Ann Lee, Bo Chen._ TPAMI.\n"
        "4. [**Unmarked Names.**](https://arxiv.org/abs/2505.23932) Wen Xu, Jin Xi, Chen Zhao._ Arxiv 2025.\n"
        "5. [**Big Report.**](https://arxiv.org/abs/2412.19437) _Widget-AI, Ann Lee, Bo Chen (100 additional authors "
        "not shown)._ Arxiv 2024.\n"
    )
    first, blog, journal, unmarked, big = parsed.entries
    assert (unmarked.authors, unmarked.venue, unmarked.year) == (["Wen Xu", "Jin Xi", "Chen Zhao"], "arXiv", 2025)
    assert big.authors == ["Widget-AI", "Ann Lee", "Bo Chen", "et al."]
    assert (first.title, first.authors, first.venue, first.year) == (
        "Long Memory: Caching Keys for Long Inputs",
        ["Dana Park", "Eli Moss"],
        "arXiv",
        2024,
    )
    assert (blog.title, blog.authors, blog.year) == ("Blog Post Paper: Extrapolation Notes", ["苏某(Mou Su)"], 2023)
    assert blog.url == "https://blog.example.org/p/9431"  # a title with an author line is a paper
    assert (journal.venue, journal.authors) == ("TPAMI", ["Ann Lee", "Bo Chen"])


def test_citation_style_items_with_short_name_and_et_al():
    parsed = parse(
        '1. <u>Gizmo</u>: **"Gizmo: Scaling Widgets to Many Tasks"**. *Ann Lee et al.* ICLR 2022. '
        "[[Paper](https://arxiv.org/abs/2110.08207)] [[Checkpoint](https://huggingface.co/x/gizmo)]\n"
        '2. **"Tiny Platform: A Toolkit from Practice"** . *Bo Chen* et al. Frontiers of Widgets 2019. '
        "[[Paper](http://www.example.cn/abstract2.shtml)]\n"
        '3. **"Odd Italics in a Citation"**. S*am Ode et al*. arXiv 2022. [[Paper](https://arxiv.org/abs/2205.05055)]\n'
        '4. **"Surname Only"**. *Rasmus et al.* KDD 2020. [[Paper](https://dl.acm.org/doi/10.1145/3394486.3406703)]\n'
    )
    gizmo, tiny, odd, surname = parsed.entries
    assert (gizmo.title, gizmo.short_name, gizmo.venue, gizmo.year) == (
        "Gizmo: Scaling Widgets to Many Tasks",
        "Gizmo",
        "ICLR",
        2022,
    )
    assert gizmo.authors == ["Ann Lee", "et al."]
    assert (tiny.title, tiny.venue, tiny.year, tiny.authors) == (
        "Tiny Platform: A Toolkit from Practice",
        "Frontiers of Widgets",
        2019,
        ["Bo Chen", "et al."],
    )
    assert odd.authors == ["Sam Ode", "et al."]
    assert (surname.authors, surname.doi) == (["Rasmus", "et al."], "10.1145/3394486.3406703")
    assert surname.url == "https://dl.acm.org/doi/10.1145/3394486.3406703"


def test_table_with_title_and_authors_cell_badges_and_a_links_column():
    parsed = parse(
        "| Title & Authors | Introduction | Links |\n|:--|:--:|:--:|\n"
        "|[![Star](https://img.shields.io/github/stars/x/dv.svg?style=social&label=Star)](https://github.com/x/dv)"
        "[![Publish](https://img.shields.io/badge/Conference-ICML'23%20Oral-blue)]()<br>"
        "[Deja Two: Sparse Heads at Inference Time](https://openreview.net/forum?id=abc) <br> Ann Lee, Bo Chen, "
        "Cy Dee |<img width='202' alt='image' src='figures/dv.png'> |[Github](https://github.com/x/dv) <br> "
        "[Paper](https://openreview.net/forum?id=abc)|\n"
        "|[![Publish](https://img.shields.io/badge/Conference-IVUS'24-blue)]()<br>[Stairs Generation](https://sites."
        "google.com/view/stairs) <br> Hao (Mark)Chen, Wu Luk |<img src='https://arxiv.org/html/2407.19947v1/x2.png'>"
        " |[Paper](https://arxiv.org/abs/2407.19947)|\n"
        "|[![Publish](https://img.shields.io/badge/Conference-NeurIPS'24%20ENLSP-blue)]()<br>[Fast Drafts](https://"
        "arxiv.org/abs/2411.11055) <br> Ofa Zaf, Ida Mar | |[Paper](https://arxiv.org/abs/2411.11055)|\n"
    )
    deja, stairs, fast = parsed.entries
    assert (deja.title, deja.authors, deja.venue, deja.year) == (
        "Deja Two: Sparse Heads at Inference Time",
        ["Ann Lee", "Bo Chen", "Cy Dee"],
        "ICML",
        2023,
    )
    assert (deja.arxiv_id, deja.url) == (None, "https://openreview.net/forum?id=abc")
    assert Link("code", "https://github.com/x/dv") in deja.links
    assert (stairs.title, stairs.arxiv_id, stairs.venue, stairs.year) == (
        "Stairs Generation",
        "2407.19947",
        "IVUS",
        2024,
    )
    assert stairs.authors == ["Hao (Mark)Chen", "Wu Luk"]
    assert (fast.venue, fast.year) == ("NeurIPS Workshop", 2024)
    assert not parsed.warnings


def test_table_title_column_with_date_column_makes_any_titled_link_a_paper():
    parsed = parse(
        "| Title | Venue | Date | Code |\n|---|:-:|:-:|:-:|\n"
        "| [**Tiny Model: The Power of Small Models**](https://www.example.com/research/blog/tiny/) | - | 2023-12 |\n"
        "| [**Fact Summaries for QA**](https://aclanthology.org/2021.findings-emnlp.354) | Findings of EMNLP "
        "| 2021-08 |\n"
        "| [**Layer-wise Distillation**](https://arxiv.org/pdf/2210.01351.pdf) | PMLR | 2022-10 | "
        "[Github](https://github.com/x/ld) |\n"
    )
    tiny, fact, layer = parsed.entries
    assert (tiny.title, tiny.year, tiny.url) == (
        "Tiny Model: The Power of Small Models",
        2023,
        "https://www.example.com/research/blog/tiny/",
    )
    assert (fact.venue, fact.year, fact.month) == ("Findings of EMNLP", 2021, 8)
    assert (layer.venue, layer.arxiv_id) == ("PMLR", "2210.01351")


def test_quoted_titles_keep_venues_written_after_them():
    parsed = parse(
        '- "Binary Widgets: A Survey", PR, 2020. [[Paper](https://arxiv.org/abs/2004.03333)] [**`Extreme`**]\n'
        '- "Q8Widget: Quantized 8Bit Widgets", EMC2 Workshop, 2019. [[paper](https://arxiv.org/abs/1910.06188)]\n'
        '- "Sensitive Widgets", 2023. [[paper](https://openaccess.thecvf.com/content/ICCV2023/html/x.html)]\n'
        '- "Fully Quantized Widgets", ACM MM, 2021. [[paper](https://dl.acm.org/doi/10.1145/3474085.3475227)]\n'
    )
    survey, q8, sensitive, mm = parsed.entries
    assert (survey.title, survey.venue, survey.year) == ("Binary Widgets: A Survey", "PR", 2020)
    assert (q8.title, q8.venue, q8.year) == ("Q8Widget: Quantized 8Bit Widgets", "EMC2 Workshop", 2019)
    assert (sensitive.title, sensitive.venue, sensitive.year) == ("Sensitive Widgets", None, 2023)
    assert sensitive.url == "https://openaccess.thecvf.com/content/ICCV2023/html/x.html"
    assert (mm.venue, mm.year, mm.doi) == ("ACM MM", 2021, "10.1145/3474085.3475227")


def test_bold_title_plain_author_line_and_venue_date_line():
    parsed = parse(
        "**Reasoning Retrieval with Self-Checks** \\\nAnn Lee, Bo Chen, Cy Dee \\\n"
        "AAAI 25 – Mar 2025 [[paper](https://arxiv.org/abs/2407.19813)]\n\n"
        "**Self-Grading Retrieval**  \n*Anonymous*  \nICLR 24 – Oct 2023 [[paper](https://openreview.net/forum?id=q1)]\n\n"
        "**Knowledge Guided Retrieval** \\\n*Ann Lee, Bo Chen* \\\narXiv - Oct 2023 [[Ppaer](https://arxiv.org/abs/2310.05002)]\n\n"
        "**In-Context Widgets**  \n*Ori Ram, Yo Lev*  \nWidget Labs – Jan 2023 [[paper](https://example.com/icw.pdf)]\n\n"
        "**Short Years**  \n*Ann Lee*  \nICLR 24 – Oct 23 [[paper](https://openreview.net/forum?id=q2)]\n"
    )
    aaai, anonymous, typo, labs, short = parsed.entries
    assert (short.venue, short.year) == ("ICLR", 2024)
    assert (aaai.authors, aaai.venue, aaai.year) == (["Ann Lee", "Bo Chen", "Cy Dee"], "AAAI", 2025)
    assert (anonymous.authors, anonymous.venue, anonymous.year) == (["Anonymous"], "ICLR", 2024)
    assert (typo.title, typo.venue, typo.year, typo.month) == ("Knowledge Guided Retrieval", "arXiv", 2023, 10)
    assert (labs.venue, labs.year, labs.url) == ("Widget Labs", 2023, "https://example.com/icw.pdf")


def test_model_table_rows_name_models_not_titles():
    parsed = parse(
        "<table>\n<tr><th>Category</th><th>Model</th><th>Release</th><th>Size</th><th>Link</th></tr>\n"
        '<tr><td rowspan="2">Publicly<br>Available</td><td>Gizmo</td><td>2019/10</td><td>11</td>'
        '<td><a href="https://arxiv.org/abs/1910.10683">Paper</a></td></tr>\n'
        '<tr><td>Widget-2</td><td>2023/01</td><td>12</td><td><a href="https://arxiv.org/abs/2304.01373">Paper</a>'
        "</td></tr>\n</table>\n\n"
        '1. <u>Gizmo</u>: **"Exploring the Limits of Gizmos"**. *Ann Lee et al.* JMLR 2019. '
        "[[Paper](https://arxiv.org/abs/1910.10683)]\n"
    )
    gizmo_row, widget_row, gizmo = parsed.entries
    assert (gizmo_row.title, gizmo_row.short_name) == (None, "Gizmo")
    assert gizmo_row.year == gizmo.year == 2019  # the paper's year, not the ID's 2019/10 by chance
    assert (widget_row.title, widget_row.short_name) == (None, "Widget-2")
    assert (widget_row.year, widget_row.month) == (2023, 4)  # nothing but the arXiv ID dates it
    assert gizmo.title == "Exploring the Limits of Gizmos"
    assert not [w for w in parsed.warnings if w.cause == "two-titles"]


def test_same_paper_on_arxiv_and_at_its_publisher_gets_one_id():
    parsed = parse(
        "## A\n- [Widget Scaling Laws](https://arxiv.org/abs/2001.08361)\n"
        "## B\n- [Widget scaling laws.](https://aclanthology.org/2020.acl-main.1.pdf) ACL 2020\n"
    )
    arxiv, publisher = parsed.entries
    assert publisher.arxiv_id == arxiv.arxiv_id == "2001.08361"
    assert publisher.url == "https://aclanthology.org/2020.acl-main.1.pdf"
    assert Link("pdf", "https://aclanthology.org/2020.acl-main.1.pdf") in publisher.links


def test_titles_lose_prefixes_suffixes_and_emoji_but_keep_name_prefixes():
    parsed = parse(
        "- [LaCo] [LaCo: Widget Pruning via Layer Collapse](https://arxiv.org/abs/2402.11187)\n"
        "- [Fast Widgets for Everyone (@Widget Lab)](https://arxiv.org/abs/2402.11188)\n"
        "- [(2022-09) Dated Widget Paper](https://arxiv.org/abs/2209.11188)\n"
        "- [🔥 Hot Widget Paper ⭐](https://arxiv.org/abs/2402.11189)\n"
        "- [ICLR 2024] [Venue First Widget Paper](https://arxiv.org/abs/2402.11190)\n"
    )
    laco, affiliation, dated, hot, venue = parsed.entries
    assert (laco.title, laco.short_name) == ("LaCo: Widget Pruning via Layer Collapse", "LaCo")
    assert affiliation.title == "Fast Widgets for Everyone"
    assert (dated.title, dated.year, dated.month) == ("Dated Widget Paper", 2022, 9)
    assert hot.title == "Hot Widget Paper"
    assert (venue.title, venue.venue, venue.year) == ("Venue First Widget Paper", "ICLR", 2024)


def test_arxiv_hosts_salvaged_ids_and_figures():
    parsed = parse(
        "- [Browse Host Paper](https://browse.arxiv.org/abs/2310.01798)\n"
        "- [Glued Junk Paper](https://arxiv.org/abs/2407.11681mini)\n"
        "- <img src='https://arxiv.org/html/2401.10774v1/x1.png'> a figure only\n"
        "- [![fig](https://arxiv.org/html/2401.10774v1/x2.png)](https://arxiv.org/html/2401.10774v1/x2.png)\n"
    )
    assert [(e.title, e.arxiv_id) for e in parsed.entries] == [
        ("Browse Host Paper", "2310.01798"),
        ("Glued Junk Paper", "2407.11681"),
    ]
    [salvaged] = parsed.warnings
    assert (salvaged.cause, salvaged.lines) == ("salvaged-arxiv-id", [2])


def test_heading_decoration_and_news_sections_give_no_tags():
    parsed = parse(
        "# Awesome Widgets\n"
        "## 🔥 News\n- [News Widget Paper](https://arxiv.org/abs/2301.00001)\n"
        "## This week's papers\n- [Weekly Widget Paper](https://arxiv.org/abs/2301.00002)\n"
        "## Pruning 🌲 [![badge](https://img.shields.io/badge/new-red)](#) [back to top](#contents)\n"
        "- [Pruned Widget Paper](https://arxiv.org/abs/2301.00003)\n"
    )
    assert [e.tags for e in parsed.entries] == [["widgets"], ["widgets"], ["pruning", "widgets"]]


def test_warnings_name_each_cause_once_with_a_count():
    items = "".join(f"- [Paper](https://arxiv.org/abs/2301.{n:05d})\n" for n in range(1, 48))
    parsed = parse("# List\n" + items)
    [warning] = parsed.warnings
    assert (warning.cause, warning.count, warning.line) == ("no-title", 47, 2)
    assert warning.message.startswith("47 items: ")
    assert "lines 2, 3, 4, 5, 6, …" in warning.message


def test_title_keys_keep_every_script():
    assert title_key("LLaMA 大模型综述") != title_key("LLaMA 大模型微调")
    assert title_key("Café  Über-Modelle.") == title_key("cafe uber modelle")
    parsed = parse("- [LLaMA 大模型综述](https://example.org/a.pdf)\n- [LLaMA 大模型微调](https://example.org/b.pdf)\n")
    assert len({title_key(e.title) for e in parsed.entries}) == 2


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_lists_in_other_encodings_are_decoded(tmp_path, encoding):
    text = "# 大模型论文\n\n- [大模型综述：一篇很全面的介绍](https://arxiv.org/abs/2303.18223) 中文解读，很全面\n"
    path = tmp_path / "list.md"
    path.write_bytes(text.encode(encoding))
    decoded, _ = read_list(str(path))
    assert decoded.lstrip("\ufeff") == text


def _cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        parse_awesome_list(text)
        best = min(best, time.process_time() - start)
    return max(best, 1e-3)


# (what the line repeats, the short line's length): lines markdown-it itself reads slowly are shorter.
_LINE_SHAPES = [
    (" ", 100_000),
    ("word ", 100_000),
    ("Ann Lee, ", 100_000),
    ("arXiv ", 100_000),
    ("ICML ", 100_000),
    ("ICML 2023 ", 100_000),
    ("2023 ", 100_000),
    ("大模型", 100_000),
    ("a: ", 20_000),
    ("*a ", 20_000),
    ("[", 10_000),
    ("**a** ", 10_000),
    ("[x](#a) ", 10_000),
]


@pytest.mark.parametrize(("unit", "size"), _LINE_SHAPES)
def test_parse_time_grows_linearly_with_the_length_of_a_line(unit, size):
    """A line ten times longer costs about ten times as much (bound: 30x), whatever it is made of."""
    small = "- **A Title** " + unit * (size // len(unit)) + "\n"
    large = "- **A Title** " + unit * (10 * size // len(unit)) + "\n"
    assert _cpu_seconds(large) < 30 * _cpu_seconds(small) + 0.05
