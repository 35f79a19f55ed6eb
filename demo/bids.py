"""Demo bids on DEMO-2026-001: five bids on lot 1 and two on lot 2, opened, rated with written
justifications, one abnormally low price justified and accepted, and lot 1's evaluation finalised,
so that a new user can open the results and download a real scoring report at once.

Everything goes through the same services as the web pages (submission, opening, ratings,
finalisation), back-dated inside the tender's timeline: bids one day before the deadline, the
opening at the opening time. Idempotent: it does nothing once the tender has bids.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlmodel import select

from accounts.models import Role, User
from common.timeutil import utcnow
from procurement import bids as bid_service
from procurement import evaluation as evaluation_service
from procurement.bid_files import Upload
from procurement.bid_models import Bid
from procurement.evaluation_state import current_evaluation, load_state, lot_criteria
from procurement.models import CriterionKind, Tender, TenderStatus
from procurement.opening import open_bids, tender_lots
from registry.models import Enterprise, EnterpriseMember, EnterpriseStatus

TENDER_REF = "DEMO-2026-001"
BUYER = "buyer@demo.example"
FIRM = "firm@demo.example"
# Price (EUR excl. VAT), share of each quantity criterion's reference value, rating share of the scale.
LOT1 = [(100000, 0.80, 0.7), (92000, 0.95, 0.8), (70000, 0.30, 0.4), (150000, 1.10, 0.9), (105000, 0.85, 0.6)]
LOT2 = [(41000, 0.6, 0.6), (38500, 0.8, 0.7)]
QUANTITY_REFERENCE = 1000  # e.g. insertion hours
JUSTIFICATIONS = [
    "Plan d'insertion clair, tutorat hebdomadaire, mais peu de détails sur la formation.",
    "Parcours de formation qualifiant, encadrement par un tuteur dédié, suivi mensuel avec Actiris/Forem.",
    "Plan très sommaire : ni calendrier, ni encadrement décrit.",
    "Plan complet et ambitieux, partenariat avec un centre de formation agréé.",
    "Plan correct, encadrement prévu, objectifs de sortie peu précis.",
]


def _pdf(title: str) -> bytes:
    """A minimal one-page PDF standing in for an insertion plan."""
    body = f"BT /F1 14 Tf 72 720 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n" % len(body) + body + b"\nendstream",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _bidder(session, enterprise: Enterprise, index: int) -> User:
    """A firm user managing ``enterprise`` (created when the registry demo gave it none)."""
    member = session.exec(select(User).join(EnterpriseMember, EnterpriseMember.user_id == User.id)
                          .where(EnterpriseMember.enterprise_id == enterprise.id, User.role == Role.FIRM.value)).first()
    if member is not None:
        return member
    from demo import demo_password_hash

    email = f"bidder{index}@demo.example"
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=f"Soumissionnaire {index} (démo)", role=Role.FIRM.value,
                    password_hash=demo_password_hash(), is_demo=True)
        session.add(user)
        session.flush()
    session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=user.id))
    session.flush()
    return user


def _bidding_enterprises(session) -> list[Enterprise]:
    """Five validated enterprises, those managed by the demo firm account first; the demo firm
    account is made a member of the first one when it manages none, so it sees its own receipt."""
    validated = list(session.exec(select(Enterprise).where(Enterprise.status == EnterpriseStatus.VALIDATED.value)
                                  .order_by(Enterprise.id)))
    firm = session.exec(select(User).where(User.email == FIRM)).first()
    mine = {m.enterprise_id for m in session.exec(select(EnterpriseMember).where(
        EnterpriseMember.user_id == firm.id))} if firm else set()
    chosen = ([e for e in validated if e.id in mine] + [e for e in validated if e.id not in mine])[:5]
    if firm is not None and chosen and not mine:
        session.add(EnterpriseMember(enterprise_id=chosen[0].id, user_id=firm.id))
        session.flush()
    return chosen


def _submit(session, tender, lot, enterprise, user, price, share, index, when):
    values = {c.code: str(round(QUANTITY_REFERENCE * share)) for c in bid_service.quantity_criteria(session, lot)}
    uploads = [Upload("insertion_plan", f"plan-insertion-{index}.pdf", _pdf(f"Plan d'insertion - offre {index}"))]
    bid_service.submit_bid(session, tender=tender, lot=lot, enterprise_id=enterprise.id, user=user, price=str(price),
                           values=values, declaration=True, uploads=uploads,
                           upload_dir=current_app.config["UPLOAD_DIR"],
                           max_bytes=current_app.config["UPLOAD_MAX_FILE_BYTES"], now=when)


def _evaluate(session, tender, lot, buyer, plan, when, finalise: bool) -> None:
    cfg = current_app.config
    rule = {"threshold_pct": cfg["ABNORMAL_PRICE_THRESHOLD_PCT"], "min_bids": cfg["ABNORMAL_MIN_BIDS"]}
    evaluation = current_evaluation(session, lot)
    ratings = [c for c in lot_criteria(session, lot) if c.kind == CriterionKind.RATING.value]
    for pos, bid in enumerate(bid_service.lot_bids(session, lot.id)):
        for criterion in ratings:
            value = round((criterion.scale or 10) * plan[pos][2], 1)
            evaluation_service.record_rating(session, evaluation, buyer, bid_id=bid.id, criterion=criterion.code,
                                             value=str(value), justification=JUSTIFICATIONS[pos % 5], now=when)
    state = load_state(session, evaluation, buyer, lang="fr", abnormal_rule=rule, now=when)
    for code in state.flagged():
        bid_id = state.row(code).bid.id
        evaluation_service.request_justification(
            session, evaluation, buyer, bid_id=bid_id, now=when,
            request_text="Veuillez justifier le prix horaire et le nombre d'heures d'encadrement (AR 18/04/2017, art. 36).")
        evaluation_service.decide_justification(
            session, evaluation, buyer, bid_id=bid_id, decision="accepted", now=when,
            answer_text="Postes d'insertion subventionnés (art. 60 §7) et matériel de réemploi : détail joint.",
            reason="Les salaires respectent les barèmes sectoriels ; l'aide à l'emploi explique l'écart.")
    if finalise:
        state = load_state(session, evaluation, buyer, lang="fr", abnormal_rule=rule, now=when)
        evaluation_service.finalise(session, state, buyer, now=when, reasons=(
            "Offre économiquement la plus avantageuse (meilleur rapport qualité-prix, art. 81 de la loi du "
            "17 juin 2016) ; son prix a été examiné et n'est pas anormal."))


def load(session) -> str:
    tender = session.exec(select(Tender).where(Tender.reference == TENDER_REF)).first()
    if tender is None:
        return f"bids: tender {TENDER_REF} not found, skipped"
    if session.exec(select(Bid).where(Bid.tender_id == tender.id)).first() is not None:
        return "bids: already present"
    buyer = session.exec(select(User).where(User.email == BUYER)).first()
    enterprises = _bidding_enterprises(session)
    lots = tender_lots(session, tender)
    if (buyer is None or len(enterprises) < 5 or not lots or tender.status != TenderStatus.PUBLISHED.value
            or tender.bid_deadline is None or tender.opening_at is None):
        return "bids: demo tender, buyer or five validated enterprises missing, skipped"
    if has_request_context():
        return _load(session, tender, buyer, enterprises, lots)
    with current_app.test_request_context(), force_locale("fr"):
        return _load(session, tender, buyer, enterprises, lots)


def _load(session, tender, buyer, enterprises, lots) -> str:
    deadline = bid_service.as_utc(tender.bid_deadline)
    opening_at = bid_service.as_utc(tender.opening_at)
    submitted = 0
    for lot, plan in zip(lots, (LOT1, LOT2)):
        for pos, (price, share, _rating) in enumerate(plan):
            enterprise = enterprises[pos]
            when = deadline - timedelta(days=2, hours=len(plan) - pos)
            _submit(session, tender, lot, enterprise, _bidder(session, enterprise, pos + 1), price, share,
                    pos + 1, when)
            submitted += 1
    open_bids(session, tender, buyer, now=opening_at + timedelta(minutes=5))
    evaluated_at = min(opening_at + timedelta(hours=3), utcnow())
    for lot, plan in zip(lots, (LOT1, LOT2)):
        _evaluate(session, tender, lot, buyer, plan, evaluated_at, finalise=lot.number == 1)
    return f"bids: {submitted} bids on {TENDER_REF}, opened, lot 1 evaluated and finalised"
