"""Loading a tender from the database for the OCDS export (``procurement.ocds`` builds it).

``release_package_for_reference(session, reference)`` is the one entry point (used by
``flask tender export-ocds`` and by ``/api/v1/tenders/<ref>/ocds``). Drafts are never exported:
only what the authority has published is open data (law of 17 June 2016 art. 4 on publicity;
Directive 2014/24/EU art. 48-51 on notices).

Bid content (prices) is read ONLY through ``procurement.bids.bid_content`` and only once the
opening is recorded and its time has passed (royal decree of 18 April 2017 art. 14 §6: bids stay
confidential until the opening). The reader identity is the authority's buyer who recorded the
opening (``Opening.opened_by``): the export is the authority's own publication of its opening
record; when that check still refuses (``BidSealed``), no bid is exported at all.
"""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping

from sqlmodel import Session, select

from accounts.models import Authority, User
from clauses.library import Library, default_library, render
from procurement import bids as bid_service
from procurement import ocds
from procurement import tender_queries as q
from procurement.bid_models import Evaluation, EvaluationStatus
from procurement.models import Lot, Tender, TenderStatus
from registry.models import Enterprise

DEFAULT_OCID_PREFIX = ocds.DEFAULT_OCID_PREFIX
DEFAULT_BASE_URL = ocds.DEFAULT_BASE_URL


def _settings() -> Mapping[str, Any]:
    """The app's config when called inside an application context, else no settings."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - flask is always installed with the app
        return {}
    return current_app.config if has_app_context() else {}


def release_package_for_reference(session: Session, reference: str, *, ocid_prefix: str | None = None,
                                  base_url: str | None = None, library: Library | None = None,
                                  now: datetime | None = None) -> dict:
    """The OCDS 1.1 release package of the published tender ``reference``.

    Raises ``LookupError`` when there is no such tender or it is a draft (drafts are never
    exported). ``ocid_prefix`` and ``base_url`` default to the config keys ``OCDS_OCID_PREFIX``
    and ``OCDS_BASE_URL``.
    """
    tender = q.find_tender(session, reference) if reference else None
    if tender is None or tender.status == TenderStatus.DRAFT.value or tender.published_at is None:
        raise LookupError(f"no published tender with reference {reference!r}")
    settings = _settings()
    prefix = ocid_prefix or settings.get("OCDS_OCID_PREFIX") or DEFAULT_OCID_PREFIX
    base = base_url or settings.get("OCDS_BASE_URL") or DEFAULT_BASE_URL
    data = load_tender_data(session, tender, library=library, now=now)
    return ocds.build_release_package(data, ocid_prefix=prefix, base_url=base)


def _party(name: str, number: str | None, *, street: str = "", postal_code: str = "", locality: str = "",
           nuts3: str | None = None) -> ocds.PartyData:
    return ocds.PartyData(name=name, enterprise_number=number or "", street=street or "",
                          postal_code=postal_code or "", locality=locality or "", nuts3=nuts3 or "")


def _enterprise_party(session: Session, enterprise: Enterprise) -> ocds.PartyData:
    nuts3 = _seat_nuts3(session, enterprise.postal_code, enterprise.municipality)
    return _party(enterprise.legal_name, enterprise.enterprise_number, street=enterprise.street,
                  postal_code=enterprise.postal_code, locality=enterprise.municipality, nuts3=nuts3)


def _seat_nuts3(session: Session, postal_code: str = "", municipality: str = "") -> str:
    """NUTS-3 from the registry's reference data (postal code, else municipality); "" when the
    reference data does not know it: a NUTS code is never guessed."""
    try:
        from registry.refdata import resolve_seat
    except ImportError:  # pragma: no cover - the registry is part of the app
        return ""
    if not (postal_code or municipality):
        return ""
    return resolve_seat(session, postal_code or "", municipality or "", "")[0] or ""


def load_tender_data(session: Session, tender: Tender, *, library: Library | None = None,
                     now: datetime | None = None) -> ocds.TenderData:
    """Plain data of a published tender for ``ocds.build_release_package``."""
    library = library or default_library()
    authority = session.get(Authority, tender.authority_id)
    lots = q.lots_of(session, tender)
    lot_numbers = {lot.id: lot.number for lot in lots}
    clauses = []
    for clause, tc in q.clauses_with_library(session, tender, library):
        summary = _clause_summary(clause, tc.parameters or {})
        clauses.append(ocds.ClauseData(
            clause_id=clause.id, version=clause.version, category=clause.category,
            title=clause.title.get("en") or clause.title.get("fr") or clause.id, summary=summary,
            lot_number=lot_numbers.get(tc.lot_id), ocds=dict(clause.ocds or {}),
            eforms=dict(clause.eforms or {})))
    lot_data = []
    for lot in lots:
        criteria = [ocds.CriterionData(code=c.code, kind=c.kind, name=c.label("en"),
                                       weight=Decimal(c.weight), is_social=bool(c.is_social),
                                       description=c.link_to_subject or "")
                    for c in q.criteria_of(session, lot)]
        lot_data.append(ocds.LotData(
            number=lot.number, title=lot.title("en"), cpv_codes=tuple(lot.cpv_codes or ()),
            estimated_value=Decimal(lot.estimated_value or 0), reservation=lot.reservation,
            criteria_mode=lot.criteria_mode, criteria_justification=lot.criteria_justification or "",
            criteria=tuple(criteria)))
    opening = bid_service.opening_of(session, tender.id)
    opened_at = q.as_utc(opening.opened_at) if opening else None
    bids: tuple[ocds.BidData, ...] | None = None
    awards: list[ocds.AwardData] = []
    if opening is not None and bid_service.is_opened(session, tender, now):
        bids, awards = _bids_and_awards(session, tender, lots, opening, now)
    municipality = tender.municipality or ""
    # Place of performance: the tender's NUTS-3, else the one of its municipality from the
    # reference data; the authority's seat is NOT used (the work may be done elsewhere).
    nuts3 = tender.nuts3 or _seat_nuts3(session, municipality=municipality)
    buyer_nuts3 = (authority.nuts3 if authority else "") or (
        _seat_nuts3(session, municipality=authority.municipality) if authority else "")
    return ocds.TenderData(
        reference=tender.reference, status=tender.status,
        title=tender.title("en"), description=tender.description("en"),
        nature=tender.nature, cpv_main=tender.cpv_main or "", cpv_additional=tuple(tender.cpv_additional or ()),
        nuts3=nuts3 or "", municipality=municipality,
        estimated_value=Decimal(tender.estimated_value or 0), duration_months=tender.duration_months,
        procedure=tender.procedure or "", social_services=bool(tender.social_services),
        published_at=q.as_utc(tender.published_at), updated_at=q.as_utc(tender.updated_at),
        bid_deadline=q.as_utc(tender.bid_deadline), opening_at=q.as_utc(tender.opening_at),
        opened_at=opened_at,
        buyer=_party(authority.name, authority.enterprise_number, locality=authority.municipality or "",
                     nuts3=buyer_nuts3) if authority else _party("", ""),
        lots=tuple(lot_data), clauses=tuple(clauses), bids=bids, awards=tuple(awards))


def _clause_summary(clause, parameters: Mapping[str, Any]) -> str:
    """The clause's English text with its parameter values, one paragraph (for performanceTerms)."""
    try:
        text = render(clause, "en", parameters)
    except ValueError:  # ParameterError (a ValueError): a stored value the text cannot take
        text = ""
    text = " ".join(text.split())
    title = clause.title.get("en") or clause.id
    if not text:
        return title
    return f"{title}: {text[:400]}{'…' if len(text) > 400 else ''}"


