"""Evaluation workflow of a lot: ratings, conformity, abnormal-price justifications, finalisation.

- Ratings of rating criteria each carry a written justification (the award decision must be
  reasoned: law of 17 June 2016 art. 81; law of 17 June 2013 on reasoning and information).
  A change is a new row: the history is kept.
- A non-conforming bid is excluded with its reason.
- An abnormally low price flagged by the engine is never rejected automatically: the bidder is
  asked to justify it in writing and the buyer decides with reasons (Dir. 2014/24/EU art. 69;
  law of 17 June 2016 art. 84; royal decree of 18 April 2017 art. 35-36).
- Finalising freezes the scoring input and result with their hashes and records the award
  decision; afterwards nothing changes. A correction is a new, recorded version.
Every step is appended to the audit log with the tender reference.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.access import can_edit_authority
from accounts.models import User
from audit import log as audit_log
from common.timeutil import utcnow
from procurement.bid_models import (
    Bid, ConformityDecision, Evaluation, EvaluationStatus, JustificationDecision, PriceJustification, Rating,
)
from procurement.evaluation_state import (
    EvaluationState, current_evaluation, freeze, latest_finalised, lot_criteria,
)
from procurement.models import CriterionKind, Lot, Tender, TenderStatus


class EvaluationError(ValueError):
    """Bad input; ``field`` names the form field."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


class EvaluationLocked(EvaluationError):
    def __init__(self):
        super().__init__("evaluation", _l("This evaluation is finalised and can no longer be changed. "
                                          "A correction needs a new version."))


class RatingConflict(EvaluationError):
    """Another evaluator changed this rating after the form was loaded (optimistic locking)."""

    def __init__(self):
        super().__init__("value", _l("Another evaluator changed this rating after you opened the page. "
                                     "Your rating was not saved: check the current rating and enter "
                                     "yours again if needed."))


def _check(session: Session, evaluation: Evaluation, user: User) -> Tender:
    tender = session.get(Tender, evaluation.tender_id)
    if not can_edit_authority(user, tender.authority_id):
        raise PermissionError("only the authority's buyers evaluate its bids")
    if evaluation.finalised:
        raise EvaluationLocked()
    latest = current_evaluation(session, session.get(Lot, evaluation.lot_id))
    if latest.id != evaluation.id:
        raise EvaluationLocked()
    return tender


def _bid_of(session: Session, evaluation: Evaluation, bid_id) -> Bid:
    bid = session.get(Bid, bid_id) if str(bid_id).isdigit() else None
    if bid is None or bid.lot_id != evaluation.lot_id:
        raise EvaluationError("bid", _l("Unknown bid."))
    return bid


