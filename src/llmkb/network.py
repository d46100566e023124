"""What every fetch shares: which redirects may be followed, and network failures said in words.

A redirect is followed only to http or https, and never from a public address to a private, loopback or
link-local one (a list on the internet must not make llmkb read from the user's own network); when the
URL the user gave is itself internal, anything http(s) is allowed. The fetchers report a redirect to
another host with `llmkb.errors.notify` (or their `on_redirect` hook) so the user sees where the data came
from. Names are resolved to tell public from internal; a name that does not resolve counts as public
(the request then fails on its own).
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

from llmkb.errors import NetworkError, notify

SCHEMES = ("http", "https")
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _internal_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_reserved or ip.is_multicast


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):  # 2130706433, 0x7f.1, 127.1: what inet_aton (and so the resolver) reads
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_internal_host(host: str, *, resolve: bool = True) -> bool:
    """Loopback, private, link-local, unspecified, reserved or multicast; `localhost` names; with `resolve`,
    a name any of whose addresses is one of those."""
    host = host.strip("[]").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    ip = _literal(host)
    if ip is not None:
        return _internal_ip(ip)
    if not resolve:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        ip = _literal(str(info[4][0]))
        if ip is not None and _internal_ip(ip):
            return True
    return False


def redirect_refusal(origin: str, target: str, *, resolve: bool = True) -> str | None:
    """Why a redirect to `target` must not be followed when the user asked for `origin`, or None."""
    scheme = urlsplit(target).scheme.lower()
    if scheme not in SCHEMES:
        return f"it leads to a {scheme}: address, and only http and https are followed" if scheme else "no address"
    target_host = host_of(target)
    if not target_host:
        return "the address has no host"
    if is_internal_host(host_of(origin), resolve=resolve):
        return None  # the user asked for an internal address: its redirects may stay inside
    if is_internal_host(target_host, resolve=resolve):
        return "it leads from a public address to a private or local one"
    return None


def check_redirect(origin: str, target: str, *, resolve: bool = True) -> None:
    """NetworkError if the redirect to `target` must not be followed (see `redirect_refusal`)."""
    why = redirect_refusal(origin, target, resolve=resolve)
    if why is not None:
        raise NetworkError(f"refused to follow the redirect from {origin} to {target}: {why}")


def crosses_hosts(source: str, target: str) -> bool:
    return host_of(source) != host_of(target)


def note_redirect(source: str, target: str) -> None:
    """The default report of a redirect to another host: a note for the user."""
    notify(f"{source} redirects to another host: {target}")


# --- failures in words ----------------------------------------------------------------------------------


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything it wraps (causes, contexts, urllib3's `reason`, exceptions in its args)."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (current.__cause__, current.__context__, getattr(current, "reason", None), *current.args):
            if isinstance(inner, BaseException):
                pending.append(inner)


def is_unreachable(exc: BaseException) -> bool:
    """True when retrying soon cannot help: refused, no such host, no route (the network is down)."""
    for cause in _causes(exc):
        if isinstance(cause, (ConnectionRefusedError, socket.gaierror)):
            return True
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
            return True
    return False


def failure_reason(exc: BaseException) -> str:
    """A network failure in a few words ("connection refused"), without the libraries' wrapping."""
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "the host name could not be resolved; is the network up?"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"the server's TLS certificate is not valid ({cause.verify_message or cause.reason})"
        if isinstance(cause, ssl.SSLError):
            return "the TLS connection failed"
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset"
        if isinstance(cause, TimeoutError):
            return "no answer in time"
        if isinstance(cause, OSError) and cause.errno is not None and cause.strerror:
            return cause.strerror[:1].lower() + cause.strerror[1:]
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