def _bids_and_awards(session: Session, tender: Tender, lots: list[Lot], opening, now):
    """Bid details (through ``bid_content``) and the awards of finalised lots."""
    reader = session.get(User, opening.opened_by)
    bids = []
    awards = []
    try:
        for lot in lots:
            codes = bid_service.bid_codes(session, lot.id)
            evaluation = session.exec(
                select(Evaluation).where(Evaluation.lot_id == lot.id,
                                         Evaluation.status == EvaluationStatus.FINALISED.value)
                .order_by(Evaluation.version.desc())).first()
            admitted = None
            if evaluation is not None:
                admitted = {b["id"] for b in json.loads(evaluation.input_json or "{}").get("bids", [])}
            by_id: dict[int, ocds.BidData] = {}
            for bid in bid_service.lot_bids(session, lot.id):
                content = bid_service.bid_content(session, bid, reader, now)
                enterprise = session.get(Enterprise, bid.enterprise_id)
                code = codes[bid.id]
                status = "pending" if admitted is None else ("valid" if code in admitted else "disqualified")
                item = ocds.BidData(code=code, lot_number=lot.number, tenderer=_enterprise_party(session, enterprise),
                                    price=content.price, submitted_at=content.submitted_at, status=status)
                by_id[bid.id] = item
                bids.append(item)
            if evaluation is not None:
                winner = by_id.get(evaluation.award_bid_id) if evaluation.award_bid_id else None
                awards.append(ocds.AwardData(
                    lot_number=lot.number, version=evaluation.version,
                    date=q.as_utc(evaluation.finalised_at) or q.as_utc(evaluation.created_at),
                    supplier=winner.tenderer if winner else None,
                    value=winner.price if winner else None, bid_code=winner.code if winner else None))
    except bid_service.BidSealed:
        return None, []
    return tuple(bids), awards
