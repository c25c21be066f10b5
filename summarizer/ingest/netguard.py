"""The address checked is the address connected: HTTP connections that resolve once, refuse what is
not public, connect to the very address they checked, and end at a deadline whatever the server does.

- `public_problem(ip)`: why an address is not a public unicast one (loopback, private, link-local,
  CGNAT 100.64.0.0/10, IPv6 site-local fec0::/10, multicast, reserved, unspecified, documentation; IPv4 inside IPv6 included).
- Connections (`pool_manager(guarded=True)`) resolve their host once, with a bounded wait, refuse the
  whole host when any of its addresses is not public, and connect to one of the addresses they
  checked; the peer address is checked again after connecting. TLS still verifies the host name
  (SNI and Host are the name, not the address). `guarded=False` is for origins the user named.
- `Deadline(seconds)`, made current with `set_current`: every socket a request opens or reuses in
  this thread is shut down when the deadline passes, so connect, headers and body together take at most `seconds` (a server that
  drips one byte at a time cannot hold a request).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_local = threading.local()


def public_problem(address: str) -> str | None:
    """None for a public unicast address; otherwise what it is ("loopback", "private" ...)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return public_problem(str(embedded))
    for kind, test in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                       ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
                       ("carrier-grade NAT (100.64.0.0/10)", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
                       ("site-local (fec0::/10)", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
                       ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if test:
            return kind
    return None if ip.is_global else "non-public"


class AddressRefused(NewConnectionError):
    """The host resolves to an address this connection may not reach."""

    def __init__(self, conn: object, message: str) -> None:
        super().__init__(conn, message)  # type: ignore[arg-type]
        self.reason = message


class Deadline:
    """A time limit for one request: at `seconds`, every watched socket is shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.at = self.started + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (never zero: a socket timeout of 0 would mean non-blocking)."""
        return max(0.01, self.at - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        """Shut this socket down when the deadline passes (at once if it has)."""
        if sock is None:
            return
        with self._lock:
            if self._closed:
                return
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def close(self) -> None:
        """The request is over: forget its sockets (they may go back to the pool)."""
        with self._lock:
            self._closed = True
            self._timer.cancel()
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def set_current(watch: Deadline | None) -> None:
    """The deadline of the requests this thread makes from now on (None: no deadline)."""
    _local.deadline = watch


def _current() -> Deadline | None:
    return getattr(_local, "deadline", None)


def resolve(host: str, port: int, timeout: float) -> list[tuple]:
    """getaddrinfo with a bounded wait (a resolver that hangs cannot hold the caller)."""
    result: list = []

    def work() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            result.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if not result:
        raise TimeoutError(f"resolving {host} took longer than {timeout:g}s")
    if isinstance(result[0], OSError):
        raise result[0]
    return result[0]


class _CheckedConnection:
    """What both connection classes add to urllib3's: one resolution, checked, connected, watched."""

    check_addresses = True

    def _new_conn(self) -> socket.socket:
        watch = _current()
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        if watch is not None:
            timeout = min(timeout or watch.remaining(), watch.remaining())
        try:
            infos = resolve(self._dns_host, self.port, timeout or 20.0)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from None
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, str(exc)) from None
        if self.check_addresses:
            for info in infos:
                problem = public_problem(info[4][0])
                if problem:
                    raise AddressRefused(self, f"{self.host} is a {problem} address ({info[4][0]})")
        error: OSError | None = None
        for family, kind, proto, _, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(timeout)
                if watch is not None:
                    watch.watch(sock)
                sock.connect(address)
                if sock.getpeername()[0] != address[0]:  # what we checked is what we reached
                    raise OSError(f"connected to {sock.getpeername()[0]}, not the checked {address[0]}")
                return sock
            except TimeoutError:
                sock.close()
                raise ConnectTimeoutError(self, f"no connection to {self.host} within {timeout:g}s") from None
            except OSError as exc:
                sock.close()
                error = exc
        raise NewConnectionError(self, f"cannot connect to {self.host}:{self.port}: {error}")

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        watch = _current()
        if watch is not None:
            watch.watch(self.sock)  # the TLS socket, when there is one

    def request(self, *args, **kwargs):
        watch = _current()
        if watch is not None and self.sock is not None:  # a kept-alive connection, reused
            watch.watch(self.sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class GuardedHTTPConnection(_CheckedConnection, HTTPConnection):
    """Public addresses only."""


class GuardedHTTPSConnection(_CheckedConnection, HTTPSConnection):
    """Public addresses only."""


class OpenHTTPConnection(GuardedHTTPConnection):
    """Any address (an origin the user named, or --allow-private)."""

    check_addresses = False


class OpenHTTPSConnection(GuardedHTTPSConnection):
    """Any address (an origin the user named, or --allow-private)."""

    check_addresses = False


def pool_manager(guarded: bool, **kwargs) -> urllib3.PoolManager:
    """A PoolManager whose connections are checked (guarded) or not; each deadline-watched."""
    http, https = (GuardedHTTPConnection, GuardedHTTPSConnection) if guarded else \
        (OpenHTTPConnection, OpenHTTPSConnection)
    http_pool = type("Pool", (HTTPConnectionPool,), {"ConnectionCls": http})
    https_pool = type("Pool", (HTTPSConnectionPool,), {"ConnectionCls": https})
    manager = urllib3.PoolManager(**kwargs)
    manager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
    return manager
