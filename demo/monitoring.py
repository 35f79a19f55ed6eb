"""Demo data: the contract of lot 1 of DEMO-2026-001 (awarded by the finalised evaluation of
demo.bids) with five monthly reports: three validated (one of them filed late), one contested,
one waiting for the buyer's decision.

The demo tender was awarded a few days ago; so that the reports have past months to cover, the
contract's start date is set five months back (DEMONSTRATION ONLY). Everything goes through the
services of procurement.monitoring, back-dated. Idempotent: nothing is done once the contract has
reports.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlmodel import select

from accounts.models import User
from common.timeutil import BRUSSELS, to_brussels, utcnow
from demo.bids import _pdf
from procurement import monitoring as service
from procurement import monitoring_rules as rules
from procurement.evaluation_state import latest_finalised
from procurement.models import Lot, Tender
from procurement.monitoring_access import member_enterprise_ids
from procurement.monitoring_models import Contract
from registry.models import Enterprise, EnterpriseMember, EnterpriseStatus

TENDER_REF = "DEMO-2026-001"
BUYER = "buyer@demo.example"
# (insertion, training, subcontracted hours, people, days after the due date it is filed (negative:
# before), decision: "validate" | "contest" | None, comment)
REPORTS = [
    ("18", "6", "0", 2, -5, "validate", "Deux personnes engagées (P-01, P-02) via le CPAS, article 60 §7."),
    ("24", "8", "12", 3, -3, "validate", "Tonte et taille ; tutorat hebdomadaire par le chef d'équipe."),
    ("30", "0", "0", 2, -2, "contest", "Heures du mois, y compris les congés."),
    ("26", "6", "10", 3, 12, "validate", "Rapport envoyé en retard (congé du responsable)."),
    ("28", "8", "0", 3, -4, None, "Entretien des cimetières avant la Toussaint."),
]
# Gender breakdown of each report's people (women, men, another gender or not stated); None: the
# contractor did not state it (the dashboard then counts those people as "not stated").
GENDER = [(1, 1, 0), None, (1, 1, 0), (2, 1, 0), (1, 1, 1)]
CONTEST_REASON = ("Les heures de congé ne sont pas des heures prestées sur le chantier : merci de déposer "
                  "un rapport corrigé avec les relevés de présence.")


def _user(session, email):
    return session.exec(select(User).where(User.email == email)).first()


def load(session) -> str:
    tender = session.exec(select(Tender).where(Tender.reference == TENDER_REF)).first()
    lot = tender and session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == 1)).first()
    evaluation = lot and latest_finalised(session, lot)
    buyer = _user(session, BUYER)
    if evaluation is None or buyer is None:
        return "monitoring: no finalised evaluation of DEMO-2026-001 lot 1, skipped"
    contract = session.exec(select(Contract).where(Contract.lot_id == lot.id)).first()
    if contract is None:
        contract = service.create_contracts_for_award(session, tender, lot, evaluation, buyer)
    if service.reports_of(session, contract):
        return "monitoring: already present"
    member = session.exec(select(User).join(EnterpriseMember, EnterpriseMember.user_id == User.id)
                          .where(EnterpriseMember.enterprise_id == contract.enterprise_id)).first()
    if member is None or contract.enterprise_id not in member_enterprise_ids(session, member):
        return "monitoring: the contractor has no firm user, skipped"
    today = to_brussels(utcnow()).date()
    start = rules.add_months(rules.month_start(today), -len(REPORTS))
    service.set_start_date(session, contract, buyer, start, duration_months=tender.duration_months or 36)
    partner = session.exec(select(Enterprise).where(Enterprise.status == EnterpriseStatus.VALIDATED.value,
                                                    Enterprise.id != contract.enterprise_id,
                                                    Enterprise.enterprise_number.is_not(None))
                           .order_by(Enterprise.id)).first()
    cfg = current_app.config
    periods = service.contract_periods(contract)
    for period, (ins, tra, sub, people, delay, decision, comment), gender in zip(periods, REPORTS, GENDER):
        filed = period.due + timedelta(days=delay)
        when = min(utcnow() - timedelta(hours=1),
                   to_brussels(utcnow()).replace(year=filed.year, month=filed.month, day=filed.day, hour=10,
                                                 tzinfo=BRUSSELS))
        data = {"period": period.key, "insertion_hours": ins, "training_hours": tra,
                "subcontracted_hours": sub if partner else "0", "people": str(people), "comment": comment,
                "subcontractor": partner.enterprise_number if partner and sub != "0" else ""}
        if gender:
            data |= dict(zip(("people_women", "people_men", "people_other"), (str(n) for n in gender)))
        evidence = [(f"releve-{period.key}.pdf", _pdf(f"Releve des prestations {period.key}"))]
        report = service.file_report(session, contract, member, data, evidence, upload_dir=cfg["UPLOAD_DIR"],
                                     max_bytes=cfg["UPLOAD_MAX_FILE_BYTES"], now=when)
        if decision:
            service.decide_report(session, report, buyer, validate=decision == "validate",
                                  reason="" if decision == "validate" else CONTEST_REASON,
                                  now=min(utcnow(), when + timedelta(days=2)))
    return f"monitoring: contract of {TENDER_REF} lot 1 with {len(REPORTS)} monthly reports"
