"""Polite, bounded HTTP fetching of feeds and pages, that never wanders into a private network.

- Every URL is read once, strictly (ingest.urls); what two parsers could read differently is refused.
- The origin (scheme, host, port) that led here is trusted: the URL the user named, or the feed an
  item came from. Anything else must resolve to public addresses only, and the connection goes to
  the very address that was checked (ingest.netguard); redirects are checked hop by hop, the
  redirects of feeds included. `allow_private` lifts the address check for people who run their
  own internal sites.
- Everything is kept per origin (scheme, host, port; ingest.hosts), never per host name alone:
  robots.txt as RFC 9309 reads it (ingest.robots), whose Crawl-delay, if longer, replaces the
  delay, up to `max_crawl_delay` (above it the origin is left for the next run); requests spaced
  by `delay` seconds; at most `max_pages` pages and `host_budget` seconds of requests per run; a
  breaker that leaves the origin for the next run after `breaker` error answers in a row.
  One User-Agent names the tool, its version and the contact.
- One deadline per request: connect, headers and body, across every redirect and retry, end
  within `timeout` (the politeness wait aside); 429 and 5xx retried with backoff honouring
  Retry-After (up to `max_wait`, and never past the deadline); a refused answer (an error status,
  a type not asked for, a declared size over the cap) is closed unread; bodies capped at `max_bytes`.
"""

from __future__ import annotations

import threading
import time

from .answers import network_error, read_answer, read_body
from .hosts import Clock, OriginState, retry_after
from .robots import Robots
from .urls import BadURL, Target, parse_url
from .web import FEED_TYPES, HTML_TYPES, RETRY_STATUSES, Fetched, FetchError, FetchSettings, close_unread

