"""Rank reversal check: does removing one bid change the order of the others?

Relative scoring formulas compare each bid with the best (or worst) bid received, so the
ranking of two bids can depend on a third one, which is at odds with the equal treatment and
transparency principles of Dir. 2014/24/EU art. 18 and art. 67 (Belgian law of 17 June 2016
art. 4 and art. 81). The engine reports such cases as warnings, it never changes the award.

Why this is fast: a bid's scores depend on the other bids only through the normalisers of the
field-dependent formulas (lowest price for the proportional formula, lowest and highest for
the linear one, highest value for "better higher", lowest for "better lower"; a rating scale
is fixed). Removing bid r leaves every other score unchanged unless r is the *only* bid at
one of those extremes. So only those "pivotal" bids (at most two per criterion) need a
check, and when nothing changes the relative order is trivially the same.

For a pivotal bid, each changed score is an affine function of the old one, s' = a + g s
(e.g. g = new lowest / old lowest for the proportional formula), so the gap between two
neighbours in the ranking becomes gap + sum_k w_k (g_k - 1)(s_ak - s_bk). The order of the
others is unchanged iff every pair of neighbours (with r taken out) keeps its relation:
one pass over the ranking. Pairs too close to call in floats are decided exactly.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction

from .scoring_model import HIGHER, LINEAR, LOWER, PROPORTIONAL
from .scoring_numeric import U, Norm, float_scores, score_error
from .scoring_points import PointsModel
from .scoring_rank import Ranking

_INF = float("inf")
_EXTREME = {PROPORTIONAL: ("lo",), LINEAR: ("lo", "hi"), HIGHER: ("hi",), LOWER: ("lo",)}
_WHAT = {"lo": "lowest", "hi": "highest"}


@dataclass(frozen=True)
class RankReversal:
    """Removing ``removed`` changes the relation of ``first`` and ``second`` (ids)."""

    removed: str
    criteria: tuple[str, ...]
    first: str
    second: str
    before: str  # "ahead" (first was ahead of second) or "tied"
    after: str   # "behind", "tied" or "ahead"

    @property
    def message(self) -> str:
        what = " and ".join(self.criteria)
        head = (f"Removing bid {self.removed} changes the order of the other bids, because it "
                f"sets the reference figure on {what}: ")
        if self.before == "tied":
            leader = self.first if self.after == "ahead" else self.second
            return head + (f"{self.first} and {self.second} are tied, but without "
                           f"{self.removed}, {leader} comes first.")
        if self.after == "tied":
            return head + (f"{self.first} is ahead of {self.second}, but without "
                           f"{self.removed}, they are tied.")
        return head + (f"{self.first} is ahead of {self.second}, but without {self.removed}, "
                       f"{self.second} is ahead of {self.first}.")


def pivotal_bids(model: PointsModel) -> dict[int, dict[int, Norm]]:
    """Bids whose removal changes some normaliser: bid index -> {criterion index: new norm}."""
    out: dict[int, dict[int, Norm]] = {}
    if model.n < 3:
        return out
    for k, (kind, col, norm) in enumerate(zip(model.kinds, model.cols, model.norms)):
        for end in _EXTREME.get(kind, ()):
            value = getattr(norm, end)
            if col.count(value) != 1:
                continue
            r = col.index(value)
            rest = col[:r] + col[r + 1:]
            new = out.setdefault(r, {}).get(k, norm)
            lo = min(rest) if end == "lo" else new.lo
            hi = max(rest) if end == "hi" else new.hi
            out[r][k] = Norm.of(kind, lo, hi)
    return out


def rank_reversals(model: PointsModel, ranking: Ranking) -> list[RankReversal]:
    """One :class:`RankReversal` per bid whose removal changes the others' relative order."""
    order = ranking.order
    pos_of = {i: p for p, i in enumerate(order)}
    tied = ranking.tied_with_next()
    tied_pairs = [j for j, t in enumerate(tied) if t]
    T = model.T
    gaps = [T[a] - T[b] for a, b in zip(order, order[1:])]
    ordered_s: dict[int, list[float]] = {}
    found = []
    for r, override in sorted(pivotal_bids(model).items(), key=lambda kv: pos_of[kv[0]]):
        hit = _check_removal(model, ranking, r, override, gaps, tied_pairs, pos_of[r], ordered_s)
        if hit:
            found.append(hit)
    return found


