"""Scoring engine for public procurement awards: public API.

Scores bids against published award criteria and weights to find the most economically
advantageous tender (EU Directive 2014/24/EU art. 67; Belgian law of 17 June 2016 art. 81),
flags abnormally low prices for a written justification (Dir. art. 69; law art. 84; royal
decree of 18 April 2017 art. 35-36) and explains the award: the lowest-price counterfactual,
how stable the winner is to each weight, and rank reversals caused by relative formulas.

    >>> result = score(parse_input(document))     # dataclasses, see scoring_result
    >>> score_json(document)                      # the procure-scoring-result/1 document

Input and output formats: docs/scoring-format.md. Pure Python, no Flask, no database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import cached_property
from itertools import takewhile
from typing import Any, Mapping

from .scoring_analysis import (
    AbnormalPrice, AbnormalPriceCheck, LowestPriceComparison, abnormal_prices, lowest_price,
    money,
)
from .scoring_model import (
    ENGINE_VERSION, INPUT_FORMAT, LOWER, METHOD_PROZORRO, RESULT_FORMAT,
    AbnormalPriceRule, Bid, Criterion, ScoringError, ScoringInput, Tender, exact_value,
    gc_paused,
)
from .scoring_numeric import U, round_column, round_fraction
from .scoring_parse import parse_input
from .scoring_points import PointsModel
from .scoring_prozorro import ProzorroFigures, prozorro
from .scoring_result import BidResult, FigureSource, ScoringResult, ScoringWarning
from .scoring_reversal import RankReversal, rank_reversals
from .scoring_stability import StabilityInterval, stability
from .scoring_text import StabilityStatement, stability_statement, stability_statements

__all__ = [
    "AbnormalPrice", "AbnormalPriceCheck", "AbnormalPriceRule", "Bid", "BidResult", "Criterion",
    "ENGINE_VERSION", "INPUT_FORMAT", "LowestPriceComparison", "RESULT_FORMAT", "RankReversal",
    "ScoringError", "ScoringInput", "ScoringResult", "ScoringWarning", "StabilityInterval",
    "StabilityStatement", "Tender", "canonical_hash", "exact_value", "parse_input", "score",
    "score_json", "stability_statement", "stability_statements",
]


def canonical_hash(data: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``data``: keys sorted, no spaces, UTF-8."""
    try:
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"the input cannot be written as JSON: {exc}") from exc
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _PointsFigures(FigureSource):
    """Rounded totals, points and scores, computed column by column on first use."""

    def __init__(self, model: PointsModel):
        self.model = model
        self.ids = [c.id for c in model.criteria]

    @cached_property
    def columns(self) -> tuple[list[float], list[list[float]], list[list[float]]]:
        m = self.model
        totals = round_column(m.T, 2, m.eps_T, m.total_exact)
        points, scores = [], []
        for k in range(m.m):
            wk, sk = m.wf[k], m.s[k]
            points.append(round_column([wk * x for x in sk], 2, wk * m.eps_s[k] + 300 * U,
                                       lambda i, k=k: m.points_exact(k, i)))
            scores.append(round_column(sk, 4, m.eps_s[k], lambda i, k=k: m.s_exact(k, i)))
        return totals, points, scores

    def total(self, i: int) -> float:
        return self.columns[0][i]

    def points(self, i: int) -> dict[str, float]:
        return {cid: col[i] for cid, col in zip(self.ids, self.columns[1])}

    def scores(self, i: int) -> dict[str, float]:
        return {cid: col[i] for cid, col in zip(self.ids, self.columns[2])}


class _ProzorroFigures(FigureSource):
    def __init__(self, figures: ProzorroFigures):
        self.figures = figures

    def total(self, i: int) -> None:
        return None

    def points(self, i: int) -> dict[str, float]:
        return {}

    def scores(self, i: int) -> dict[str, float]:
        return {}

    def extra(self, i: int) -> dict[str, float]:
        return {"compared_value": money(self.figures.compared[i]),
                "coefficient": round_fraction(self.figures.coefficient[i], 6)}


