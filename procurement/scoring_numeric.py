"""Normalisation formulas and the exact/float arithmetic shared by the scoring engine.

Each award criterion (Dir. 2014/24/EU art. 67; Belgian law of 17 June 2016 art. 81) turns a
bid's figure into a normalised score s in [0, 1]:

* price, proportional: s = lowest price / price
* price, linear: s = (highest - price) / (highest - lowest); 1 for every bid when all prices are equal
* quantity, better higher: s = value / highest value; 0 for every bid when all values are 0
* quantity, better lower: s = lowest value / value; when the lowest value is 0, a bid at 0
  scores 1 and every other bid scores 0 (the limit of the formula)
* rating: s = rating / scale

How exactness is kept at speed: every score is first computed in binary floating point, with a
proven bound on its absolute error (``score_error``). Decisions (ranking, ties, boundaries,
rounding) use the floats only when they are farther apart than the bound; otherwise the
engine recomputes the figures involved with :class:`fractions.Fraction` from the exact
decimal inputs. The result is the one exact arithmetic gives, at float speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .scoring_model import HIGHER, LINEAR, LOWER, PROPORTIONAL, RATING, Number, exact_value

#: Unit roundoff of IEEE double precision.
U = 2.0 ** -53
#: Normalisations whose result depends on the other bids (the "field").
FIELD_KINDS = (PROPORTIONAL, LINEAR, HIGHER, LOWER)


@dataclass(frozen=True)
class Norm:
    """The normalisers of one criterion: lowest and highest figure (or the rating scale).

    ``lo``/``hi`` are the raw figures (for float work), ``elo``/``ehi`` their exact values.
    """

    kind: str
    lo: Number
    hi: Number
    elo: Fraction
    ehi: Fraction

    @property
    def degenerate(self) -> bool:
        """True when every score is exactly 0 or 1 (all figures equal for the linear
        formula, all 0 for "better higher", lowest 0 for "better lower")."""
        kind = self.kind
        return ((kind == LINEAR and self.lo == self.hi) or (kind == HIGHER and self.hi == 0)
                or (kind == LOWER and self.lo == 0))

    @classmethod
    def of(cls, kind: str, lo: Number, hi: Number) -> "Norm":
        return cls(kind, lo, hi, exact_value(lo), exact_value(hi))


def make_norm(kind: str, col: list[Number], scale: Fraction | None = None) -> Norm:
    """Normalisers of ``col`` for the formula ``kind``."""
    if kind == RATING:
        exact_scale = Fraction(scale if scale is not None else 1)
        return Norm(kind, 0, float(exact_scale), Fraction(0), exact_scale)
    return Norm.of(kind, min(col), max(col))


def float_scores(norm: Norm, col: list[Number]) -> list[float]:
    """Normalised scores of ``col`` in floating point."""
    kind, lo, hi = norm.kind, norm.lo, norm.hi
    if kind == PROPORTIONAL:
        return [lo / p for p in col]
    if kind == LINEAR:
        if lo == hi:
            return [1.0] * len(col)
        d = float(norm.ehi - norm.elo)
        return [(hi - p) / d for p in col]
    if kind == HIGHER:
        if hi == 0:
            return [0.0] * len(col)
        return [v / hi for v in col]
    if kind == LOWER:
        if lo == 0:
            return [1.0 if v == 0 else 0.0 for v in col]
        return [lo / v for v in col]
    if kind == RATING:
        return [r / hi for r in col]
    raise ValueError(f"no points formula for {kind!r}")


def score_error(norm: Norm) -> float:
    """Bound on the absolute error of :func:`float_scores` against the exact score."""
    if norm.kind == LINEAR and norm.lo != norm.hi:
        spread = float(norm.ehi - norm.elo)
        return 8 * U * (abs(norm.hi) + abs(norm.lo)) / spread + 8 * U
    return 8 * U


def exact_score(norm: Norm, x: Number) -> Fraction:
    """Normalised score of figure ``x`` in exact arithmetic."""
    kind = norm.kind
    if kind == PROPORTIONAL:
        return norm.elo / exact_value(x)
    if kind == LINEAR:
        if norm.lo == norm.hi:
            return Fraction(1)
        return (norm.ehi - exact_value(x)) / (norm.ehi - norm.elo)
    if kind == HIGHER:
        return Fraction(0) if norm.hi == 0 else exact_value(x) / norm.ehi
    if kind == LOWER:
        if norm.lo == 0:
            return Fraction(1 if x == 0 else 0)
        return norm.elo / exact_value(x)
    if kind == RATING:
        return exact_value(x) / norm.ehi
    raise ValueError(f"no points formula for {kind!r}")


def round_fraction(q: Fraction, places: int = 2) -> float:
    """``q`` rounded to ``places`` decimals, halves away from zero, as the nearest float."""
    scale = 10**places
    n = math.floor(abs(q) * scale + Fraction(1, 2))
    return math.copysign(n / scale, q) if n else 0.0


def round_float(x: float, places: int, exact: Callable[[], Fraction], err: float) -> float:
    """Round ``x`` (within ``err`` of its exact value ``exact()``) to ``places`` decimals.

    The exact value is only computed when ``x`` is too close to a rounding half to decide.
    """
    scale = 10**places
    y = abs(x) * scale
    f = math.floor(y)
    frac = y - f
    if abs(frac - 0.5) <= 4 * err * scale + 4 * U * y + 1e-12:
        return round_fraction(exact(), places)
    n = f + 1 if frac > 0.5 else f
    return math.copysign(n / scale, x) if n else 0.0


def round_column(xs: list[float], places: int, err: float,
                 exact_at: Callable[[int], Fraction]) -> list[float]:
    """:func:`round_float` over a column of non-negative floats (each within ``err`` of its
    exact value ``exact_at(i)``), vectorised; exact values are computed only near halves."""
    scale = 10**places
    tol = 4 * err * scale + 4 * U * scale * max(xs, default=0) + 1e-12
    floor, nan = math.floor, math.nan
    out = [(f + 1 if fr > 0.5 else f) / scale
           if abs((fr := (y := x * scale) - (f := floor(y))) - 0.5) > tol else nan
           for x in xs]
    if any(map(math.isnan, out)) or (xs and min(xs) < 0):
        out = [round_fraction(exact_at(i), places) if (v != v or xs[i] < 0) else v
               for i, v in enumerate(out)]
    return out


def fraction_text(q: Fraction) -> str:
    """Exact value as text: an integer, or ``numerator/denominator``."""
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
