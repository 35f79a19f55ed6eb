"""The state of a lot's evaluation, and the scoring input built from it for the engine.

The web evaluation scores with exactly the engine that ``flask score`` runs
(``procurement.scoring.score_json``), on an input file in the ``procure-scoring/1`` format built
here from the database: the lot's published criteria and weights, each admitted bid's price and
stated values (read through ``bids.bid_content``, so never before the opening) and the latest
rating of each rating criterion. Excluded bids (non-conforming, or abnormal price rejected after
a written justification) are left out. A finalised evaluation is read from its frozen JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from accounts.models import User
from procurement import bids as bid_service
from procurement.bid_models import (
    Bid, ConformityDecision, Evaluation, JustificationDecision, PriceJustification, Rating,
)
from procurement.models import AwardCriterion, CriterionKind, Lot, Tender
from procurement.scoring import INPUT_FORMAT, ScoringError, canonical_hash, score_json
from registry.models import Enterprise


@dataclass
class BidRow:
    bid: Bid
    code: str
    enterprise: str
    content: bid_service.BidContent
    conformity: ConformityDecision | None = None
    justification: PriceJustification | None = None
    ratings: dict[str, Rating] = field(default_factory=dict)
    history: list[Rating] = field(default_factory=list)

    @property
    def excluded(self) -> bool:
        if self.conformity is not None and not self.conformity.conforming:
            return True
        return self.justification is not None and self.justification.decision == JustificationDecision.REJECTED.value

    @property
    def exclusion_reason(self) -> str:
        if self.conformity is not None and not self.conformity.conforming:
            return self.conformity.reason
        if self.excluded:
            return self.justification.decision_reason
        return ""


@dataclass
class EvaluationState:
    tender: Tender
    lot: Lot
    evaluation: Evaluation
    criteria: list[AwardCriterion]
    rows: list[BidRow]
    input: dict | None = None
    result: dict | None = None
    error: str | None = None
    missing: list[tuple[str, str]] = field(default_factory=list)  # (bid code, criterion code)

    @property
    def provisional(self) -> bool:
        return not self.evaluation.finalised

    @property
    def rating_criteria(self) -> list[AwardCriterion]:
        return [c for c in self.criteria if c.kind == CriterionKind.RATING.value]

    def row(self, code: str) -> BidRow | None:
        return next((r for r in self.rows if r.code == code), None)

    def flagged(self) -> list[str]:
        return [b["id"] for b in (self.result or {}).get("bids", []) if b.get("abnormally_low")]


def number(value) -> int | float:
    """A Decimal as a JSON number the engine reads exactly (floats by their shortest decimal)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(str(value.normalize()))


def lot_criteria(session: Session, lot: Lot) -> list[AwardCriterion]:
    query = select(AwardCriterion).where(AwardCriterion.lot_id == lot.id)
    return list(session.exec(query.order_by(AwardCriterion.position, AwardCriterion.id)))


def current_evaluation(session: Session, lot: Lot) -> Evaluation | None:
    query = select(Evaluation).where(Evaluation.lot_id == lot.id).order_by(Evaluation.version.desc())
    return session.exec(query).first()


def latest_finalised(session: Session, lot: Lot) -> Evaluation | None:
    query = (select(Evaluation).where(Evaluation.lot_id == lot.id, Evaluation.status == "finalised")
             .order_by(Evaluation.version.desc()))
    return session.exec(query).first()


def _latest(rows, key):
    out = {}
    for row in rows:  # ordered by id: later rows replace earlier ones
        out[key(row)] = row
    return out


