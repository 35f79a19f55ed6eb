"""Weight stability: how far each published weight could move before the winner changes.

Weights are fixed before the bids are opened and never change afterwards (Dir. 2014/24/EU
art. 67(5); Belgian law of 17 June 2016 art. 81 §4). This analysis does not change them: it
tells the buyer and the auditor how robust the award is to the weighting chosen.

For criterion k with current weight w_k, set its weight to t in [0, 100] and scale the other
weights so the total stays 100: w_j' = w_j (100 - t) / (100 - w_k). Bid i's total becomes

    total_i(t) = t s_ik + (100 - t) r_ik,   r_ik = (total_i - w_k s_ik) / (100 - w_k),

a straight line in t (r_ik is the bid's weighted score on the other criteria). When
w_k = 100 the other weights are all 0 and cannot be scaled; the freed weight is then shared
equally among the other criteria (r_ik = their plain average), as unweighted criteria count
equally. The winner W stays first while total_W(t) >= total_i(t) for every i, the
intersection of one linear inequality per bid: an interval containing w_k, computed exactly.

A bid i that beats W at t = 0 (r_i > r_W; then s_i < s_W) crosses W's line at
t* = 100 x / (x + y) with x = r_i - r_W, y = s_W - s_i; the lower end is the largest such t*.
Symmetrically for the upper end with bids that beat W at t = 100. At an end, the bid named
as overtaking is the one that crosses there; if several do, the one furthest ahead just
beyond the end (steepest line), then the better current rank, then the bid id.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction

from .scoring_model import HIGHER, RATING
from .scoring_numeric import U
from .scoring_points import PointsModel
from .scoring_rank import Ranking

_INF = float("inf")
_NEAR = -1e300


@dataclass(frozen=True)
class StabilityInterval:
    """Range of the weight of ``criterion`` within which ``winner`` stays first (exact)."""

    criterion: str
    winner: str
    current: Fraction
    min: Fraction
    max: Fraction
    overtaken_by_min: str | None
    overtaken_by_max: str | None


def stability(model: PointsModel, ranking: Ranking, winner: int) -> dict[str, StabilityInterval]:
    """Stability interval of every criterion's weight for bid index ``winner``."""
    forder = sorted(range(model.n), key=model.T.__getitem__, reverse=True)
    neg_t = [-model.T[i] for i in forder]
    out = {}
    for k, crit in enumerate(model.criteria):
        lo, lo_bid = _end(model, ranking, winner, k, forder, neg_t, left=True)
        hi, hi_bid = _end(model, ranking, winner, k, forder, neg_t, left=False)
        out[crit.id] = StabilityInterval(
            crit.id, model.ids[winner], model.w[k], lo, hi,
            None if lo_bid is None else model.ids[lo_bid],
            None if hi_bid is None else model.ids[hi_bid])
    return out


def _mean_rest(model: PointsModel, k: int) -> tuple[list[float], float]:
    """Float rest scores when w_k = 100 (plain average of the other scores), error bound."""
    others = [j for j in range(model.m) if j != k]
    if not others:
        return [0.0] * model.n, 0.0
    sums = [0.0] * model.n
    for j in others:
        sums = [a + b for a, b in zip(sums, model.s[j])]
    rho = [a / len(others) for a in sums]
    return rho, 4 * (max(model.eps_s[j] for j in others) + (len(others) + 2) * U)


def _end(model: PointsModel, ranking: Ranking, win: int, k: int, forder: list[int],
         neg_t: list[float], *, left: bool):
    """Exact lower (``left``) or upper end of the interval, and the bid binding it.

    Float pass: q = y / x for bids certainly ahead at t = 0 (x > big), or q = x / y for bids
    certainly ahead at t = 100 (y < -big); the smallest q gives the end. With |x| (|y|)
    above ``big`` the float q is within ``tol`` of the exact one, so every bid whose float q
    is within ``tol`` of the best exact q is checked exactly, as are bids too close to call.

    Pruning: at a crossing t*, total_W - total_i = 0 gives
    T_W - T_i = |t* - w_k| x (difference of slopes) <= |t* - w_k| x ``room``, since every
    score lies in [0, 1]. Bids are scanned by decreasing total; once one crossing t0 is
    known exactly, only bids with T_W - T_i <= |t0 - w_k| x room can do as well or better.
    """
    w, n = model.w[k], model.n
    if (left and w == 0) or (not left and w == 100) or n == 1:
        return (Fraction(0) if left else Fraction(100)), None
    T, sk, col = model.T, model.s[k], model.cols[k]
    tw, sw, vw = T[win], sk[win], col[win]
    flat = model.norms[k].degenerate
    if not left and not _someone_better(model.norms[k], col, sk, vw, sw):
        return Fraction(100), None  # nobody scores more than W on k: W leads at t = 100
    dy = 2 * model.eps_s[k] + 4 * U  # bound on the error of y = s_W - s_i
    if w == 100:  # left end only; rest scores are plain averages, no pruning
        rho, err_r = _mean_rest(model, k)
        dx = 2 * err_r + 4 * U
        big = max(1e-8, 64 * dx)
        rw = rho[win]
        q = [(sw - s) / d if (d := r - rw) > big else (_NEAR if d > -dx else _INF)
             for r, s in zip(rho, sk)]
        return _select(model, ranking, win, k, list(range(n)), q, (dy, dx, big), left)
    wf = model.wf[k]
    inv = 1.0 / (100.0 - wf)
    rw = (tw - wf * sw) * inv
    dx = 2 * 4 * (model.eps_T + 100 * model.eps_s[k] + 800 * U) * inv + 4 * U
    big = max(1e-8, 64 * (dx if left else dy))
    room = (1 + sw - rw if left else 1 - sw + rw) + 4 * (dx + dy)
    margin = 8 * model.eps_T + 1e-7

    def scan(chunk: list[int] | None) -> list[float]:  # None: every bid, in index order
        ts = T if chunk is None else [T[i] for i in chunk]
        ss = sk if chunk is None else [sk[i] for i in chunk]
        if left:
            return [(sw - s) / d if (d := (t - wf * s) * inv - rw) > big
                    else (_NEAR if d > -dx else _INF) for t, s in zip(ts, ss)]
        vs = col if chunk is None else [col[i] for i in chunk]
        return [((t - wf * s) * inv - rw) / d if (d := sw - s) < -big
                else (_INF if d >= dy or v == vw or (flat and d == 0.0) else _NEAR)
                for t, s, v in zip(ts, ss, vs)]

    def count(gap: float) -> int:  # bids with T_i >= T_W - gap (with a safety margin)
        return bisect_right(neg_t, gap + margin - tw)

    limit = count(wf * sw if left else (100 - wf) * room)
    ids: list[int] | range = forder[:min(limit, 256)]
    q = scan(ids)
    t0 = _some_crossing(model, win, k, ids, q, left)
    if t0 is not None:
        limit = min(limit, count(abs(float(t0) - wf) * room))
    if limit > len(ids):
        if t0 is None and 2 * limit > n:  # nothing near the top: one pass over everybody
            ids, q = range(n), scan(None)
        else:
            rest = forder[len(ids):limit]
            ids, q = ids + rest, q + scan(rest)
    return _select(model, ranking, win, k, ids, q, (dy, dx, big), left)


