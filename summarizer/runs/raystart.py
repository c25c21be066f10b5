"""Starting Ray for a run: the optional extra, and a Ray of this machine alone on loopback.

A local run's Ray listens on 127.0.0.1 only, every process of it.

On Linux Ray gives a node the machine's own network interface address, even one asked for
127.0.0.1: `ray.init(_node_ip_address="127.0.0.1")` and `ray start --node-ip-address 127.0.0.1`
both turn a loopback address into the interface's (ray._private.services.resolve_ip_for_localhost),
unless multi-node clusters are switched off (`RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`, the switch
Ray keeps for machines where only one node may run). A local run switches them off while its Ray
starts, so the GCS, the raylet, the agents and every worker bind 127.0.0.1 and nothing on the
network can reach them; Ray's processes inherit the switch. Joining an existing cluster
(`--ray-address`) changes nothing: its nodes keep the addresses they were started with.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import sys
from collections.abc import Iterator
from typing import Any

from ..errors import MissingExtra, SummarizerError

EXTRA = "pip install 'summarizer[ray]'"
LOOPBACK = "127.0.0.1"
SINGLE_HOST = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"  # "0": Ray keeps a node on this machine's loopback


def require_ray() -> Any:
    """The ray module, or MissingExtra naming the extra to install."""
    try:
        import ray
    except ImportError:
        raise MissingExtra(f"--executor ray needs Ray, an optional extra: {EXTRA}") from None
    return ray


@contextlib.contextmanager
def stderr_silenced() -> Iterator[None]:
    """File descriptor 2 to /dev/null for a moment (Ray's core worker writes there as it starts)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def is_loopback(address: str) -> bool:
    """Is this host (an IP address, or "localhost") a loopback address (127.0.0.0/8, ::1)?"""
    host = address.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def single_host() -> Iterator[None]:
    """Ray's multi-node switch off while a local Ray starts: in the environment its processes inherit,
    and in the constant Ray read when it was imported (it may have been imported before this run)."""
    saved = os.environ.get(SINGLE_HOST)
    os.environ[SINGLE_HOST] = "0"
    from ray._private import ray_constants

    flag = getattr(ray_constants, "ENABLE_RAY_CLUSTER", None)  # a Ray without it: start_local_ray checks
    if flag is not None:
        ray_constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        if flag is not None:
            ray_constants.ENABLE_RAY_CLUSTER = flag
        if saved is None:
            os.environ.pop(SINGLE_HOST, None)
        else:
            os.environ[SINGLE_HOST] = saved


def node_addresses(ray: Any) -> dict[str, str]:
    """The address of each node of the Ray this process is connected to (lost ones too), by node id."""
    return {node["NodeID"]: node["NodeManagerAddress"] for node in ray.nodes()}


def start_local_ray(ray: Any, **options: Any) -> None:
    """`ray.init(**options)` for a Ray of this machine alone, every node on 127.0.0.1.

    Raises:
        SummarizerError: a node came up on another address anyway (a Ray that no longer honours the
            switch); the Ray just started is stopped first.
    """
    with single_host():
        ray.init(_node_ip_address=LOOPBACK, **options)
    outside = sorted(a for a in node_addresses(ray).values() if not is_loopback(a))
    if outside:
        ray.shutdown()
        raise SummarizerError(f"Ray: the local Ray started on {', '.join(outside)}, not on loopback ({LOOPBACK}); "
                              f"start a Ray on 127.0.0.1 yourself and join it with --ray-address")
