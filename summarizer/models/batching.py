"""Length-sorted, token-budget batches (items of different keys never share one)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def plan_batches(lengths: Sequence[int], max_tokens: int, max_size: int,
                 keys: Sequence[Hashable] | None = None, workers: int = 1) -> list[list[int]]:
    """Group item indices into batches of similar length, for `workers` batches decoding at once.

    Items are sorted by length; a group needs as many batches as the budget allows (padded size,
    longest item x count, at most `max_tokens`; at most `max_size` items), and its items are
    shared evenly among them (13 items at 4 a batch: 4, 3, 3, 3, not 4, 4, 4, 1). An item longer
    than `max_tokens` gets a batch of its own. Items with different `keys` (e.g. output limits)
    never share a batch, so what an item gets does not depend on the items it is batched with.
    While there are fewer batches than `workers`, the largest is halved (a worker left without a
    batch is a core left idle). Batches come largest first, so the last to start are the smallest.

    Returns:
        Batches of indices into `lengths`; every index appears exactly once.
    """
    groups: dict[Hashable, list[int]] = {}
    for i in range(len(lengths)):
        groups.setdefault(keys[i] if keys is not None else None, []).append(i)
    batches: list[list[int]] = []
    for members in groups.values():
        batches.extend(_plan(members, lengths, max_tokens, max_size))
    while len(batches) < workers and any(len(b) > 1 for b in batches):
        big = max(batches, key=len)
        batches.remove(big)
        batches += [big[:(len(big) + 1) // 2], big[(len(big) + 1) // 2:]]
    return sorted(batches, key=lambda b: -len(b) * max(lengths[i] for i in b))


def _greedy(order: list[int], lengths: Sequence[int], max_tokens: int, max_size: int) -> list[list[int]]:
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


def _plan(members: list[int], lengths: Sequence[int], max_tokens: int, max_size: int) -> list[list[int]]:
    order = sorted(members, key=lambda i: -lengths[i])
    greedy = _greedy(order, lengths, max_tokens, max_size)
    count = len(greedy)
    cuts = [round(k * len(order) / count) for k in range(count + 1)]
    even = [order[a:b] for a, b in zip(cuts, cuts[1:])]
    fits = all(len(b) <= max_size and (len(b) == 1 or len(b) * max(lengths[i] for i in b) <= max_tokens)
               for b in even)
    return even if fits else greedy
