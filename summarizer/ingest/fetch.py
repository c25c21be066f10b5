"""Polite HTTP fetching of feeds and pages: robots.txt, per-host delay, caps, retries, size and
type checks, and no wandering into private networks.

- robots.txt is honoured (protego), read once per host and run; its Crawl-delay, if longer,
  replaces the per-host delay.
- Requests to one host are spaced by `delay` seconds; at most `max_pages` pages per host per
  run; a User-Agent names the tool and, when configured, a contact.
- Timeouts on connect and read; 429 and 5xx are retried with backoff, honouring Retry-After.
- Bodies are capped at `max_bytes`; only the content types asked for are accepted.
- A link from someone else's feed to a loopback, private or link-local address on another host
  than the feed's own is refused, redirects included, unless `allow_private`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from .web import (
    FEED_TYPES,
    HTML_TYPES,
    RETRY_STATUSES,
    Fetched,
    FetchError,
    FetchSettings,
    discard,
    host_of,
    is_private_address,
)

__all__ = ["FEED_TYPES", "HTML_TYPES", "FetchError", "FetchSettings", "Fetched", "PoliteFetcher"]

@dataclass
class _HostState:
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_at: float = 0.0
    pages: int = 0
    robots: object | None = None
    delay: float | None = None  # the delay in force (robots.txt's Crawl-delay included)
    min_delay: float | None = None  # a feed's own setting for this host
    max_pages: int | None = None


class PoliteFetcher:
    """Fetches feeds and pages politely (see the module doc); thread-safe.

    Args:
        settings: politeness settings.
    """

    def __init__(self, settings: FetchSettings | None = None) -> None:
        import urllib3

        self.settings = settings or FetchSettings()
        self.http = urllib3.PoolManager(num_pools=32, maxsize=max(1, self.settings.concurrency),
                                        headers={"User-Agent": self.settings.user_agent},
                                        retries=False, timeout=urllib3.Timeout(connect=self.settings.timeout,
                                                                               read=self.settings.timeout))
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, self.settings.concurrency))
        self.requests = 0

    def _state(self, host: str) -> _HostState:
        with self._hosts_lock:
            return self._hosts.setdefault(host, _HostState())

    def host_limits(self, url: str, delay: float | None = None, max_pages: int | None = None) -> None:
        """Per-site settings for the host of `url` (a feed's own `delay` and `max_pages`)."""
        state = self._state(host_of(url))
        with state.lock:
            if delay is not None:
                state.min_delay = delay
            if max_pages is not None:
                state.max_pages = max_pages

    def fetch(self, url: str, *, accept: tuple[str, ...] = HTML_TYPES, origin: str | None = None,
              page: bool = True, validators: tuple[str | None, str | None] = (None, None),
              max_bytes: int | None = None) -> Fetched:
        """GET `url` politely, following redirects (each hop checked).

        Args:
            url: what to fetch.
            accept: content types accepted.
            origin: the URL of the feed that linked to it (its host may be private; others may not).
            page: counts against the per-host page cap (feeds do not).
            validators: (ETag, Last-Modified) of an earlier fetch: a 304 comes back with no body.
            max_bytes: size cap of this body (default: the settings').

        Raises:
            FetchError: robots.txt disallows it, it is refused, over a cap, or the server failed.
        """
        origin_host = host_of(origin) if origin else None
        requested = url
        for _ in range(6):  # at most five redirects
            self._check(url, origin_host, page)
            response = self._request(url, validators)
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                discard(response)
                continue
            return self._read(requested, url, response, accept, max_bytes or self.settings.max_bytes)
        raise FetchError("http", "too many redirects")

    def _check(self, url: str, origin_host: str | None, page: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError("refused", f"not an http(s) link: {url[:100]}")
        host = (parts.hostname or "").lower()
        if origin_host is not None and host != origin_host and not self.settings.allow_private \
                and is_private_address(host):
            raise FetchError("refused", f"{host} is a private, loopback or link-local address and not the feed's "
                                        f"own host (--allow-private allows it)")
        state = self._state(host)
        if not self._robots(parts, state).can_fetch(url, self.settings.user_agent):
            raise FetchError("robots", f"robots.txt of {host} disallows {parts.path or '/'}")
        if page:
            with state.lock:
                cap = state.max_pages if state.max_pages is not None else self.settings.max_pages
                if state.pages >= cap:
                    raise FetchError("cap", f"the cap of {cap} pages from {host} in one run was reached")
                state.pages += 1

    def _robots(self, parts, state: _HostState):
        from protego import Protego

        with state.lock:
            if state.robots is None:
                robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
                text = ""
                try:
                    response = self._request(robots_url, (None, None), retries=0)
                    if response.status == 200:
                        text = self._body(response, 500_000).decode("utf-8", "replace")
                    else:
                        discard(response)
                except FetchError:
                    pass  # no robots.txt we can read: everything is allowed
                state.robots = Protego.parse(text)
                crawl_delay = state.robots.crawl_delay(self.settings.user_agent)
                base = state.min_delay if state.min_delay is not None else self.settings.delay
                state.delay = max(base, float(crawl_delay or 0))
            return state.robots

    def _wait_turn(self, host: str) -> None:
        state = self._state(host)
        with state.lock:
            delay = state.delay if state.delay is not None else (
                state.min_delay if state.min_delay is not None else self.settings.delay)
            now = time.monotonic()
            start = max(now, state.next_at)
            state.next_at = start + delay
        if start > now:
            time.sleep(start - now)

    def _request(self, url: str, validators: tuple[str | None, str | None], retries: int | None = None):
        import urllib3

        headers = {"User-Agent": self.settings.user_agent}
        if validators[0]:
            headers["If-None-Match"] = validators[0]
        if validators[1]:
            headers["If-Modified-Since"] = validators[1]
        attempts = (self.settings.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            self._wait_turn(host_of(url))
            with self._slots:
                try:
                    self.requests += 1
                    response = self.http.request("GET", url, headers=headers, redirect=False, preload_content=False)
                except urllib3.exceptions.TimeoutError:
                    raise FetchError("timeout", f"timed out after {self.settings.timeout:g}s") from None
                except urllib3.exceptions.HTTPError as exc:
                    raise FetchError("network", f"network error: {type(exc).__name__}") from None
            if response.status not in RETRY_STATUSES or attempt == attempts - 1:
                return response
            wait = self._retry_after(response.headers.get("Retry-After"), attempt)
            discard(response)
            if wait > self.settings.max_wait:
                raise FetchError("http", f"HTTP {response.status}; Retry-After {wait:.0f}s is longer than "
                                         f"{self.settings.max_wait:g}s")
            time.sleep(wait)
        raise AssertionError("unreachable")

    @staticmethod
    def _retry_after(value: str | None, attempt: int) -> float:
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                try:
                    return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
                except (TypeError, ValueError):
                    pass
        return min(30.0, 2.0 ** attempt)

    def _read(self, requested: str, url: str, response, accept: tuple[str, ...], cap: int) -> Fetched:
        headers = response.headers
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if response.status == 304:
            discard(response)
            return Fetched(requested, url, 304, etag=etag, last_modified=modified)
        if response.status >= 400:
            discard(response)
            raise FetchError("http", f"HTTP {response.status}")
        content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and content_type not in accept:
            discard(response)
            raise FetchError("type", f"not a page to read ({content_type})")
        body = self._body(response, cap)
        return Fetched(requested, url, response.status, body, content_type, etag, modified)

    def _body(self, response, cap: int) -> bytes:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > cap:
            response.close()  # not read: the connection cannot be used again
            raise FetchError("size", f"over the {cap / 1e6:g} MB size cap ({int(length) / 1e6:.1f} MB)")
        chunks, total = [], 0
        try:
            for chunk in response.stream(65536):
                total += len(chunk)
                if total > cap:
                    response.close()
                    raise FetchError("size", f"over the {cap / 1e6:g} MB size cap")
                chunks.append(chunk)
        except FetchError:
            raise
        except Exception as exc:  # noqa: BLE001 - a read that broke off: one reason
            response.close()
            raise FetchError("network", f"the body broke off: {type(exc).__name__}") from None
        response.release_conn()
        return b"".join(chunks)

    def hosts(self) -> dict[str, int]:
        """Pages fetched per host in this run."""
        return {host: state.pages for host, state in self._hosts.items()}
