"""Matching services: compute and store the matches of a published tender, notify the firms that
asked for it, record what firms do with a match (viewed, interested or not), and the buyer's funnel.

Every function takes the session first. The rule itself is pure (``procurement.matching``); this
module loads its inputs (validated enterprises, their activities and the coverage rows the
registry derives, accreditations valid on the publication day, registry.eligibility for art. 20 /
law art. 15) and persists the result. Recomputing is idempotent: one row per (tender, enterprise),
firms' marks kept, an e-mail written at most once per match.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Mapping

from babel.dates import format_datetime
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from accounts.models import OutboxMessage, User
from audit import log as audit_log
from common.timeutil import to_brussels, utcnow
from procurement.bid_models import Bid
from procurement.matching import ActivityInput, EnterpriseInput, Funnel, LotInput, TenderInput, match_all
from procurement.matching_models import Interest, MatchNotificationPreference, TenderMatch
from procurement.matching_text import describe_lots
from procurement.models import Lot, Tender, TenderStatus
from registry.eligibility import reserved_eligibility
from registry.models import (Accreditation, Activity, ActivityArea, Enterprise, EnterpriseMember,
                             EnterpriseStatus)
from registry.normalise import fold
from registry.validation import ValidationError

log = logging.getLogger(__name__)

LISTED_STATUSES = (TenderStatus.PUBLISHED.value, TenderStatus.OPENED.value, TenderStatus.AWARDED.value)
REASON_MAX = 500


def as_utc(value: datetime) -> datetime:
    """Stored datetimes come back naive from SQLite: they are UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


# --- inputs of the pure rule ----------------------------------------------------------------------

def tender_input(session: Session, tender: Tender) -> TenderInput:
    lots = session.exec(select(Lot).where(Lot.tender_id == tender.id).order_by(Lot.number)).all()
    return TenderInput(
        reference=tender.reference, nature=tender.nature,
        lots=tuple(LotInput(lot.number, tuple(lot.cpv_codes or ()), lot.reservation or "none") for lot in lots),
        cpv_main=tender.cpv_main or "", cpv_additional=tuple(tender.cpv_additional or ()),
        nuts3=tender.nuts3 or None, municipality=tender.municipality or None,
        municipality_key=fold(tender.municipality)[:120] if tender.municipality else None)


def enterprise_inputs(session: Session, *, today: date, min_share_pct: float) -> list[EnterpriseInput]:
    """Every validated enterprise with its activities, coverage rows and eligibility on ``today``."""
    enterprises = session.exec(select(Enterprise).where(Enterprise.status == EnterpriseStatus.VALIDATED.value)
                               .order_by(Enterprise.id)).all()
    ids = [e.id for e in enterprises]
    if not ids:
        return []
    activities = defaultdict(list)
    for act in session.exec(select(Activity).where(Activity.enterprise_id.in_(ids)).order_by(Activity.id)):
        activities[act.enterprise_id].append(act)
    nuts3, keys = defaultdict(set), defaultdict(set)
    for row in session.exec(select(ActivityArea).where(ActivityArea.enterprise_id.in_(ids))):
        if row.nuts3:
            nuts3[row.activity_id].add(row.nuts3)
        if row.municipality_key:
            keys[row.activity_id].add(row.municipality_key)
    accreditations = defaultdict(list)
    for acc in session.exec(select(Accreditation).where(Accreditation.enterprise_id.in_(ids))
                            .order_by(Accreditation.type_code)):
        accreditations[acc.enterprise_id].append(acc)
    out = []
    for e in enterprises:
        result = reserved_eligibility(e.status, e.staff_total, e.staff_disadvantaged,
                                      accreditations[e.id], today, min_share_pct)
        out.append(EnterpriseInput(
            enterprise_id=e.id, name=e.legal_name, status=e.status,
            activities=tuple(ActivityInput(
                service_type=a.service_type, cpv_codes=tuple(a.cpv_codes or ()),
                coverage_kind=a.coverage_kind, coverage_areas=tuple(a.coverage_areas or ()),
                radius_km=a.radius_km, covered_nuts3=frozenset(nuts3[a.id]),
                municipality_keys=frozenset(keys[a.id])) for a in activities[e.id]),
            eligible_art20=result.eligible, accreditation_types=result.valid_accreditations,
            disadvantaged_share=result.share))
    return out


