"""Awesome-list parser: markdown text in, paper entries, tags and warnings out.

Pure: no database, no network, no output. The import service turns the result into stored papers.
"""

from llmkb.awesome_list.model import Link, ListEntry, ListWarning, ParsedList, RefRow, RefTable
from llmkb.awesome_list.parser import parse_awesome_list
from llmkb.slugs import slugify

__all__ = [
    "Link",
    "ListEntry",
    "ListWarning",
    "ParsedList",
    "RefRow",
    "RefTable",
    "parse_awesome_list",
    "slugify",
]
