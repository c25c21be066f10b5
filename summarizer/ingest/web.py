"""What fetching shares: the settings of politeness, results, errors, and the address checks."""

from __future__ import annotations

from dataclasses import dataclass

from ..version import __version__

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+json", "text/plain")
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A request that gave no usable body.

    `kind`: robots (disallowed), refused (an address or URL not fetched), cap (pages per host),
    deferred (left for the next run: a Crawl-delay over the cap, robots.txt unreachable), http,
    timeout, network, type, size.
    """

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
        timeout: seconds one request may take in all: connecting, the headers and the body, across its
            redirects and retries (the politeness wait between two requests to one origin aside).
        retries: retries after a 429 or 5xx.
        max_wait: longest Retry-After honoured, in seconds (longer: give up on that request).
        max_bytes: size cap of one body.
        allow_private: let feed links reach private, loopback and link-local addresses.
        max_crawl_delay: the longest Crawl-delay obeyed; a host asking more is left for the next run.
        host_budget: seconds of requests one origin may take in a run (then it is left for the next run).
        breaker: error answers in a row (5xx, 429, none) after which an origin is left for the next run
            (0: never).
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
    max_crawl_delay: float = 30.0
    host_budget: float = 300.0
    breaker: int = 5

    @property
    def user_agent(self) -> str:
        """What the tool calls itself on the web."""
        contact = f"; contact: {self.contact}" if self.contact else ""
        return f"summarizer/{__version__} (news briefs{contact})"


def close_unread(response) -> None:
    """Give up on an answer without reading it: the connection is closed, never drained."""
    try:
        response.close()
        response.release_conn()
    except Exception:  # noqa: BLE001 - a connection that is already broken is simply dropped
        pass
