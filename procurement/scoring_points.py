"""Weighted-points model: best price-quality ratio with published weights.

Implements the award on the best price-quality ratio (Dir. 2014/24/EU art. 67(2) and (5);
Belgian law of 17 June 2016 art. 81 §2 and §4): each criterion k has a weight w_k (the
weights add up to 100) and gives each bid a normalised score s in [0, 1]; the bid earns
w_k x s points on k and its total is the sum of its points, out of 100.

:class:`PointsModel` holds the float scores and totals of every bid with a bound on their
error, and recomputes any figure exactly (``Fraction``) on demand, also for a modified field
of bids (``override`` maps a criterion index to other normalisers).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from .scoring_model import RATING, ScoringInput
from .scoring_numeric import U, Norm, exact_score, float_scores, make_norm, score_error
from .scoring_rank import Ranking, rank_bids


class PointsModel:
    """Float scores with error bounds, plus exact recomputation, for one scoring input."""

    def __init__(self, inp: ScoringInput):
        self.inp = inp
        self.criteria = inp.criteria
        self.ids = [b.id for b in inp.bids]
        self.n = len(self.ids)
        self.m = len(self.criteria)
        self.cols = [inp.columns[c.id] for c in self.criteria]
        self.kinds = [c.kind for c in self.criteria]
        self.w = [c.weight for c in self.criteria]
        self.wf = [float(w) for w in self.w]
        self.norms = [make_norm(c.kind, col, c.scale if c.type == RATING else None)
                      for c, col in zip(self.criteria, self.cols)]
        self.s = [float_scores(norm, col) for norm, col in zip(self.norms, self.cols)]
        self.eps_s = [score_error(norm) for norm in self.norms]
        totals = None
        for wk, sk in zip(self.wf, self.s):
            if wk:
                totals = ([wk * x for x in sk] if totals is None
                          else [t + wk * x for t, x in zip(totals, sk)])
        self.T = totals if totals is not None else [0.0] * self.n
        # Error of a total: each weighted score (w <= 100) plus the rounding of the sum.
        self.eps_T = 4 * (sum(w * e for w, e in zip(self.wf, self.eps_s))
                          + 100 * (self.m + 4) * U)
        index = {c.id: k for k, c in enumerate(self.criteria)}
        self.tie_break = [index[cid] for cid in inp.tie_break]
        self._exact_s: dict[tuple[int, int], Fraction] = {}
        self._exact_T: dict[int, Fraction] = {}

    # -- exact recomputation -------------------------------------------------------------
    def s_exact(self, k: int, i: int, override: Mapping[int, Norm] | None = None) -> Fraction:
        """Exact normalised score of bid ``i`` on criterion ``k``."""
        if override and k in override:
            return exact_score(override[k], self.cols[k][i])
        key = (k, i)
        value = self._exact_s.get(key)
        if value is None:
            value = self._exact_s[key] = exact_score(self.norms[k], self.cols[k][i])
        return value

    def points_exact(self, k: int, i: int, override: Mapping[int, Norm] | None = None) -> Fraction:
        """Exact points of bid ``i`` on criterion ``k``."""
        return self.w[k] * self.s_exact(k, i, override)

    def total_exact(self, i: int, override: Mapping[int, Norm] | None = None) -> Fraction:
        """Exact total of bid ``i``."""
        if not override:
            value = self._exact_T.get(i)
            if value is None:
                value = self._exact_T[i] = sum(
                    (self.points_exact(k, i) for k in range(self.m) if self.w[k]), Fraction(0))
            return value
        return sum((self.points_exact(k, i, override) for k in range(self.m) if self.w[k]),
                   Fraction(0))

    def key_exact(self, i: int, override: Mapping[int, Norm] | None = None) -> tuple:
        """Exact ranking key: total, then points on each tie-break criterion (higher wins)."""
        return (self.total_exact(i, override),
                *(self.points_exact(k, i, override) for k in self.tie_break))

    def rest_exact(self, k: int, i: int) -> Fraction:
        """Exact score of bid ``i`` on the criteria other than ``k``, weighted as they would be
        if the weight of ``k`` changed (see :mod:`procurement.scoring_stability`)."""
        if self.w[k] < 100:
            return (self.total_exact(i) - self.points_exact(k, i)) / (100 - self.w[k])
        others = [j for j in range(self.m) if j != k]
        if not others:
            return Fraction(0)
        return sum((self.s_exact(j, i) for j in others), Fraction(0)) / len(others)

    def rank(self) -> Ranking:
        """Exact ranking of all bids."""
        return rank_bids(self.T, self.eps_T, self.key_exact, self.ids)
