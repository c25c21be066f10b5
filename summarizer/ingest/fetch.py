"""Polite, bounded HTTP fetching of feeds and pages, that never wanders into a private network.

- Every URL is read once, strictly (ingest.urls); what two parsers could read differently is refused.
- The origin (scheme, host, port) that led here is trusted: the URL the user named, or the feed an
  item came from. Anything else must resolve to public addresses only, and the connection goes to
  the very address that was checked (ingest.netguard); redirects are checked hop by hop, the
  redirects of feeds included. `allow_private` lifts the address check for people who run their
  own internal sites.
- robots.txt per origin as RFC 9309 reads it (ingest.robots); its Crawl-delay, if longer, replaces
  the per-host delay, up to `max_crawl_delay` (above it the host is left for the next run).
- Requests to one host are spaced by `delay` seconds; at most `max_pages` pages per host per run;
  one User-Agent names the tool, its version and the contact.
- One deadline per request (connect, headers and body together: `timeout`); 429 and 5xx retried
  with backoff honouring Retry-After (up to `max_wait`); a refused answer (an error status, a type
  not asked for, a declared size over the cap) is closed unread; bodies are capped at `max_bytes`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from .answers import network_error, read_answer, read_body
from .robots import Robots
from .urls import BadURL, Target, parse_url
from .web import FEED_TYPES, HTML_TYPES, RETRY_STATUSES, Fetched, FetchError, FetchSettings, close_unread

__all__ = ["FEED_TYPES", "HTML_TYPES", "FetchError", "FetchSettings", "Fetched", "PoliteFetcher"]
REDIRECTS = (301, 302, 303, 307, 308)
MAX_HOPS = 5


@dataclass
class _HostState:
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_at: float = 0.0
    pages: int = 0
    delay: float | None = None  # the delay in force (robots.txt's Crawl-delay included)
    min_delay: float | None = None  # a feed's own setting for this host
    max_pages: int | None = None
    deferred: str | None = None  # why this host is left for the next run


class PoliteFetcher:
    """Fetches feeds and pages politely and safely (see the module doc); thread-safe.

    Args:
        settings: politeness settings.
    """

    def __init__(self, settings: FetchSettings | None = None) -> None:
        from .netguard import pool_manager

        self.settings = settings or FetchSettings()
        size = max(1, self.settings.concurrency)
        self._guarded = pool_manager(True, num_pools=32, maxsize=size, retries=False)
        self._open = pool_manager(False, num_pools=32, maxsize=size, retries=False)
        self._hosts: dict[str, _HostState] = {}
        self._robots: dict[tuple[str, str, int], Robots] = {}
        self._hosts_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self.requests = 0

    def _state(self, host: str) -> _HostState:
        with self._hosts_lock:
            return self._hosts.setdefault(host, _HostState())

    def host_limits(self, url: str, delay: float | None = None, max_pages: int | None = None) -> None:
        """Per-site settings for the host of `url` (a feed's own `delay` and `max_pages`)."""
        try:
            state = self._state(parse_url(url).host)
        except BadURL:
            return
        with state.lock:
            if delay is not None:
                state.min_delay = delay
            if max_pages is not None:
                state.max_pages = max_pages

    def ready_in(self, host: str) -> float:
        """Seconds until `host` may be asked again (0: now, or never asked again this run)."""
        state = self._state(host)
        if state.deferred:
            return 0.0
        return max(0.0, state.next_at - time.monotonic())

    def fetch(self, url: str, *, accept: tuple[str, ...] = HTML_TYPES, origin: str | None = None,
              page: bool = True, validators: tuple[str | None, str | None] = (None, None),
              max_bytes: int | None = None) -> Fetched:
        """GET `url` politely, following redirects (each hop checked).

        Args:
            url: what to fetch.
            accept: content types accepted.
            origin: the URL of the feed (or input) that led here: its scheme, host and port are
                trusted, any other must be public. None: `url` itself was named by the user.
            page: counts against the per-host page cap (feeds do not).
            validators: (ETag, Last-Modified) of an earlier fetch: a 304 comes back with no body.
            max_bytes: size cap of this body (default: the settings').

        Raises:
            FetchError: refused, robots.txt disallows it, over a cap, deferred, or the server failed.
        """
        try:
            target = parse_url(url)
            trusted = parse_url(origin).origin if origin else target.origin
        except BadURL as exc:
            raise FetchError("refused", f"not fetched: {exc}") from None
        requested = target.url
        for _ in range(MAX_HOPS + 1):
            self._check(target, trusted, page)
            response, watch = self._request(target, trusted, validators)
            try:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    close_unread(response)
                    try:
                        target = parse_url(response.headers["Location"], base=target.url)
                    except BadURL as exc:
                        raise FetchError("refused", f"a redirect to a URL not fetched: {exc}") from None
                    continue
                if response.status == 304 and not any(validators):
                    close_unread(response)
                    raise FetchError("http", "HTTP 304 Not Modified to a request that sent no validators")
                return read_answer(requested, target.url, response, accept, max_bytes or self.settings.max_bytes,
                                   watch, self.settings.timeout)
            finally:
                watch.close()
        raise FetchError("http", f"more than {MAX_HOPS} redirects")

    def _check(self, target: Target, trusted: tuple[str, str, int], page: bool) -> None:
        state = self._state(target.host)
        robots = self._robots_of(target, trusted)
        if state.deferred:
            raise FetchError("deferred", state.deferred)
        if robots.unavailable:
            raise FetchError("deferred", f"{target.origin_url}: {robots.unavailable}")
        if not robots.allows(target.url, self.settings.user_agent):
            raise FetchError("robots", f"robots.txt of {target.host} disallows {target.url[:100]}")
        if page:
            with state.lock:
                cap = state.max_pages if state.max_pages is not None else self.settings.max_pages
                if state.pages >= cap:
                    raise FetchError("cap", f"the cap of {cap} pages from {target.host} in one run was reached")
                state.pages += 1

    def _robots_of(self, target: Target, trusted: tuple[str, str, int]) -> Robots:
        state = self._state(target.host)
        with state.lock:
            robots = self._robots.get(target.origin)
            if robots is None:
                robots = self._read_robots(target, trusted)
                self._robots[target.origin] = robots
                base = state.min_delay if state.min_delay is not None else self.settings.delay
                if robots.crawl_delay > self.settings.max_crawl_delay:
                    state.deferred = (f"robots.txt of {target.host} asks for a Crawl-delay of {robots.crawl_delay:g}s, "
                                      f"over the {self.settings.max_crawl_delay:g}s this tool waits: left for the "
                                      f"next run")
                state.delay = max(base, state.delay or 0.0, min(robots.crawl_delay, self.settings.max_crawl_delay))
            return robots

    def _read_robots(self, target: Target, trusted: tuple[str, str, int]) -> Robots:
        agent = self.settings.user_agent
        hop = parse_url(target.origin_url + "/robots.txt")
        for _ in range(MAX_HOPS + 1):
            try:
                response, watch = self._request(hop, trusted, (None, None), retries=0)
            except FetchError as exc:
                if exc.kind == "refused":
                    raise
                return Robots.from_answer(None, b"", agent, str(exc))
            try:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    close_unread(response)
                    try:
                        hop = parse_url(response.headers["Location"], base=hop.url)
                    except BadURL:
                        return Robots()  # an unreadable redirect: as if there were none (4xx-like)
                    continue
                if not 200 <= response.status < 300:
                    close_unread(response)
                    return Robots.from_answer(response.status, b"", agent)
                try:
                    body = read_body(response, 2_000_000, watch, self.settings.timeout, keep_partial=True)
                except FetchError as exc:
                    return Robots.from_answer(None, b"", agent, str(exc))
                return Robots.from_answer(response.status, body, agent)
            finally:
                watch.close()
        return Robots.from_answer(None, b"", agent, "too many redirects")

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

    def _request(self, target: Target, trusted: tuple[str, str, int], validators: tuple[str | None, str | None],
                 retries: int | None = None):
        """One GET (retried on 429/5xx); returns the response unread and its deadline, still running."""
        headers = {"User-Agent": self.settings.user_agent}
        if validators[0]:
            headers["If-None-Match"] = validators[0]
        if validators[1]:
            headers["If-Modified-Since"] = validators[1]
        guarded = not self.settings.allow_private and target.origin != trusted
        attempts = (self.settings.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            self._wait_turn(target.host)
            response, watch = self._attempt(target, headers, guarded)
            if response.status not in RETRY_STATUSES or attempt == attempts - 1:
                return response, watch
            wait = self._retry_after(response.headers.get("Retry-After"), attempt)
            close_unread(response)
            watch.close()
            if wait > self.settings.max_wait:
                raise FetchError("http", f"HTTP {response.status}; Retry-After {wait:.0f}s is longer than "
                                         f"{self.settings.max_wait:g}s")
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _attempt(self, target: Target, headers: dict[str, str], guarded: bool):
        import urllib3

        from . import netguard

        manager = self._guarded if guarded else self._open
        limit = self.settings.timeout
        watch = netguard.Deadline(limit)
        netguard.set_current(watch)
        try:
            with self._slots:
                self.requests += 1
                return manager.request("GET", target.url, headers=headers, redirect=False, preload_content=False,
                                       retries=False, timeout=urllib3.Timeout(connect=limit, read=limit)), watch
        except netguard.AddressRefused as exc:
            watch.close()
            raise FetchError("refused", f"{exc.reason}, and not the feed's own origin (--allow-private "
                                        f"allows it)") from None
        except Exception as exc:  # noqa: BLE001 - whatever the network did: one reason
            watch.close()
            raise network_error(exc, target, limit, watch.expired) from None
        finally:
            netguard.set_current(None)

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

    def hosts(self) -> dict[str, int]:
        """Pages fetched per host in this run."""
        return {host: state.pages for host, state in self._hosts.items()}
