"""Render papers as JSON (one array) or JSON Lines (one object per line), streamed record by record.

Neither writer holds more than one record: the array is written as "[", then each element, then "]", so
exporting 100,000 papers costs the memory of one. Records are written as the store gives them (the same
keys `show --format json` prints); non-ASCII text stays readable UTF-8.
"""

import json
from collections.abc import Iterable
from typing import TextIO

from llmkb.export.record_fields import Record


def _dumps(record: Record) -> str:
    # default=str: dates or paths that a caller left as objects still serialise instead of aborting midway.
    return json.dumps(record, ensure_ascii=False, default=str)


def write_json(records: Iterable[Record], out: TextIO) -> int:
    """Write a JSON array with one element per line; returns the number of elements."""
    count = 0
    for record in records:
        out.write(",\n  " if count else "[\n  ")
        out.write(_dumps(record))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    """Write one JSON object per line; returns the number of lines."""
    count = 0
    for record in records:
        out.write(_dumps(record))
        out.write("\n")
        count += 1
    return count


def write_json_texts(texts: Iterable[str], out: TextIO, *, lines: bool) -> int:
    """Like `write_json`/`write_jsonl`, for records already serialised (`llmkb.store.records.iter_record_json`).

    Records are written a thousand at a time: two `write` calls per record cost a dump of a million papers
    seconds of its time."""
    count = 0
    batch: list[str] = []
    separator = "\n" if lines else ",\n  "
    for text in texts:
        batch.append(text)
        if len(batch) == 1000:
            out.write(_joined(batch, separator, lines=lines, first=count == 0))
            count += len(batch)
            batch = []
    if batch:
        out.write(_joined(batch, separator, lines=lines, first=count == 0))
        count += len(batch)
    if not lines:
        out.write("\n]\n" if count else "[]\n")
    return count


def _joined(batch: list[str], separator: str, *, lines: bool, first: bool) -> str:
    if lines:
        return separator.join(batch) + "\n"
    return ("[\n  " if first else separator) + separator.join(batch)
