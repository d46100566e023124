"""Reading an awesome list from a file or a URL.

A GitHub "blob" page is HTML around the file; its raw file is what we parse, so blob URLs are rewritten to
raw.githubusercontent.com. Every fetch has a timeout and reports failure in one line. Bytes become text by
their byte-order mark, else as UTF-8, else in the encoding charset-normalizer finds (lists kept in GBK or
Big5 exist): a wrong guess stored as mojibake is worse than a clear error.
"""

from __future__ import annotations

import codecs
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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, where: str) -> str:
    for bom, encoding in _BOMS:  # UTF-32-LE's mark starts with UTF-16-LE's, so it is tried first
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        detected = _detected(data)
        if detected is None:
            raise InputError(f"{where}: not a text file (no text encoding fits its bytes)") from None
        text = detected
    if "\x00" in text[:4096]:
        raise InputError(f"{where}: not a text file")
    return text


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


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