def _affine_slope(norm: Norm, new: Norm) -> Fraction | None:
    """g such that new score = a + g x old score for every bid, or None if not affine."""
    kind = norm.kind
    if kind in (PROPORTIONAL, LOWER):
        return None if norm.lo == 0 else new.elo / norm.elo
    if kind == HIGHER:
        return Fraction(0) if new.hi == 0 else norm.ehi / new.ehi
    if new.hi == new.lo:  # linear: every remaining price equal, every score becomes 1
        return Fraction(0)
    return (norm.ehi - norm.elo) / (new.ehi - new.elo)


def _check_removal(model: PointsModel, ranking: Ranking, r: int, override: dict[int, Norm],
                   gaps: list[float], tied_pairs: list[int], p: int,
                   ordered_s: dict[int, list[float]]) -> RankReversal | None:
    order = ranking.order
    slopes = {k: _affine_slope(model.norms[k], new) for k, new in override.items()}
    eps = 4 * model.eps_T + 8 * U
    if all(g is not None for g in slopes.values()):
        vals = None
        for k, g in slopes.items():
            c = model.wf[k] * (float(g) - 1.0)
            eps += (4 * abs(c) * (2 * model.eps_s[k] + 4 * U)
                    + 8 * U * (model.wf[k] * (abs(float(g)) + 1) + 100 + abs(c)))
            if c == 0:
                continue
            so = ordered_s.get(k)
            if so is None:
                so = ordered_s[k] = [model.s[k][i] for i in order]
            base = gaps if vals is None else vals
            vals = [v + c * (a - b) for v, a, b in zip(base, so, so[1:])]
        vals = list(gaps) if vals is None else vals
    else:
        delta = [0.0] * model.n
        for k, new in override.items():
            col = list(model.cols[k])
            col[r] = new.hi or 1  # r's own figure may break the new formula; r is left out
            s_new = float_scores(new, col)
            wk = model.wf[k]
            delta = [d + wk * (b - a) for d, a, b in zip(delta, model.s[k], s_new)]
            eps += 8 * wk * (model.eps_s[k] + score_error(new) + 4 * U)
        do = [delta[i] for i in order]
        vals = [g + a - b for g, a, b in zip(gaps, do, do[1:])]
    # pairs touching r disappear; r's neighbours become a new pair
    if p > 0:
        vals[p - 1] = _INF
    if p < len(vals):
        vals[p] = _INF
    # Pairs to look at, in rank order: tied pairs (a tie must stay exact), r's neighbours
    # (a new pair), and pairs whose new gap may be <= 0. The first change is reported.
    merged = p - 1 if 0 < p < len(order) - 1 else None
    special = sorted({j for j in tied_pairs if j not in (p - 1, p)} | ({merged} - {None}))
    scan = (j for j, v in enumerate(vals) if v <= eps) if min(vals) <= eps else iter(())
    last = -1
    for j in heapq.merge(special, scan):
        if j == last:
            continue
        last = j
        a, b = order[j], order[p + 1 if j == merged else j + 1]
        before = "tied" if ranking.rank[a] == ranking.rank[b] else "ahead"
        if j != merged and before == "ahead" and vals[j] < -eps:
            after = "behind"  # certain from the floats
        else:
            ka, kb = model.key_exact(a, override), model.key_exact(b, override)
            after = "tied" if ka == kb else ("ahead" if ka > kb else "behind")
        if after != before:
            names = tuple(model.criteria[k].id for k in sorted(override))
            return RankReversal(model.ids[r], names, model.ids[a], model.ids[b], before, after)
    return None