def _someone_better(norm, col: list, sk: list[float], vw, sw: float) -> bool:
    """Does some bid score strictly more than W on this criterion (exactly)?"""
    if norm.degenerate:  # every score is exactly 0.0 or 1.0
        return max(sk) > sw
    if norm.kind in (HIGHER, RATING):  # score increases with the figure
        return max(col) > vw
    return min(col) < vw  # proportional, linear, lower: score decreases with the figure


def _some_crossing(model: PointsModel, win: int, k: int, ids: list[int], q: list[float],
                   left: bool) -> Fraction | None:
    """Exact crossing point of the best certain overtaker found so far, if any."""
    tmp = [_INF if v == _NEAR else v for v in q]
    while (best := min(tmp, default=_INF)) != _INF:
        p = tmp.index(best)
        tmp[p] = _INF
        if ids[p] == win:
            continue
        x, y = _exact_xy(model, win, k, ids[p])
        if (x > 0) if left else (y < 0):
            return 100 * x / (x + y)
    return None


def _select(model: PointsModel, ranking: Ranking, win: int, k: int, ids: list[int],
            q: list[float], errors: tuple[float, float, float], left: bool):
    """Exact end from the float q of the scanned bids ``ids`` (see :func:`_end`)."""
    dy, dx, big = errors
    q = list(q)
    for p, i in enumerate(ids):
        if i == win:
            q[p] = _INF
    cands: set[int] = set()
    if min(q, default=_INF) == _NEAR:
        cands.update(ids[p] for p, v in enumerate(q) if v == _NEAR)
        q = [_INF if v == _NEAR else v for v in q]
    num_err, den_err = (dy, dx) if left else (dx, dy)
    while (best := min(q, default=_INF)) != _INF:
        p0 = q.index(best)
        cands.add(ids[p0])
        q0 = _exact_q(model, win, k, ids[p0], left)
        q[p0] = _INF
        if q0 is None:  # float noise only: not an overtaker after all, try the next one
            continue
        qf = float(q0)
        # error of a float q = num / den with |den| > big >= 64 den_err, for q <= qf + 1
        tol = 4 * (num_err + (qf + 1) * den_err) / big + 16 * U * (qf + 1)
        if min(q) <= qf + tol:
            cands.update(ids[p] for p, v in enumerate(q) if v <= qf + tol)
        break
    return _exact_end(model, ranking, win, k, cands, left)


def _exact_xy(model: PointsModel, win: int, k: int, i: int) -> tuple[Fraction, Fraction]:
    x = model.rest_exact(k, i) - model.rest_exact(k, win)
    y = model.s_exact(k, win) - model.s_exact(k, i)
    return x, y


def _exact_q(model: PointsModel, win: int, k: int, i: int, left: bool) -> Fraction | None:
    x, y = _exact_xy(model, win, k, i)
    if left:
        return y / x if x > 0 else None
    return x / y if y < 0 else None


def _exact_end(model: PointsModel, ranking: Ranking, win: int, k: int, cands: set[int],
               left: bool):
    best_t = None
    binding: list[tuple] = []
    for i in cands:
        x, y = _exact_xy(model, win, k, i)
        if (left and x <= 0) or (not left and y >= 0):
            continue  # never strictly ahead of the winner on this side
        t = 100 * x / (x + y)
        slope = x + y  # slope of total_W - total_i; the steepest one leads beyond the end
        better = (best_t is None or (t > best_t if left else t < best_t))
        if better:
            best_t, binding = t, []
        if t == best_t:
            binding.append(((-slope if left else slope), ranking.rank[i], model.ids[i], i))
    if best_t is None:
        return (Fraction(0) if left else Fraction(100)), None
    return best_t, min(binding)[3]
