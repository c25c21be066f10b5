"""Batch plans: every item once, budgets kept, keys never mixed, work shared evenly among workers."""

from __future__ import annotations

import random

import pytest

from summarizer.models.batching import plan_batches


def _check(plan, lengths, max_tokens, max_size, keys=None):
    assert sorted(i for b in plan for i in b) == list(range(len(lengths)))
    for batch in plan:
        assert len(batch) <= max_size
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= max_tokens
        if keys is not None:
            assert len({keys[i] for i in batch}) == 1


@pytest.mark.parametrize("seed", range(20))
def test_random_plans_keep_every_rule(seed):
    rng = random.Random(seed)
    lengths = [rng.randint(1, 1100) for _ in range(rng.randint(1, 60))]
    keys = [rng.choice("ab") for _ in lengths]
    for workers in (1, 2, 3):
        _check(plan_batches(lengths, 2048, 4, keys=keys, workers=workers), lengths, 2048, 4, keys)


def test_items_are_shared_evenly_among_the_batches_they_need():
    plan = plan_batches([500] * 13, 4096, 4)
    assert sorted(len(b) for b in plan) == [3, 3, 3, 4]  # not 4, 4, 4, 1


def test_a_lone_batch_is_split_so_that_no_worker_idles():
    assert len(plan_batches([1000] * 4, 4096, 4, workers=1)) == 1
    assert sorted(len(b) for b in plan_batches([1000] * 4, 4096, 4, workers=2)) == [2, 2]
    assert len(plan_batches([1000], 4096, 4, workers=2)) == 1


def test_largest_batches_come_first():
    lengths = [10] * 3 + [900] * 2 + [300] * 8
    plan = plan_batches(lengths, 2048, 4, keys=[1] * 3 + [2] * 2 + [3] * 8, workers=2)
    costs = [len(b) * max(lengths[i] for i in b) for b in plan]
    assert costs == sorted(costs, reverse=True)


def test_an_item_over_the_budget_gets_a_batch_of_its_own():
    plan = plan_batches([5000, 10, 10], 4096, 4)
    assert [0] in plan
