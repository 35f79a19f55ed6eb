"""Drafting and publishing tenders: validate, call the pure code, persist, audit, commit.

Every function takes the session first. Nothing is written when any field is invalid: the
validation runs on the whole input before the first change, and a failure raises
:class:`TenderValidationError` with the errors per field. After publication, criteria, weights
and clauses are frozen (Dir. 2014/24/EU art. 67(5); law of 17 June 2016 art. 81): every change is
refused with :class:`TenderFrozen`. Publication itself: ``procurement.publication``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence

from sqlmodel import Session, select

from audit import log as audit_log
from clauses.library import Library, default_library, validate_parameters
from common.timeutil import utcnow
from procurement import tender_queries as q
from procurement.models import AwardCriterion, Lot, Tender, TenderClause, TenderStatus
from procurement.criteria_validation import validate_clauses, validate_criteria
from procurement.tender_validation import (
    Errors,
    check_insertion,
    normalise_cpv_list,
    parse_decimal,
    validate_lots,
    validate_tender,
)

TENDER_FIELDS = (
    "title_fr", "title_nl", "title_en", "description_fr", "description_nl", "description_en",
    "nature", "social_services", "cpv_main", "cpv_additional", "nuts3", "municipality",
    "estimated_value", "duration_months", "procedure", "procedure_justification",
    "publication_date", "question_deadline", "bid_deadline", "opening_at", "insertion",
    "social_clause_justification",
)


class TenderValidationError(ValueError):
    """Bad input; ``errors`` maps each form field to its FieldErrors. Nothing was saved."""

    def __init__(self, errors: Mapping[str, list]):
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(f"{first.field}: {first.message}")


class TenderFrozen(TenderValidationError):
    """The tender is published: its criteria, weights and clauses can no longer change."""

    def __init__(self, tender: Tender):
        errors = Errors()
        errors.add("status", "frozen", f"Tender {tender.reference} is {tender.status}: its "
                   "criteria, weights and clauses are frozen and can no longer be changed.")
        super().__init__(errors)


def refuse_if_frozen(tender: Tender) -> None:
    if tender.status != TenderStatus.DRAFT.value:
        raise TenderFrozen(tender)


def touch(tender: Tender) -> None:
    tender.revision = (tender.revision or 0) + 1
    tender.updated_at = utcnow()


def raise_if_errors(errors: Errors) -> None:
    if errors:
        raise TenderValidationError(errors)


def _apply_fields(session: Session, tender: Tender, data: Mapping[str, Any],
                  settings: Mapping[str, Any]) -> list[str]:
    """Copy the validated fields onto ``tender``; return the names that changed."""
    changed = []
    for name in TENDER_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "estimated_value":
            value = parse_decimal(value).quantize(Decimal("0.01"))
        elif name == "duration_months":
            value = None if parse_decimal(value) is None else int(parse_decimal(value))
        elif name == "cpv_main":
            value = normalise_cpv_list(value)[0][:8]
        elif name == "cpv_additional":
            value = [code[:8] for code in normalise_cpv_list(value)]
        elif name == "insertion":
            value = _insertion_record(value or {}, data.get("estimated_value"))
        elif name in ("nuts3", "procedure"):
            value = (value or "").strip() or None
        elif name == "social_services":
            value = bool(value)
        elif isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()  # browsers send CRLF from textareas
        if getattr(tender, name) != value:
            setattr(tender, name, value)
            changed.append(name)
    if "insertion" not in data and tender.insertion:
        tender.insertion = _insertion_record(tender.insertion, tender.estimated_value)
    tender.procedure_advised = q.procedure_advice_for(session, tender, settings).procedure
    return changed


def _insertion_record(values: Mapping[str, Any], amount: Any) -> dict:
    errors = Errors()
    hours = check_insertion(errors, values, amount)
    if hours is None:
        return {}
    return {"labour_share": str(parse_decimal(values["labour_share"])),
            "rate": str(parse_decimal(values["rate"])),
            "hourly_cost": str(parse_decimal(values["hourly_cost"])),
            "amount": str(parse_decimal(amount)), "hours": hours}


def create_tender(session: Session, actor, data: Mapping[str, Any], *, authority_id: int,
                  settings: Mapping[str, Any], cpv_exists: Callable[[str], bool] | None = None
                  ) -> Tender:
    """A new draft with lot 1 mirroring the tender (a single-lot tender until lots are added)."""
    errors = validate_tender(data, cpv_exists=cpv_exists or q.cpv_checker(session),
                             require_reference=True)
    reference = (data.get("reference") or "").strip()
    if "reference" not in errors and q.find_tender(session, reference) is not None:
        errors.add("reference", "reference_taken", "Another tender already has this reference.")
    raise_if_errors(errors)
    tender = Tender(reference=reference, authority_id=authority_id,
                    created_by=getattr(actor, "id", None))
    _apply_fields(session, tender, data, settings)
    session.add(tender)
    session.flush()
    session.add(Lot(tender_id=tender.id, number=1, title_fr=tender.title_fr,
                    title_nl=tender.title_nl, title_en=tender.title_en,
                    cpv_codes=[tender.cpv_main], estimated_value=tender.estimated_value))
    audit_log.append(session, "tender.created", actor=actor, object_type="tender",
                     object_id=tender.id, tender_ref=tender.reference,
                     details={"procedure_advised": tender.procedure_advised})
    session.commit()
    return tender


def update_tender(session: Session, actor, tender: Tender, data: Mapping[str, Any], *,
                  settings: Mapping[str, Any], cpv_exists: Callable[[str], bool] | None = None
                  ) -> Tender:
    refuse_if_frozen(tender)
    data = q.tender_dict(tender) | dict(data)  # fields not given keep their value
    raise_if_errors(validate_tender(data, cpv_exists=cpv_exists or q.cpv_checker(session)))
    changed = _apply_fields(session, tender, data, settings)
    touch(tender)
    session.add(tender)
    audit_log.append(session, "tender.updated", actor=actor, object_type="tender",
                     object_id=tender.id, tender_ref=tender.reference,
                     details={"fields": changed, "revision": tender.revision})
    session.commit()
    return tender


def save_lots(session: Session, actor, tender: Tender, lots: Sequence[Mapping[str, Any]], *,
              cpv_exists: Callable[[str], bool] | None = None) -> list[Lot]:
    """Replace the tender's lots (matched by number); removed lots lose their criteria/clauses."""
    refuse_if_frozen(tender)
    raise_if_errors(validate_lots(lots, cpv_exists=cpv_exists or q.cpv_checker(session)))
    existing = {lot.number: lot for lot in q.lots_of(session, tender)}
    wanted = {int(parse_decimal(row["number"])): row for row in lots}
    for number, lot in existing.items():
        if number not in wanted:
            for criterion in q.criteria_of(session, lot):
                session.delete(criterion)
            for clause in session.exec(select(TenderClause).where(TenderClause.lot_id == lot.id)):
                session.delete(clause)
            session.flush()
            session.delete(lot)
    session.flush()
    for number, row in sorted(wanted.items()):
        lot = existing.get(number) or Lot(tender_id=tender.id, number=number)
        for lang in ("fr", "nl", "en"):
            setattr(lot, f"title_{lang}", (row.get(f"title_{lang}") or "").strip())
        lot.cpv_codes = [c[:8] for c in normalise_cpv_list(row.get("cpv_codes"))]
        lot.estimated_value = parse_decimal(row["estimated_value"]).quantize(Decimal("0.01"))
        lot.reservation = row.get("reservation") or "none"
        session.add(lot)
    touch(tender)
    session.add(tender)
    audit_log.append(session, "tender.lots_saved", actor=actor, object_type="tender",
                     object_id=tender.id, tender_ref=tender.reference,
                     details={"lots": sorted(wanted), "revision": tender.revision})
    session.commit()
    return q.lots_of(session, tender)