def load_state(session: Session, evaluation: Evaluation, viewer: User, *, lang: str,
               abnormal_rule: dict, default_formula: str = "proportional",
               now: datetime | None = None) -> EvaluationState:
    """Everything the evaluation and results pages show. Raises ``BidSealed`` before the opening."""
    tender = session.get(Tender, evaluation.tender_id)
    lot = session.get(Lot, evaluation.lot_id)
    criteria = lot_criteria(session, lot)
    codes = bid_service.bid_codes(session, lot.id)
    ev = evaluation.id
    conformity = _latest(session.exec(select(ConformityDecision).where(ConformityDecision.evaluation_id == ev)
                                      .order_by(ConformityDecision.id)), lambda r: r.bid_id)
    justifications = _latest(session.exec(select(PriceJustification).where(PriceJustification.evaluation_id == ev)
                                          .order_by(PriceJustification.id)), lambda r: r.bid_id)
    ratings = list(session.exec(select(Rating).where(Rating.evaluation_id == ev).order_by(Rating.id)))
    rows = []
    for bid in bid_service.lot_bids(session, lot.id):
        row = BidRow(bid, codes[bid.id], session.get(Enterprise, bid.enterprise_id).legal_name,
                     bid_service.bid_content(session, bid, viewer, now),
                     conformity.get(bid.id), justifications.get(bid.id))
        row.history = [r for r in ratings if r.bid_id == bid.id]
        row.ratings = _latest(row.history, lambda r: r.criterion_code)
        rows.append(row)
    state = EvaluationState(tender, lot, evaluation, criteria, rows)
    if evaluation.finalised:
        state.input = json.loads(evaluation.input_json)
        state.result = json.loads(evaluation.result_json)
        return state
    state.input = build_input(state, lang=lang, abnormal_rule=abnormal_rule, default_formula=default_formula)
    try:
        state.result = score_json(state.input)
    except ScoringError as exc:
        state.error = str(exc)
    return state


def build_input(state: EvaluationState, *, lang: str, abnormal_rule: dict,
                default_formula: str = "proportional") -> dict:
    """The ``procure-scoring/1`` document for the admitted bids. A missing rating is entered as
    0 and listed in ``state.missing`` (the evaluation cannot be finalised until it is given)."""
    criteria = []
    for c in state.criteria:
        item = {"id": c.code, "type": c.kind, "weight": number(c.weight), "label": c.label(lang)}
        if c.kind == CriterionKind.PRICE.value:
            item["formula"] = c.formula or default_formula
        elif c.kind == CriterionKind.QUANTITY.value:
            item["better"] = c.better or "higher"
            if c.unit:
                item["unit"] = c.unit
        elif c.kind == CriterionKind.RATING.value:
            item["scale"] = c.scale or 10
        criteria.append(item)
    bids = []
    state.missing = []
    for row in state.rows:
        if row.excluded:
            continue
        values, ratings = {}, {}
        for c in state.criteria:
            if c.kind == CriterionKind.QUANTITY.value:
                values[c.code] = number(row.content.values.get(c.code, 0))
            elif c.kind == CriterionKind.RATING.value:
                rating = row.ratings.get(c.code)
                if rating is None:
                    state.missing.append((row.code, c.code))
                ratings[c.code] = number(rating.value) if rating else 0
        bids.append({"id": row.code, "bidder": row.enterprise, "price": number(row.content.price),
                     "values": values, "ratings": ratings})
    return {
        "format": INPUT_FORMAT,
        "tender": {"reference": state.tender.reference, "lot": str(state.lot.number), "currency": "EUR",
                   "title": state.tender.title(lang)},
        "criteria": criteria,
        "bids": bids,
        "abnormal_price": {"threshold_pct": abnormal_rule["threshold_pct"], "min_bids": abnormal_rule["min_bids"]},
    }


def input_text(data: dict) -> str:
    """The scoring input as frozen and embedded in the report (readable, stable key order)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def freeze(state: EvaluationState) -> tuple[str, str, str, str]:
    """(input JSON, result JSON, input hash, result hash) of the current state."""
    result = score_json(state.input)
    return input_text(state.input), input_text(result), canonical_hash(state.input), canonical_hash(result)
