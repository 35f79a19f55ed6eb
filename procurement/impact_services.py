"""Loading the facts of the impact dashboard from the database (one ``ContractFacts`` per
contract); the figures themselves are computed by the pure ``procurement.impact``."""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from accounts.models import Authority
from clauses.library import UnknownClauseError, default_library
from common.timeutil import to_brussels
from procurement import impact
from procurement.bid_models import Evaluation
from procurement.models import Lot, Reservation, Tender, TenderClause
from procurement.monitoring_models import Contract, ContractReport, ReportStatus
from registry.models import Enterprise, EnterpriseStatus

NOT_SOCIAL = {"social-clause-penalties", "reporting-monthly-hours"}


def clause_categories(clause_ids: set[str]) -> frozenset:
    """The library categories (clauses/*.toml ``category``) of the clauses a tender uses."""
    library, out = default_library(), set()
    for clause_id in clause_ids:
        try:
            out.add(library.get(clause_id).category)
        except UnknownClauseError:
            continue
    return frozenset(out)


def lowest_price_gap(evaluation: Evaluation | None, amount: Decimal | None = None) -> Decimal | None:
    """Awarded price − price of the bid that would have won on price alone, from the frozen scoring
    result of the finalised evaluation (procurement.scoring_analysis.lowest_price, Dir. 2014/24/EU
    art. 67(2)); None when there is no finalised result or no counterfactual. With ``amount`` (the
    part of the award this contract record counts, e.g. one participant's share of a joint award)
    the gap is taken pro rata amount ÷ awarded price, so that shares never count it twice."""
    if evaluation is None or not evaluation.finalised_at or not evaluation.result_json:
        return None
    try:
        lowest = json.loads(evaluation.result_json).get("lowest_price") or {}
        extra, winner_price = lowest.get("extra_cost"), lowest.get("winner_price")
        if extra is None:
            return None
        gap = Decimal(str(extra))
        if amount is not None and winner_price and Decimal(str(winner_price)) > 0 \
                and Decimal(amount) < Decimal(str(winner_price)):
            gap = (gap * Decimal(amount) / Decimal(str(winner_price))).quantize(Decimal("0.01"))
        return gap
    except (ValueError, AttributeError, InvalidOperation):
        return None


def _gender(reports: list[ContractReport]) -> impact.Breakdown:
    women = men = other = not_stated = 0
    for r in reports:
        try:
            b = impact.report_breakdown(int(r.people or 0), r.people_women, r.people_men, r.people_other)
        except ValueError:  # stored before validation existed: count it as not stated, never guess
            b = impact.Breakdown(0, 0, 0, int(r.people or 0))
        women, men, other, not_stated = women + b.women, men + b.men, other + b.other, not_stated + b.not_stated
    return impact.Breakdown(women, men, other, not_stated)


def _given_to_participants(session: Session, contract: Contract) -> tuple[Decimal, Decimal]:
    """Joint tenders (issue 10): the amount and committed hours of the participants' contracts
    that are shares of ``contract``; the lead's figures count only what is left (no double count)."""
    children = session.exec(select(Contract).where(Contract.parent_contract_id == contract.id))
    amount = hours = Decimal(0)
    for child in children:
        amount, hours = amount + Decimal(child.initial_amount), hours + Decimal(child.committed_hours)
    return amount, hours


def contract_facts(session: Session, authority_id: int | None = None) -> list[impact.ContractFacts]:
    facts = []
    query = select(Contract) if authority_id is None else select(Contract).where(Contract.authority_id == authority_id)
    for c in session.exec(query):
        tender, lot = session.get(Tender, c.tender_id), session.get(Lot, c.lot_id)
        evaluation = session.get(Evaluation, c.evaluation_id) if c.evaluation_id else None
        awarded = (evaluation.finalised_at if evaluation and evaluation.finalised_at else c.created_at)
        validated = list(session.exec(select(ContractReport).where(ContractReport.contract_id == c.id,
                                                                   ContractReport.status == ReportStatus.VALIDATED.value)))
        clauses = {t.clause_id for t in session.exec(select(TenderClause).where(TenderClause.tender_id == tender.id))
                   if t.lot_id in (None, lot.id)}
        enterprise = session.get(Enterprise, c.enterprise_id)
        gender = _gender(validated)
        facts.append(impact.ContractFacts(
            authority=session.get(Authority, c.authority_id).name, year=to_brussels(awarded).year,
            amount=Decimal(c.initial_amount) - _given_to_participants(session, c)[0],
            social_economy=enterprise.status == EnterpriseStatus.VALIDATED.value,
            committed_hours=Decimal(c.committed_hours) - _given_to_participants(session, c)[1],
            delivered_hours=sum((r.total_hours for r in validated), Decimal(0)),
            subcontracted_hours=sum((Decimal(r.subcontracted_hours) for r in validated), Decimal(0)),
            social_clause=bool(clauses - NOT_SOCIAL), reserved=lot.reservation != Reservation.NONE.value,
            region=tender.nuts3 or "", cpv_division=(tender.cpv_main or "")[:2],
            people=gender.total, women=gender.women, men=gender.men, other=gender.other,
            not_stated=gender.not_stated, clause_types=clause_categories(clauses),
            lowest_price_gap=lowest_price_gap(
                evaluation, Decimal(c.initial_amount) - _given_to_participants(session, c)[0])))
    return facts
