"""Sealed bids: submission, receipts, and the ONE way to read a bid's content.

Bids stay sealed until the opening (Belgian law of 17 June 2016; royal decree of 18 April 2017
art. 14 §6 and the opening rules): before the opening has been recorded, and before the tender's
opening time, nobody but the bidding enterprise's own members can read a bid's price, values,
declaration or documents. Everything else in the app (pages, exports, reports, the audit log)
only ever gets counts, ids and hashes, because ``bid_content`` is the only function here that
loads ``BidVersion`` or ``BidDocument`` rows for a reader, and it refuses with ``BidSealed``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from accounts.models import User
from audit import log as audit_log
from common.timeutil import utcnow
from procurement import bid_files
from procurement.bid_files import DocumentError, Upload
from procurement.bid_models import Bid, BidDocument, BidVersion, Opening
from procurement.joint_access import can_read_tender
from procurement.models import AwardCriterion, CriterionKind, Lot, Tender, TenderStatus
from registry.models import Enterprise, EnterpriseMember, EnterpriseStatus

BID_FORMAT = "procure-bid/1"
MAX_PRICE = Decimal("999999999999.99")


class BidSealed(PermissionError):
    """The bid's content cannot be read before the opening (the message names no content)."""


class BidError(ValueError):
    """Bad input for a bid; ``field`` names the form field."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def clock() -> datetime:
    """The bids service's "now" (aware UTC): the deadline check, the receipt time and the opening
    check all read it here, so a test (or a replay) can drive the time around a deadline by
    replacing this one function."""
    return utcnow()


def as_utc(value: datetime | None) -> datetime | None:
    """Stored datetimes come back naive from some databases: they are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def is_member(session: Session, user: User | None, enterprise_id: int) -> bool:
    if user is None:
        return False
    return session.get(EnterpriseMember, (enterprise_id, user.id)) is not None


def user_enterprises(session: Session, user: User) -> list[Enterprise]:
    query = (select(Enterprise).join(EnterpriseMember, EnterpriseMember.enterprise_id == Enterprise.id)
             .where(EnterpriseMember.user_id == user.id).order_by(Enterprise.legal_name))
    return list(session.exec(query))


def opening_of(session: Session, tender_id: int) -> Opening | None:
    return session.exec(select(Opening).where(Opening.tender_id == tender_id)).first()


def is_opened(session: Session, tender: Tender, now: datetime | None = None) -> bool:
    """True once the opening is recorded and the opening time has passed."""
    now = now or clock()
    opening_at = as_utc(tender.opening_at)
    if opening_at is None or now < opening_at:
        return False
    return opening_of(session, tender.id) is not None


def bid_count(session: Session, lot_id: int) -> int:
    return session.exec(select(func.count()).select_from(Bid).where(Bid.lot_id == lot_id)).one()


def lot_bids(session: Session, lot_id: int) -> list[Bid]:
    """The envelopes of a lot (ids and hashes, no content), in order of first submission."""
    return list(session.exec(select(Bid).where(Bid.lot_id == lot_id).order_by(Bid.id)))


def bid_codes(session: Session, lot_id: int) -> dict[int, str]:
    """Public codes B1, B2, ... by order of first submission (rows are never deleted)."""
    return {bid.id: f"B{pos}" for pos, bid in enumerate(lot_bids(session, lot_id), start=1)}


@dataclass(frozen=True)
class BidContent:
    bid_id: int
    version: int
    price: Decimal
    values: dict[str, Decimal]
    declaration: bool
    documents: list[dict]  # {"id", "kind", "name", "size", "sha256", "stored_name"}
    sha256: str
    submitted_at: datetime
    submitted_by: int


def bid_content(session: Session, bid: Bid, viewer: User | None, now: datetime | None = None,
                version: int | None = None) -> BidContent:
    """The content of ``bid`` (current version unless ``version``), for ``viewer`` at ``now``.

    Members of the bidding enterprise always read their own bid. Anyone else must be allowed to
    read the tender's authority, and the opening must be recorded and its time reached; otherwise
    ``BidSealed`` is raised.
    """
    now = now or clock()
    if not is_member(session, viewer, bid.enterprise_id):
        tender = session.get(Tender, bid.tender_id)
        if not is_opened(session, tender, now):
            raise BidSealed("sealed until the opening")
        if not can_read_tender(viewer, tender, session):
            raise BidSealed("not readable by this user")
    number = version or bid.current_version
    row = session.exec(select(BidVersion).where(BidVersion.bid_id == bid.id, BidVersion.version == number)).one()
    docs = {d.id: d for d in session.exec(select(BidDocument).where(BidDocument.bid_id == bid.id))}
    documents = []
    for ref in row.documents:
        doc = docs[ref["id"]]
        documents.append({"id": doc.id, "kind": doc.kind, "name": doc.original_name, "size": doc.size,
                          "sha256": doc.sha256, "stored_name": doc.stored_name})
    return BidContent(bid.id, row.version, Decimal(row.price), {k: Decimal(v) for k, v in row.values.items()},
                      row.declaration, documents, row.sha256, as_utc(row.submitted_at), row.submitted_by)


def version_receipts(session: Session, bid: Bid) -> list[dict]:
    """Versions of a bid with their time and hash only (no content)."""
    rows = session.exec(select(BidVersion.version, BidVersion.sha256, BidVersion.submitted_at)
                        .where(BidVersion.bid_id == bid.id).order_by(BidVersion.version))
    return [{"version": v, "sha256": h, "submitted_at": as_utc(at)} for v, h, at in rows]