__all__ = ["FEED_TYPES", "HTML_TYPES", "FetchError", "FetchSettings", "Fetched", "PoliteFetcher"]
REDIRECTS = (301, 302, 303, 307, 308)
MAX_HOPS = 5


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
        self._hosts: dict[tuple[str, str, int], OriginState] = {}
        self._robots: dict[tuple[str, str, int], Robots] = {}
        self._hosts_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self.requests = 0

    def _state(self, origin: tuple[str, str, int]) -> OriginState:
        with self._hosts_lock:
            return self._hosts.setdefault(origin, OriginState())

    def host_limits(self, url: str, delay: float | None = None, max_pages: int | None = None) -> None:
        """Per-site settings for the origin of `url` (a feed's own `delay` and `max_pages`)."""
        try:
            state = self._state(parse_url(url).origin)
        except BadURL:
            return
        with state.lock:
            if delay is not None:
                state.min_delay = delay
            if max_pages is not None:
                state.max_pages = max_pages

    def ready_in(self, origin_url: str) -> float:
        """Seconds until the origin of `origin_url` may be asked again (0: now, or never again this run)."""
        try:
            state = self._state(parse_url(origin_url).origin)
        except BadURL:
            return 0.0
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
        requested, clock = target.url, Clock(self.settings.timeout)
        for _ in range(MAX_HOPS + 1):
            self._check(target, trusted, page, clock)
            response, watch = self._request(target, trusted, validators, clock)
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
                self._over(target, watch)
        raise FetchError("http", f"more than {MAX_HOPS} redirects")

    def _over(self, target: Target, watch) -> None:
        """A request's answer is done with: its time counts against its origin's budget."""
        watch.close()
        self._state(target.origin).charge(time.monotonic() - watch.started)

    def _check(self, target: Target, trusted: tuple[str, str, int], page: bool, clock: Clock) -> None:
        state = self._state(target.origin)
        robots = self._robots_of(target, trusted, clock)
        if state.deferred:
            raise FetchError("deferred", state.deferred)
        if robots.unavailable:
            raise FetchError("deferred", f"{target.origin_url}: {robots.unavailable}")
        if not robots.allows(target.url, self.settings.user_agent):
            raise FetchError("robots", f"robots.txt of {target.origin_url} disallows {target.url[:100]}")
        if page:
            with state.lock:
                cap = state.max_pages if state.max_pages is not None else self.settings.max_pages
                if state.pages >= cap:
                    raise FetchError("cap", f"the cap of {cap} pages from {target.origin_url} in one run was reached")
                state.pages += 1

    def _robots_of(self, target: Target, trusted: tuple[str, str, int], clock: Clock) -> Robots:
        state = self._state(target.origin)
        with state.lock:
            robots = self._robots.get(target.origin)
            if robots is None:
                robots = self._read_robots(target, trusted, clock)
                if robots.unavailable and clock.remaining() <= 0:  # this request's time ran out, not the origin's
                    raise FetchError("timeout", f"timed out after {self.settings.timeout:g}s (reading robots.txt "
                                                f"of {target.origin_url})")
                self._robots[target.origin] = robots
                base = state.min_delay if state.min_delay is not None else self.settings.delay
                if robots.crawl_delay > self.settings.max_crawl_delay:
                    state.deferred = (f"robots.txt of {target.origin_url} asks for a Crawl-delay of "
                                      f"{robots.crawl_delay:g}s, over the {self.settings.max_crawl_delay:g}s this "
                                      f"tool waits: left for the next run")
                state.delay = max(base, state.delay or 0.0, min(robots.crawl_delay, self.settings.max_crawl_delay))
            return robots

    def _read_robots(self, target: Target, trusted: tuple[str, str, int], clock: Clock) -> Robots:
        agent = self.settings.user_agent
        hop = parse_url(target.origin_url + "/robots.txt")
        for _ in range(MAX_HOPS + 1):
            try:
                response, watch = self._request(hop, trusted, (None, None), clock, retries=0)
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
                self._over(hop, watch)
        return Robots.from_answer(None, b"", agent, "too many redirects")

    def _wait_turn(self, target: Target, clock: Clock) -> None:
        state = self._state(target.origin)
        with state.lock:
            delay = state.delay if state.delay is not None else (
                state.min_delay if state.min_delay is not None else self.settings.delay)
            now = time.monotonic()
            start = max(now, state.next_at)
            state.next_at = start + delay
        if start > now:
            clock.pause(start - now)  # politeness is the tool's own wait, not the request's
            time.sleep(start - now)

    def _request(self, target: Target, trusted: tuple[str, str, int], validators: tuple[str | None, str | None],
                 clock: Clock, retries: int | None = None):
        """One GET (retried on 429/5xx); returns the response unread and its deadline, still running."""
        headers = {"User-Agent": self.settings.user_agent}
        if validators[0]:
            headers["If-None-Match"] = validators[0]
        if validators[1]:
            headers["If-Modified-Since"] = validators[1]
        guarded = not self.settings.allow_private and target.origin != trusted
        attempts = (self.settings.retries if retries is None else retries) + 1
        state = self._state(target.origin)
        for attempt in range(attempts):
            if state.deferred:
                raise FetchError("deferred", state.deferred)
            self._wait_turn(target, clock)
            response, watch = self._attempt(target, headers, guarded, clock)
            failed = response.status in RETRY_STATUSES
            state.answered(not failed, target.origin_url, self.settings.breaker)
            if not failed or attempt == attempts - 1:
                return response, watch
            wait = retry_after(response.headers.get("Retry-After"), attempt)
            close_unread(response)
            self._over(target, watch)
            if wait > self.settings.max_wait:
                raise FetchError("http", f"HTTP {response.status}; Retry-After {wait:.0f}s is longer than "
                                         f"{self.settings.max_wait:g}s")
            if wait >= clock.remaining():
                raise FetchError("http", f"HTTP {response.status}; a retry in {wait:.0f}s would end past the "
                                         f"{self.settings.timeout:g}s the request may take")
            time.sleep(wait)
            state.charge(wait)
        raise AssertionError("unreachable")

    def _attempt(self, target: Target, headers: dict[str, str], guarded: bool, clock: Clock):
        from . import netguard

        state = self._state(target.origin)
        limit = min(clock.remaining(), self.settings.host_budget - state.spent)
        if limit <= 0:
            if clock.remaining() <= 0:
                raise FetchError("timeout", f"timed out after {self.settings.timeout:g}s (redirects and retries "
                                            f"included)")
            with state.lock:
                state.deferred = state.deferred or (f"{target.origin_url} took its {self.settings.host_budget:g}s "
                                                    f"of requests in this run: left for the next run")
            raise FetchError("deferred", state.deferred)
        watch = netguard.Deadline(limit)
        netguard.set_current(watch)
        try:
            with self._slots:
                self.requests += 1
                response = manager_request(self._guarded if guarded else self._open, target, headers, limit)
            if watch.expired:  # the headers were cut off at the deadline: what arrived is no answer
                close_unread(response)
                raise TimeoutError("the deadline passed while the headers came in")
            return response, watch
        except netguard.AddressRefused as exc:
            watch.close()
            raise FetchError("refused", f"{exc.reason}, and not the feed's own origin (--allow-private "
                                        f"allows it)") from None
        except Exception as exc:  # noqa: BLE001 - whatever the network did: one reason
            self._over(target, watch)
            state.answered(False, target.origin_url, self.settings.breaker)
            raise network_error(exc, target, self.settings.timeout, watch.expired) from None
        finally:
            netguard.set_current(None)

    def hosts(self) -> dict[str, int]:
        """Pages fetched per origin (scheme://host[:port]) in this run."""
        return {Target("", *origin).origin_url: state.pages for origin, state in self._hosts.items()}


def manager_request(manager, target: Target, headers: dict[str, str], limit: float):
    """The GET itself: no redirect followed, no retry, the body left unread."""
    import urllib3

    return manager.request("GET", target.url, headers=headers, redirect=False, preload_content=False,
                           retries=False, timeout=urllib3.Timeout(connect=limit, read=limit))