# --- computing and storing ------------------------------------------------------------------------

def compute_matches(session: Session, tender: Tender, *, settings: Mapping[str, Any], actor=None,
                    now: datetime | None = None, notify: bool = True,
                    commit: bool = True) -> list[TenderMatch]:
    """(Re)compute the matches of a published tender; store one row per matching enterprise.

    Rows of enterprises that no longer match are removed unless the firm already viewed or marked
    them (its marks are kept). With ``notify``, opted-in firm users get one e-mail per new match
    (written to the outbox). Returns the tender's match rows.
    """
    if tender.status not in LISTED_STATUSES:
        raise ValidationError({"status": _l("Only published tenders are matched to enterprises.")})
    now = now or utcnow()
    today = to_brussels(now).date()
    results = match_all(tender_input(session, tender), enterprise_inputs(
        session, today=today, min_share_pct=float(settings.get("RESERVED_MIN_DISADVANTAGED_PCT", 30))))
    existing = {m.enterprise_id: m for m in session.exec(select(TenderMatch).where(TenderMatch.tender_id == tender.id))}
    found = set()
    added = updated = 0
    for result in results:
        found.add(result.enterprise_id)
        row = existing.get(result.enterprise_id)
        if row is None:
            row = TenderMatch(tender_id=tender.id, enterprise_id=result.enterprise_id, matched_at=now)
            existing[result.enterprise_id] = row
            added += 1
        reasons = result.reasons_json()
        if row.id is not None and (row.reasons != reasons or row.reserved_for_you != result.reserved_for_you):
            updated += 1
        row.reasons = reasons
        row.reserved_for_you = result.reserved_for_you
        session.add(row)
    removed = 0
    for enterprise_id, row in list(existing.items()):
        if enterprise_id in found:
            continue
        if row.id is not None and row.viewed_at is None and row.interest is None:
            session.delete(row)
            removed += 1
    session.flush()
    mails = notify_matches(session, tender, [existing[i] for i in found], now=now, settings=settings) if notify else 0
    if added or updated or removed or mails:  # a recomputation that changes nothing is not logged
        audit_log.append(session, "tender.matched", actor=actor, object_type="tender", object_id=tender.id,
                         tender_ref=tender.reference,
                         details={"matches": len(found), "added": added, "updated": updated,
                                  "removed": removed, "emails": mails})
    if commit:
        session.commit()
    return tender_matches(session, tender)


def after_publication(session: Session, tender: Tender, *, settings: Mapping[str, Any], actor=None,
                      now: datetime | None = None) -> int | None:
    """Called right after a publication was committed. A failure here never undoes the publication:
    it is logged and rolled back (``flask tender match REF`` computes the matches again)."""
    try:
        return len(compute_matches(session, tender, settings=settings, actor=actor, now=now))
    except Exception:  # noqa: BLE001 - the publication is committed; matching is best effort
        session.rollback()
        log.exception("matching failed after the publication of %s", tender.reference)
        return None


def tender_matches(session: Session, tender: Tender) -> list[TenderMatch]:
    return list(session.exec(select(TenderMatch).where(TenderMatch.tender_id == tender.id)
                             .order_by(TenderMatch.enterprise_id)))


# --- notifications --------------------------------------------------------------------------------

def opted_in(session: Session, user_id: int) -> bool:
    pref = session.get(MatchNotificationPreference, user_id)
    return bool(pref and pref.email)


def set_preference(session: Session, user: User, email: bool) -> MatchNotificationPreference:
    pref = session.get(MatchNotificationPreference, user.id) or MatchNotificationPreference(user_id=user.id)
    pref.email = bool(email)
    pref.updated_at = utcnow()
    session.add(pref)
    audit_log.append(session, "match.notification_preference", actor=user, object_type="user",
                     object_id=user.id, details={"email": pref.email})
    session.commit()
    return pref