CRITERION_FIELDS = ("kind", "label_fr", "label_nl", "label_en", "formula", "better", "unit",
                    "scoring_grid", "link_to_subject")


def save_criteria(session: Session, actor, tender: Tender, lot: Lot, *, mode: str,
                  justification: str, criteria: Sequence[Mapping[str, Any]],
                  settings: Mapping[str, Any]) -> list:
    """Replace one lot's award criteria; return the warnings (saved anyway)."""
    refuse_if_frozen(tender)
    advice = q.procedure_advice_for(session, tender, settings)
    categories = [c.category for c, _ in q.clauses_with_library(session, tender)]
    errors, warnings = validate_criteria(
        mode, justification, criteria, above_eu=advice.above_eu,
        social_claimed=q.social_claimed(criteria, categories),
        price_weight_warning_pct=settings.get("PRICE_WEIGHT_WARNING_PCT", 70))
    raise_if_errors(errors)
    for old in q.criteria_of(session, lot):
        session.delete(old)
    session.flush()
    for position, row in enumerate(criteria):
        kind = row["kind"]
        criterion = AwardCriterion(
            lot_id=lot.id, code=row["code"].strip(), position=position,
            weight=(parse_decimal(row.get("weight")) or Decimal(0)).quantize(Decimal("0.01")),
            scale=int(parse_decimal(row["scale"])) if kind == "rating" else None,
            is_social=bool(row.get("is_social")),
            **{name: (row.get(name) or "").strip() for name in CRITERION_FIELDS})
        criterion.formula = criterion.formula if kind == "price" else None
        criterion.better = criterion.better if kind == "quantity" else None
        session.add(criterion)
    lot.criteria_mode = mode
    lot.criteria_justification = (justification or "").strip()
    session.add(lot)
    touch(tender)
    session.add(tender)
    audit_log.append(session, "tender.criteria_saved", actor=actor, object_type="lot",
                     object_id=lot.id, tender_ref=tender.reference,
                     details={"lot": lot.number, "mode": mode, "revision": tender.revision,
                              "weights": {r["code"]: str(r.get("weight") or "") for r in criteria}})
    session.commit()
    return warnings


