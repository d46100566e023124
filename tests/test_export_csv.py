import csv
import io

from export_records import paper, sample_papers
from llmkb.export.csv_format import COLUMNS, write_csv


def export(records, **options) -> str:
    out = io.StringIO(newline="")
    write_csv(records, out, **options)
    return out.getvalue()


def read_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_rows_read_back_with_lists_joined_and_awkward_text_intact():
    records = sample_papers()
    rows = read_rows(export(records))
    assert len(rows) == len(records)
    first, lora, bare = rows[0], rows[1], rows[2]
    assert first["id"] == "2403.03853"
    assert first["authors"] == "Xin Men; Mingyu Xu; Qingyu Zhang; Bingning Wang"
    assert first["tags"] == "model-compression/pruning; llm"
    assert first["categories"] == "cs.CL; cs.LG"
    assert first["code"] == "https://github.com/example/shortgpt"
    assert first["note"] == records[0]["note"]
    assert lora["authors"] == "Edward J. Hu; José Ramírez; Zoë van der Berg"
    assert lora["journal_ref"] == "ICLR 2022" and lora["year"] == "2021" and lora["month"] == "6"
    assert bare["id"] == "kb-7"
    assert bare["title"] == "A_b | c* [d] <e> `f` # g ~h~ $x$"
    assert bare["note"] == "multi\nline  note"
    assert bare["authors"] == "" and bare["year"] == ""


def test_header_has_the_documented_columns():
    header = export([paper()]).splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    assert header.startswith("id,title,authors,year,month,venue,published,updated,primary_category")


def test_commas_quotes_and_newlines_are_quoted_and_lines_end_in_crlf():
    text = export([paper(title='Say "hi", then\nleave')])
    assert '"Say ""hi"", then\nleave"' in text
    assert text.endswith("\r\n")
    assert read_rows(text)[0]["title"] == 'Say "hi", then\nleave'


def test_xref_columns_appear_when_records_carry_them():
    record = paper(datasets=[{"name": "MMLU", "role": "evaluation"}, {"name": "C4", "role": "calibration"}], models=[])
    rows = read_rows(export([record]))
    assert rows[0]["datasets"] == "MMLU; C4 (calibration)"
    assert rows[0]["models"] == ""
    assert "datasets" not in read_rows(export([paper()]))[0]
    assert "datasets" in read_rows(export([paper()], with_xref=True))[0]


def test_bom_is_written_only_on_request():
    assert not export([paper()]).startswith("\ufeff")
    with_bom = export([paper()], bom=True)
    assert with_bom.startswith("\ufeffid,title,")


def test_empty_selection_is_a_header_only_file():
    out = io.StringIO(newline="")
    assert write_csv(iter([]), out) == 0
    assert out.getvalue() == ",".join(COLUMNS) + "\r\n"


def test_generator_input_is_consumed_once():
    count = write_csv((paper(f"2403.{n:05d}") for n in range(5)), io.StringIO())
    assert count == 5
