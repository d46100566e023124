import io

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from export_records import paper, sample_papers
from llmkb.export.bibtex import bibtex_name, bibtex_title, citation_key_base, split_name, write_bibtex
from llmkb.export.latex import encode_latex


def export(records) -> str:
    out = io.StringIO()
    write_bibtex(records, out)
    return out.getvalue()


def parse(text: str) -> dict[str, dict]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return {entry.key: {"type": entry.entry_type, **entry.fields_dict} for entry in library.entries}


def field(entries: dict, key: str, name: str) -> str:
    return entries[key][name].value


def test_every_paper_parses_back_with_its_fields():
    entries = parse(export(sample_papers()))
    assert list(entries) == ["men2024shortgpt", "hu2021lora", "anon", "guo2023compresso", "kaiser2024dash"]
    assert entries["men2024shortgpt"]["type"] == "misc"
    assert field(entries, "men2024shortgpt", "author") == (
        "Men, Xin and Xu, Mingyu and Zhang, Qingyu and Wang, Bingning"
    )
    assert field(entries, "men2024shortgpt", "title").startswith("{ShortGPT}: Layers in Large")
    assert field(entries, "men2024shortgpt", "year") == "2024"
    assert field(entries, "men2024shortgpt", "month") == "mar"
    assert field(entries, "men2024shortgpt", "eprint") == "2403.03853"
    assert field(entries, "men2024shortgpt", "archivePrefix") == "arXiv"
    assert field(entries, "men2024shortgpt", "primaryClass") == "cs.CL"
    assert field(entries, "men2024shortgpt", "url") == "https://arxiv.org/abs/2403.03853"
    assert field(entries, "men2024shortgpt", "note") == "ACL Findings"


def test_month_is_a_bare_macro_and_year_a_bare_number():
    text = export([paper()])
    assert "  month = mar,\n" in text
    assert "  year = 2024,\n" in text


def test_journal_reference_makes_an_article_with_doi():
    entries = parse(export(sample_papers()))
    lora = entries["hu2021lora"]
    assert lora["type"] == "article"
    assert lora["journal"].value == "ICLR 2022"
    assert lora["doi"].value == "10.48550/arXiv.2106.09685"
    assert "note" not in lora


def test_paper_without_arxiv_id_authors_or_year_has_no_eprint_fields():
    entries = parse(export(sample_papers()))
    bare = entries["anon"]
    assert set(bare) == {"type", "title", "url"}
    assert bare["url"].value == "https://example.org/paper%20(v2).pdf"


def test_non_ascii_names_are_latex_encoded():
    entries = parse(export(sample_papers()))
    assert field(entries, "hu2021lora", "author") == (
        "Hu, Edward J. and Ram{\\'\\i}rez, Jos{\\'e} and van der Berg, Zo{\\\"e}"
    )
    assert field(entries, "kaiser2024dash", "author") == "Kaiser, {\\L}ukasz and de la Cruz, Ana"


def test_latex_special_characters_in_titles_are_escaped_and_braces_balance():
    title = bibtex_title("50% of A&B: cost_$ #1 {x} ~y^ \\z <a|b>")
    assert title == (
        "50\\% of {A}\\&{B}: cost\\_\\$ \\#1 \\textbraceleft{}x\\textbraceright{} \\textasciitilde{}y"
        "\\textasciicircum{} \\textbackslash{}z \\textless{}a\\textbar{}b\\textgreater{}"
    )
    assert title.count("{") == title.count("}")
    entries = parse(export([paper(title="50% of A&B: cost_$ #1 {x} ~y^ \\z")]))
    assert field(entries, "men2024cost", "title").startswith("50\\% of")


def test_words_whose_capitals_matter_are_braced():
    assert bibtex_title("LoRA: Low-Rank Adaptation of GPT-4 and T5 in Part A") == (
        "{LoRA}: Low-Rank Adaptation of {GPT-4} and {T5} in Part {A}"
    )
    assert bibtex_title("A Survey of Large Language Models") == "A Survey of Large Language Models"
    assert bibtex_title("Über GPT") == '{\\"U}ber {GPT}'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Xin Men", ("Men", "Xin", "")),
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig", "")),
        ("Nicola De Cao", ("De Cao", "Nicola", "")),
        ("Ana de la Cruz", ("de la Cruz", "Ana", "")),
        ("Martin Luther King Jr.", ("King", "Martin Luther", "Jr.")),
        ("Plato", ("Plato", "", "")),
        ("Ramírez, José", ("Ramírez", "José", "")),
        ("Yu Da", ("Da", "Yu", "")),
    ],
)
def test_names_split_into_last_first_and_suffix(name, expected):
    assert split_name(name) == expected


def test_bibtex_names_keep_groups_whole_and_put_suffixes_in_the_middle():
    assert bibtex_name("Martin Luther King Jr.") == "King, Jr., Martin Luther"
    assert bibtex_name("Gemini Team") == "{Gemini Team}"
    assert bibtex_name("Plato") == "Plato"


def test_keys_fold_to_ascii_and_skip_stopwords():
    assert citation_key_base(paper(authors=["José Ramírez"], title="Towards the Ünified LLM")) == ("ramirez2024unified")
    assert citation_key_base(paper(authors=["Łukasz Ø. Kaiser"], title="On 2 Bits")) == "kaiser2024bits"
    assert citation_key_base(paper(authors=["Ludwig van Beethoven"], year=None, published=None)) == (
        "vanbeethovenshortgpt"
    )
    assert citation_key_base(paper(authors=["张伟"], title="大模型")) == "anon2024"


def test_colliding_keys_get_letter_suffixes_in_input_order():
    records = [paper(f"2403.0385{n}", note=str(n)) for n in range(4)]
    keys = list(parse(export(records)))
    assert keys == ["men2024shortgpt", "men2024shortgpta", "men2024shortgptb", "men2024shortgptc"]
    assert keys == list(parse(export(records)))  # same input, same keys


def test_suffixed_key_never_reuses_another_papers_base_key():
    records = [paper(title="ShortGPT"), paper(title="ShortGPTa"), paper(title="ShortGPT")]
    assert list(parse(export(records))) == ["men2024shortgpt", "men2024shortgpta", "men2024shortgptb"]


def test_large_exports_are_written_in_batches_with_one_blank_line_between_entries():
    records = [paper(f"2403.{n:05d}", title=f"Topic{n} study") for n in range(600)]
    text = export(records)
    assert len(parse(text)) == 600
    assert "}\n\n@misc" in text and "}\n\n\n" not in text


def test_empty_selection_writes_nothing():
    out = io.StringIO()
    assert write_bibtex([], out) == 0
    assert out.getvalue() == ""


def test_encode_latex_handles_accents_ligatures_and_leaves_cjk():
    expected = "{\\c{C}}elik Dvo{\\v{r}}{\\'a}k {\\AA}ngstr{\\\"o}m stra{\\ss}e"
    assert encode_latex("Çelik Dvořák Ångström straße") == expected
    assert encode_latex("μP – “x”") == "$\\mu$P -- ``x''"
    assert encode_latex("张伟") == "张伟"


def test_final_sigma_is_encoded_and_reads_back():
    assert encode_latex("ς") == "$\\varsigma$"
    assert encode_latex("σς Σ") == "$\\sigma$$\\varsigma$ $\\Sigma$"
    title = "Ethos, Pathos and Λόγος: Persuasion in LLMs"
    text = export([paper(title=title)])
    assert "ς" not in text
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(keep_math_mode=False)])
    assert not library.failed_blocks
    assert library.entries[0].fields_dict["title"].value == title
