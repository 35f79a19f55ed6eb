"""What the API reads and writes: JSON-ready dicts built from the models, and thin wrappers around
the registry and tender services (the same validation as the web forms).

No Flask import: the views pass the session, the user and the configuration.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from accounts.models import Authority
from procurement import tender_queries as q
from procurement.evaluation_state import latest_finalised
from procurement.models import Tender, TenderStatus
from registry import exports
from registry.models import Enterprise
from registry.validation import ValidationError

PUBLIC_STATUSES = (TenderStatus.PUBLISHED.value, TenderStatus.OPENED.value, TenderStatus.AWARDED.value)
LIST_FIELDS = ("types", "cpv_codes", "languages")
PROFILE_FIELDS = ("legal_name", "trade_names", "enterprise_number", "legal_form", "street", "postal_code",
                  "municipality", "nuts3", "website", "email", "languages", "description", "staff_total",
                  "staff_disadvantaged", "turnover_band", "max_contract_eur")
# The firm's web form has the territory served when the model has it (registry.services.served_territory).
LIST_PROFILE_FIELDS = ("trade_names", "languages") + (
    ("served_municipalities",) if "served_municipalities" in Enterprise.model_fields else ())
PROFILE_FIELDS += LIST_PROFILE_FIELDS[2:]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


# ---------------------------------------------------------------- enterprises
def public_enterprises(session: Session, enterprises: list[Enterprise]) -> list[dict]:
    """Public columns only (the directory's): no e-mail, no people, no history."""
    rows = exports.rows_for(session, enterprises, exports.PUBLIC_COLUMNS)
    for row in rows:
        for key in LIST_FIELDS:
            row[key] = [v for v in (row[key] or "").split("|") if v]
        for key in ("name", "enterprise_number", "legal_form", "postal_code", "municipality", "website"):
            row[key] = row[key] or ""
    return rows


def enterprise_page(session: Session, page: int, per_page: int) -> dict:
    validated = Enterprise.status == "validated"
    total = session.exec(select(func.count()).select_from(Enterprise).where(validated)).one()
    rows = list(session.exec(select(Enterprise).where(validated).order_by(Enterprise.id)
                             .offset((page - 1) * per_page).limit(per_page)))
    return {"items": public_enterprises(session, rows), "page": page, "per_page": per_page, "total": total}


def validated_enterprise(session: Session, enterprise_id: int) -> Enterprise | None:
    enterprise = session.get(Enterprise, enterprise_id) if 0 < enterprise_id < 2**31 else None
    return enterprise if enterprise is not None and enterprise.status == "validated" else None


def search_page(session: Session, result, per_page: int) -> dict:
    """A ``registry.finder.ResultPage`` as JSON: public columns plus why each enterprise matched."""
    rows = public_enterprises(session, [hit.enterprise for hit in result.hits])
    for row, hit in zip(rows, result.hits):
        row.update(score=None if hit.score is None else round(float(hit.score), 1),
                   reasons=[str(r) for r in hit.reasons], matched_cpv=list(hit.cpv),
                   eligible_reserved=bool(hit.eligibility.eligible))
    return {"items": rows, "page": result.page, "per_page": per_page, "total": result.total}


def profile(enterprise: Enterprise) -> dict:
    """The owner's view of the editable fields (returned after a PATCH)."""
    out: dict[str, Any] = {"id": enterprise.id, "status": enterprise.status, "region": enterprise.region}
    for name in PROFILE_FIELDS:
        value = getattr(enterprise, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    for name in LIST_PROFILE_FIELDS:
        out[name] = list(getattr(enterprise, name) or [])
    return out


def profile_form_data(enterprise: Enterprise, changes: Mapping[str, Any]) -> dict:
    """What the web form would send: the current values, with the given fields replaced."""
    data = {name: getattr(enterprise, name) for name in PROFILE_FIELDS}
    for name in LIST_PROFILE_FIELDS:
        data[name] = list(getattr(enterprise, name) or [])
    data["enterprise_number"] = enterprise.enterprise_number or ""
    data.update(changes)
    for name in ("enterprise_number", "nuts3"):
        data[name] = data[name] or ""
    if isinstance(data.get("max_contract_eur"), float):
        data["max_contract_eur"] = repr(data["max_contract_eur"])
    return data


def update_profile(session: Session, enterprise: Enterprise, changes: Mapping[str, Any], *, actor) -> dict:
    """The registry's own service (the firm's web form): ValidationError names each bad field."""
    from registry import services

    try:
        services.update_enterprise(session, enterprise, profile_form_data(enterprise, changes), actor=actor)
    except ValidationError:
        session.rollback()
        raise
    return profile(enterprise)


# ---------------------------------------------------------------- tenders
def public_tender(session: Session, reference: str) -> Tender | None:
    tender = q.find_tender(session, reference)
    return tender if tender is not None and tender.status in PUBLIC_STATUSES else None


def tender_summary(tender: Tender, authorities: Mapping[int, str]) -> dict:
    return {"reference": tender.reference, "status": tender.status,
            "authority": authorities.get(tender.authority_id, ""),
            "title_fr": tender.title_fr, "title_nl": tender.title_nl, "title_en": tender.title_en,
            "nature": tender.nature, "cpv_main": tender.cpv_main, "estimated_value": _money(tender.estimated_value),
            "nuts3": tender.nuts3, "bid_deadline": _iso(tender.bid_deadline), "published_at": _iso(tender.published_at)}


def _authority_names(session: Session, ids) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {a.id: a.name for a in session.exec(select(Authority).where(Authority.id.in_(ids)))}


def tender_page(session: Session, page: int, per_page: int) -> dict:
    public = Tender.status.in_(PUBLIC_STATUSES)
    total = session.exec(select(func.count()).select_from(Tender).where(public)).one()
    rows = list(session.exec(select(Tender).where(public).order_by(Tender.published_at.desc(), Tender.id.desc())
                             .offset((page - 1) * per_page).limit(per_page)))
    names = _authority_names(session, [t.authority_id for t in rows])
    return {"items": [tender_summary(t, names) for t in rows], "page": page, "per_page": per_page, "total": total}


def tender_detail(session: Session, tender: Tender) -> dict:
    """The tender with its lots and their award criteria (published weights; no bid content)."""
    out = tender_summary(tender, _authority_names(session, [tender.authority_id]))
    out.update({f"description_{lang}": getattr(tender, f"description_{lang}") for lang in ("fr", "nl", "en")})
    out.update(social_services=bool(tender.social_services), cpv_additional=list(tender.cpv_additional or []),
               municipality=tender.municipality, duration_months=tender.duration_months,
               procedure=tender.procedure, procedure_advised=tender.procedure_advised,
               procedure_justification=tender.procedure_justification,
               social_clause_justification=tender.social_clause_justification,
               publication_date=_iso(tender.publication_date), question_deadline=_iso(tender.question_deadline),
               opening_at=_iso(tender.opening_at), revision=tender.revision, lots=[])
    for lot in q.lots_of(session, tender):
        criteria = [{"code": c.code, "kind": c.kind, "label_fr": c.label_fr, "label_nl": c.label_nl,
                     "label_en": c.label_en, "weight": str(c.weight), "formula": c.formula, "better": c.better,
                     "unit": c.unit, "scale": c.scale, "is_social": bool(c.is_social)}
                    for c in q.criteria_of(session, lot)]
        out["lots"].append({"number": lot.number, "title_fr": lot.title_fr, "title_nl": lot.title_nl,
                            "title_en": lot.title_en, "cpv_codes": list(lot.cpv_codes or []),
                            "estimated_value": _money(lot.estimated_value), "reservation": lot.reservation,
                            "criteria_mode": lot.criteria_mode, "criteria": criteria})
    return out


class NotFinalised(Exception):
    """The results are not final yet (Royal decree of 18 April 2017: bids stay confidential)."""


def tender_results(session: Session, tender: Tender) -> dict:
    """Ranking and points of each lot whose evaluation is finalised, read only from the frozen result
    of its latest finalised evaluation (never from the bids themselves); lots still being evaluated
    are listed in ``pending_lots``. Nothing at all before a first lot is finalised (bids stay
    confidential until the opening: royal decree of 18 April 2017 art. 14 §6; the award decision
    follows the published criteria: law of 17 June 2016 art. 81). UNVERIFIED: the open-data scope
    of the ranking of the other bidders."""
    if tender.status not in (TenderStatus.OPENED.value, TenderStatus.AWARDED.value):
        raise NotFinalised(tender.reference)
    lots, pending = [], []
    for lot in q.lots_of(session, tender):
        evaluation = latest_finalised(session, lot)
        if evaluation is None or not evaluation.result_json:
            pending.append(lot.number)
            continue
        result = json.loads(evaluation.result_json)
        ranking = sorted(result.get("bids", []), key=lambda b: (b.get("rank") is None, b.get("rank") or 0))
        lots.append({
            "number": lot.number, "winner": result.get("winner"), "evaluation_version": evaluation.version,
            "finalised_at": _iso(evaluation.finalised_at),
            "criteria": [{k: c[k] for k in ("id", "type", "weight", "label") if k in c}
                         for c in result.get("criteria", [])],
            "ranking": [{"rank": b.get("rank"), "tie": bool(b.get("tie")), "bid": str(b.get("id")),
                         "bidder": b.get("bidder"), "total": b.get("total"),
                         "points": {k: v for k, v in (b.get("points") or {}).items() if v is not None}}
                        for b in ranking]})
    if not lots:
        raise NotFinalised(tender.reference)
    return {"reference": tender.reference, "lots": lots, "pending_lots": pending}


def parse_datetimes(data: dict) -> tuple[dict, list[dict]]:
    """ISO 8601 texts with a time zone -> aware datetimes (the tender services' input)."""
    out, errors = dict(data), []
    for name in ("publication_date", "question_deadline", "bid_deadline", "opening_at"):
        value = data.get(name)
        if not isinstance(value, str):
            continue
        try:
            parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None or parsed.year < 1900:
            errors.append({"field": name, "message": _l("A date and time with a time zone, e.g. 2026-05-04T10:00:00+02:00.")})
        else:
            out[name] = parsed.astimezone(timezone.utc)
    return out, errors


def tender_input(data: Mapping[str, Any]) -> dict:
    """JSON values as the tender services expect them (amounts as text, never binary floats)."""
    out = dict(data)
    if isinstance(out.get("estimated_value"), float):
        out["estimated_value"] = repr(out["estimated_value"])
    return out


def tender_errors(errors) -> list[dict]:
    return [{"field": fe.field, "message": fe.message} for items in errors.values() for fe in items]