def canonical_bid(tender_ref: str, lot_number: int, enterprise_id: int, price: Decimal,
                  values: dict[str, Decimal], declaration: bool, documents: list[dict]) -> bytes:
    """The canonical form hashed on a receipt (docs/bids.md): sorted-key compact JSON, amounts as
    decimal strings with two decimals, documents as their kind and SHA-256 sorted."""
    payload = {
        "format": BID_FORMAT, "tender": tender_ref, "lot": lot_number, "enterprise": enterprise_id,
        "price": f"{Decimal(price):.2f}", "values": {k: _plain(v) for k, v in sorted(values.items())},
        "declaration": bool(declaration),
        "documents": sorted(({"kind": d["kind"], "sha256": d["sha256"]} for d in documents),
                            key=lambda d: (d["kind"], d["sha256"])),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text if text not in ("-0",) else "0"


def bid_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def _decimal(raw, field: str, *, positive: bool) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, AttributeError):
        raise BidError(field, _l("Enter a number.")) from None
    if not value.is_finite() or value > MAX_PRICE or value.normalize().as_tuple().exponent < -2:
        raise BidError(field, _l("Enter a number with at most two decimals."))
    if (positive and value <= 0) or value < 0:
        raise BidError(field, _l("Enter an amount greater than zero.") if positive
                       else _l("Enter zero or a positive number."))
    return value


def quantity_criteria(session: Session, lot: Lot) -> list[AwardCriterion]:
    query = select(AwardCriterion).where(AwardCriterion.lot_id == lot.id,
                                         AwardCriterion.kind == CriterionKind.QUANTITY.value)
    return list(session.exec(query.order_by(AwardCriterion.position, AwardCriterion.id)))


def check_can_bid(session: Session, tender: Tender, lot: Lot, now: datetime) -> None:
    if tender.status != TenderStatus.PUBLISHED.value or lot.tender_id != tender.id:
        raise BidError("tender", _l("This tender does not accept bids."))
    deadline = as_utc(tender.bid_deadline)
    if deadline is None or now > deadline:
        raise BidError("tender", _l("The deadline for bids has passed: bids are no longer accepted for "
                                    "this tender."))


def submit_bid(session: Session, *, tender: Tender, lot: Lot, enterprise_id: int, user: User,
               price, values: dict, declaration: bool, uploads: list[Upload], upload_dir: str,
               max_bytes: int, now: datetime | None = None) -> tuple[Bid, BidVersion]:
    """Submit or replace the enterprise's bid on ``lot``; nothing is written when any field is bad."""
    now = now or clock()
    check_can_bid(session, tender, lot, now)
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or not is_member(session, user, enterprise_id):
        raise BidError("enterprise", _l("You can only bid in the name of an enterprise you manage."))
    if enterprise.status == EnterpriseStatus.SUSPENDED.value:
        raise BidError("enterprise", _l("This enterprise is suspended and cannot bid."))
    amount = _decimal(price, "price", positive=True)
    stated = {c.code: _decimal(values.get(c.code, ""), f"value_{c.code}", positive=False)
              for c in quantity_criteria(session, lot)}
    if not declaration:
        raise BidError("declaration", _l("Tick the declaration to submit the bid."))
    for upload in uploads:
        try:
            bid_files.check_upload(upload, max_bytes)
        except DocumentError as exc:
            raise BidError(exc.field, exc.message) from None
    bid = session.exec(select(Bid).where(Bid.lot_id == lot.id, Bid.enterprise_id == enterprise_id)).first()
    replacing = bid is not None
    if bid is None:
        bid = Bid(tender_id=tender.id, lot_id=lot.id, enterprise_id=enterprise_id, current_version=0)
        session.add(bid)
        session.flush()
    documents = _previous_documents(session, bid) if replacing else {}
    for upload in uploads:
        doc = BidDocument(bid_id=bid.id, kind=upload.kind, original_name=bid_files.clean_name(upload.filename),
                          stored_name=bid_files.store(upload, upload_dir), size=len(upload.content),
                          sha256=upload.sha256, uploaded_by=user.id, uploaded_at=now)
        session.add(doc)
        session.flush()
        documents[upload.kind] = {"id": doc.id, "kind": doc.kind, "sha256": doc.sha256}
    doc_list = [documents[k] for k in sorted(documents)]
    digest = bid_hash(canonical_bid(tender.reference, lot.number, enterprise_id, amount, stated, True, doc_list))
    version = BidVersion(bid_id=bid.id, version=bid.current_version + 1, price=amount,
                         values={k: _plain(v) for k, v in stated.items()}, declaration=True,
                         documents=doc_list, sha256=digest, submitted_at=now, submitted_by=user.id)
    bid.current_version = version.version
    bid.current_sha256 = digest
    bid.updated_at = now
    session.add_all([bid, version])
    audit_log.append(session, "bid.replaced" if replacing else "bid.submitted", actor=user,
                     object_type="bid", object_id=bid.id, tender_ref=tender.reference,
                     details={"bid": bid.id, "lot": lot.number, "version": version.version, "sha256": digest})
    session.commit()
    return bid, version


def _previous_documents(session: Session, bid: Bid) -> dict[str, dict]:
    row = session.exec(select(BidVersion).where(BidVersion.bid_id == bid.id,
                                                BidVersion.version == bid.current_version)).one()
    return {d["kind"]: dict(d) for d in row.documents}
