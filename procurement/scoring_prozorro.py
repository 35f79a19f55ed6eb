"""Prozorro's "compared price" mode: price adjusted by non-price features, lowest wins.

This is not a points formula. Each non-price criterion is a *feature* with a maximum value
(``max``; the maxima add up to at most 0.3), and each bid states the value it offers on it
(between 0 and the maximum). Then

    coef = 1 + (sum of the bid's feature values) / (1 - sum of the maximum values)
    compared value = price / coef

and the lowest compared value wins. It remains an award on the best price-quality ratio in
the sense of Dir. 2014/24/EU art. 67(2) and Belgian law of 17 June 2016 art. 81, expressed as
a price. The compared value of a bid does not depend on the other bids, so there is no rank
reversal, and there are no weights, so there is no weight stability analysis.

Everything here is computed in exact arithmetic (``Fraction``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .scoring_model import FEATURE, PRICE, ScoringInput, exact_value
from .scoring_numeric import U
from .scoring_rank import Ranking, rank_bids


@dataclass(frozen=True)
class ProzorroFigures:
    """Coefficient and compared value of every bid (exact), and their ranking."""

    coefficient: list[Fraction]
    compared: list[Fraction]
    ranking: Ranking


def prozorro(inp: ScoringInput) -> ProzorroFigures:
    """Compute coefficients, compared values and the ranking (lowest compared value first).

    Ties on the compared value are broken by ``tie_break``: on the price criterion the lower
    price wins, on a feature the higher value wins.
    """
    features = [c for c in inp.criteria if c.type == FEATURE]
    room = 1 - sum((c.max for c in features), Fraction(0))
    cols = [inp.columns[c.id] for c in features]
    prices = [exact_value(p) for p in inp.prices]
    coefs = []
    for i in range(len(prices)):
        chosen = sum((exact_value(col[i]) for col in cols), Fraction(0))
        coefs.append(1 + chosen / room)
    compared = [p / c for p, c in zip(prices, coefs)]
    by_id = {c.id: c for c in inp.criteria}

    def key(i: int) -> tuple:
        parts: list[Fraction] = [-compared[i]]
        for cid in inp.tie_break:
            if by_id[cid].type == PRICE:
                parts.append(-prices[i])
            else:
                parts.append(exact_value(inp.columns[cid][i]))
        return tuple(parts)

    floats = [-float(v) for v in compared]
    eps = 4 * U * max(abs(v) for v in floats)
    ranking = rank_bids(floats, eps, key, [b.id for b in inp.bids])
    return ProzorroFigures(coefs, compared, ranking)