def _mail_lang(user: User, settings: Mapping[str, Any]) -> str:
    lang = (user.language or settings.get("BABEL_DEFAULT_LOCALE") or "fr")[:2]
    return lang if lang in ("fr", "nl", "en") else "fr"


def match_mail(tender: Tender, enterprises: list[tuple[str, list[dict]]], lang: str,
               base_url: str) -> tuple[str, str]:
    """Subject and body of the e-mail to a firm user, in ``lang`` (translated by Flask-Babel)."""
    with force_locale(lang):
        title = tender.title(lang)
        subject = _("Tender for you: %(ref)s — %(title)s", ref=tender.reference, title=title)
        lines = [_("A published tender matches your activities."), "",
                 f"{tender.reference} — {title}"]
        if tender.bid_deadline:
            lines.append(_("Bid deadline: %(date)s", date=format_datetime(
                to_brussels(tender.bid_deadline), "medium", locale=lang)))
        for name, lots in enterprises:
            lines += ["", name]
            for lot in describe_lots(lots):
                lines.append("  " + _("Lot %(number)s", number=lot["lot"]) + ": " + "; ".join(lot["texts"]))
        lines += ["", _("See it and say whether you are interested: %(url)s",
                        url=base_url.rstrip("/") + "/tenders/for-you"), "",
                  _("You receive this e-mail because you asked to be notified. Turn it off on the "
                    "same page.")]
    return subject, "\n".join(lines)


def notify_matches(session: Session, tender: Tender, matches: list[TenderMatch], *, now: datetime,
                   settings: Mapping[str, Any]) -> int:
    """Write one outbox e-mail per opted-in member user for the matches not yet notified; mark them.
    Returns the number of e-mails written."""
    pending = [m for m in matches if m.notified_at is None]
    if not pending:
        return 0
    by_enterprise = {m.enterprise_id: m for m in pending}
    names = {e.id: e.legal_name for e in session.exec(select(Enterprise).where(Enterprise.id.in_(by_enterprise)))}
    per_user: dict[int, list[TenderMatch]] = defaultdict(list)
    for member in session.exec(select(EnterpriseMember).where(EnterpriseMember.enterprise_id.in_(by_enterprise))
                               .order_by(EnterpriseMember.user_id, EnterpriseMember.enterprise_id)):
        per_user[member.user_id].append(by_enterprise[member.enterprise_id])
    written = 0
    base_url = str(settings.get("MAIL_BASE_URL") or "http://127.0.0.1:5000")
    for user_id, rows in per_user.items():
        user = session.get(User, user_id)
        if user is None or not user.is_active or not opted_in(session, user_id):
            continue
        lang = _mail_lang(user, settings)
        subject, body = match_mail(tender, [(names.get(m.enterprise_id, ""), m.reasons) for m in rows],
                                   lang, base_url)
        session.add(OutboxMessage(to_address=user.email, subject=subject[:300], body=body, kind="tender_match"))
        written += 1
        for m in rows:
            m.notified_at = now
            session.add(m)
    return written


# --- the firm's side ------------------------------------------------------------------------------

def member_enterprise_ids(session: Session, user: User) -> list[int]:
    return list(session.exec(select(EnterpriseMember.enterprise_id).where(EnterpriseMember.user_id == user.id)))


@dataclass
class ForYouRow:
    tender: Tender
    match: TenderMatch
    enterprise_name: str


def for_you(session: Session, user: User) -> list[ForYouRow]:
    """Matches of the user's enterprises on listed tenders, newest publication first. A reserved
    lot appears only in the matches of eligible enterprises (the rule drops it for the others)."""
    ids = member_enterprise_ids(session, user)
    if not ids:
        return []
    rows = session.exec(select(TenderMatch, Tender, Enterprise)
                        .join(Tender, Tender.id == TenderMatch.tender_id)
                        .join(Enterprise, Enterprise.id == TenderMatch.enterprise_id)
                        .where(TenderMatch.enterprise_id.in_(ids), Tender.status.in_(LISTED_STATUSES))).all()
    out = [ForYouRow(t, m, e.legal_name) for m, t, e in rows]
    out.sort(key=lambda r: (-(r.tender.published_at or r.tender.created_at).timestamp(), r.tender.reference,
                            r.enterprise_name.casefold()))
    return out