def _json_values(clause, values: Mapping[str, Any]) -> dict[str, str]:
    checked = validate_parameters(clause, values)
    return {name: (value.isoformat() if hasattr(value, "isoformat") else str(value))
            for name, value in checked.items() if value is not None}


def save_clauses(session: Session, actor, tender: Tender, selections: Sequence[Mapping[str, Any]],
                 *, library: Library | None = None) -> list[TenderClause]:
    """Replace the clause selection. ``selections``: clause_id, lot_number (None = whole
    tender) and parameters. Each stores the current library version and its content hash."""
    refuse_if_frozen(tender)
    library = library or default_library()
    lots = {lot.number: lot for lot in q.lots_of(session, tender)}
    raise_if_errors(validate_clauses(selections, library=library, lot_numbers=lots, nature=tender.nature))
    for old in q.tender_clauses(session, tender):
        session.delete(old)
    session.flush()
    for position, row in enumerate(selections):
        clause = library.get(row["clause_id"])
        lot = lots.get(row.get("lot_number")) if row.get("lot_number") is not None else None
        session.add(TenderClause(
            tender_id=tender.id, lot_id=lot.id if lot else None, clause_id=clause.id,
            clause_version=clause.version, content_hash=clause.content_hash,
            parameters=_json_values(clause, row.get("parameters") or {}), position=position))
    touch(tender)
    session.add(tender)
    audit_log.append(session, "tender.clauses_saved", actor=actor, object_type="tender",
                     object_id=tender.id, tender_ref=tender.reference,
                     details={"clauses": [r["clause_id"] for r in selections],
                              "revision": tender.revision})
    session.commit()
    return q.tender_clauses(session, tender)
