"""Length-sorted, token-budget batches; results restored to input order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
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


def map_batched(items: Sequence[T], lengths: Sequence[int], fn: Callable[[list[T]], list[R]],
                max_tokens: int, max_size: int, keys: Sequence[Hashable] | None = None) -> list[R]:
    """Apply a batch function over length-sorted batches and return results in input order.

    Args:
        items: the inputs.
        lengths: token length of each input.
        fn: maps a list of inputs to a list of results of the same length and order.
        max_tokens: padded-token budget of one batch.
        max_size: most items per batch.
        keys: items with different keys go to different batches (see plan_batches).
    """
    results: list[R | None] = [None] * len(items)
    for batch in plan_batches(lengths, max_tokens, max_size, keys):
        out = fn([items[i] for i in batch])
        if len(out) != len(batch):
            raise RuntimeError(f"batch function returned {len(out)} results for {len(batch)} inputs")
        for i, result in zip(batch, out):
            results[i] = result
    return results  # type: ignore[return-value]
