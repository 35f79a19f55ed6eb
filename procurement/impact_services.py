"""Loading the facts of the impact dashboard from the database (one ``ContractFacts`` per
contract); the figures themselves are computed by the pure ``procurement.impact``."""
from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from accounts.models import Authority
from common.timeutil import to_brussels
from procurement import impact
from procurement.bid_models import Evaluation
from procurement.models import Lot, Reservation, Tender, TenderClause
from procurement.monitoring_models import Contract, ContractReport, ReportStatus
from registry.models import Enterprise, EnterpriseStatus

NOT_SOCIAL = {"social-clause-penalties", "reporting-monthly-hours"}


def contract_facts(session: Session) -> list[impact.ContractFacts]:
    facts = []
    for c in session.exec(select(Contract)):
        tender, lot = session.get(Tender, c.tender_id), session.get(Lot, c.lot_id)
        evaluation = session.get(Evaluation, c.evaluation_id) if c.evaluation_id else None
        awarded = (evaluation.finalised_at if evaluation and evaluation.finalised_at else c.created_at)
        validated = list(session.exec(select(ContractReport).where(ContractReport.contract_id == c.id,
                                                                   ContractReport.status == ReportStatus.VALIDATED.value)))
        clauses = {t.clause_id for t in session.exec(select(TenderClause).where(TenderClause.tender_id == tender.id))
                   if t.lot_id in (None, lot.id)}
        enterprise = session.get(Enterprise, c.enterprise_id)
        facts.append(impact.ContractFacts(
            authority=session.get(Authority, c.authority_id).name, year=to_brussels(awarded).year,
            amount=Decimal(c.initial_amount), social_economy=enterprise.status == EnterpriseStatus.VALIDATED.value,
            committed_hours=Decimal(c.committed_hours),
            delivered_hours=sum((r.total_hours for r in validated), Decimal(0)),
            subcontracted_hours=sum((Decimal(r.subcontracted_hours) for r in validated), Decimal(0)),
            social_clause=bool(clauses - NOT_SOCIAL), reserved=lot.reservation != Reservation.NONE.value,
            region=tender.nuts3 or "", cpv_division=(tender.cpv_main or "")[:2]))
    return facts
