"""Demo of joint procurement: the CPAS de Valmeuse (fictional) takes part in a tender led by the
Commune de Valmeuse.

* ``buyer2@demo.example`` (password ``demo-2026``): a buyer of the CPAS.
* ``DEMO-2026-003`` — school and social-restaurant catering, a DRAFT of the commune with one lot;
  the CPAS was invited, accepted and takes 40 % of lot 1 (estimated 180,000 EUR), so the
  procedure advice counts the whole group (250,000 + 180,000 EUR) and the document names the CPAS.

Everything goes through the services (invitation e-mail in the outbox, audit log). Idempotent.
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from accounts.models import Authority, Role, User
from common.timeutil import utcnow
from demo.accounts import CPAS, MUNICIPALITY
from procurement import joint_services as joint
from procurement import tender_queries as q
from procurement import tender_services as services

REFERENCE = "DEMO-2026-003"
BUYER2 = "buyer2@demo.example"


def _participant_buyer(session, cpas: Authority) -> User:
    from demo import demo_password_hash

    user = session.exec(select(User).where(User.email == BUYER2)).first()
    if user is None:
        user = User(email=BUYER2, name="Sofie Janssens (acheteuse CPAS, démo)", role=Role.BUYER.value,
                    password_hash=demo_password_hash(), authority_id=cpas.id, is_demo=True)
        session.add(user)
        session.commit()
    return user


def _tender(session, buyer: User, authority: Authority, settings):
    start = utcnow().replace(microsecond=0, second=0) + timedelta(days=14)
    data = {
        "reference": REFERENCE,
        "title_fr": "Repas pour les écoles communales et le restaurant social du CPAS",
        "title_nl": "Maaltijden voor de gemeentescholen en het sociaal restaurant van het OCMW",
        "title_en": "Meals for the municipal schools and the CPAS social restaurant",
        "description_fr": "Marché conjoint : la commune pilote, le CPAS participe pour son restaurant social.",
        "description_nl": "Gezamenlijke opdracht: de gemeente leidt, het OCMW neemt deel voor zijn sociaal restaurant.",
        "description_en": "Joint tender: the commune leads, the CPAS takes part for its social restaurant.",
        "nature": "services", "cpv_main": "55524000", "cpv_additional": "",
        "nuts3": authority.nuts3 or "BE352", "municipality": authority.municipality or "Valmeuse",
        "estimated_value": "250000", "duration_months": "24", "publication_date": start,
        "question_deadline": start + timedelta(days=14), "bid_deadline": start + timedelta(days=35),
        "opening_at": start + timedelta(days=35, minutes=30),
        "insertion": {"labour_share": "0.5", "rate": "0.05", "hourly_cost": "30"},
    }
    tender = services.create_tender(session, buyer, data, authority_id=authority.id, settings=settings)
    lot = q.lots_of(session, tender)[0]
    services.save_criteria(session, buyer, tender, lot, mode="weighted", justification="", settings=settings,
                           criteria=[{"code": "price", "kind": "price", "label_fr": "Prix", "label_nl": "Prijs",
                                      "label_en": "Price", "weight": "60", "formula": "proportional"},
                                     {"code": "hours", "kind": "quantity", "label_fr": "Heures d'insertion",
                                      "label_nl": "Inschakelingsuren", "label_en": "Insertion hours",
                                      "weight": "40", "better": "higher", "unit": "h", "is_social": True,
                                      "link_to_subject": "Seules les heures prestées pour ce marché comptent."}])
    return tender


def load(session) -> str:
    from flask import current_app

    commune = session.exec(select(Authority).where(Authority.name == MUNICIPALITY)).first()
    cpas = session.exec(select(Authority).where(Authority.name == CPAS)).first()
    lead_buyer = session.exec(select(User).where(User.email == "buyer@demo.example")).first()
    if commune is None or cpas is None or lead_buyer is None:
        return "joint: skipped (demo accounts missing)"
    buyer2 = _participant_buyer(session, cpas)
    if q.find_tender(session, REFERENCE) is not None:
        return f"joint: {REFERENCE} already present"
    tender = _tender(session, lead_buyer, commune, current_app.config)
    participation = joint.invite(session, lead_buyer, tender, BUYER2)
    joint.decide(session, buyer2, participation, accept=True)
    joint.save_shares(session, buyer2, tender, participation,
                      {1: {"share_pct": "40", "estimated_value": "180000",
                           "quantity": "about 60,000 meals over 24 months"}})
    return f"joint: {REFERENCE} created, {cpas.name} takes part (buyer2@demo.example)"
