"""Reading an awesome list from a file or a URL.

A GitHub "blob" page is HTML around the file; its raw file is what we parse, so blob URLs are rewritten to
raw.githubusercontent.com. Every fetch has a timeout and reports failure in one line.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from llmkb.errors import InputError, NetworkError

_BLOB = re.compile(r"^https?://github\.com/([^/]+)/([^/]+)/blob/(.+)$")
TIMEOUT_S = 30.0
MAX_BYTES = 20 * 1024 * 1024


def raw_url(url: str) -> str:
    m = _BLOB.match(url)
    return f"https://raw.githubusercontent.com/{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else url


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def read_list(source: str) -> tuple[str, str]:
    """The list's text and a short name for it (file name), for `sources` and messages."""
    if is_url(source):
        return _fetch(raw_url(source)), source.rstrip("/").rsplit("/", 1)[-1] or source
    path = Path(source).expanduser()
    if not path.is_file():
        raise InputError(f"{source}: no such file")
    data = path.read_bytes()
    return _decode(data, source), path.name


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(f"{where}: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _fetch(url: str) -> str:
    import httpx

    try:
        response = httpx.get(url, timeout=TIMEOUT_S, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise NetworkError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from None
    if response.status_code != 200:
        raise NetworkError(f"cannot fetch {url}: HTTP {response.status_code}")
    if len(response.content) > MAX_BYTES:
        raise InputError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB; not a reading list")
    return _decode(response.content, url)
