"""Exact ranking of bids from float scores with a proven error bound.

The award goes to the most economically advantageous tender (Dir. 2014/24/EU art. 67(1);
Belgian law of 17 June 2016 art. 81): the bid with the highest total. Ranking is decided on
exact values, never on rounded figures. Bids are sorted on their float totals; wherever two
neighbours are closer than twice the error bound, the whole run of close bids is re-sorted
on exact keys (exact total, then the points on each tie-break criterion in order). Bids whose
exact keys are equal share a rank (competition ranking: 1, 1, 3) and are marked as tied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any, Callable, Sequence


@dataclass(frozen=True)
class Ranking:
    """Order of the bids (indices, best first), their ranks and tie flags (by bid index)."""

    order: list[int]
    rank: list[int]
    tie: list[bool]

    def tied_with_next(self) -> list[bool]:
        """For each position in ``order`` but the last: does it share its rank with the next?"""
        rank, order = self.rank, self.order
        return [rank[a] == rank[b] for a, b in zip(order, order[1:])]


def rank_bids(values: Sequence[float], eps: float, exact_key: Callable[[int], Any],
              ids: Sequence[str]) -> Ranking:
    """Rank bids, higher ``values`` first.

    ``values[i]`` must be within ``eps`` of the exact value whose comparison ``exact_key(i)``
    starts with; ``exact_key`` returns comparable tuples (higher is better). Equal exact keys
    are listed by bid id, so the result never depends on the input order.
    """
    n = len(values)
    order = sorted(range(n), key=values.__getitem__, reverse=True)
    keys: dict[int, Any] = {}
    window = 2 * eps
    start = 0
    for pos in range(1, n + 1):
        if pos < n and values[order[pos - 1]] - values[order[pos]] <= window:
            continue
        if pos - start > 1:
            block = order[start:pos]
            for i in block:
                keys[i] = exact_key(i)
            block.sort(key=cmp_to_key(lambda a, b: _compare(keys[a], keys[b], ids[a], ids[b])))
            order[start:pos] = block
        start = pos
    rank = [0] * n
    tie = [False] * n
    for pos, i in enumerate(order):
        if pos and i in keys and order[pos - 1] in keys and keys[i] == keys[order[pos - 1]]:
            prev = order[pos - 1]
            rank[i] = rank[prev]
            tie[i] = tie[prev] = True
        else:
            rank[i] = pos + 1
    return Ranking(order, rank, tie)


def _compare(ka: Any, kb: Any, ida: str, idb: str) -> int:
    if ka != kb:
        return -1 if ka > kb else 1
    return -1 if ida < idb else (1 if ida > idb else 0)
