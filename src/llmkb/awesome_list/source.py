"""Reading an awesome list from a file, standard input or a URL.

A GitHub "blob" page is HTML around the file; its raw file is what we parse, so blob URLs are rewritten to
raw.githubusercontent.com. Bytes become text by their byte-order mark, else as UTF-8, else in the encoding
charset-normalizer finds (lists kept in GBK or Big5 exist): a wrong guess stored as mojibake is worse than a
clear error. Every read is bounded and reports failure in one line:

- size: at most `max_list_bytes()` (20 MB, or `LLMKB_MAX_LIST_BYTES`) of text, counted *after*
  decompression for a compressed download, and never read past the limit (an endless body or a gzip bomb
  costs at most the limit in memory);
- time: each network operation has `TIMEOUT_S`, the whole download `DEADLINE_S`;
- redirects: at most `MAX_REDIRECTS`, only to http(s), never from a public address to a private one
  (`llmkb.network`); one to another host is reported.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from llmkb.errors import InputError, NetworkError, TooLargeError, UsageError

_BLOB = re.compile(r"^https?://github\.com/([^/]+)/([^/]+)/blob/(.+)$")
TIMEOUT_S = 30.0  # connecting, and the longest silence while reading
DEADLINE_S = 120.0  # the whole download, however the server paces it
MAX_BYTES = 20 * 1024 * 1024  # default size limit, after decompression
MAX_REDIRECTS = 5
MAX_BYTES_ENV = "LLMKB_MAX_LIST_BYTES"
STDIN = "-"
_CHUNK = 64 * 1024
_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)
_clock = time.monotonic  # tests move time forward without waiting

Redirected = Callable[[str, str], None]


def raw_url(url: str) -> str:
    m = _BLOB.match(url)
    return f"https://raw.githubusercontent.com/{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else url


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def max_list_bytes() -> int:
    """The size limit for one list: `LLMKB_MAX_LIST_BYTES` (bytes, or with K, M or G) or 20 MB."""
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw is None or not raw.strip():
        return MAX_BYTES
    m = _SIZE.fullmatch(raw)
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"{MAX_BYTES_ENV}={raw!r} is not a size: give bytes, or a number with K, M or G (e.g. 50M)")
    return int(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " ")


def _size_text(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _too_large(where: str, limit: int, *, decompressed: bool = False) -> TooLargeError:
    after = " once decompressed" if decompressed else ""
    return TooLargeError(
        f"{where}: larger than {_size_text(limit)}{after}, the limit for a list; not read "
        f"(set {MAX_BYTES_ENV}, e.g. {MAX_BYTES_ENV}=100M, for a bigger list)"
    )


def read_list(source: str, *, on_redirect: Redirected | None = None) -> tuple[str, str]:
    """The list's text and a short name for it (file name), for `sources` and messages.

    `source` is a path, a URL, or "-" for standard input. `on_redirect(from_url, to_url)` is told of a
    redirect to another host (default: a note, `llmkb.network.note_redirect`).
    """
    if source == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input cannot be read as bytes")
        return _decode(_read_limited(stream, "standard input", max_list_bytes()), "standard input"), "stdin"
    if is_url(source):
        return _fetch(raw_url(source), on_redirect=on_redirect), source.rstrip("/").rsplit("/", 1)[-1] or source
    return _read_file(source), _file_name(source)


def _file_name(source: str) -> str:
    return Path(source).name or source


def _read_file(source: str) -> str:
    limit = max_list_bytes()
    try:
        path = Path(source).expanduser()
        info = os.stat(path)
    except RuntimeError:  # ~user for a user that does not exist
        raise InputError(f"{source}: no such file") from None
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{source}: no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{source} is a folder, not a list file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise _too_large(source, limit)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        raise InputError(f"{source}: not a file that can be read as a list")
    try:
        with open(path, "rb") as file:  # a pipe or device is read like a file, up to the limit
            data = _read_limited(file, source, limit)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    return _decode(data, source)


def _read_limited(stream: BinaryIO, where: str, limit: int) -> bytes:
    data = bytearray()
    while chunk := stream.read(min(_CHUNK, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            raise _too_large(where, limit)
    return bytes(data)


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


# --- over HTTP ------------------------------------------------------------------------------------------


def _fetch(url: str, *, on_redirect: Redirected | None = None) -> str:
    """The list at `url`, within the size limit and the deadline, following only safe redirects."""
    import httpx

    from llmkb import __version__
    from llmkb.network import check_redirect, crosses_hosts, failure_reason, note_redirect

    limit = max_list_bytes()
    deadline = _clock() + DEADLINE_S
    headers = {"Accept-Encoding": "gzip, deflate", "User-Agent": f"llmkb/{__version__}"}
    current = url
    try:
        with httpx.Client(follow_redirects=False, headers=headers) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                remaining = deadline - _clock()
                if remaining <= 0:
                    raise _past_deadline(url)
                with client.stream("GET", current, timeout=min(TIMEOUT_S, remaining)) as response:
                    if response.has_redirect_location:
                        target = str(response.url.join(response.headers["location"]))
                        check_redirect(url, target)
                        if crosses_hosts(current, target):
                            (on_redirect or note_redirect)(current, target)
                        current = target
                        continue
                    if response.status_code != 200:
                        raise NetworkError(f"cannot fetch {url}: HTTP {response.status_code}")
                    return _decode(_read_body(response, url, limit, deadline), url)
            raise NetworkError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        if _clock() >= deadline:
            raise _past_deadline(url) from None
        raise NetworkError(f"cannot fetch {url}: no answer within {TIMEOUT_S:g} s") from None
    except httpx.HTTPError as exc:
        raise NetworkError(f"cannot fetch {url}: {failure_reason(exc)}") from None
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise InputError(f"{url} is not a URL llmkb can fetch ({exc})") from None


def _past_deadline(url: str) -> NetworkError:
    return NetworkError(f"cannot fetch {url}: not finished after {DEADLINE_S:g} s, the time limit for a download")


def _read_body(response, url: str, limit: int, deadline: float) -> bytes:
    """The decoded body, read in chunks: never more than `limit` bytes of it, never past the deadline."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        decoder = None
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
    elif encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)
    else:
        raise NetworkError(f"cannot fetch {url}: the server sent it with an encoding llmkb cannot read ({encoding})")
    body = bytearray()
    try:
        for chunk in response.iter_raw():  # as the bytes arrive: a chunk size would wait for it to fill
            if _clock() > deadline:
                raise _past_deadline(url)
            if decoder is None:
                body += chunk
            else:
                pending = chunk
                while pending and len(body) <= limit:
                    body += decoder.decompress(pending, limit + 1 - len(body))
                    pending = decoder.unconsumed_tail
            if len(body) > limit:
                raise _too_large(url, limit, decompressed=decoder is not None)
        if decoder is not None:
            body += decoder.flush()
            if len(body) > limit:
                raise _too_large(url, limit, decompressed=True)
    except zlib.error:
        raise NetworkError(f"cannot fetch {url}: the compressed answer is damaged") from None
    return bytes(body)