def _text(value: str | None, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise EvaluationError(field, message)
    return text[:10000]


def _log(session, action, user, tender, evaluation, bid_id=None, **details):
    lot = session.get(Lot, evaluation.lot_id)
    audit_log.append(session, action, actor=user, object_type="evaluation", object_id=evaluation.id,
                     tender_ref=tender.reference,
                     details={"lot": lot.number, "version": evaluation.version,
                              **({"bid": bid_id} if bid_id else {}), **details})


def record_rating(session: Session, evaluation: Evaluation, user: User, *, bid_id, criterion: str,
                  value, justification: str, now: datetime | None = None, based_on=None) -> Rating:
    """Record a rating (a new row: the history is kept).

    No lost update between two evaluators: ``based_on`` is the id of the latest rating of this bid
    and criterion that the evaluator saw (0: none yet), sent back by the form. The evaluation row is
    locked (``SELECT ... FOR UPDATE`` on PostgreSQL) before the latest rating is read, so concurrent
    saves are serialised; if the latest rating is no longer ``based_on``, ``RatingConflict`` is
    raised and nothing is written. ``based_on=None`` (callers without a form, e.g. the CLI or the
    demo loader) skips the check.
    """
    tender = _check(session, evaluation, user)
    bid = _bid_of(session, evaluation, bid_id)
    lot = session.get(Lot, evaluation.lot_id)
    crit = next((c for c in lot_criteria(session, lot)
                 if c.code == criterion and c.kind == CriterionKind.RATING.value), None)
    if crit is None:
        raise EvaluationError("criterion", _l("Unknown rating criterion."))
    scale = crit.scale or 10
    try:
        rating = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise EvaluationError("value", _l("Enter a number.")) from None
    if not rating.is_finite() or rating < 0 or rating > scale or rating.normalize().as_tuple().exponent < -2:
        raise EvaluationError("value", _l("Enter a rating between 0 and %(scale)s (two decimals at most).",
                                          scale=scale))
    text = _text(justification, "justification", _l("A written justification is required for every rating."))
    if based_on is not None:
        try:
            based_on = int(str(based_on).strip() or "0")
        except ValueError:
            raise EvaluationError("value", _l("The form is incomplete. Reload the page and try again.")) from None
    session.exec(select(Evaluation).where(Evaluation.id == evaluation.id).with_for_update()).one()
    previous = session.exec(select(Rating).where(Rating.evaluation_id == evaluation.id, Rating.bid_id == bid.id,
                                                 Rating.criterion_code == criterion)
                            .order_by(Rating.id.desc())).first()
    if based_on is not None and based_on != (previous.id if previous else 0):
        raise RatingConflict()
    row = Rating(evaluation_id=evaluation.id, bid_id=bid.id, criterion_code=criterion, value=rating,
                 justification=text, evaluator_id=user.id, created_at=now or utcnow())
    session.add(row)
    _log(session, "rating.changed" if previous else "rating.entered", user, tender, evaluation, bid.id,
         criterion=criterion, value=str(rating), previous=str(previous.value) if previous else None)
    session.commit()
    return row


def record_conformity(session: Session, evaluation: Evaluation, user: User, *, bid_id, conforming: bool,
                      reason: str, now: datetime | None = None) -> ConformityDecision:
    tender = _check(session, evaluation, user)
    bid = _bid_of(session, evaluation, bid_id)
    reason = (reason or "").strip()[:10000]
    if not conforming and not reason:
        raise EvaluationError("reason", _l("Give the reason why the bid does not conform."))
    row = ConformityDecision(evaluation_id=evaluation.id, bid_id=bid.id, conforming=conforming, reason=reason,
                             decided_by=user.id, decided_at=now or utcnow())
    session.add(row)
    _log(session, "bid.conforming" if conforming else "bid.excluded", user, tender, evaluation, bid.id,
         reason=reason)
    session.commit()
    return row


def request_justification(session: Session, evaluation: Evaluation, user: User, *, bid_id, request_text: str,
                          now: datetime | None = None) -> PriceJustification:
    tender = _check(session, evaluation, user)
    bid = _bid_of(session, evaluation, bid_id)
    text = _text(request_text, "request_text", _l("Write what the bidder must justify."))
    row = PriceJustification(evaluation_id=evaluation.id, bid_id=bid.id, request_text=text,
                             requested_by=user.id, requested_at=now or utcnow())
    session.add(row)
    _log(session, "price_justification.requested", user, tender, evaluation, bid.id)
    session.commit()
    return row


def decide_justification(session: Session, evaluation: Evaluation, user: User, *, bid_id, answer_text: str,
                         decision: str, reason: str, now: datetime | None = None) -> PriceJustification:
    tender = _check(session, evaluation, user)
    bid = _bid_of(session, evaluation, bid_id)
    row = session.exec(select(PriceJustification).where(PriceJustification.evaluation_id == evaluation.id,
                                                        PriceJustification.bid_id == bid.id)
                       .order_by(PriceJustification.id.desc())).first()
    if row is None:
        raise EvaluationError("decision", _l("Ask the bidder for a written justification first."))
    if decision not in {d.value for d in JustificationDecision}:
        raise EvaluationError("decision", _l("Choose whether the justification is accepted or rejected."))
    answer = _text(answer_text, "answer_text", _l("Copy or summarise the bidder's written justification."))
    why = _text(reason, "decision_reason", _l("Give the reasons for the decision."))
    row.answer_text, row.decision, row.decision_reason = answer, decision, why
    row.decided_by, row.decided_at = user.id, now or utcnow()
    session.add(row)
    _log(session, "price_justification.decided", user, tender, evaluation, bid.id, decision=decision)
    session.commit()
    return row


def finalise_problems(state: EvaluationState) -> list[str]:
    """What still prevents finalisation (empty when it can be finalised)."""
    problems = []
    if state.error:
        problems.append(str(_l("The scoring engine refuses the input: %(error)s", error=state.error)))
    for code, criterion in state.missing:
        problems.append(str(_l("Bid %(bid)s has no rating on %(criterion)s.", bid=code, criterion=criterion)))
    for code in state.flagged():
        row = state.row(code)
        if row.justification is None or row.justification.decision != JustificationDecision.ACCEPTED.value:
            problems.append(str(_l("Bid %(bid)s has an apparently abnormal price: ask for and decide on its "
                                   "written justification first.", bid=code)))
    if state.result and state.result.get("winner") is None and not state.error:
        problems.append(str(_l("Several bids are tied for first place: the rule of the tender documents for "
                               "equal tenders must decide before the award.")))
    return problems


def finalise(session: Session, state: EvaluationState, user: User, *, reasons: str,
             now: datetime | None = None) -> Evaluation:
    evaluation = state.evaluation
    tender = _check(session, evaluation, user)
    problems = finalise_problems(state)
    if problems:
        raise EvaluationError("evaluation", problems[0])
    reasons = _text(reasons, "reasons", _l("Give the reasons for the award decision."))
    input_json, result_json, input_hash, result_hash = freeze(state)
    winner = state.row(state.result["winner"])
    now = now or utcnow()
    evaluation.status = EvaluationStatus.FINALISED.value
    evaluation.finalised_at, evaluation.finalised_by = now, user.id
    evaluation.award_bid_id, evaluation.award_reasons = winner.bid.id, reasons
    evaluation.input_json, evaluation.result_json = input_json, result_json
    evaluation.input_hash, evaluation.result_hash = input_hash, result_hash
    session.add(evaluation)
    _log(session, "evaluation.finalised", user, tender, evaluation, winner.bid.id, award=winner.code,
         input_sha256=input_hash, result_sha256=result_hash)
    from procurement.monitoring import create_contracts_for_award  # the lot's contract (issue 7)

    create_contracts_for_award(session, tender, state.lot, evaluation, user, commit=False)
    if _all_lots_finalised(session, tender):
        tender.status = TenderStatus.AWARDED.value
        tender.updated_at = now
        session.add(tender)
        audit_log.append(session, "tender.awarded", actor=user, object_type="tender", object_id=tender.id,
                         tender_ref=tender.reference, details={})
    session.commit()
    return evaluation


def _all_lots_finalised(session: Session, tender: Tender) -> bool:
    for lot in session.exec(select(Lot).where(Lot.tender_id == tender.id)):
        evaluation = current_evaluation(session, lot)
        if evaluation is not None and not evaluation.finalised:
            return False
    return True


def new_version(session: Session, evaluation: Evaluation, user: User, *, reason: str,
                now: datetime | None = None) -> Evaluation:
    """Correct a finalised evaluation: a new open version that copies the latest decisions."""
    tender = session.get(Tender, evaluation.tender_id)
    if not can_edit_authority(user, tender.authority_id):
        raise PermissionError("only the authority's buyers evaluate its bids")
    lot = session.get(Lot, evaluation.lot_id)
    if not evaluation.finalised or latest_finalised(session, lot).id != current_evaluation(session, lot).id:
        raise EvaluationError("evaluation", _l("Only the latest finalised evaluation can be corrected."))
    why = _text(reason, "reason", _l("Explain why the evaluation must be corrected."))
    now = now or utcnow()
    new = Evaluation(tender_id=tender.id, lot_id=lot.id, version=evaluation.version + 1, created_by=user.id,
                     created_at=now, supersedes_id=evaluation.id, correction_reason=why)
    session.add(new)
    session.flush()
    for model in (Rating, ConformityDecision, PriceJustification):
        for row in session.exec(select(model).where(model.evaluation_id == evaluation.id).order_by(model.id)):
            data = row.model_dump(exclude={"id"})
            data["evaluation_id"] = new.id
            session.add(model(**data))
    if tender.status == TenderStatus.AWARDED.value:
        tender.status = TenderStatus.OPENED.value
        session.add(tender)
    _log(session, "evaluation.reopened", user, tender, new, supersedes=evaluation.version, reason=why)
    session.commit()
    return new
