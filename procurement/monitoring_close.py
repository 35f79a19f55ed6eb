"""Progress of a contract, its closing (the penalty of the social clause) and the certificate of
satisfactory execution of the social clause (certificat de bonne exécution / attest van goede
uitvoering; Walloon practice, shared/DOMAIN.md), listed as a reference on the firm's registry
profile. Penalty rule: ``procurement.penalties`` (Brussels model, rates copied from the clause)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.access import can_edit_authority
from accounts.models import Authority
from audit import log as audit_log
from common.timeutil import to_brussels, utcnow
from procurement import monitoring_rules as rules
from procurement.models import Lot, Tender
from procurement.monitoring import contract_periods, reports_of
from procurement.monitoring_models import Contract, ContractReport, ContractStatus, ReportStatus
from procurement.penalties import Penalty, penalty_from_clause, progress
from registry.models import Enterprise
from registry.validation import ValidationError

SATISFACTORY_CASES = ("fully_delivered", "within_tolerance")
# The certificate's fixed wording, in the words of shared/GLOSSARY.md (not left to the catalogues:
# the legal document must read right in each language).
CERTIFICATE_TEXT = {
    "fr": ("Certificat de bonne exécution de la clause sociale",
           "Le pouvoir adjudicateur certifie que l'adjudicataire a exécuté la clause sociale du présent "
           "marché public de manière satisfaisante."),
    "nl": ("Attest van goede uitvoering van de sociale clausule",
           "De aanbestedende overheid verklaart dat de opdrachtnemer de sociale clausule van deze "
           "overheidsopdracht naar behoren heeft uitgevoerd."),
    "en": ("Certificate of satisfactory execution of the social clause",
           "The contracting authority certifies that the contractor has performed the social clause of this "
           "public contract satisfactorily."),
}


@dataclass
class ContractSummary:
    contract: Contract
    tender: Tender
    lot: Lot
    enterprise: Enterprise
    authority: Authority
    reports: list[ContractReport]
    timeline: list[rules.PeriodStatus]
    delivered: Decimal
    by_category: dict[str, Decimal]
    expected_share: Decimal
    percent: Decimal | None
    penalty: Penalty | None  # what closing today would give (None without committed hours)
    undecided: int = 0
    late: list[rules.PeriodStatus] = field(default_factory=list)


def penalty_for(contract: Contract, delivered: Decimal) -> Penalty | None:
    if Decimal(contract.committed_hours) <= 0:
        return None
    return penalty_from_clause(contract.initial_amount, contract.committed_hours, delivered,
                               contract.clause_parameters)


def summary(session: Session, contract: Contract, *, today: date | None = None,
            grace_days: int = 0) -> ContractSummary:
    today = today or to_brussels(utcnow()).date()
    reports = reports_of(session, contract)
    facts = [rules.ReportFacts(r.period_start, r.status, r.total_hours, to_brussels(r.submitted_at).date())
             for r in reports]
    timeline = rules.timeline(contract_periods(contract, grace_days), facts, Decimal(contract.committed_hours),
                              today)
    validated = [r for r in reports if r.status == ReportStatus.VALIDATED.value]
    by_category = {name: sum((Decimal(getattr(r, name)) for r in validated), Decimal(0))
                   for name in ("insertion_hours", "training_hours", "subcontracted_hours")}
    delivered = rules.delivered(timeline)
    committed = Decimal(contract.committed_hours)
    return ContractSummary(
        contract=contract, tender=session.get(Tender, contract.tender_id), lot=session.get(Lot, contract.lot_id),
        enterprise=session.get(Enterprise, contract.enterprise_id),
        authority=session.get(Authority, contract.authority_id), reports=reports, timeline=timeline,
        delivered=delivered, by_category=by_category,
        expected_share=rules.expected_share([t.period for t in timeline], today),
        percent=progress(committed, delivered).percent if committed > 0 else None,
        penalty=penalty_for(contract, delivered),
        undecided=sum(1 for r in reports if r.status == ReportStatus.SUBMITTED.value),
        late=rules.late_periods(timeline))


def close_contract(session: Session, contract: Contract, user, *, now: datetime | None = None,
                   grace_days: int = 0) -> Contract:
    """Close the contract: delivered hours (validated reports only), the penalty with its
    calculation and, when the clause is satisfied, the certificate and the registry reference."""
    if not can_edit_authority(user, contract.authority_id):
        raise PermissionError("only the authority's buyers close its contracts")
    if contract.status != ContractStatus.ACTIVE.value:
        raise ValidationError({"close": _l("This contract is already closed.")})
    now = now or utcnow()
    info = summary(session, contract, today=to_brussels(now).date(), grace_days=grace_days)
    if info.undecided:
        raise ValidationError({"close": _l("Validate or contest every submitted report before closing "
                                           "(%(n)s undecided).", n=info.undecided)})
    penalty = info.penalty
    contract.status = ContractStatus.CLOSED.value
    contract.closed_at, contract.closed_by = now, user.id
    contract.delivered_hours = info.delivered
    contract.penalty = penalty.as_dict() | {"explain": {lang: penalty.explain(lang) for lang in ("fr", "nl", "en")}} \
        if penalty else {"case": "no_commitment", "amount": "0"}
    contract.satisfactory = penalty is not None and penalty.case in SATISFACTORY_CASES
    if contract.satisfactory:
        contract.certificate_number = f"CERT-{info.tender.reference}-L{info.lot.number}"
        contract.reference_id = _add_reference(session, info, now, user).id
    session.add(contract)
    audit_log.append(session, "contract.closed", actor=user, object_type="contract", object_id=contract.id,
                     tender_ref=info.tender.reference,
                     details={"delivered_hours": str(info.delivered), "penalty": contract.penalty.get("amount"),
                              "case": contract.penalty.get("case"), "certificate": contract.certificate_number})
    session.commit()
    return contract


def _add_reference(session: Session, info: ContractSummary, now: datetime, user):
    from registry.services_parts import save_reference

    hours = format(Decimal(info.delivered).normalize(), "f")
    description = (
        f"{info.tender.reference} lot {info.lot.number} — {info.tender.title('fr')}. "
        f"Certificat de bonne exécution de la clause sociale / Attest van goede uitvoering van de sociale "
        f"clausule / Certificate of satisfactory execution of the social clause "
        f"{info.contract.certificate_number}: {hours} / {info.contract.committed_hours} h.")
    return save_reference(session, info.enterprise, {
        "buyer": info.authority.name, "year": str(to_brussels(now).year),
        "amount_eur": str(info.contract.initial_amount), "description": description}, actor=user, commit=False)


def certificate_context(info: ContractSummary, lang: str) -> dict:
    """Plain data for ``templates/pdf/certificate.html``."""
    c = info.contract
    return {
        "number": c.certificate_number, "authority": info.authority.name,
        "title": CERTIFICATE_TEXT[lang][0], "statement": CERTIFICATE_TEXT[lang][1],
        "enterprise": info.enterprise.legal_name, "enterprise_number": info.enterprise.enterprise_number or "",
        "tender_reference": info.tender.reference, "tender_title": info.tender.title(lang),
        "lot_number": info.lot.number, "lot_title": info.lot.title(lang),
        "start": c.start_date, "end": c.end_date, "amount": Decimal(c.initial_amount),
        "committed": Decimal(c.committed_hours), "delivered": Decimal(c.delivered_hours or 0),
        "explanation": (c.penalty.get("explain") or {}).get(lang, ""),
        "closed": to_brussels(c.closed_at).date() if c.closed_at else None,
        "by_category": info.by_category,
        "reports": [{"period": r.period_start, "hours": r.total_hours, "comment": r.comment}
                    for r in info.reports if r.status == ReportStatus.VALIDATED.value],
    }


def contracts_closed(session: Session, enterprise_id: int) -> list[Contract]:
    return list(session.exec(select(Contract).where(Contract.enterprise_id == enterprise_id,
                                                    Contract.status == ContractStatus.CLOSED.value)))
