"""Demo: the matches of the published demo tenders, with a few firms' answers for the funnel.

Idempotent: matches are (re)computed without e-mails (existing rows and answers are kept), and an
answer is written only where none exists.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlmodel import select

from accounts.models import User
from procurement import matching_services as ms
from procurement.matching_models import Interest
from procurement.models import Tender

NOT_INTERESTED = "Pas de capacité disponible au printemps (équipe déjà engagée sur un autre chantier)."


def load(session) -> str:
    tenders = session.exec(select(Tender).where(Tender.status.in_(ms.LISTED_STATUSES))
                           .order_by(Tender.reference)).all()
    total = answered = 0
    for tender in tenders:
        matches = ms.compute_matches(session, tender, settings=current_app.config, notify=False,
                                     now=tender.published_at)
        total += len(matches)
        if tender.reference != "DEMO-2026-001":
            continue
        firm = session.exec(select(User).where(User.email == "firm@demo.example")).first()
        mine = set(ms.member_enterprise_ids(session, firm)) if firm else set()
        others = [m for m in matches if m.enterprise_id not in mine]
        start = tender.published_at or tender.created_at
        for pos, match in enumerate(m for m in matches if m.enterprise_id in mine):
            if match.interest is None and pos == 0:
                match.viewed_at = match.viewed_at or start + timedelta(days=1)
                match.interest, match.interest_at = Interest.INTERESTED.value, start + timedelta(days=1)
                match.interest_by = firm.id
                session.add(match)
                answered += 1
        for pos, match in enumerate(others[:3]):
            if match.interest is not None or match.viewed_at is not None:
                continue
            match.viewed_at = start + timedelta(days=2)
            if pos == 1:
                match.interest, match.interest_at = Interest.INTERESTED.value, start + timedelta(days=2)
            elif pos == 2:
                match.interest, match.interest_at = Interest.NOT_INTERESTED.value, start + timedelta(days=3)
                match.interest_reason = NOT_INTERESTED
            session.add(match)
            answered += 1
        session.commit()
    names = ", ".join(t.reference for t in tenders)
    return f"matching: {total} matches on {len(tenders)} published tender(s) ({names}), {answered} answers added"
