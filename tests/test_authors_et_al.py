""" "et al." in a list: stored as the last element of the authors, written back as BibTeX's "and others"."""

import io

import bibtexparser

from export_records import paper
from llmkb.awesome_list.citations import split_authors
from llmkb.awesome_list.model import ET_AL
from llmkb.export.bibtex import bibtex_authors, citation_key_base, write_bibtex


def test_names_split_on_commas_and_a_final_and_with_et_al_last():
    assert split_authors("Ann Lee, Bo Chen and Cy Dee") == ["Ann Lee", "Bo Chen", "Cy Dee"]
    assert split_authors("Ann Lee, Bo Chen et al.") == ["Ann Lee", "Bo Chen", ET_AL]
    assert split_authors("Ann Lee et al") == ["Ann Lee", ET_AL]


def test_bibtex_writes_et_al_as_and_others():
    assert bibtex_authors(["Ann Lee", "Bo Chen", ET_AL]) == "Lee, Ann and Chen, Bo and others"
    assert bibtex_authors(["Ann Lee"]) == "Lee, Ann"
    record = paper(authors=["Ann Lee", ET_AL])
    assert citation_key_base(record).startswith("lee")
    out = io.StringIO()
    write_bibtex([record], out)
    [entry] = bibtexparser.parse_string(out.getvalue()).entries
    assert entry.fields_dict["author"].value == "Lee, Ann and others"
