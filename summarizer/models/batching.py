"""Length-sorted, token-budget batches (items of different keys never share one)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def plan_batches(lengths: Sequence[int], max_tokens: int, max_size: int,
                 keys: Sequence[Hashable] | None = None) -> list[list[int]]:
    """Group item indices into batches of similar length.

    Items are sorted by length (longest first, so a batch that does not fit fails early); a
    batch is closed when its padded size (longest item x count) would pass `max_tokens` or its
    count would pass `max_size`. An item longer than `max_tokens` gets a batch of its own.
    Items with different `keys` (e.g. output limits) never share a batch, so what an item gets
    does not depend on the items it happens to be batched with.

    Returns:
        Batches of indices into `lengths`; every index appears exactly once.
    """
    groups: dict[Hashable, list[int]] = {}
    for i in range(len(lengths)):
        groups.setdefault(keys[i] if keys is not None else None, []).append(i)
    batches: list[list[int]] = []
    for members in groups.values():
        batches.extend(_plan(members, lengths, max_tokens, max_size))
    return batches


def _plan(members: list[int], lengths: Sequence[int], max_tokens: int, max_size: int) -> list[list[int]]:
    order = sorted(members, key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    widest = 0
    for i in order:
        wider = max(widest, lengths[i])
        if current and (wider * (len(current) + 1) > max_tokens or len(current) >= max_size):
            batches.append(current)
            current, wider = [], lengths[i]
        current.append(i)
        widest = wider
    if current:
        batches.append(current)
    return batches