def user_match(session: Session, user: User, match_id: int) -> TenderMatch | None:
    """The match, if it belongs to one of the user's enterprises (else None: 404 for the view)."""
    match = session.get(TenderMatch, match_id)
    if match is None or match.enterprise_id not in member_enterprise_ids(session, user):
        return None
    return match


def mark_viewed(session: Session, user: User, tender: Tender, *, now: datetime | None = None) -> int:
    """Record the first view of ``tender`` by the user's matched enterprises; returns rows marked."""
    ids = member_enterprise_ids(session, user)
    if not ids:
        return 0
    rows = session.exec(select(TenderMatch).where(TenderMatch.tender_id == tender.id,
                                                  TenderMatch.enterprise_id.in_(ids),
                                                  TenderMatch.viewed_at.is_(None))).all()
    for row in rows:
        row.viewed_at = now or utcnow()
        session.add(row)
    if rows:
        session.commit()
    return len(rows)


def set_interest(session: Session, user: User, match: TenderMatch, interest: str, reason: str = "") -> TenderMatch:
    """Mark a match "interested" or "not interested" (a reason is then required). Validates first:
    nothing changes on bad input."""
    reason = (reason or "").replace("\r\n", "\n").strip()
    errors = {}
    if interest not in (Interest.INTERESTED.value, Interest.NOT_INTERESTED.value):
        errors["interest"] = _l("Choose “Interested” or “Not interested”.")
    elif interest == Interest.NOT_INTERESTED.value and not reason:
        errors["reason"] = _l("Say why you are not interested (the buyer reads it to improve future tenders).")
    if len(reason) > REASON_MAX:
        errors["reason"] = _l("At most %(n)s characters.", n=REASON_MAX)
    if errors:
        raise ValidationError(errors)
    now = utcnow()
    match.interest = interest
    match.interest_reason = reason
    match.interest_at = now
    match.interest_by = user.id
    match.viewed_at = match.viewed_at or now
    session.add(match)
    tender = session.get(Tender, match.tender_id)
    audit_log.append(session, "match.interest", actor=user, object_type="tender_match", object_id=match.id,
                     tender_ref=tender.reference if tender else None,
                     details={"enterprise_id": match.enterprise_id, "interest": interest})
    session.commit()
    return match


# --- the buyer's side -----------------------------------------------------------------------------

def funnel(session: Session, tender: Tender) -> Funnel:
    """matched → viewed → interested → bid. "bid" counts matched enterprises having at least one
    ``Bid`` row on the tender (the envelope only; sealed content is never read)."""
    matches = tender_matches(session, tender)
    ids = {m.enterprise_id for m in matches}
    bidders = set()
    if ids:
        bidders = set(session.exec(select(Bid.enterprise_id).where(Bid.tender_id == tender.id,
                                                                   Bid.enterprise_id.in_(ids))
                                   .group_by(Bid.enterprise_id).having(func.count(Bid.id) > 0)))
    return Funnel(matched=len(matches), viewed=sum(1 for m in matches if m.viewed_at),
                  interested=sum(1 for m in matches if m.interest == Interest.INTERESTED.value),
                  not_interested=sum(1 for m in matches if m.interest == Interest.NOT_INTERESTED.value),
                  bid=len(bidders))


def matched_firms(session: Session, tender: Tender) -> list[tuple[TenderMatch, Enterprise]]:
    rows = session.exec(select(TenderMatch, Enterprise).join(Enterprise, Enterprise.id == TenderMatch.enterprise_id)
                        .where(TenderMatch.tender_id == tender.id)).all()
    return sorted(rows, key=lambda r: (not r[0].reserved_for_you, r[1].legal_name.casefold(), r[1].id))
