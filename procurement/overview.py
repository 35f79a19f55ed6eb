"""What the tender pages show: advice, findings, sourcing, lots, clauses (plain data for templates)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from sqlmodel import Session

from accounts.access import can_edit_authority
from accounts.models import Authority
from clauses.library import default_library, render
from clauses.parameters import format_value, validate_parameters
from procurement import advice as adv
from procurement import messages as m
from procurement import tender_queries as q
from procurement import joint_services as joint
from procurement.joint_access import can_read_tender
from procurement.models import Tender, TenderStatus
from procurement.tender_validation import Errors, check_insertion, normalise_cpv_list, parse_decimal


def form_preview(session: Session, data: Mapping[str, Any] | None, tender: Tender | None,
                 authority_id: int) -> dict[str, Any]:
    """Procedure advice and insertion hours for the values on the form (saved or not)."""
    cfg = _settings()
    source = data if data is not None else (q.tender_dict(tender) if tender else {})
    authority = session.get(Authority, authority_id)
    value = parse_decimal(source.get("estimated_value"))
    if value is not None and tender is not None and tender.id is not None:
        # Joint tenders: the participants' values count too (procurement.joint_rules).
        group = joint.group_estimate(session, tender)
        value += group.total - Decimal(tender.estimated_value or 0)
    advice = None
    if value is not None and value > 0 and source.get("nature") in ("works", "supplies", "services"):
        advice = adv.procedure_advice(
            value, nature=source["nature"], social_services=bool(source.get("social_services")),
            authority_type=getattr(authority, "authority_type", "subcentral") or "subcentral",
            thresholds=cfg,
            social_clause_selected=bool(tender and q.tender_social_claimed(session, tender)))
    errors = Errors()
    hours = check_insertion(errors, source.get("insertion") or {}, source.get("estimated_value"))
    codes = normalise_cpv_list(source.get("cpv_main")) + normalise_cpv_list(source.get("cpv_additional"))
    sourcing = q.sourcing_for(session, codes, (source.get("nuts3") or "").strip() or None, cfg) \
        if codes else None
    return {"advice": advice, "advice_notes": [m.describe(n) for n in advice.notes] if advice else [],
            "hours": hours, "sourcing": sourcing,
            "sourcing_clauses": suggested_clauses(sourcing, source.get("nuts3"), source.get("nature"),
                                                  _lang())}


REGION_OF_NUTS = {"BE1": "brussels", "BE2": "flanders", "BE3": "wallonia"}


def suggested_clauses(sourcing, nuts3: str | None, nature: str, lang: str) -> list[str]:
    """Titles of the clauses the sourcing advice suggests that fit the region and the nature."""
    if sourcing is None:
        return []
    region = REGION_OF_NUTS.get((nuts3 or "")[:3])
    library = default_library()
    titles = []
    for clause_id in sourcing.suggested_clauses:
        if clause_id in library:
            clause = library.get(clause_id)
            if nature in clause.applies_to and (region is None or region in clause.regions):
                titles.append(clause.title[lang])
    return titles


def _settings():
    from flask import current_app

    return current_app.config


def _lang() -> str:
    from procurement.view_support import ui_lang

    return ui_lang()


def _clause_rows(session: Session, tender: Tender, lang: str) -> list[dict[str, Any]]:
    lots = {lot.id: lot.number for lot in q.lots_of(session, tender)}
    rows = []
    for clause, tc in q.clauses_with_library(session, tender):
        values = validate_parameters(clause, tc.parameters)
        rows.append({
            "id": clause.id, "version": clause.version, "title": clause.title[lang],
            "category": m.label(m.CATEGORY_LABELS, clause.category),
            "lot": lots.get(tc.lot_id), "legal_basis": clause.legal_basis,
            "parameters": [(p.label[lang], format_value(p, values[p.name], lang))
                           for p in clause.parameters if values.get(p.name) is not None],
            "text": render(clause, lang, tc.parameters),
        })
    return rows


def tender_overview(session: Session, tender: Tender, settings: Mapping[str, Any], lang: str,
                    user) -> dict[str, Any]:
    """Everything the detail page shows. Advice and sourcing only for the authority's people."""
    insider = can_read_tender(user, tender, session)
    findings = q.draft_findings(session, tender, settings) if insider else {}
    lots = []
    for lot in q.lots_of(session, tender):
        lots.append({"lot": lot, "criteria": q.criteria_of(session, lot),
                     "findings": findings.get(f"lot-{lot.number}", []),
                     "sourcing": None})
    sourcing = None
    if insider and tender.status == TenderStatus.DRAFT.value:
        codes = [tender.cpv_main, *(tender.cpv_additional or [])]
        sourcing = q.sourcing_for(session, codes, tender.nuts3, settings)
        if len(lots) > 1:
            for row in lots:
                row["sourcing"] = q.sourcing_for(session, row["lot"].cpv_codes or codes,
                                                 tender.nuts3, settings)
    return {
        "insider": insider,
        "editable": tender.status == TenderStatus.DRAFT.value
        and can_edit_authority(user, tender.authority_id),
        "authority": q.authority_of(session, tender),
        "advice": q.procedure_advice_for(session, tender, settings) if insider else None,
        "group": joint.group_estimate(session, tender) if insider else None,
        "participants": [row["authority"].name for row in joint.participant_rows(session, tender)
                         if row["participation"].status == "accepted"],
        "tender_notes": [m.describe(f) for f in findings.get("tender", [])],
        "lots": lots, "clauses": _clause_rows(session, tender, lang),
        "sourcing": sourcing, "show_sourcing": insider and tender.status == TenderStatus.DRAFT.value,
        "sourcing_clauses": suggested_clauses(sourcing, tender.nuts3, tender.nature, lang),
        "describe": m.describe,
    }
