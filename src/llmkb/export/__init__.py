"""Render a selection of paper records as a file: markdown awesome list, BibTeX, CSV, JSON.

Every writer takes an iterable of paper record dicts (the shape `show --format json` prints) and a text
stream, writes as it goes and returns how many papers it wrote. Writers know nothing of the database or the
terminal, so the same code serves stdout and files (see `atomic_output`).
"""

from llmkb.export.atomic_write import atomic_output
from llmkb.export.bibtex import write_bibtex
from llmkb.export.csv_format import write_csv
from llmkb.export.json_format import write_json, write_jsonl
from llmkb.export.markdown import write_markdown

__all__ = ["atomic_output", "write_bibtex", "write_csv", "write_json", "write_jsonl", "write_markdown"]
