"""Result objects of the scoring engine and their JSON form (``procure-scoring-result/1``).

The result is what a buyer needs to justify an award (Dir. 2014/24/EU art. 67 and art. 84;
Belgian law of 17 June 2016 art. 81) and what an auditor needs to recompute it: every bid's
rank, points and total, the abnormal-price flags (art. 69; law art. 84; royal decree of
18 April 2017 art. 35-36), the lowest-price counterfactual, the weight stability and the
warnings. Figures are rounded (half away from zero) from their exact values only at output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .scoring_analysis import AbnormalPriceCheck, LowestPriceComparison, money
from .scoring_model import (
    ENGINE_VERSION, METHOD_PROZORRO, RESULT_FORMAT, Criterion, Number, Tender,
)
from .scoring_numeric import fraction_text, round_fraction
from .scoring_stability import StabilityInterval


class FigureSource:
    """Rounded figures of bid ``i`` (total, points, normalised scores), computed on demand."""

    def total(self, i: int) -> float | None:
        raise NotImplementedError

    def points(self, i: int) -> dict[str, float]:
        raise NotImplementedError

    def scores(self, i: int) -> dict[str, float]:
        raise NotImplementedError

    def extra(self, i: int) -> dict[str, Any]:
        return {}


@dataclass(slots=True)
class BidResult:
    """One bid in the result (treat as read-only). ``total``, ``points`` and ``scores`` are
    rounded half away from zero from their exact values (2 decimals for points and totals,
    4 for normalised scores); the total is rounded from the exact total, so the rounded
    points need not add up to it exactly. (A slotted, non-frozen dataclass: building
    10,000 of them is four times faster than with ``frozen=True``.)"""

    id: str
    bidder: str
    rank: int
    tie: bool
    price: Number
    abnormally_low: bool
    index: int = field(repr=False, compare=False)
    source: FigureSource = field(repr=False, compare=False)

    @property
    def total(self) -> float | None:
        return self.source.total(self.index)

    @property
    def points(self) -> dict[str, float]:
        return self.source.points(self.index)

    @property
    def scores(self) -> dict[str, float]:
        return self.source.scores(self.index)

    @property
    def extra(self) -> dict[str, Any]:
        """Mode-specific figures (prozorro: ``compared_value`` and ``coefficient``)."""
        return self.source.extra(self.index)


@dataclass(slots=True)
class ScoringWarning:
    """Something the buyer must look at; never changes the ranking by itself (treat as
    read-only)."""

    code: str
    message: str
    bid: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "bid": self.bid, "message": self.message}
        if self.details:
            out["details"] = dict(self.details)
        return out


@dataclass(frozen=True)
class ScoringResult:
    """Everything :func:`procurement.scoring.score` computes. ``bids`` are in rank order
    (tied bids by id); ``winner`` is None when several bids share the first rank."""

    method: str
    tender: Tender
    criteria: tuple[Criterion, ...]
    winner: str | None
    bids: tuple[BidResult, ...]
    lowest_price: LowestPriceComparison | None
    abnormal_price: AbnormalPriceCheck | None
    stability: Mapping[str, StabilityInterval]
    warnings: tuple[ScoringWarning, ...]
    engine_version: str = ENGINE_VERSION
    input_sha256: str | None = None

    def bid(self, bid_id: str) -> BidResult:
        """The result of the bid with this id."""
        for b in self.bids:
            if b.id == bid_id:
                return b
        raise KeyError(bid_id)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_json(self) -> dict[str, Any]:
        """The ``procure-scoring-result/1`` document (see docs/scoring-format.md)."""
        from .scoring_text import stability_statements

        sentences = {s.criterion: s.sentence for s in stability_statements(self)}
        flagged = {a.bid: a for a in self.abnormal_price.flagged} if self.abnormal_price else {}
        return {
            "format": RESULT_FORMAT,
            "engine": {"name": "procure-scoring", "version": self.engine_version},
            "input_sha256": self.input_sha256,
            "method": self.method,
            "tender": {"reference": self.tender.reference, "lot": self.tender.lot,
                       "currency": self.tender.currency, "title": self.tender.title},
            "criteria": [_criterion_json(c) for c in self.criteria],
            "winner": self.winner,
            "bids": [_bid_json(b, flagged.get(b.id), self.method) for b in self.bids],
            "lowest_price": _lowest_json(self.lowest_price),
            "abnormal_price": _abnormal_json(self.abnormal_price),
            "stability": {cid: _stability_json(iv, sentences.get(cid))
                          for cid, iv in self.stability.items()},
            "warnings": [w.to_json() for w in self.warnings],
        }


def _num(q) -> float | int | None:
    if q is None:
        return None
    return q.numerator if q.denominator == 1 else float(q)


def _criterion_json(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "type": c.type}
    for name in ("weight", "formula", "better", "scale", "max", "label", "unit"):
        value = getattr(c, name)
        if value is not None:
            out[name] = value if isinstance(value, str) else _num(value)
    return out


def _bid_json(b: BidResult, flag, method: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": b.id, "bidder": b.bidder, "rank": b.rank, "tie": b.tie,
                           "price": b.price, "total": b.total, "points": b.points,
                           "scores": b.scores, "abnormally_low": b.abnormally_low}
    if method == METHOD_PROZORRO:
        out.update(b.extra)
    if flag is not None:
        out["abnormal_price"] = {"mean": flag.mean, "deviation_pct": flag.deviation_pct}
    return out


def _lowest_json(lp: LowestPriceComparison | None) -> dict[str, Any] | None:
    if lp is None:
        return None
    pct = lp.extra_cost_pct
    return {"bid": lp.bid, "price": money(lp.price), "winner": lp.winner,
            "winner_price": money(lp.winner_price), "extra_cost": money(lp.extra_cost),
            "extra_cost_pct": None if pct is None else round_fraction(pct, 2),
            "gains": {k: round_fraction(v, 4) for k, v in lp.gains.items()},
            "per_unit": {k: money(v) for k, v in lp.per_unit.items()}}


def _abnormal_json(ab: AbnormalPriceCheck | None) -> dict[str, Any] | None:
    if ab is None:
        return None
    return {"applied": ab.applied, "reference": ab.reference,
            "threshold_pct": _num(ab.threshold_pct), "min_bids": ab.min_bids,
            "bid_count": ab.bid_count, "mean": ab.mean,
            "flagged": [a.bid for a in ab.flagged], "note": ab.note}


def _stability_json(iv: StabilityInterval, sentence: str | None) -> dict[str, Any]:
    return {"current": _num(iv.current), "min": round_fraction(iv.min, 2),
            "max": round_fraction(iv.max, 2), "min_exact": fraction_text(iv.min),
            "max_exact": fraction_text(iv.max),
            "overtaken_by": {"min": iv.overtaken_by_min, "max": iv.overtaken_by_max},
            "sentence": sentence}
