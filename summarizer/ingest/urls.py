"""URLs from someone else's feed: one strict reading, the URL fetched, and the key an item is known by.

`parse_url` reads a URL once and refuses what two parsers could read differently: a backslash,
whitespace or a control character, user info (`user@host`), a bad port, a host that is not a name
or an address. The URL it returns is canonical (host lower-cased and IDNA-encoded as IDNA 2008 with UTS #46
non-transitional mapping, so `faß.de` is never `fass.de`; non-ASCII and
unsafe characters percent-encoded, the fragment dropped), and the HTTP client is checked to read
that canonical URL's scheme, host and port exactly as this module does.

`clean_url` is what is fetched: tracking parameters (utm_*, fbclid, gclid and the like) removed,
every other parameter kept in its order. `url_key` is what an item is known by: the clean URL
with the default port dropped and the parameters sorted, so `?NewsID=555` and `?NewsID=556`
stay two stories while `?b=2&a=1` and `?a=1&b=2` are one.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_RE = re.compile(
    r"^(utm_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|vero_conv|wickedid)$", re.IGNORECASE)
_BAD_CHARS_RE = re.compile(r"[\\\x00-\x1f\x7f]")  # browsers drop tabs and newlines, read \\ as /
_AUTHORITY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$")
_SAFE = "/:@!$&'()*+,;=-._~%"  # RFC 3986 path characters; '%' keeps existing escapes


class BadURL(ValueError):
    """A URL this tool will not fetch (the message says why, in a few words)."""


@dataclass(frozen=True)
class Target:
    """A URL read once: its parts, and the canonical form that is fetched."""

    url: str
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> tuple[str, str, int]:
        """(scheme, host, port): what robots.txt and trust are keyed by."""
        return self.scheme, self.host, self.port

    @property
    def origin_url(self) -> str:
        """scheme://host[:port], the default port left out."""
        default = DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{_netloc(self.host)}{'' if default else f':{self.port}'}"


def _netloc(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _host(raw: str) -> str:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise BadURL("an unclosed [ in the host")
        try:
            return str(ipaddress.IPv6Address(raw[1:-1]))
        except ValueError:
            raise BadURL("not an IPv6 address in [...]") from None
    try:
        host = raw.lower() if raw.isascii() else _idna(raw)
    except (UnicodeError, ValueError):  # idna.IDNAError is a UnicodeError
        raise BadURL("a host name that is not a valid international domain name") from None
    if not _HOST_RE.match(host):
        raise BadURL("no valid host name")
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or last.startswith("0x"):  # an IPv4 address: only its usual dotted form
        try:
            if str(ipaddress.IPv4Address(host)) != host:
                raise ValueError
        except ValueError:
            raise BadURL("an IPv4 address written in an unusual form") from None
    return host


def _idna(raw: str) -> str:
    """A non-ASCII host as IDNA 2008 with UTS #46 non-transitional mapping reads it: `faß.de` is
    xn--fa-hia.de, never fass.de (IDNA 2003, Python's "idna" codec, would fetch another site)."""
    import idna

    dot = raw.endswith((".", "\u3002", "\uff0e", "\uff61"))
    ascii_host = idna.encode(raw.rstrip(".\u3002\uff0e\uff61"), uts46=True, transitional=False).decode("ascii")
    return ascii_host.lower() + ("." if dot else "")


def parse_url(url: str, base: str | None = None) -> Target:
    """Read `url` (relative to `base`, for a redirect's Location) strictly, once.

    Raises:
        BadURL: not an http(s) URL this tool can read without ambiguity.
    """
    if not isinstance(url, str):
        raise BadURL("not a URL")
    url = url.strip()
    if _BAD_CHARS_RE.search(url):
        raise BadURL("a backslash or control character in the URL")
    if base is not None:
        from urllib.parse import urljoin

        try:
            url = urljoin(base, url)
        except ValueError as exc:  # urljoin reads both: "http://[oops" raises
            raise BadURL(f"unreadable URL ({exc})") from None
    authority = _AUTHORITY_RE.match(url)
    if authority and any(ch.isspace() for ch in authority.group(1)):
        raise BadURL("a space in the host part of the URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"unreadable URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise BadURL("not an http(s) link")
    if "@" in parts.netloc:
        raise BadURL("a user name or password in the URL")
    raw_host = parts.netloc.rsplit(":", 1)[0] if port is not None or parts.netloc.endswith(":") else parts.netloc
    host = _host(raw_host)
    port = port if port is not None else DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise BadURL("a port out of range")
    path = quote(parts.path or "/", safe=_SAFE)
    query = quote(parts.query, safe=_SAFE + "?")
    canonical = f"{scheme}://{_netloc(host)}{'' if DEFAULT_PORTS[scheme] == port else f':{port}'}{path}" \
                f"{'?' + query if query else ''}"
    target = Target(canonical, scheme, host, port)
    _same_reading(target)
    return target


def _same_reading(target: Target) -> None:
    """The HTTP client must read the canonical URL's scheme, host and port as we do."""
    from urllib3.util import parse_url as client_parse

    try:
        theirs = client_parse(target.url)
    except ValueError:
        raise BadURL("the HTTP client cannot read this URL") from None
    host = (theirs.host or "").strip("[]").lower()
    port = theirs.port or DEFAULT_PORTS.get(theirs.scheme or "", 0)
    if (theirs.scheme, host, port) != (target.scheme, target.host, target.port):
        raise BadURL("two URL parsers read this URL differently")


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING_RE.match(k)]


def clean_url(url: str) -> str:
    """The URL to fetch: canonical, without tracking parameters and fragment; other parameters kept in order.

    Raises:
        BadURL: see parse_url.
    """
    target = parse_url(url)
    head, _, query = target.url.partition("?")
    if not query:
        return head
    kept = [part for part in query.split("&") if part and not TRACKING_RE.match(part.split("=", 1)[0])]
    return head + ("?" + "&".join(kept) if kept else "")


def url_key(url: str) -> str:
    """What an item is known by: its clean URL with the parameters sorted (default port already out).

    Raises:
        BadURL: see parse_url.
    """
    head, _, query = clean_url(url).partition("?")
    pairs = sorted(_query_pairs(query))
    return head + ("?" + urlencode(pairs, quote_via=quote, safe=_SAFE) if pairs else "")


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, or None when it cannot be read."""
    try:
        return parse_url(url).origin
    except BadURL:
        return None
