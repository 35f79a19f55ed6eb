"""Reading tenders: lookups, plain-dict views of the ORM rows, advice computed from the database.

No writes here (see ``tender_services``). Drafts use the current version of each library clause;
published tenders use the version they pinned, checked against its content hash.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Callable, Mapping

from sqlalchemy import or_
from sqlmodel import Session, select

from accounts.models import Authority, AuditorAssignment, Role
from clauses.library import Clause, Library, default_library
from procurement import advice as adv
from procurement.joint_access import joint_tender_ids
from procurement.models import AwardCriterion, Lot, Tender, TenderClause, TenderStatus
from procurement.tender_validation import CPV_RE

LANGS = ("fr", "nl", "en")


class ClauseIntegrityError(RuntimeError):
    """A published tender's pinned clause no longer matches its stored content hash."""


def as_utc(value: datetime | None) -> datetime | None:
    """Stored datetimes come back naive from some databases: they are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def find_tender(session: Session, reference: str) -> Tender | None:
    return session.exec(select(Tender).where(Tender.reference == reference)).first()


def authority_of(session: Session, tender: Tender) -> Authority | None:
    return session.get(Authority, tender.authority_id)


def lots_of(session: Session, tender: Tender) -> list[Lot]:
    return list(session.exec(select(Lot).where(Lot.tender_id == tender.id).order_by(Lot.number)))


def lot_by_number(session: Session, tender: Tender, number: int) -> Lot | None:
    return session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == number)).first()


def criteria_of(session: Session, lot: Lot) -> list[AwardCriterion]:
    return list(session.exec(select(AwardCriterion).where(AwardCriterion.lot_id == lot.id)
                             .order_by(AwardCriterion.position, AwardCriterion.id)))


def tender_clauses(session: Session, tender: Tender) -> list[TenderClause]:
    return list(session.exec(select(TenderClause).where(TenderClause.tender_id == tender.id)
                             .order_by(TenderClause.position, TenderClause.id)))


def clause_for(tender: Tender, tc: TenderClause, library: Library | None = None) -> Clause:
    """The library clause a selection uses: current for drafts, pinned once published."""
    library = library or default_library()
    if tender.status == TenderStatus.DRAFT.value:
        return library.get(tc.clause_id)
    clause = library.get(tc.clause_id, tc.clause_version)
    if tc.content_hash and clause.content_hash != tc.content_hash:
        raise ClauseIntegrityError(f"{tender.reference}: clause {tc.clause_id} v{tc.clause_version} "
                                   "differs from the text that was published")
    return clause


def clauses_with_library(session: Session, tender: Tender, library: Library | None = None
                         ) -> list[tuple[Clause, TenderClause]]:
    return [(clause_for(tender, tc, library), tc) for tc in tender_clauses(session, tender)]


def procedure_advice_for(session: Session, tender: Tender, settings: Mapping[str, Any],
                         social_clause_selected: bool | None = None) -> adv.ProcedureAdvice:
    authority = authority_of(session, tender)
    if social_clause_selected is None:
        social_clause_selected = tender.id is not None and tender_social_claimed(session, tender)
    # Joint tenders: the whole group's estimated value decides (procurement.joint_rules).
    from procurement.joint_services import group_estimate

    return adv.procedure_advice(
        group_estimate(session, tender).total, nature=tender.nature,
        authority_type=getattr(authority, "authority_type", "subcentral") or "subcentral",
        social_services=bool(tender.social_services), thresholds=settings,
        social_clause_selected=social_clause_selected)


def social_claimed(criteria, categories) -> bool:
    return adv.social_claimed(criteria, categories)


def tender_social_claimed(session: Session, tender: Tender, library: Library | None = None) -> bool:
    criteria = [c for lot in lots_of(session, tender) for c in criteria_of(session, lot)]
    categories = [clause.category for clause, _ in clauses_with_library(session, tender, library)]
    return adv.social_claimed(criteria, categories)


def tender_dict(tender: Tender) -> dict[str, Any]:
    data = {name: getattr(tender, name) for name in (
        "reference", "title_fr", "title_nl", "title_en", "description_fr", "description_nl",
        "description_en", "nature", "social_services", "cpv_main", "cpv_additional", "nuts3",
        "municipality", "estimated_value", "duration_months", "procedure",
        "procedure_justification", "social_clause_justification")}
    for name in ("publication_date", "question_deadline", "bid_deadline", "opening_at"):
        data[name] = as_utc(getattr(tender, name))
    data["insertion"] = dict(tender.insertion or {})
    return data


def lot_dict(lot: Lot) -> dict[str, Any]:
    return {"number": lot.number, "title_fr": lot.title_fr, "title_nl": lot.title_nl,
            "title_en": lot.title_en, "cpv_codes": list(lot.cpv_codes or []),
            "estimated_value": lot.estimated_value, "reservation": lot.reservation}


def criterion_dict(c: AwardCriterion) -> dict[str, Any]:
    return {name: getattr(c, name) for name in (
        "code", "kind", "label_fr", "label_nl", "label_en", "weight", "formula", "better", "unit",
        "scale", "scoring_grid", "is_social", "link_to_subject")}


def selection_dict(tc: TenderClause, session: Session, *, pinned: bool = False) -> dict[str, Any]:
    lot = session.get(Lot, tc.lot_id) if tc.lot_id else None
    return {"clause_id": tc.clause_id, "clause_version": tc.clause_version if pinned else None,
            "lot_number": lot.number if lot else None, "parameters": dict(tc.parameters or {})}


def cpv_checker(session: Session) -> Callable[[str], bool]:
    """How CPV codes are checked: known to the registry's reference data (the starter set shipped
    with the app plus the imported CPV list); without the registry, any 8-digit code."""
    try:
        from registry.refdata import unknown_cpv
    except ImportError:
        return lambda code: bool(CPV_RE.fullmatch(code))
    return lambda code: bool(CPV_RE.fullmatch(code)) and not unknown_cpv(session, [code])


def visible_tenders(session: Session, user) -> list[Tender]:
    """Buyers: their authority's; auditors: assigned authorities'; admins: all; firms and
    others: published (and later) tenders only."""
    query = select(Tender).order_by(Tender.updated_at.desc(), Tender.id.desc())
    role = getattr(user, "role", None)
    joint = joint_tender_ids(session, user)  # tenders their authority takes part in (issue 10)
    if role == Role.BUYER.value:
        query = query.where(or_(Tender.authority_id == user.authority_id, Tender.id.in_(joint)))
    elif role == Role.AUDITOR.value:
        ids = select(AuditorAssignment.authority_id).where(AuditorAssignment.user_id == user.id)
        query = query.where(or_(Tender.authority_id.in_(ids), Tender.id.in_(joint)))
    elif role != Role.ADMIN.value:
        query = query.where(Tender.status != TenderStatus.DRAFT.value,
                            Tender.status != TenderStatus.CANCELLED.value)
    return list(session.exec(query))


def sourcing_for(session: Session, cpv_codes: list[str], nuts3: str | None,
                 settings: Mapping[str, Any], today: date | None = None) -> adv.SourcingAdvice | None:
    """Sourcing advice from the registry (None when the registry offers no sourcing yet)."""
    try:
        from registry.services import sourcing_candidates
    except ImportError:
        return None
    candidates = sourcing_candidates(
        session, [c for c in cpv_codes if c], nuts3=nuts3,
        min_share_pct=float(settings.get("RESERVED_MIN_DISADVANTAGED_PCT", 30)), today=today)
    return adv.sourcing_advice(candidates, many_firms=int(settings.get("SOURCING_MANY_FIRMS", 3)),
                               few_firms=int(settings.get("SOURCING_FEW_FIRMS", 1)))


def draft_findings(session: Session, tender: Tender, settings: Mapping[str, Any],
                   library: Library | None = None) -> dict[str, list[adv.Finding]]:
    """Warnings and errors to show on the tender page, keyed "tender" or "lot-<n>"."""
    library = library or default_library()
    selected = clauses_with_library(session, tender, library)
    advice = procedure_advice_for(session, tender, settings)
    lots = lots_of(session, tender)
    criteria = {lot.number: criteria_of(session, lot) for lot in lots}
    claimed = adv.social_claimed([c for cs in criteria.values() for c in cs],
                                 [clause.category for clause, _ in selected])
    result: dict[str, list[adv.Finding]] = {"tender": list(advice.notes)}
    for lot in lots:
        result[f"lot-{lot.number}"] = adv.criteria_findings(
            criteria[lot.number], mode=lot.criteria_mode, justification=lot.criteria_justification,
            above_eu=advice.above_eu, social_claimed=claimed,
            price_weight_warning_pct=settings.get("PRICE_WEIGHT_WARNING_PCT", 70))
    lot_ids = {lot.id: lot.number for lot in lots}
    weights = [(clause.id, lot_ids.get(tc.lot_id), tc.parameters["weight"]) for clause, tc in selected
               if clause.category == "award_criterion" and "weight" in (tc.parameters or {})]
    result["tender"] += adv.clause_weight_findings(
        weights, {n: [c.weight for c in cs] for n, cs in criteria.items()})
    if len(lots) == 1:
        result["tender"].append(adv.Finding(
            "single_lot", "info", "lots", "Dividing into lots is the rule (Dir. art. 46): "
            "state why the contract is not divided."))
    return result