def score(inp: ScoringInput) -> ScoringResult:
    """Rank the bids and compute every analysis; see :class:`ScoringResult`."""
    with gc_paused():
        return _score(inp)


def _score(inp: ScoringInput) -> ScoringResult:
    points_model = None
    if inp.method == METHOD_PROZORRO:
        figures = prozorro(inp)
        ranking, source = figures.ranking, _ProzorroFigures(figures)
    else:
        points_model = PointsModel(inp)
        ranking, source = points_model.rank(), _PointsFigures(points_model)
    first = ranking.order[0]
    winner = None if ranking.tie[first] else first
    abnormal = abnormal_prices(inp)
    flagged = {a.bid for a in abnormal.flagged} if abnormal else set()
    rank, tie, all_bids = ranking.rank, ranking.tie, inp.bids
    bids = tuple(BidResult(b.id, b.bidder, rank[i], tie[i], b.price, b.id in flagged, i, source)
                 for i, b in ((i, all_bids[i]) for i in ranking.order))
    warnings = _tie_warnings(bids) + _zero_warnings(inp)
    warnings += [ScoringWarning("abnormally_low_price", _abnormal_message(a, abnormal), a.bid,
                                {"mean": a.mean, "deviation_pct": a.deviation_pct})
                 for a in (abnormal.flagged if abnormal else ())]
    intervals: dict[str, StabilityInterval] = {}
    if points_model is not None:
        if winner is not None:
            intervals = stability(points_model, ranking, winner)
        warnings += [ScoringWarning("rank_reversal", r.message, r.removed,
                                    {"criteria": list(r.criteria), "first": r.first,
                                     "second": r.second, "before": r.before, "after": r.after})
                     for r in rank_reversals(points_model, ranking)]
    return ScoringResult(
        method=inp.method, tender=inp.tender, criteria=inp.criteria,
        winner=None if winner is None else inp.bids[winner].id, bids=bids,
        lowest_price=lowest_price(inp, ranking.rank, winner), abnormal_price=abnormal,
        stability=intervals, warnings=tuple(warnings))


def score_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate, score and return the ``procure-scoring-result/1`` document for ``data``."""
    with gc_paused():
        result = score(parse_input(data))
        return replace(result, input_sha256=canonical_hash(data)).to_json()


def _tie_warnings(bids: tuple[BidResult, ...]) -> list[ScoringWarning]:
    tied = [b.id for b in takewhile(lambda b: b.rank == 1, bids) if b.tie]
    if not tied:
        return []
    return [ScoringWarning(
        "tie_for_first",
        f"Bids {', '.join(tied)} are tied for first place after every tie-break rule: the "
        "tender documents' rule for equal tenders (e.g. drawing lots) must decide.",
        None, {"bids": tied})]


def _zero_warnings(inp: ScoringInput) -> list[ScoringWarning]:
    out = []
    for c in inp.criteria:
        if c.kind != LOWER:
            continue
        col = inp.columns[c.id]
        if min(col) == 0 and max(col) > 0:
            zeros = sorted(b.id for b, v in zip(inp.bids, col) if v == 0)
            out.append(ScoringWarning(
                "zero_lowest_value",
                f"Bid {', '.join(zeros)} offers 0 on {c.name!r}, where lower is better: a bid "
                f"at 0 scores full points on it and every bid above 0 scores 0.", zeros[0],
                {"criterion": c.id, "bids": zeros}))
    return out


def _abnormal_message(a: AbnormalPrice, check: AbnormalPriceCheck) -> str:
    ref = "the other bids" if check.reference == "other_bids" else "all bids"
    return (f"The price of bid {a.bid} is {a.deviation_pct:g} % below the "
            f"mean price of {ref} ({a.mean:.2f}): ask the bidder to justify it in "
            f"writing before any decision (royal decree of 18 April 2017 art. 36); this is a "
            f"flag, not a rejection.")
