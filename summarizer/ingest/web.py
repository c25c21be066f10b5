"""What fetching shares: the settings of politeness, results, errors, and the address checks."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..version import __version__

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+json", "text/plain")
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A request that gave no usable body. `kind`: robots, refused, cap, http, timeout, network, type, size."""

    def __init__(self, kind: str, reason: str) -> None:
        self.kind = kind
        super().__init__(reason)


@dataclass(frozen=True)
class Fetched:
    """A successful response (or a 304 with no body)."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchSettings:
    """How politely to fetch.

    Attributes:
        contact: an address or URL put in the User-Agent, so site owners can reach the operator.
        delay: seconds between two requests to one host (robots.txt's Crawl-delay may raise it).
        max_pages: most pages fetched per host per run.
        concurrency: most requests in flight at once.
        timeout: seconds to connect, and to wait between bytes.
        retries: retries after a 429 or 5xx.
        max_wait: longest Retry-After honoured, in seconds (longer: give up on that request).
        max_bytes: size cap of one body.
        allow_private: let feed links reach private, loopback and link-local addresses.
    """

    contact: str | None = None
    delay: float = 1.0
    max_pages: int = 50
    concurrency: int = 4
    timeout: float = 20.0
    retries: int = 3
    max_wait: float = 60.0
    max_bytes: int = 5_000_000
    allow_private: bool = False

    @property
    def user_agent(self) -> str:
        """What the tool calls itself on the web."""
        contact = f"; contact: {self.contact}" if self.contact else ""
        return f"summarizer/{__version__} (news briefs{contact})"


def discard(response) -> None:
    """Read a small unwanted body to the end so the connection can serve the next request."""
    try:
        response.drain_conn()
        response.release_conn()
    except Exception:  # noqa: BLE001 - a broken connection is simply not reused
        response.close()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_private_address(host: str) -> bool:
    """Does `host` resolve to a loopback, private, link-local or otherwise non-public address?"""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unresolvable: the request itself will fail and say so
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return True
    return False
