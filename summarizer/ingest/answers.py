"""Reading an answer: within its deadline, up to its size cap, and closed unread when it is refused;
network failures said in words (refused, no such host, timed out)."""

from __future__ import annotations

import errno

from .urls import Target
from .web import Fetched, FetchError, close_unread


def read_answer(requested: str, url: str, response, accept: tuple[str, ...], cap: int, watch,
                timeout: float) -> Fetched:
    """A final answer: a 304, an error status, a type not asked for (each closed unread), or its body."""
    headers = response.headers
    etag, modified = headers.get("ETag"), headers.get("Last-Modified")
    if response.status == 304:
        close_unread(response)
        return Fetched(requested, url, 304, etag=etag, last_modified=modified)
    if response.status >= 300:
        close_unread(response)
        raise FetchError("http", f"HTTP {response.status}")
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type and content_type not in accept:
        close_unread(response)
        raise FetchError("type", f"not a page to read ({content_type})")
    body = read_body(response, cap, watch, timeout)
    return Fetched(requested, url, response.status, body, content_type, etag, modified)


def read_body(response, cap: int, watch, timeout: float, keep_partial: bool = False) -> bytes:
    """The body, up to `cap` bytes (more: an error, or with `keep_partial` the first `cap`), within the deadline."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > cap and not keep_partial:
        close_unread(response)
        raise FetchError("size", f"over the {cap / 1e6:g} MB size cap ({int(length) / 1e6:.1f} MB)")
    chunks, total = [], 0
    try:
        for chunk in response.stream(65536):
            total += len(chunk)
            chunks.append(chunk)
            if total > cap:
                close_unread(response)
                if keep_partial:
                    break
                raise FetchError("size", f"over the {cap / 1e6:g} MB size cap")
    except FetchError:
        raise
    except Exception as exc:  # noqa: BLE001 - a read that broke off: one reason
        close_unread(response)
        if watch.expired:
            raise FetchError("timeout", f"timed out after {timeout:g}s: the answer was not complete") from None
        raise FetchError("network", f"the body broke off: {type(exc).__name__}") from None
    if watch.expired:
        close_unread(response)
        raise FetchError("timeout", f"timed out after {timeout:g}s: the answer was not complete")
    response.release_conn()
    return b"".join(chunks)


def _message(exc: BaseException) -> str:
    """An urllib3 error's own words, without the "HTTPConnection(host=..., port=...): " it starts with."""
    text = str(exc)
    head, sep, rest = text.partition("): ")
    return rest if sep and "Connection(" in head else text


def network_error(exc: BaseException, target: Target, limit: float, expired: bool) -> FetchError:
    """What went wrong, in words: refused, no such host, a timeout, or another network error."""
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError, ReadTimeoutError

    where = f"{target.host}:{target.port}"
    if isinstance(exc, NameResolutionError):
        return FetchError("network", f"cannot resolve {target.host} (DNS lookup failed)")
    if isinstance(exc, NewConnectionError):
        cause = exc.__cause__ or exc.__context__
        refused = isinstance(cause, ConnectionRefusedError) or "refused" in str(exc).lower() or \
            getattr(cause, "errno", None) == errno.ECONNREFUSED
        return FetchError("network", f"connection refused by {where}" if refused else
                          f"cannot connect to {where}: {_message(exc)[:120]}")
    if isinstance(exc, ConnectTimeoutError):
        return FetchError("timeout", f"timed out after {limit:g}s connecting to {where}")
    if expired:
        return FetchError("timeout", f"timed out after {limit:g}s waiting for {where}")
    if isinstance(exc, ReadTimeoutError):
        return FetchError("timeout", f"timed out after {limit:g}s waiting for {where}")
    return FetchError("network", f"network error from {where}: {type(exc).__name__}")
