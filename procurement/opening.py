"""Opening of the bids (ouverture des offres / opening van de offertes) and its record.

At or after the opening time, a buyer of the tender's authority opens the bids: the opening is
recorded (who, when, every bid with the SHA-256 of its content), the tender becomes ``opened``,
each lot with bids gets its first evaluation, and the procès-verbal d'ouverture / proces-verbaal
van opening can be printed. Bid content is read only through ``bids.bid_content``.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.access import can_edit_authority
from accounts.models import Authority, User
from audit import log as audit_log
from common.timeutil import to_brussels, utcnow
from procurement import bids as bid_service
from procurement.bid_models import Bid, Evaluation, Opening
from procurement.models import Lot, Tender, TenderStatus
from registry.models import Enterprise


class OpeningError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def tender_lots(session: Session, tender: Tender) -> list[Lot]:
    return list(session.exec(select(Lot).where(Lot.tender_id == tender.id).order_by(Lot.number)))


def can_open(session: Session, tender: Tender, now: datetime) -> bool:
    opening_at = bid_service.as_utc(tender.opening_at)
    return (tender.status == TenderStatus.PUBLISHED.value and opening_at is not None and now >= opening_at
            and bid_service.opening_of(session, tender.id) is None)


def open_bids(session: Session, tender: Tender, user: User, now: datetime | None = None) -> Opening:
    """Record the opening of every bid of ``tender`` (buyer of its authority, at/after opening_at)."""
    now = now or utcnow()
    if not can_edit_authority(user, tender.authority_id):
        raise PermissionError("only the authority's buyers open its bids")
    if bid_service.opening_of(session, tender.id) is not None:
        raise OpeningError(_l("The bids of this tender have already been opened."))
    if tender.status != TenderStatus.PUBLISHED.value:
        raise OpeningError(_l("Only a published tender's bids can be opened."))
    opening_at = bid_service.as_utc(tender.opening_at)
    if opening_at is None or now < opening_at:
        raise OpeningError(_l("The bids cannot be opened before the opening time."))
    entries = []
    for lot in tender_lots(session, tender):
        codes = bid_service.bid_codes(session, lot.id)
        for bid in bid_service.lot_bids(session, lot.id):
            enterprise = session.get(Enterprise, bid.enterprise_id)
            entries.append({"bid": bid.id, "code": codes[bid.id], "lot": lot.number,
                            "enterprise": enterprise.legal_name,
                            "enterprise_number": enterprise.enterprise_number or "",
                            "version": bid.current_version, "sha256": bid.current_sha256,
                            "submitted_at": bid_service.as_utc(bid.updated_at).isoformat()})
        if codes:
            session.add(Evaluation(tender_id=tender.id, lot_id=lot.id, version=1, created_by=user.id,
                                   created_at=now))
    opening = Opening(tender_id=tender.id, opened_by=user.id, opened_at=now, bids=entries)
    tender.status = TenderStatus.OPENED.value
    tender.updated_at = now
    session.add_all([opening, tender])
    session.flush()
    audit_log.append(session, "bids.opened", actor=user, object_type="tender", object_id=tender.id,
                     tender_ref=tender.reference,
                     details={"bids": [{"bid": e["bid"], "lot": e["lot"], "sha256": e["sha256"]}
                                       for e in entries]})
    session.commit()
    return opening


def opening_record_context(session: Session, tender: Tender, opening: Opening, viewer: User,
                           lang: str) -> dict:
    """Plain data for ``templates/pdf/opening_record.html`` (prices read through bid_content)."""
    opener = session.get(User, opening.opened_by)
    authority = session.get(Authority, tender.authority_id)
    lots = []
    for lot in tender_lots(session, tender):
        rows = []
        for entry in (e for e in opening.bids if e["lot"] == lot.number):
            content = bid_service.bid_content(session, session.get(Bid, entry["bid"]), viewer,
                                              version=entry["version"])
            rows.append(dict(entry, price=content.price, values=content.values,
                             documents=content.documents,
                             submitted_local=to_brussels(datetime.fromisoformat(entry["submitted_at"]))))
        lots.append({"number": lot.number, "title": lot.title(lang), "bids": rows})
    return {
        "tender": {"reference": tender.reference, "title": tender.title(lang)},
        "authority": authority.name if authority else "",
        "opened_at": bid_service.as_utc(opening.opened_at),
        "opened_local": to_brussels(opening.opened_at),
        "opening_at_local": to_brussels(tender.opening_at) if tender.opening_at else None,
        "deadline_local": to_brussels(tender.bid_deadline) if tender.bid_deadline else None,
        "opener": opener.name or opener.email if opener else "",
        "lots": lots,
        "count": len(opening.bids),
    }


def audit_generated(session: Session, tender: Tender, user: User, what: str, details: dict) -> None:
    """Record that a document (opening record, report, export) was generated."""
    audit_log.append(session, "document.generated", actor=user, object_type=what, object_id=tender.id,
                     tender_ref=tender.reference, details=details)
    session.commit()
