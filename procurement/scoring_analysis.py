"""Abnormally low prices and the lowest-price counterfactual.

Abnormally low prices (Dir. 2014/24/EU art. 69; Belgian law of 17 June 2016 art. 84; royal
decree of 18 April 2017 art. 35-36): a bid whose price is at least ``threshold_pct`` % below
the mean price is flagged, provided at least ``min_bids`` bids were received (art. 36 §4 sets
15 % and 4 offers for the cases where the check is mandatory). The mean is that of all bids
or, if configured, of the other bids. A flag only means the buyer must ask the bidder to
justify its price in writing; rejection is never automatic (and is mandatory only when the
low price comes from a breach of social, labour or environmental law, art. 69(3)).

Lowest-price counterfactual: which bid would have won on price alone (Dir. art. 67(2), award
on price only), what the best price-quality award costs more, and what it buys on each
measurable criterion, e.g. euros per extra insertion hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction
from typing import Mapping, Sequence

from .scoring_model import (
    FEATURE, LOWER, QUANTITY, RATING, AbnormalPriceRule, Number, ScoringInput, exact_value,
)
from .scoring_numeric import U, round_column, round_float, round_fraction

_REL_TOL = 1e-12


@dataclass(slots=True)
class AbnormalPrice:
    """A flagged bid: its price, the mean it is compared with (to the cent) and how far
    below that mean it is, in % (2 decimals). Both figures are rounded from exact values.
    Treat as read-only (slotted, not frozen, to build thousands of them fast)."""

    bid: str
    price: Number
    mean: float
    deviation_pct: float


@dataclass(frozen=True)
class AbnormalPriceCheck:
    """Outcome of the abnormally-low-price check; ``mean`` is the mean price of all bids
    (to the cent), None when the check was not applied."""

    applied: bool
    reference: str
    threshold_pct: Fraction
    min_bids: int
    bid_count: int
    mean: float | None
    flagged: tuple[AbnormalPrice, ...]
    note: str | None = None


def exact_sum(values: Sequence[Number]) -> Fraction:
    """Exact sum of JSON numbers (floats read as their shortest decimal)."""
    ints = sum(v for v in values if type(v) is int)
    floats = [v for v in values if type(v) is not int]
    try:
        with localcontext() as ctx:
            ctx.prec = 200
            ctx.traps[Inexact] = True
            total = sum((Decimal(repr(v)) for v in floats), Decimal(ints))
        return Fraction(total)
    except Inexact:  # pragma: no cover - needs sums beyond 200 digits
        return sum(map(exact_value, floats), Fraction(ints))


def abnormal_prices(inp: ScoringInput) -> AbnormalPriceCheck | None:
    """Flag bids at least ``threshold_pct`` % below the mean price (never a rejection)."""
    rule: AbnormalPriceRule | None = inp.abnormal_price
    if rule is None:
        return None
    prices = inp.prices
    n = len(prices)
    if n < rule.min_bids:
        return AbnormalPriceCheck(False, rule.reference, rule.threshold_pct, rule.min_bids, n,
                                  None, (), f"fewer than {rule.min_bids} bids: check not applied")
    others = rule.reference == "other_bids"
    theta = rule.threshold_pct / 100
    # price <= mean x (1 - theta) with mean = S / n (all bids) or (S - price) / (n - 1)
    # (other bids) is, in both cases, price <= S (1 - theta) / divisor: one threshold.
    divisor = (n - theta) if others else Fraction(n)
    total_f = math.fsum(prices)
    limit_f = total_f * float((1 - theta) / divisor)
    total: list[Fraction] = []

    def total_exact() -> Fraction:
        if not total:
            total.append(exact_sum(prices))
        return total[0]

    lo, hi = limit_f * (1 - _REL_TOL), limit_f * (1 + _REL_TOL)
    idx = [i for i, p in enumerate(prices) if p <= hi]
    idx = [i for i in idx if prices[i] < lo
           or exact_value(prices[i]) <= total_exact() * (1 - theta) / divisor]
    idx.sort(key=lambda i: inp.bids[i].id)
    ps = [prices[i] for i in idx]
    # figures of the flagged bids, from floats unless too close to a rounding half
    if others:
        means_f = [(total_f - p) / (n - 1) for p in ps]
        err = [8 * U * (total_f + p) / (n - 1) for p in ps]
    else:
        means_f = [total_f / n] * len(ps)
        err = [8 * U * total_f / n] * len(ps)

    def mean_exact(j: int) -> Fraction:
        return ((total_exact() - exact_value(ps[j])) / (n - 1)) if others else total_exact() / n

    def dev_exact(j: int) -> Fraction:
        m = mean_exact(j)
        return (m - exact_value(ps[j])) / m * 100

    if others:
        means = [round_float(m, 2, lambda j=j: mean_exact(j), e)
                 for j, (m, e) in enumerate(zip(means_f, err))]
    else:
        means = [round_float(total_f / n, 2, lambda: total_exact() / n, err[0])] * len(ps) if ps else []
    devs = round_column([(m - p) / m * 100 for m, p in zip(means_f, ps)], 2,
                        100 * (max(err, default=0) / min(means_f, default=1) + 8 * U), dev_exact)
    flagged = tuple(AbnormalPrice(inp.bids[i].id, p, m, d)
                    for i, p, m, d in zip(idx, ps, means, devs))
    mean = round_float(total_f / n, 2, lambda: total_exact() / n, 8 * U * total_f / n)
    return AbnormalPriceCheck(True, rule.reference, rule.threshold_pct, rule.min_bids, n,
                              mean, flagged)


@dataclass(frozen=True)
class LowestPriceComparison:
    """The bid that would win on price alone, against the actual winner (figures exact).

    ``gains`` maps each non-price criterion to the winner's advantage in its own unit
    (positive when the winner is better); ``per_unit`` gives, for each quantity criterion
    with a positive gain, the extra cost per unit gained.
    """

    bid: str
    price: Fraction
    winner: str | None
    winner_price: Fraction | None
    extra_cost: Fraction | None
    gains: Mapping[str, Fraction]
    per_unit: Mapping[str, Fraction]

    @property
    def extra_cost_pct(self) -> Fraction | None:
        return None if self.extra_cost is None else self.extra_cost / self.price * 100


def lowest_price(inp: ScoringInput, rank: Sequence[int], winner: int | None) -> LowestPriceComparison:
    """Counterfactual against the lowest price (ties on price: best rank, then bid id)."""
    prices = inp.prices
    low = min(prices)
    cheapest = min((i for i, p in enumerate(prices) if p == low),
                   key=lambda i: (rank[i], inp.bids[i].id))
    lp_bid = inp.bids[cheapest]
    price = exact_value(lp_bid.price)
    if winner is None:
        return LowestPriceComparison(lp_bid.id, price, None, None, None, {}, {})
    w_bid = inp.bids[winner]
    w_price = exact_value(w_bid.price)
    extra = w_price - price
    gains: dict[str, Fraction] = {}
    per_unit: dict[str, Fraction] = {}
    for c in inp.criteria:
        if c.type not in (QUANTITY, RATING, FEATURE):
            continue
        diff = exact_value(w_bid.raw(c)) - exact_value(lp_bid.raw(c))
        gain = -diff if c.type == QUANTITY and c.better == LOWER else diff
        gains[c.id] = gain
        if c.type == QUANTITY and gain > 0:
            per_unit[c.id] = extra / gain
    return LowestPriceComparison(lp_bid.id, price, w_bid.id, w_price, extra, gains, per_unit)


def money(q: Fraction | None) -> float | None:
    """Amount rounded to the cent."""
    return None if q is None else round_fraction(q, 2)