# --- very large lists, line by line ---------------------------------------------------------------------

STREAM_FROM = 8 * 1024 * 1024
"""Local files larger than this are read line by line (`open_list`) rather than whole: no real reading list
comes near it, generated and concatenated ones do, and a whole 400 MB text costs 400 MB before parsing."""


def open_list(source: str, *, on_redirect: Redirected | None = None) -> tuple[Iterator[str], str]:
    """The list's lines (with their line ends) and its short name: streamed from a large local file,
    otherwise `read_list`'s text split into lines. The same limits and checks apply either way."""
    if source != STDIN and not is_url(source):
        try:
            path = Path(source).expanduser()
            info = os.stat(path)
        except (RuntimeError, OSError):
            info = None  # read_list says what is wrong, in its words
        if info is not None and stat.S_ISREG(info.st_mode) and STREAM_FROM < info.st_size <= max_list_bytes():
            with open(path, "rb") as probe:
                head = probe.read(4096)
            if b"\x00" not in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return _utf8_lines(path, source), _file_name(source)
    text, name = read_list(source, on_redirect=on_redirect)
    return iter(text.splitlines(keepends=True)), name


def _utf8_lines(path: Path, source: str) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8-sig", errors="strict", newline="") as file:
            yield from file
    except UnicodeDecodeError:
        raise InputError(f"{source}: not UTF-8 text (a list this large must be UTF-8)") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
